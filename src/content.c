/* content.c: walk content/, split front matter, place pages and files. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/content.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content_int.h"
#include "opsbook/buf.h"
#include "opsbook/hash.h"
#include "opsbook/mem.h"
#include "opsbook/pool.h"
#include "opsbook/text.h"

#define CONTENT_DIR "content"

/* The files that make a folder's own page, in order of preference. */
static const char *const section_files[] = {"_index.md", "index.md",
                                            "README.md", NULL};

/* Growing arrays of pages and assets while walking. */
struct walk {
    struct ob_arena *a;
    struct ob_diag *d;
    const struct ob_fs_root *root;
    struct ob_page *pages;
    size_t n_pages, cap_pages;
    struct ob_asset *assets;
    size_t n_assets, cap_assets;
    size_t n_drafts;
    enum ob_err err;
    struct ob_buf text; /* the file being read, reused */
    bool pretty;        /* folder/slug/index.html, linked as folder/slug/ */
    const struct ob_content_memo *memo; /* the last build's pages, or NULL */
    int dfd; /* the folder being walked, for short stats; or AT_FDCWD */
    struct ob_folder *folders;
    size_t n_folders, cap_folders;
    struct page_file *files; /* to read, once the walk is done */
    size_t n_files, cap_files;
};

/* A page file the walk found, with what reading it needs. `folder`: the
 * name of the folder whose own page it is (its title when the page has
 * none), NULL for a plain page. */
struct page_file {
    const char *src, *dir_url, *name, *folder;
    unsigned depth;
    struct ob_file_id id;
};

/* ---- slugs ----------------------------------------------------------- */

/* The longest slug or alias part: a file name's NAME_MAX (255 on Linux and
 * macOS), less ".html" (an alias "x/" gets "x/index.html"). */
#define MAX_SLUG 250

/* ASCII for U+00C0..U+00FF and U+0100..U+017F; '#' marks a two-letter
 * fold (see fold_special()), '-' a separator. */
static const char latin1_fold[] =
    "AAAAAA#CEEEEIIIIDNOOOOO-OUUUUY##aaaaaa#ceeeeiiiidnooooo-ouuuuy#y";
static const char latin_ext_a_fold[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii##jjkkklllllllll"
    "lnnnnnnnnnoooooo##rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *
fold_special(uint32_t cp)
{
    switch (cp) {
    case 0xc6:
    case 0xe6:
        return "ae";
    case 0xde:
    case 0xfe:
        return "th";
    case 0xdf:
        return "ss";
    case 0x132:
    case 0x133:
        return "ij";
    case 0x152:
    case 0x153:
        return "oe";
    default:
        return "";
    }
}

/* Decodes one UTF-8 sequence (input already validated); returns its length. */
static size_t
decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
    size_t i;

    if (n > len) {
        *cp = 0xfffd;
        return 1;
    }
    *cp = n == 1 ? s[0] : s[0] & (0xff >> (n + 1));
    for (i = 1; i < n; i++)
        *cp = (*cp << 6) | (s[i] & 0x3f);
    return n;
}

/* The ASCII letters a code point folds to, "" to drop it, "-" to split. */
static const char *
fold(uint32_t cp, char one[2])
{
    char c;

    if (cp < 0x80) {
        c = (char)tolower((int)cp);
        one[0] = isalnum((unsigned char)c) ? c : '-';
    } else if (cp >= 0xc0 && cp <= 0x17f) {
        c = cp < 0x100 ? latin1_fold[cp - 0xc0] : latin_ext_a_fold[cp - 0x100];
        if (c == '#')
            return fold_special(cp);
        one[0] = (char)tolower((unsigned char)c);
    } else {
        one[0] = '-';
    }
    one[1] = '\0';
    return one;
}

const char *
ob_fold_latin(uint32_t cp, char one[2])
{
    return fold(cp, one);
}

void
ob_slugify(struct ob_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = out->len, i = 0;
    bool dash = false;

    while (i < len) {
        uint32_t cp;
        char one[2];
        const char *f;

        i += decode(p + i, len - i, &cp);
        f = fold(cp, one);
        if (*f == '-') {
            dash = out->len > start;
            continue;
        }
        if (dash)
            ob_buf_putc(out, '-');
        dash = false;
        ob_buf_puts(out, f);
    }
}

/* Slug of a name, "page" when nothing of it is left. */
static const char *
slug(struct ob_arena *a, const char *s, size_t len)
{
    struct ob_buf b = OB_BUF_INIT;
    const char *out;

    ob_slugify(&b, s, len);
    out = ob_arena_strdup(a, b.len ? b.ptr : "page");
    ob_buf_release(&b);
    return out;
}

