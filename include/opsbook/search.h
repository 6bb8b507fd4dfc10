/* search.h: the site's search index, built at build time, read offline. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_SEARCH_H
#define OPSBOOK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/buf.h"

/*
 * An inverted index of every page's words, written as a script
 * (search-index.js) that sets one global, so it loads from file:// where
 * fetch() of JSON does not. The theme's assets/search.js reads it.
 *
 * Terms are lowercased, Latin accents folded as slugs fold them ("Révision"
 * -> "revision"), split on everything but letters and digits; Greek and
 * Cyrillic capitals are lowercased, other scripts kept as written, and
 * Chinese and Japanese characters are one term each (no word breaks to
 * split on). Terms stop at OB_SEARCH_TERM_MAX code points.
 *
 * A page keeps its title, headings and its OB_SEARCH_BODY_TERMS most
 * frequent body terms (earlier first among equals); title and heading
 * terms are never dropped. The cap is applied as soon as text moves on to
 * another page, so memory stays at about that many postings (16 bytes)
 * a page, however long the pages are.
 *
 * The file, one JavaScript statement:
 *
 *   window.OPSBOOK_SEARCH = {"v":1,
 *   "sections":["Billing",""],          section titles, by first use
 *   "heads":["Roll-out","roll-out",...], distinct headings: text, anchor
 *   "pages":[                           one per line, by page number:
 *   ["billing/a.html","Title",0,"Summary",[0,5]],  url, title, section,
 *   ...],                                summary, its headings in order
 *   "terms":"a ab abc ...",             sorted (UTF-16 order), ' '-joined
 *   "post":"... ..."};                  each term's postings, ' '-joined
 *
 * A term's postings, by page number: for each page a number
 * (gap - 1) * 8 + flags, where gap is the page number minus the previous
 * one (the first from -1) and flags are 1 in the title, 2 in headings
 * (then follow the count of headings - 1 and their positions in the
 * page's list, each as the gap - 1 from the one before, the first as it
 * is), 4 frequent in the body (3 times or more). A number is written
 * most significant part first, in base 27 with the continuation digits
 * of OB_SEARCH_DIGITS[64..90] while it is 64 or more, then its value mod
 * 64 as one final digit OB_SEARCH_DIGITS[0..63]. No digit needs escaping
 * in a JavaScript string.
 */
#define OB_SEARCH_FORMAT     1
#define OB_SEARCH_TERM_MAX   32  /* code points */
#define OB_SEARCH_BODY_TERMS 400 /* distinct body-only terms per page */
#define OB_SEARCH_HEADINGS   250 /* headings a page lists; more: body text */
#define OB_SEARCH_SUMMARY    200 /* bytes of summary kept, at a word end */
#define OB_SEARCH_DIGITS                                                       \
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$_"         \
    "!#%&'()*+,-./:;=>?@[]^`{|}~"

struct ob_search;
struct ob_cache_reader;
struct ob_cache_file;

/** An empty index; free it with ob_search_free(). */
struct ob_search *ob_search_new(void);
/** Frees the index; NULL does nothing. */
void ob_search_free(struct ob_search *s);

/**
 * Adds a page: its URL relative to the site root ("billing/page-12.html"),
 * title, section title ("" or NULL when none) and summary (its description
 * or the start of its text, "" or NULL when none; kept up to
 * OB_SEARCH_SUMMARY bytes and indexed as body text). The strings are
 * copied. Returns the page's
 * number, 0 for the first. Pages are numbered in the order added, which
 * is the order results tie in.
 */
size_t ob_search_add_page(struct ob_search *s, const char *url,
                          const char *title, const char *section,
                          const char *summary);

/**
 * Adds a heading of page `page`: its text (UTF-8, not NUL-terminated) and
 * its anchor id ("release-roll-out"; NULL or "" links to the page). Results
 * show the heading that matched and link to page.html#anchor. A page
 * number not returned by ob_search_add_page() is ignored.
 */
void ob_search_add_heading(struct ob_search *s, size_t page, const char *text,
                           size_t len, const char *anchor);

/**
 * Adds body text of page `page`, in any number of pieces (a piece ends a
 * word). `anchor`, the heading the text falls under, is accepted for
 * callers' convenience but not stored: body matches link to the page.
 * Text is added right after its page, as a rule. Text added to an earlier
 * page later still counts, merged into that page's postings; only the
 * choice of which body terms a long page keeps may then differ.
 */
void ob_search_add_body(struct ob_search *s, size_t page, const char *text,
                        size_t len, const char *anchor);

/**
 * The words of one page as a pass over it meets them, to be added to an
 * index later, and on another thread, with ob_search_add_words(): the
 * Markdown pass (which must stay on one thread) then leaves the index's
 * work to the threads that lay pages out. Zeroed is empty; the pieces are
 * copied.
 */
