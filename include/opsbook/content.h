/* content.h: the pages and files of content/, with their front matter. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CONTENT_H
#define OPSBOOK_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/fs.h"
#include "opsbook/yaml.h"

/* A page's Markdown is capped: cmark-gfm's time grows faster than its
 * input on some shapes, and no real process doc comes near this. */
#define OB_CONTENT_MAX_PAGE (4u * 1024 * 1024)

/** A Markdown page. Strings live in the build's arena. */
struct ob_page {
    const char *src; /* content/process/triage.md */
    const char *url; /* process/triage.html, relative to OUT */
    /* What links write, relative to OUT: the url, or with pretty URLs the
     * folder ("process/triage/", "" for the home page). */
    const char *link;
    const char *section; /* the folder's url prefix: "process/" or "" */
    bool is_section;     /* the folder's _index.md, index.md or README.md */
    bool generated;      /* a section page made for a folder without one */
    unsigned depth;      /* folders between OUT and the page's file */
    const char *title;
    bool body_has_title; /* the body opens with its own "# Title" */
    const char *description;
    const char *owner;
    const char **tags;
    size_t n_tags;
    const char **aliases;
    size_t n_aliases;
    long long weight;
    bool draft;
    bool has_review_by;
    int32_t review_by;                /* date */
    const struct ob_yaml_node *front; /* all front matter, for layouts */
    const char *body;                 /* the Markdown after front matter */
    size_t body_len;
    uint32_t body_line; /* line of body[0] in the file */
};

/** A file beside the pages, copied to the output as it is. */
struct ob_asset {
    const char *src; /* content/process/flow.png */
    const char *url; /* process/flow.png */
};

struct ob_content {
    struct ob_page *pages; /* sorted by url; drafts left out */
    size_t n_pages;
    struct ob_asset *assets; /* sorted by url */
    size_t n_assets;
    size_t n_drafts;
};

/**
 * Walks content/ in byte order of names, reading every page's front matter
 * (title, description, weight, draft, tags, owner, review_by, slug,
 * aliases; other keys stay in `front`). Problems are reported to `d`
 * (invalid UTF-8, bad front matter, two pages with one output, symlinks
 * out of the site). A folder with pages but no page of its own (and the
 * site's root) gets a generated, empty section page titled after the
 * folder, so every section has a page listing it. With `pretty_urls`
 * (an absolute base_url), a page is written as folder/slug/index.html and
 * linked as folder/slug/. Returns OB_OK,
 * OB_ERR_INPUT or OB_ERR_ENV (unreadable). A site without content/ has no
 * pages.
 */
enum ob_err ob_content_load(struct ob_content *c, struct ob_arena *a,
                            struct ob_diag *d, const struct ob_fs_root *root,
                            bool pretty_urls);

/**
 * Appends the ASCII slug of s[0..len) to `out`: lowercase letters and
 * digits, accents folded (é → e), every other run of characters one '-'.
 */
void ob_slugify(struct ob_buf *out, const char *s, size_t len);

/**
 * The folding ob_slugify() uses, one code point at a time, so search terms
 * fold as slugs do: the lowercase ASCII letters or digit of an ASCII or
 * Latin (U+00C0..U+017F) letter ("é" -> "e", "Æ" -> "ae"), or "-" for
 * anything else (punctuation, other scripts). Returns `one` or a static
 * string; `one` is the caller's scratch.
 */
const char *ob_fold_latin(uint32_t cp, char one[2]);

#endif