_Static_assert(sizeof(latin1_fold) == 0x40 + 1, "U+00C0..U+00FF");
_Static_assert(sizeof(latin_ext_a_fold) == 0x80 + 1, "U+0100..U+017F");

/* ---- front matter ---------------------------------------------------- */

/* Length of the line at s (without its line end) and of its line end. */
static size_t
line_len(const char *s, size_t len, size_t *eol)
{
    size_t i = 0;

    while (i < len && s[i] != '\n' && s[i] != '\r')
        i++;
    *eol = 0;
    if (i < len)
        *eol = s[i] == '\r' && i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    return i;
}

static bool
is_fence(const char *s, size_t n, bool closing)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return (n == 3 && !memcmp(s, "---", 3)) ||
           (closing && n == 3 && !memcmp(s, "...", 3));
}

bool
ob_content_split_front_matter(const char *s, size_t len, const char **yaml,
                              size_t *yaml_len, size_t *body,
                              uint32_t *body_line)
{
    size_t pos, open, eol, n = line_len(s, len, &eol);
    uint32_t line = 2;

    *yaml = NULL;
    *yaml_len = 0;
    *body = 0;
    *body_line = 1;
    if (!is_fence(s, n, false) || !eol)
        return true;
    pos = open = n + eol; /* after the fence's line end, whichever it is */
    while (pos < len) {
        n = line_len(s + pos, len - pos, &eol);
        if (is_fence(s + pos, n, true)) {
            *yaml = s + open;
            *yaml_len = pos - open;
            *body = pos + n + eol;
            *body_line = line + 1;
            return true;
        }
        pos += n + eol;
        line++;
    }
    return false;
}

static void
front_strings(struct walk *w, const struct ob_yaml_node *n, const char ***out,
              size_t *count)
{
    size_t i, len = n->kind == OB_YAML_SEQ ? n->n : 1;

    *count = 0;
    *out = ob_arena_calloc(w->a, len + 1, sizeof(**out));
    for (i = 0; i < len; i++) {
        const struct ob_yaml_node *item =
            n->kind == OB_YAML_SEQ ? n->items[i] : n;
        if (ob_yaml_str(w->d, item, &(*out)[*count]))
            (*count)++;
    }
}

/* The longest '/'-separated part of a path, in bytes. */
static size_t
longest_part(const char *path)
{
    size_t longest = 0, len;

    for (; *path; path += len + (path[len] == '/')) {
        len = strcspn(path, "/");
        if (len > longest)
            longest = len;
    }
    return longest;
}

/* A tag gets a page, tags/SLUG.html: its slug must fit a file name. */
static void
check_tags(struct walk *w, const struct ob_yaml_node *n)
{
    size_t i, len = n->kind == OB_YAML_SEQ ? n->n : 1;
    struct ob_buf s = OB_BUF_INIT;

    for (i = 0; i < len; i++) {
        const struct ob_yaml_node *item =
            n->kind == OB_YAML_SEQ ? n->items[i] : n;

        if (item->kind != OB_YAML_SCALAR)
            continue;
        ob_buf_reset(&s);
        ob_slugify(&s, item->str, strlen(item->str));
        if (s.len > MAX_SLUG)
            ob_diag_error(w->d, &item->pos,
                          "tag '%.32s...' is too long for a file name (more "
                          "than %d bytes)",
                          s.ptr, MAX_SLUG);
    }
    ob_buf_release(&s);
}

/* An alias names an output inside OUT: "old/triage.html", "old/triage/"
 * or "/old/triage", never "..". */
static void
check_aliases(struct walk *w, const struct ob_yaml_node *n)
{
    size_t i, len = n->kind == OB_YAML_SEQ ? n->n : 1;
    struct ob_buf path = OB_BUF_INIT;

    for (i = 0; i < len; i++) {
        const struct ob_yaml_node *item =
            n->kind == OB_YAML_SEQ ? n->items[i] : n;
        const char *a = item->kind == OB_YAML_SCALAR ? item->str : NULL;

        if (!a)
            continue;
        while (*a == '/')
            a++;
        ob_buf_reset(&path);
        ob_buf_puts(&path, a);
        while (path.len && path.ptr[path.len - 1] == '/')
            ob_buf_truncate(&path, path.len - 1);
        if (!ob_fs_path_is_clean(path.ptr))
            ob_diag_error(w->d, &item->pos,
                          "alias '%s' must be a path inside the site "
                          "(without '.' or '..')",
                          item->str);
        else if (longest_part(path.ptr) > MAX_SLUG)
            ob_diag_error(w->d, &item->pos,
                          "alias '%.32s...' has a part too long for a file "
                          "name (more than %d bytes)",
                          item->str, MAX_SLUG);
    }
    ob_buf_release(&path);
}