struct ob_search_words {
    struct ob_buf log; /* records: kind, length, text[, anchor, NUL] */
};

/**
 * A key of the entry a page with these fields and words puts in an index:
 * equal keys, equal entries (it is the hash of the script of an index of
 * that page alone). An incremental build keeps it per page, and leaves the
 * cached index as it is when a page rendered again keeps its key.
 */
uint64_t ob_search_entry_key(const char *url, const char *title,
                             const char *section, const char *summary,
                             const struct ob_search_words *w);

/** Keeps a heading, for ob_search_add_heading(). */
void ob_search_words_heading(struct ob_search_words *w, const char *text,
                             size_t len, const char *anchor);
/** Keeps a piece of body text, for ob_search_add_body(). */
void ob_search_words_body(struct ob_search_words *w, const char *text,
                          size_t len);
/** Adds what `w` kept to page `page`, as the calls it stands for would. */
void ob_search_add_words(struct ob_search *s, size_t page,
                         const struct ob_search_words *w);
/** Frees what `w` kept; it is empty again. */
void ob_search_words_release(struct ob_search_words *w);

/**
 * Appends the index as the script described above. The same pages, added
 * in the same order, give the same bytes. `s` is not changed, but what the
 * call works out (the terms in order, their postings) is kept in it until
 * it changes: ob_search_save() of the same index, before or after, does
 * not work it out again. So a build calls both, in either order, for the
 * cost of one; neither is to run while another thread uses `s`, unless
 * ob_search_prepare() came first.
 */
void ob_search_write_js(const struct ob_search *s, struct ob_buf *out);

/**
 * Works out now what ob_search_write_js() and ob_search_save() share;
 * until `s` changes, those two then only read it, and may run at once on
 * two threads.
 */
void ob_search_prepare(const struct ob_search *s);

/**
 * Whether `s`, loaded by ob_search_load_file(), is unchanged since: its
 * script is then the one the build that saved it wrote, and saving writes
 * its records again as they were read.
 */
bool ob_search_unchanged(const struct ob_search *s);

/*
 * Incremental builds keep the index for the next build, which replaces
 * only the pages it renders again:
 *
 *   s = ob_search_load(&r);               the last build's index
 *   for each page i rendered again:
 *       ob_search_restart_page(s, i, url, title, section, summary);
 *       ob_search_add_heading(s, i, ...) and ob_search_add_body(s, i, ...)
 *   ob_search_write_js(s, &js);
 *   ob_search_save(s, &cache);            for the next build: no more work
 *
 * The script is then byte for byte that of a fresh build of the same pages
 * (each page's text added right after it, as a build does). Pages keep
 * their numbers: when pages were removed or moved since, build afresh;
 * new pages at the end can be added with ob_search_add_page().
 *
 * A loaded index holds the terms and postings as written, checkpoints
 * into the postings (one every 32 or so) and, per page, the ids of the
 * terms it is in: about the script's size again, however long the pages.
 * Writing copies the terms no restarted page was in as they are, in runs,
 * and of the others decodes and encodes again only the postings between
 * the checkpoints around the restarted pages'; saving copies them too.
 */

/**
 * Appends records (see opsbook/cache.h) from which ob_search_load()
 * rebuilds the index: pages, sections, headings and every term's final
 * postings. The caller starts the file (ob_cache_begin()). `s` is not
 * changed; it shares what it works out with ob_search_write_js().
 */
void ob_search_save(const struct ob_search *s, struct ob_buf *out);

/**
 * The index from records ob_search_save() appended, read from `r`; free it
 * with ob_search_free(). NULL, with r->bad set, when they are cut short,
 * damaged (they carry a hash) or do not hang together. Headings and text
 * for a loaded page are ignored until it is restarted: its postings are
 * final. Pages added after loading are built as usual.
 */
struct ob_search *ob_search_load(struct ob_cache_reader *r);

/**
 * ob_search_load() of records that `r` reads from `file`, without copying
 * what the index keeps of them (most of them): `file`'s bytes are handed
 * over to the index, and `file` is left empty; what `r` points to stays
 * valid until the index is freed. On failure (NULL, r->bad set) `file` is
 * left as it was.
 */
struct ob_search *ob_search_load_file(struct ob_cache_reader *r,
                                      struct ob_cache_file *file);

/**
 * Forgets what page `page` had (its postings, headings and summary) and
 * gives it these fields, as ob_search_add_page() does, keeping its number;
 * its headings and body text follow, before the next page is restarted.
 * The script is then byte for byte that of a fresh build of the pages as
 * they are now: an index written after restarts numbers sections and
 * headings by first use again, page by page. A page number not returned
 * by ob_search_add_page() or loaded is ignored.
 */
void ob_search_restart_page(struct ob_search *s, size_t page, const char *url,
                            const char *title, const char *section,
                            const char *summary);

#endif
