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
/** The pages opsbook makes from the KPIs and OKRs rather than from a
 * file; a page from content/ at the same url shows its text first. */
enum ob_made {
    OB_MADE_NONE,    /* a page from content/ only */
    OB_MADE_KPIS,    /* kpis/: every KPI's card */
    OB_MADE_KPI,     /* kpis/ID/: one KPI */
    OB_MADE_OKRS,    /* okrs/: the latest quarter, and the others */
    OB_MADE_QUARTER, /* okrs/QUARTER/: one quarter */
    OB_MADE_REPORTS  /* reports/: the workbooks */
};

/** What tells a file changed without reading it (as git's index does). */
struct ob_file_id {
    uint64_t dev, ino, size;
    int64_t mtime_ns, ctime_ns;
};

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
    uint32_t body_line;   /* line of body[0] in the file */
    enum ob_made made;    /* what opsbook shows on it besides the body */
    const void *made_of;  /* the KPI or quarter it shows */
    struct ob_file_id id; /* of its file, when it has one */
    uint64_t hash;        /* of its file's bytes (0: no file) */
    /* Placed from the last build's memo (see ob_content_memo_load()): the
     * file was not read, so body and front are not there yet; see
     * ob_content_read_text(). */
    bool unread;
};

/** A file beside the pages, copied to the output as it is. */
struct ob_asset {
    const char *src; /* content/process/flow.png */
    const char *url; /* process/flow.png */
};

/** A folder of content/ as it was listed (for the memo). */
struct ob_folder {
    const char *path;
    struct ob_file_id id;
    const struct ob_fs_entry *entries;
    size_t n;
};

struct ob_content {
    struct ob_page *pages; /* sorted by url; drafts left out */
    size_t n_pages;
    struct ob_asset *assets; /* sorted by url */
    size_t n_assets;
    size_t n_drafts;
    struct ob_folder *folders; /* listed, in walk order */
    size_t n_folders;
};

struct ob_content_memo; /* see ob_content_memo_load() */

/**
 * Walks content/ in byte order of names, reading every page's front matter
 * (title, description, weight, draft, tags, owner, review_by, slug,
 * aliases; other keys stay in `front`). Problems are reported to `d`
 * (invalid UTF-8, bad front matter, two pages with one output, symlinks
 * out of the site). A folder with pages but no page of its own (and the
 * site's root) gets a generated, empty section page titled after the
 * folder, so every section has a page listing it. With `pretty_urls`
 * (an absolute base_url), a page is written as folder/slug/index.html and
 * linked as folder/slug/. Page files are read on `jobs` threads. Returns
 * OB_OK, OB_ERR_INPUT or OB_ERR_ENV (unreadable). A site without content/
 * has no pages.
 */
enum ob_err ob_content_load(struct ob_content *c, struct ob_arena *a,
                            struct ob_diag *d, const struct ob_fs_root *root,
                            bool pretty_urls,
                            const struct ob_content_memo *memo, unsigned jobs);

/*
 * The memo: what the last successful build learnt of each page file, by
 * its path and file identity (device, inode, size, modification and change
 * times). With it, ob_content_load() places a page whose file is as it was
 * without reading it (the page is `unread`); any other page is read. The
 * memo is a cache file of ob_output_keep(); a memo that does not match
 * (another opsbook, other pretty URLs) is no memo.
 */
/** The memo in cache folder `dir`, or NULL (none, unreadable, other). */
/* Its strings go in `a` (the build's: pages placed from it point there). */
struct ob_content_memo *ob_content_memo_load(const char *dir, bool pretty_urls,
                                             struct ob_arena *a);
void ob_content_memo_free(struct ob_content_memo *m);
/** Appends the memo of `c`'s page files (as a cache file "pages"). */
void ob_content_memo_save(const struct ob_content *c, bool pretty_urls,
                          struct ob_buf *out);

/**
 * The body and front matter of page `p`, read now when it is `unread`
 * (into `a`), else as loaded. The file must be as the memo knew it: when
 * it changed since (an edit during the build), the build stops with an
 * error at the file rather than mix two versions. Returns OB_OK or the
 * error (reported to `d`).
 */
enum ob_err ob_content_read_text(const struct ob_page *p, struct ob_arena *a,
                                 struct ob_diag *d, const char **body,
                                 size_t *body_len,
                                 const struct ob_yaml_node **front);

/** A page opsbook makes: see ob_content_add_made(). */
struct ob_made_page {
    const char *url; /* "kpis/wau/index.html" */
    const char *title;
    const char *description; /* or NULL */
    long long weight;        /* its place among its folder's pages */
    enum ob_made made;
    const void *of; /* the KPI or quarter */
};

/**
 * Adds the pages opsbook makes, each the section page of its folder,
 * keeping `c` sorted by url with a section page for every folder. A page
 * from content/ writing the same url keeps its text and gets the made
 * page's view after it (a folder without a page of its own takes the made
 * page's title and weight too) when the made page is a list (kpis/, okrs/,
 * reports/); for a page of one KPI or quarter that is an error at the
 * content page: its url is taken. Returns OB_OK or OB_ERR_INPUT.
 */
enum ob_err ob_content_add_made(struct ob_content *c, struct ob_arena *a,
                                struct ob_diag *d,
                                const struct ob_made_page *made, size_t n,
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