static void
front_string(struct walk *w, const struct ob_yaml_node *fm, const char *key,
             const char **out)
{
    const struct ob_yaml_node *v = ob_yaml_get(fm, key);

    if (v)
        ob_yaml_str(w->d, v, out);
}

/* The front matter keys opsbook itself reads; others stay in `front`. */
static void
read_front_matter(struct walk *w, struct ob_page *p,
                  const struct ob_yaml_node *fm)
{
    const struct ob_yaml_node *v;

    p->front = fm;
    front_string(w, fm, "title", &p->title);
    front_string(w, fm, "description", &p->description);
    front_string(w, fm, "owner", &p->owner);
    v = ob_yaml_get(fm, "weight");
    if (v)
        ob_yaml_int(w->d, v, -1000000000LL, 1000000000LL, &p->weight);
    v = ob_yaml_get(fm, "draft");
    if (v)
        ob_yaml_bool(w->d, v, &p->draft);
    v = ob_yaml_get(fm, "review_by");
    if (v)
        p->has_review_by = ob_yaml_date(w->d, v, &p->review_by);
    v = ob_yaml_get(fm, "tags");
    if (v) {
        front_strings(w, v, &p->tags, &p->n_tags);
        check_tags(w, v);
    }
    v = ob_yaml_get(fm, "aliases");
    if (v) {
        front_strings(w, v, &p->aliases, &p->n_aliases);
        check_aliases(w, v);
    }
}

/* ---- pages ----------------------------------------------------------- */

#define MAX_DEPTH 32

