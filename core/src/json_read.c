/* jsmn-based JSON reader: token walking and in-place string decoding (the grammar pass is in
 * json_grammar.c, numbers in json_num.c). */
#include <string.h>

#include "hf/hf_json.h"

#include "hf_priv.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Four hex digits at p[0..4), all within the text. */
static bool hex4_ok(const char *p)
{
    return is_hex(p[0]) && is_hex(p[1]) && is_hex(p[2]) && is_hex(p[3]);
}

/* ------------------------------------------------------------------ tokenising */

/* One jsmn pass straight into the free top of `ar`, then exactly the tokens used are taken:
 * the same memory as count-then-allocate, without the counting pass (a third of the parse).
 * Returns the token count, or JSMN_ERROR_NOMEM when the free space is too small (or holds
 * the text itself, which jsmn must not overwrite). */
static int parse_at_top(hf_arena_t *ar, jsmn_parser *p, const char *text, size_t plen, jsmntok_t **out)
{
    size_t avail = 0u, pad, cap;
    uint8_t *top = ar != NULL ? hf_priv_arena_top(ar, &avail) : NULL;
    int n;
    *out = NULL;
    if (top == NULL || ((const uint8_t *)text + plen > top && (const uint8_t *)text < top + avail)) {
        return JSMN_ERROR_NOMEM;
    }
    pad = (size_t)((sizeof(void *) - ((uintptr_t)top & (sizeof(void *) - 1u))) & (sizeof(void *) - 1u));
    if (avail < pad + sizeof(jsmntok_t)) {
        return JSMN_ERROR_NOMEM;
    }
    cap = (avail - pad) / sizeof(jsmntok_t);
    cap = cap > 0x7FFFFFFFu ? 0x7FFFFFFFu : cap;
    hf_priv_jsmn_init(p);
    n = hf_priv_jsmn_parse(p, text, plen, (jsmntok_t *)(void *)(top + pad), (unsigned)cap);
    if (n > 0) {
        /* Same alignment rule as the parse above, so this is top + pad. */
        *out = (jsmntok_t *)hf_arena_alloc(ar, (size_t)n * sizeof(jsmntok_t), 0u);
    }
    return n;
}

/* Tokens in `spare` when they fit there, else in `a`. Otherwise count first, as jsmn intends:
 * the failed allocation then says in `a->needed` how much was missing. */
static int tokenise(char *text, size_t plen, hf_arena_t *a, hf_arena_t *spare, jsmntok_t **tok)
{
    jsmn_parser p;
    int n = parse_at_top(spare, &p, text, plen, tok);
    if (n == JSMN_ERROR_NOMEM) {
        n = parse_at_top(a, &p, text, plen, tok);
    }
    if (n != JSMN_ERROR_NOMEM) {
        return n > 0 && *tok == NULL ? JSMN_ERROR_NOMEM : n;
    }
    hf_priv_jsmn_init(&p);
    n = hf_priv_jsmn_parse(&p, text, plen, NULL, 0u);
    if (n <= 0) {
        return n;
    }
    *tok = (jsmntok_t *)hf_arena_alloc(a, (size_t)n * sizeof(jsmntok_t), 0u);
    if (*tok == NULL) {
        return JSMN_ERROR_NOMEM;
    }
    hf_priv_jsmn_init(&p);
    return hf_priv_jsmn_parse(&p, text, plen, *tok, (unsigned)n);
}