/* The text of a leading "# Title" line, for pages without a title. */
static const char *
first_heading(struct ob_arena *a, const char *s, size_t len)
{
    size_t pos = 0, eol, n;

    while (pos < len) {
        n = line_len(s + pos, len - pos, &eol);
        if (n > 0)
            break;
        pos += eol;
    }
    if (pos >= len || n < 3 || s[pos] != '#' || s[pos + 1] != ' ')
        return NULL;
    s += pos + 2;
    n -= 2;
    while (n && (s[n - 1] == '#' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    return n ? ob_arena_strndup(a, s, n) : NULL;
}

/* "feedback-triage" -> "Feedback triage": a title from a file name. */
static const char *
humanize(struct ob_arena *a, const char *name, size_t len)
{
    char *t = ob_arena_strndup(a, name, len);
    size_t i;

    for (i = 0; t[i]; i++)
        if (t[i] == '-' || t[i] == '_')
            t[i] = ' ';
    t[0] = (char)toupper((unsigned char)t[0]);
    return t;
}

static struct ob_page *
new_page(struct walk *w)
{
    struct ob_page *p;

    OB_GROW(w->pages, w->n_pages + 1, w->cap_pages);
    p = &w->pages[w->n_pages++];
    memset(p, 0, sizeof(*p));
    return p;
}

/* Reads the file, checks its text and splits off the front matter. */
static const struct ob_yaml_node *
read_page_text(struct walk *w, const char *src, size_t *body,
               uint32_t *body_line, bool *ok)
{
    const char *text = w->text.ptr, *yaml, *nul;
    size_t len = w->text.len, yaml_len, bad;
    struct ob_pos pos = {src, 1, 1};
    const struct ob_yaml_node *fm = NULL;

    *ok = false;
    if (!ob_utf8_valid(text, len, &bad)) {
        ob_text_position(text, bad, 1, &pos.line, &pos.col);
        ob_diag_error(w->d, &pos, "invalid UTF-8 text");
        return NULL;
    }
    /* cmark would show a NUL as U+FFFD; in a page it means a binary file,
     * as in a CSV export (input.c). */
    nul = len ? memchr(text, '\0', len) : NULL;
    if (nul) {
        ob_text_position(text, (size_t)(nul - text), 1, &pos.line, &pos.col);
        ob_diag_error(w->d, &pos, "NUL byte: not text (a binary file?)");
        return NULL;
    }
    if (!ob_content_split_front_matter(text, len, &yaml, &yaml_len, body,
                                       body_line)) {
        ob_diag_error(w->d, &pos,
                      "front matter is not closed (no '---' line after it)");
        return NULL;
    }
    if (yaml) {
        fm = ob_yaml_parse(w->a, w->d, src, yaml, yaml_len, 2,
                           &ob_yaml_default_limits);
        if (!fm)
            return NULL;
        if (ob_yaml_is_null(fm))
            fm = NULL;
        else if (!ob_yaml_expect_map(w->d, fm))
            return NULL;
    }
    *ok = true;
    return fm;
}

/* The link of a page from its url: with pretty URLs its folder, whose
 * depth counts too. */
static void
set_link(struct walk *w, struct ob_page *p)
{
    size_t len = strlen(p->url);
    const char *c;

    p->link = p->url;
    if (w->pretty && len == 10 && !strcmp(p->url, "index.html"))
        p->link = "./"; /* the home page: not "", which links to itself */
    else if (w->pretty && len > 10 && !strcmp(p->url + len - 10, "index.html"))
        p->link = ob_arena_strndup(w->a, p->url, len - 10);
    p->depth = 0;
    for (c = p->url; *c; c++)
        p->depth += *c == '/';
}

static const char *
page_url(struct walk *w, const struct ob_page *p, const char *dir_url,
         const char *name, const struct ob_yaml_node *fm)
{
    const struct ob_yaml_node *slug_node = fm ? ob_yaml_get(fm, "slug") : NULL;
    const char *stem = name, *s;
    size_t stem_len = strlen(name) - 3; /* ".md" */
    struct ob_pos file = {p->src, 0, 0};

    if (p->is_section)
        return ob_arena_printf(w->a, "%sindex.html", dir_url);
    if (slug_node && ob_yaml_str(w->d, slug_node, &stem))
        stem_len = strlen(stem);
    s = slug(w->a, stem, stem_len);
    /* A file name holds NAME_MAX bytes: past that the write would fail
     * as if the disk had, with no position. */
    if (strlen(s) > MAX_SLUG)
        ob_diag_error(w->d, slug_node ? &slug_node->pos : &file,
                      "slug '%.32s...' is too long for a file name (more "
                      "than %d bytes)",
                      s, MAX_SLUG);
    if (w->pretty)
        return ob_arena_printf(w->a, "%s%s/index.html", dir_url, s);
    return ob_arena_printf(w->a, "%s%s.html", dir_url, s);
}

/* A page file's hash; never 0, which means "no file". */
static uint64_t
file_hash(const struct ob_buf *text)
{
    uint64_t h = ob_hash(text->ptr, text->len);

    return h ? h : 1;
}

/* A page whose file is as the last build saw it: placed, not read. */
static bool
place_from_memo(struct walk *w, const char *src, const struct ob_file_id *id)
{
    struct ob_page p;

    if (!ob_content_memo_place(w->memo, src, id, &p))
        return false;
    *new_page(w) = p;
    return true;
}

enum ob_err
ob_content_read_text(const struct ob_page *p, struct ob_arena *a,
                     struct ob_diag *d, const char **body, size_t *body_len,
                     const struct ob_yaml_node **front)
{
    struct walk w;
    struct ob_pos pos = {p->src, 1, 1};
    size_t at;
    uint32_t line;
    enum ob_err err;
    bool ok;

    *body = p->body ? p->body : "";
    *body_len = p->body ? p->body_len : 0;
    *front = p->front;
    if (!p->unread)
        return OB_OK;
    memset(&w, 0, sizeof(w));
    w.a = a;
    w.d = d;
    ob_buf_init(&w.text);
    err = ob_fs_read_file(d, NULL, p->src, OB_CONTENT_MAX_PAGE, &w.text);
    if (!err && file_hash(&w.text) != p->hash) {
        ob_diag_error(d, &pos, "the file changed while the site was built");
        err = OB_ERR_INPUT;
    }
    if (!err) {
        *front = read_page_text(&w, p->src, &at, &line, &ok);
        err = ok && line == p->body_line ? OB_OK : OB_ERR_INPUT;
    }
    if (!err) {
        *body = ob_arena_strndup(a, w.text.ptr + at, w.text.len - at);
        *body_len = w.text.len - at;
    }
    ob_buf_release(&w.text);
    return err;
}

/* A .md file the walk meets: placed as the memo knew it, or kept to be
 * read (read_pages()). */
static void
find_page(struct walk *w, const char *src, const char *dir_url,
          const char *name, const char *folder, unsigned depth)
{
    struct page_file *f;
    struct ob_file_id id;

    /* Identity first: a file changed while it is read looks changed to
     * the next build too. */
    if (ob_content_file_id(w->dfd, w->dfd == AT_FDCWD ? src : name, &id) &&
        place_from_memo(w, src, &id))
        return;
    OB_GROW(w->files, w->n_files + 1, w->cap_files);
    f = &w->files[w->n_files++];
    *f = (struct page_file){src, dir_url, name, folder, depth, id};
}

/* Reads one .md file into a page. */
static void
load_page(struct walk *w, const struct page_file *f)
{
    const char *src = f->src, *dir_url = f->dir_url, *name = f->name;
    const char *folder = f->folder;
    const struct ob_yaml_node *fm;
    const char *heading;
    struct ob_page *p;
    size_t body;
    uint32_t body_line;
    enum ob_err err;
    bool ok;

    err = ob_fs_read_file(w->d, NULL, src, OB_CONTENT_MAX_PAGE, &w->text);
    if (err) {
        if (err == OB_ERR_ENV)
            w->err = err;
        return;
    }
    fm = read_page_text(w, src, &body, &body_line, &ok);
    if (!ok)
        return;
    p = new_page(w);
    p->id = f->id;
    p->hash = file_hash(&w->text);
    p->src = src;
    p->section = dir_url;
    p->is_section = folder != NULL;
    p->depth = f->depth;
    p->body = ob_arena_strndup(w->a, w->text.ptr + body, w->text.len - body);
    p->body_len = w->text.len - body;
    p->body_line = body_line;
    if (fm)
        read_front_matter(w, p, fm);
    p->url = page_url(w, p, dir_url, name, fm);
    set_link(w, p);
    heading = first_heading(w->a, p->body, p->body_len);
    p->body_has_title = heading != NULL;
    if (!p->title)
        p->title = heading;
    if (!p->title && folder)
        p->title = *folder ? humanize(w->a, folder, strlen(folder)) : "";
    if (!p->title)
        p->title = humanize(w->a, name, strlen(name) - 3);
    if (p->draft) {
        w->n_pages--;
        w->n_drafts++;
    }
}

/* ---- the walk -------------------------------------------------------- */

static bool
is_markdown(const char *name)
{
    size_t n = strlen(name);

    return n > 3 && !strcmp(name + n - 3, ".md");
}

/* The entry that is the folder's own page, or NULL. */
static const char *
section_file(const struct ob_fs_entry *entries, size_t n)
{
    size_t i, k;

    for (k = 0; section_files[k]; k++)
        for (i = 0; i < n; i++)
            if (entries[i].type == OB_FS_FILE &&
                !strcmp(entries[i].name, section_files[k]))
                return entries[i].name;
    return NULL;
}

static void
add_asset(struct walk *w, const char *src, const char *url)
{
    OB_GROW(w->assets, w->n_assets + 1, w->cap_assets);
    w->assets[w->n_assets].src = src;
    w->assets[w->n_assets].url = url;
    w->n_assets++;
}

static void walk_dir(struct walk *w, const char *dir, const char *dir_url,
                     const char *folder, unsigned depth);

/* A name that is not UTF-8 would reach titles, the nav and the search
 * index as invalid text: an error, naming it with its bad bytes as \xff. */
static bool
name_is_text(struct walk *w, const char *dir, const char *name)
{
    struct ob_buf shown = OB_BUF_INIT;
    size_t len = strlen(name), bad;
    struct ob_pos pos = {NULL, 0, 0};

    if (ob_utf8_valid(name, len, NULL))
        return true;
    while (!ob_utf8_valid(name, len, &bad)) {
        ob_buf_add(&shown, name, bad);
        ob_buf_printf(&shown, "\\x%02x", (unsigned char)name[bad]);
        name += bad + 1;
        len -= bad + 1;
    }
    ob_buf_add(&shown, name, len);
    pos.path = ob_fs_join(w->a, dir, shown.ptr);
    ob_diag_error(w->d, &pos, "file name is not valid UTF-8 text");
    ob_buf_release(&shown);
    return false;
}

static void
walk_entry(struct walk *w, const char *dir, const char *dir_url,
           const struct ob_fs_entry *e, const char *index, unsigned depth,
           const char *folder)
{
    const char *path = ob_fs_join(w->a, dir, e->name);
    struct ob_pos pos = {path, 0, 0};

    if (e->name[0] == '.')
        return; /* hidden files: editors' and VCS's, never content */
    if (!name_is_text(w, dir, e->name))
        return;
    if (e->symlink && ob_fs_check_inside(w->root, w->d, &pos, path) != OB_OK)
        return;
    if (e->type == OB_FS_DIR) {
        const char *sub = ob_arena_printf(w->a, "%s%s/", dir_url,
                                          slug(w->a, e->name, strlen(e->name)));
        walk_dir(w, path, sub, e->name, depth + 1);
    } else if (e->type == OB_FS_FILE && is_markdown(e->name)) {
        bool own = index && !strcmp(e->name, index);
        find_page(w, path, dir_url, e->name, own ? folder : NULL, depth);
    } else if (e->type == OB_FS_FILE) {
        add_asset(w, path, ob_arena_printf(w->a, "%s%s", dir_url, e->name));
    } else {
        /* A FIFO, socket or device: reading it could block or never end. */
        ob_diag_error(w->d, &pos, "'%s' is not a regular file or folder", path);
    }
}

/* A folder's entries: as the memo knew them while the folder is as it
 * was (no entry added, removed or renamed), else listed now. Folders
 * holding a symlink are listed every time: where a link leads can change
 * with the folder as it was. */
static bool
list_folder(struct walk *w, const char *dir, const struct ob_fs_entry **out,
            size_t *n)
{
    struct ob_folder f = {dir, {0, 0, 0, 0, 0}, NULL, 0};
    struct ob_fs_entry *listed;
    bool known = ob_content_file_id(AT_FDCWD, dir, &f.id);
    size_t i;

    if (!known ||
        !ob_content_memo_folder(w->memo, dir, &f.id, &f.entries, &f.n)) {
        if (ob_fs_list(w->d, dir, w->a, &listed, &f.n) != OB_OK)
            return false;
        f.entries = listed;
    }
    for (i = 0; i < f.n; i++)
        known = known && !f.entries[i].symlink;
    if (known) {
        OB_GROW(w->folders, w->n_folders + 1, w->cap_folders);
        w->folders[w->n_folders++] = f;
    }
    *out = f.entries;
    *n = f.n;
    return true;
}

static void
walk_dir(struct walk *w, const char *dir, const char *dir_url,
         const char *folder, unsigned depth)
{
    const struct ob_fs_entry *entries;
    struct ob_pos pos = {dir, 0, 0};
    const char *index;
    size_t n, i;
    int saved;

    if (depth > MAX_DEPTH) {
        ob_diag_error(w->d, &pos, "folders nested deeper than %d levels",
                      MAX_DEPTH);
        return;
    }
    if (!list_folder(w, dir, &entries, &n)) {
        w->err = OB_ERR_ENV;
        return;
    }
    index = section_file(entries, n);
    saved = w->dfd;
    w->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (w->dfd < 0)
        w->dfd = AT_FDCWD; /* then load_page() stats by path */
    for (i = 0; i < n; i++)
        walk_entry(w, dir, dir_url, &entries[i], index, depth, folder);
    if (w->dfd != AT_FDCWD)
        close(w->dfd);
    w->dfd = saved;
}

/* ---- reading the pages ----------------------------------------------- */

/*
 * The page files are read and their front matter parsed on the build's
 * threads, in a few runs of files in walk order, each with a walk, arena
 * and diagnostics of its own, then joined in order: the same pages and
 * messages as one thread reading them all (pages are sorted after, and
 * messages when printed).
 */
#define READ_RUNS 16

struct read_run {
    struct walk w;
    struct ob_arena a;
    struct ob_diag d;
    size_t from, to; /* in the parent's files */
};

static void
read_run(void *ctx, size_t i)
{
    struct read_run *r = &((struct read_run *)ctx)[i];
    size_t k;

    for (k = r->from; k < r->to; k++)
        load_page(&r->w, &r->w.files[k]);
}

static void
join_run(struct walk *w, struct read_run *r)
{
    OB_GROW(w->pages, w->n_pages + r->w.n_pages, w->cap_pages);
    if (r->w.n_pages)
        memcpy(&w->pages[w->n_pages], r->w.pages,
               r->w.n_pages * sizeof(*r->w.pages));
    w->n_pages += r->w.n_pages;
    w->n_drafts += r->w.n_drafts;
    if (r->w.err)
        w->err = r->w.err;
    ob_diag_absorb(w->d, &r->d);
    ob_diag_release(&r->d);
    ob_arena_adopt(w->a, &r->a);
    free(r->w.pages);
    ob_buf_release(&r->w.text);
}

static void
read_pages(struct walk *w, unsigned jobs)
{
    size_t n = w->n_files < READ_RUNS ? w->n_files : READ_RUNS, i;
    struct read_run *runs;

    if (jobs <= 1 || n < 2) {
        for (i = 0; i < w->n_files; i++)
            load_page(w, &w->files[i]);
        return;
    }
    runs = ob_xcalloc(n, sizeof(*runs));
    for (i = 0; i < n; i++) {
        struct read_run *r = &runs[i];

        ob_arena_init(&r->a);
        ob_diag_init(&r->d, w->d->max);
        r->w.a = &r->a;
        r->w.d = &r->d;
        r->w.root = w->root;
        r->w.pretty = w->pretty;
        r->w.dfd = AT_FDCWD;
        r->w.files = w->files;
        ob_buf_init(&r->w.text);
        r->from = w->n_files * i / n;
        r->to = w->n_files * (i + 1) / n;
    }
    ob_pool_run(n, jobs, read_run, runs);
    for (i = 0; i < n; i++)
        join_run(w, &runs[i]);
    free(runs);
}

static int
compare_pages(const void *pa, const void *pb)
{
    const struct ob_page *a = pa, *b = pb;
    int c = strcmp(a->url, b->url);

    return c ? c : strcmp(a->src, b->src);
}

static int
compare_assets(const void *pa, const void *pb)
{
    const struct ob_asset *a = pa, *b = pb;
    int c = strcmp(a->url, b->url);

    return c ? c : strcmp(a->src, b->src);
}

/* Two inputs that would write the same output file. */
static void
check_collisions(struct walk *w)
{
    size_t i;

    for (i = 1; i < w->n_pages; i++) {
        const struct ob_page *a = &w->pages[i - 1], *b = &w->pages[i];
        struct ob_pos pos = {b->src, 0, 0};

        if (!strcmp(a->url, b->url))
            ob_diag_error(w->d, &pos, "'%s' and '%s' both become '%s'", a->src,
                          b->src, b->url);
    }
    for (i = 1; i < w->n_assets; i++) {
        const struct ob_asset *a = &w->assets[i - 1], *b = &w->assets[i];
        struct ob_pos pos = {b->src, 0, 0};

        if (!strcmp(a->url, b->url))
            ob_diag_error(w->d, &pos, "'%s' and '%s' both become '%s'", a->src,
                          b->src, b->url);
    }
}

/* Whether a page writes `url` (pages sorted by url). */
/* The index of the page writing `url`, or -1. */
static long
page_index(const struct ob_page *pages, size_t n, const char *url)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(pages[mid].url, url);

        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static bool
has_page(const struct ob_page *pages, size_t n, const char *url)
{
    return page_index(pages, n, url) >= 0;
}

/* The section page of folder `dir_url` ("a/b/", or "" for the root). */
static void
generate_section(struct walk *w, const char *dir_url)
{
    size_t len = strlen(dir_url), start, i;
    struct ob_page *p = new_page(w);
    unsigned depth = 0;

    for (i = 0; i < len; i++)
        depth += dir_url[i] == '/';
    start = len ? len - 1 : 0;
    while (start && dir_url[start - 1] != '/')
        start--;
    p->src = ob_arena_printf(w->a, CONTENT_DIR "/%s", dir_url);
    p->url = ob_arena_printf(w->a, "%sindex.html", dir_url);
    set_link(w, p);
    p->section = dir_url;
    p->is_section = true;
    p->generated = true;
    p->depth = depth;
    p->title = len ? humanize(w->a, dir_url + start, len - 1 - start) : "";
    p->body = "";
}

/* Every folder holding pages, its parents and the root get a section
 * page. The folders missing one are found first, then added at once. */
static void
add_missing_sections(struct walk *w)
{
    const char **missing = NULL, *checked = NULL;
    size_t n_missing = 0, cap = 0, i, k, n = w->n_pages;
    struct ob_buf url = OB_BUF_INIT;

    for (i = 0; i < n; i++) {
        const char *dir = w->pages[i].section;
        size_t len = strlen(dir);

        /* pages come folder by folder: each folder is looked at once */
        if (checked && strcmp(checked, dir) == 0)
            continue;
        checked = dir;
        for (;;) {
            ob_buf_reset(&url);
            ob_buf_add(&url, dir, len);
            ob_buf_puts(&url, "index.html");
            if (!has_page(w->pages, n, url.ptr)) {
                const char *folder = ob_arena_strndup(w->a, dir, len);

                for (k = 0; k < n_missing && strcmp(missing[k], folder); k++)
                    ;
                if (k == n_missing) {
                    OB_GROW(missing, n_missing + 1, cap);
                    missing[n_missing++] = folder;
                }
            }
            if (!len)
                break;
            len--; /* up to the parent folder: "a/b/" -> "a/" */
            while (len && dir[len - 1] != '/')
                len--;
        }
    }
    for (k = 0; k < n_missing; k++)
        generate_section(w, missing[k]);
    if (n_missing)
        ob_qsort(w->pages, w->n_pages, sizeof(*w->pages), compare_pages);
    free(missing);
    ob_buf_release(&url);
}

/* The walk's array of `n` items, made the arena's as it is: not copied
 * (the pages of a big site are half a megabyte). */
static void *
to_arena(struct ob_arena *a, void *items, size_t n)
{
    if (n)
        return ob_arena_take(a, items);
    free(items);
    return NULL;
}

enum ob_err
ob_content_load(struct ob_content *c, struct ob_arena *a, struct ob_diag *d,
                const struct ob_fs_root *root, bool pretty_urls,
                const struct ob_content_memo *memo, unsigned jobs)
{
    struct walk w;
    size_t errors = d->errors;
    struct stat st;

    memset(c, 0, sizeof(*c));
    memset(&w, 0, sizeof(w));
    w.a = a;
    w.d = d;
    w.root = root;
    w.pretty = pretty_urls;
    w.memo = memo;
    w.dfd = AT_FDCWD;
    ob_buf_init(&w.text);
    /* No content/ at all is a site without pages, not an error. */
    if (lstat(CONTENT_DIR, &st) != 0)
        return OB_OK;
    if (ob_fs_check_inside(root, d, NULL, CONTENT_DIR) != OB_OK)
        return OB_ERR_INPUT;
    walk_dir(&w, CONTENT_DIR, "", "", 0);
    read_pages(&w, jobs);
    free(w.files);
    ob_buf_release(&w.text);
    ob_qsort(w.pages, w.n_pages, sizeof(*w.pages), compare_pages);
    ob_qsort(w.assets, w.n_assets, sizeof(*w.assets), compare_assets);
    check_collisions(&w);
    if (w.n_pages)
        add_missing_sections(&w);
    c->n_pages = w.n_pages;
    c->pages = to_arena(a, w.pages, w.n_pages);
    c->n_assets = w.n_assets;
    c->assets = to_arena(a, w.assets, w.n_assets);
    c->n_drafts = w.n_drafts;
    c->n_folders = w.n_folders;
    c->folders = to_arena(a, w.folders, w.n_folders);
    if (w.err)
        return w.err;
    return d->errors > errors ? OB_ERR_INPUT : OB_OK;
}

static bool
is_list(enum ob_made m)
{
    return m == OB_MADE_KPIS || m == OB_MADE_OKRS || m == OB_MADE_REPORTS;
}

/* A content page at a made page's url: a list adopts it, a page of one
 * KPI or quarter cannot. */
static void
adopt(struct walk *w, struct ob_page *p, const struct ob_made_page *m)
{
    struct ob_pos pos = {p->src, 1, 1};

    if (!is_list(m->made)) {
        ob_diag_error(w->d, &pos,
                      "this page writes '%s', the page opsbook makes for "
                      "'%s': rename or move it",
                      p->url, m->title);
        w->err = OB_ERR_INPUT;
        return;
    }
    p->made = m->made;
    p->made_of = m->of;
    if (p->generated) {
        p->title = m->title;
        p->weight = m->weight;
    }
}

static void
add_made(struct walk *w, const struct ob_made_page *m)
{
    struct ob_page *p = new_page(w);
    size_t len = strlen(m->url);

    p->url = m->url;
    set_link(w, p);
    p->section = ob_arena_strndup(w->a, m->url, len - strlen("index.html"));
    /* as a folder of content/ would be: links to it resolve alike */
    p->src = ob_arena_printf(w->a, CONTENT_DIR "/%s", p->section);
    p->is_section = true;
    p->title = m->title;
    p->description = m->description;
    p->weight = m->weight;
    p->body = "";
    p->made = m->made;
    p->made_of = m->of;
}

enum ob_err
ob_content_add_made(struct ob_content *c, struct ob_arena *a, struct ob_diag *d,
                    const struct ob_made_page *made, size_t n, bool pretty_urls)
{
    struct walk w;
    size_t i, n_content = c->n_pages;

    if (!n)
        return OB_OK;
    memset(&w, 0, sizeof(w));
    w.a = a;
    w.d = d;
    w.pretty = pretty_urls;
    w.cap_pages = n_content + n;
    w.pages = ob_xcalloc(w.cap_pages, sizeof(*w.pages));
    if (n_content)
        memcpy(w.pages, c->pages, n_content * sizeof(*w.pages));
    w.n_pages = n_content;
    for (i = 0; i < n; i++) {
        long at = page_index(w.pages, n_content, made[i].url);

        if (at >= 0)
            adopt(&w, &w.pages[at], &made[i]);
        else
            add_made(&w, &made[i]);
    }
    ob_qsort(w.pages, w.n_pages, sizeof(*w.pages), compare_pages);
    add_missing_sections(&w);
    c->n_pages = w.n_pages;
    c->pages = to_arena(a, w.pages, w.n_pages);
    return w.err;
}