static hf_status_t parse_into(hf_json_doc_t *doc, char *text, size_t len, hf_arena_t *a, hf_arena_t *spare)
{
    char saved;
    int n;
    hf_status_t st;

    if (doc == NULL || text == NULL || a == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    memset(doc, 0, sizeof *doc);
    if (len >= (size_t)0x7FFFFFFF) {
        return HF_ERR_INVALID_ARG; /* jsmn keeps offsets in int */
    }
    st = hf_priv_json_validate(text, len);
    if (st != HF_OK) {
        return st;
    }
    /* Strict jsmn wants a delimiter after a primitive: lend it the spare byte after `len`. */
    saved = text[len];
    text[len] = ' ';
    n = tokenise(text, len + 1u, a, spare, &doc->tok);
    text[len] = saved;
    if (n <= 0) {
        doc->tok = NULL;
        return n == JSMN_ERROR_NOMEM ? HF_ERR_NO_MEMORY : HF_ERR_JSON_SYNTAX;
    }
    doc->text = text;
    doc->len = len;
    doc->ntok = n;
    return HF_OK;
}

hf_status_t hf_json_parse(hf_json_doc_t *doc, char *text, size_t len, hf_arena_t *a)
{
    return parse_into(doc, text, len, a, NULL);
}

hf_status_t hf_priv_json_parse_spare(hf_json_doc_t *doc, char *text, size_t len, hf_arena_t *a,
                                     hf_arena_t *spare)
{
    return parse_into(doc, text, len, a, spare);
}

/* ------------------------------------------------------------------ walking */

static bool tok_ok(const hf_json_doc_t *doc, int i)
{
    return doc != NULL && doc->tok != NULL && i >= 0 && i < doc->ntok;
}

/* Decoded strings are marked JSMN_UNDEFINED (see hf_json_str); both kinds are strings. */
static bool tok_is_str(const jsmntok_t *t)
{
    return t->type == JSMN_STRING || t->type == JSMN_UNDEFINED;
}

int hf_json_next(const hf_json_doc_t *doc, int i)
{
    long pending = 1;
    int j = i;
    if (!tok_ok(doc, i)) {
        return doc != NULL ? doc->ntok : -1;
    }
    /* Pre-order tokens: each one owes `size` children (keys own their value). */
    while (pending > 0 && j < doc->ntok) {
        pending += (long)doc->tok[j].size - 1;
        j++;
    }
    return j;
}

bool hf_json_eq(const hf_json_doc_t *doc, int i, const char *s)
{
    const jsmntok_t *t;
    size_t n;
    if (!tok_ok(doc, i) || s == NULL || !tok_is_str(&doc->tok[i])) {
        return false;
    }
    t = &doc->tok[i];
    n = strlen(s);
    return (size_t)(t->end - t->start) == n && memcmp(doc->text + t->start, s, n) == 0;
}

int hf_json_get(const hf_json_doc_t *doc, int obj, const char *key)
{
    int j;
    if (!tok_ok(doc, obj) || doc->tok[obj].type != JSMN_OBJECT) {
        return -1;
    }
    j = obj + 1;
    for (int k = 0; k < doc->tok[obj].size && j + 1 < doc->ntok; k++) {
        if (hf_json_eq(doc, j, key)) {
            return j + 1;
        }
        j = hf_json_next(doc, j + 1);
    }
    return -1;
}

int hf_json_at(const hf_json_doc_t *doc, int arr, int idx)
{
    int j;
    if (!tok_ok(doc, arr) || doc->tok[arr].type != JSMN_ARRAY || idx < 0 || idx >= doc->tok[arr].size) {
        return -1;
    }
    j = arr + 1;
    for (int k = 0; k < idx && j < doc->ntok; k++) {
        j = hf_json_next(doc, j);
    }
    return j < doc->ntok ? j : -1;
}

const char *hf_priv_json_prim(const hf_json_doc_t *doc, int i, size_t *n)
{
    const jsmntok_t *t;
    if (!tok_ok(doc, i) || doc->tok[i].type != JSMN_PRIMITIVE) {
        return NULL;
    }
    t = &doc->tok[i];
    *n = (size_t)(t->end - t->start);
    return doc->text + t->start;
}

bool hf_json_is_null(const hf_json_doc_t *doc, int i)
{
    size_t n = 0u;
    const char *p = hf_priv_json_prim(doc, i, &n);
    return p != NULL && n == 4u && memcmp(p, "null", 4u) == 0;
}

hf_status_t hf_json_bool(const hf_json_doc_t *doc, int i, bool *v)
{
    size_t n = 0u;
    const char *p = hf_priv_json_prim(doc, i, &n);
    if (p != NULL && n == 4u && memcmp(p, "true", 4u) == 0) {
        *v = true;
        return HF_OK;
    }
    if (p != NULL && n == 5u && memcmp(p, "false", 5u) == 0) {
        *v = false;
        return HF_OK;
    }
    return HF_ERR_JSON_SHAPE;
}

/* ------------------------------------------------------------------ strings */

static uint32_t hex4(const char *p)
{
    uint32_t v = 0u;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        uint32_t d = is_digit(c) ? (uint32_t)(c - '0') : (uint32_t)((c | 0x20) - 'a' + 10);
        v = (v << 4) | d;
    }
    return v;
}

/* One \u escape at src[i] (a pair when it is a high surrogate) -> code point; 0 consumed on error.
 * A surrogate is only valid as a high+low pair: one code point, never CESU-8. */
static size_t u_escape(const char *src, size_t len, size_t i, uint32_t *cp)
{
    uint32_t hi, lo;
    if (len - i < 6u || !hex4_ok(src + i + 2u)) {
        return 0u;
    }
    hi = hex4(src + i + 2u);
    if (hi < 0xD800u || hi > 0xDFFFu) {
        *cp = hi;
        return 6u;
    }
    if (hi > 0xDBFFu || len - i < 12u || src[i + 6u] != '\\' || src[i + 7u] != 'u' ||
        !hex4_ok(src + i + 8u)) {
        return 0u;
    }
    lo = hex4(src + i + 8u);
    if (lo < 0xDC00u || lo > 0xDFFFu) {
        return 0u;
    }
    *cp = 0x10000u + ((hi - 0xD800u) << 10) + (lo - 0xDC00u);
    return 12u;
}

static char simple_escape(char e)
{
    switch (e) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return '\0';
    }
}

/* The escape at src[i] (src[i] is the backslash) -> its length and code point; 0 when invalid. */
static size_t escape_at(const char *src, size_t len, size_t i, uint32_t *cp)
{
    char e = i + 1u < len ? src[i + 1u] : '\0';
    if (e == 'u') {
        return u_escape(src, len, i, cp);
    }
    *cp = (uint8_t)simple_escape(e);
    return *cp != 0u ? 2u : 0u;
}

/* What the grammar pass leaves to this stage: a surrogate must be half of a pair, and a C
 * string cannot hold \u0000. Only backslashes are visited; *first = the first one (or len). */
static hf_status_t check_escapes(const char *s, size_t len, size_t *first)
{
    size_t i = 0u;
    bool nul = false;
    const char *b;
    *first = len;
    while (i < len && (b = memchr(s + i, '\\', len - i)) != NULL) {
        uint32_t cp = 0u;
        size_t used;
        i = (size_t)(b - s);
        if (*first == len) {
            *first = i;
        }
        used = escape_at(s, len, i, &cp);
        if (used == 0u) {
            return HF_ERR_JSON_SYNTAX;
        }
        nul = nul || cp == 0u;
        i += used;
    }
    return nul ? HF_ERR_JSON_SHAPE : HF_OK;
}

/* Decode a checked body: src[0..from) holds no backslash and is already at dst. Plain runs
 * move in one piece, and not at all while the output still sits on the input. The output
 * never runs ahead of the input, so dst may equal src. Returns the decoded length. */
static size_t decode(const char *src, size_t len, char *dst, size_t from)
{
    size_t i = from, o = from;
    while (i < len) {
        const char *b = memchr(src + i, '\\', len - i);
        size_t run = b != NULL ? (size_t)(b - (src + i)) : len - i;
        uint32_t cp = 0u;
        if (dst + o != src + i) {
            memmove(dst + o, src + i, run);
        }
        i += run;
        o += run;
        if (i < len) {
            i += escape_at(src, len, i, &cp);
            o += hf_priv_utf8_put(dst + o, cp);
        }
    }
    return o;
}

long hf_json_unescape(const char *src, size_t len, char *dst)
{
    size_t i = 0u, first = 0u;
    if (src == NULL || dst == NULL) {
        return -1;
    }
    /* Arbitrary input, so the whole grammar pass first (a raw '"' is let through, as it always
     * was), and nothing is written before all of it is known good. */
    while ((i = hf_priv_json_str_body(src, len, i)) < len && src[i] == '"') {
        i++;
    }
    if (i < len || check_escapes(src, len, &first) == HF_ERR_JSON_SYNTAX) {
        return -1;
    }
    memmove(dst, src, first);
    return (long)decode(src, len, dst, first);
}

/* hf_json_parse's grammar pass (hf_priv_json_str_body) has checked every string's escapes,
 * control bytes and UTF-8, so only what it leaves is checked here, before anything is
 * rewritten: an error leaves the text as it was, and a second call gives the same error. */
hf_status_t hf_json_str(hf_json_doc_t *doc, int i, const char **s, size_t *len)
{
    jsmntok_t *t;
    char *p;
    size_t n, first;
    hf_status_t st;
    if (!tok_ok(doc, i)) {
        return HF_ERR_INVALID_ARG;
    }
    t = &doc->tok[i];
    p = doc->text + t->start;
    if (t->type == JSMN_STRING) {
        n = (size_t)(t->end - t->start);
        st = check_escapes(p, n, &first);
        if (st != HF_OK) {
            return st; /* HF_ERR_JSON_SHAPE: "string contains NUL" */
        }
        n = first < n ? decode(p, n, p, first) : n;
        p[n] = '\0'; /* at most the closing quote */
        t->type = JSMN_UNDEFINED;
        t->end = t->start + (int)n;
    } else if (t->type != JSMN_UNDEFINED) {
        return HF_ERR_JSON_SHAPE;
    }
    if (s != NULL) {
        *s = p;
    }
    if (len != NULL) {
        *len = (size_t)(t->end - t->start);
    }
    return HF_OK;
}

hf_status_t hf_json_raw(hf_json_doc_t *doc, int i, const char **s, size_t *len)
{
    const jsmntok_t *t;
    int b, e;
    if (!tok_ok(doc, i)) {
        return HF_ERR_INVALID_ARG;
    }
    t = &doc->tok[i];
    if (t->type == JSMN_UNDEFINED) {
        return HF_ERR_INVALID_ARG; /* decoded in place: its JSON text is gone */
    }
    b = t->type == JSMN_STRING ? t->start - 1 : t->start;
    e = t->type == JSMN_STRING ? t->end + 1 : t->end;
    /* A NUL inside means something in the subtree was decoded or terminated in place. */
    if (memchr(doc->text + b, '\0', (size_t)(e - b)) != NULL) {
        return HF_ERR_INVALID_ARG;
    }
    doc->text[e] = '\0'; /* a delimiter, or the spare byte after the document */
    if (s != NULL) {
        *s = doc->text + b;
    }
    if (len != NULL) {
        *len = (size_t)(e - b);
    }
    return HF_OK;
}
