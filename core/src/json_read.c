/* jsmn-based JSON reader: strict validation, token walking, in-place string decoding
 * (numbers are in json_num.c). */
#include <string.h>

#include "hf/hf_json.h"

#include "hf_priv.h"

/* ------------------------------------------------------------------ validation */

/* jsmn (even strict) accepts `[1 2]`, `{"a" "b"}`, `{} {}`, `tru`, `01`, raw control bytes or
 * any byte >= 0x80 in strings and stops silently at a NUL byte; so the full grammar, UTF-8
 * included, is checked here first, in one iterative pass with a bit stack (1 = object) bounded
 * by HF_JSON_MAX_DEPTH. Outside strings every byte >= 0x80 already breaks the grammar. */
enum { V_VALUE, V_VALUE_OR_CLOSE, V_KEY, V_KEY_OR_CLOSE, V_COLON, V_AFTER, V_DONE };

typedef struct vstate {
    const char *s;
    size_t len;
    size_t i;
    uint64_t objs;
    unsigned depth;
    int state;
} vstate_t;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Past the closing quote of the string opening at v->i. */
static bool scan_string(vstate_t *v)
{
    size_t i = v->i + 1u;
    while (i < v->len) {
        unsigned char c = (unsigned char)v->s[i];
        if (c == '"') {
            v->i = i + 1u;
            return true;
        }
        if (c < 0x20u) {
            return false;
        }
        if (c >= 0x80u) {
            size_t n = hf_priv_utf8_seq(v->s + i, v->len - i);
            if (n == 0u) {
                return false;
            }
            i += n;
            continue;
        }
        if (c == '\\') {
            char e = i + 1u < v->len ? v->s[i + 1u] : '\0';
            if (e == 'u') {
                if (v->len - i < 6u || !is_hex(v->s[i + 2u]) || !is_hex(v->s[i + 3u]) ||
                    !is_hex(v->s[i + 4u]) || !is_hex(v->s[i + 5u])) {
                    return false;
                }
                i += 6u;
                continue;
            }
            if (strchr("\"\\/bfnrt", e) == NULL || e == '\0') {
                return false;
            }
            i += 2u;
            continue;
        }
        i++;
    }
    return false;
}

static bool scan_number(vstate_t *v)
{
    size_t i = v->i;
    while (i < v->len && (is_digit(v->s[i]) || strchr("+-.eE", v->s[i]) != NULL)) {
        i++;
    }
    if (!hf_priv_json_number_ok(v->s + v->i, i - v->i)) {
        return false;
    }
    v->i = i;
    return true;
}

static bool scan_word(vstate_t *v, const char *w, size_t n)
{
    if (v->len - v->i < n || memcmp(v->s + v->i, w, n) != 0) {
        return false;
    }
    v->i += n;
    return true;
}

/* A value finished: the root ends the document, otherwise a comma or close follows. */
static void value_done(vstate_t *v)
{
    v->state = v->depth == 0u ? V_DONE : V_AFTER;
}

static hf_status_t v_open(vstate_t *v, bool obj)
{
    if (v->depth >= (unsigned)HF_JSON_MAX_DEPTH) {
        return HF_ERR_JSON_SHAPE;
    }
    if (obj) {
        v->objs |= (uint64_t)1u << v->depth;
    } else {
        v->objs &= ~((uint64_t)1u << v->depth);
    }
    v->depth++;
    v->i++;
    v->state = obj ? V_KEY_OR_CLOSE : V_VALUE_OR_CLOSE;
    return HF_OK;
}

static bool top_is_obj(const vstate_t *v)
{
    return v->depth > 0u && ((v->objs >> (v->depth - 1u)) & 1u) != 0u;
}

static hf_status_t v_close(vstate_t *v, char c)
{
    if (v->depth == 0u || (c == '}') != top_is_obj(v)) {
        return HF_ERR_JSON_SYNTAX;
    }
    v->depth--;
    v->i++;
    value_done(v);
    return HF_OK;
}

static hf_status_t v_value(vstate_t *v, char c)
{
    bool ok;
    if (c == '{' || c == '[') {
        return v_open(v, c == '{');
    }
    if (c == '"') {
        ok = scan_string(v);
    } else if (c == '-' || is_digit(c)) {
        ok = scan_number(v);
    } else if (c == 't') {
        ok = scan_word(v, "true", 4u);
    } else if (c == 'f') {
        ok = scan_word(v, "false", 5u);
    } else {
        ok = scan_word(v, "null", 4u);
    }
    if (!ok) {
        return HF_ERR_JSON_SYNTAX;
    }
    value_done(v);
    return HF_OK;
}

static hf_status_t v_step(vstate_t *v, char c)
{
    switch (v->state) {
    case V_VALUE_OR_CLOSE:
        return c == ']' ? v_close(v, c) : v_value(v, c);
    case V_VALUE:
        return v_value(v, c);
    case V_KEY_OR_CLOSE:
    case V_KEY:
        if (c == '}' && v->state == V_KEY_OR_CLOSE) {
            return v_close(v, c);
        }
        if (c != '"' || !scan_string(v)) {
            return HF_ERR_JSON_SYNTAX;
        }
        v->state = V_COLON;
        return HF_OK;
    case V_COLON:
        v->i++;
        v->state = V_VALUE;
        return c == ':' ? HF_OK : HF_ERR_JSON_SYNTAX;
    case V_AFTER:
        if (c != ',') {
            return v_close(v, c);
        }
        v->i++;
        v->state = top_is_obj(v) ? V_KEY : V_VALUE;
        return HF_OK;
    default:
        return HF_ERR_JSON_SYNTAX;
    }
}

static hf_status_t validate(const char *s, size_t len)
{
    vstate_t v;
    memset(&v, 0, sizeof v);
    v.s = s;
    v.len = len;
    v.state = V_VALUE;
    while (v.i < len) {
        hf_status_t st;
        if (is_ws(s[v.i])) {
            v.i++;
            continue;
        }
        st = v_step(&v, s[v.i]);
        if (st != HF_OK) {
            return st;
        }
    }
    return v.state == V_DONE ? HF_OK : HF_ERR_JSON_SYNTAX;
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
    st = validate(text, len);
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
    if (len - i < 6u || !is_hex(src[i + 2u]) || !is_hex(src[i + 3u]) || !is_hex(src[i + 4u]) ||
        !is_hex(src[i + 5u])) {
        return 0u;
    }
    hi = hex4(src + i + 2u);
    if (hi < 0xD800u || hi > 0xDFFFu) {
        *cp = hi;
        return 6u;
    }
    if (hi > 0xDBFFu || len - i < 12u || src[i + 6u] != '\\' || src[i + 7u] != 'u' ||
        !is_hex(src[i + 8u]) || !is_hex(src[i + 9u]) || !is_hex(src[i + 10u]) || !is_hex(src[i + 11u])) {
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

/* Decode (dst != NULL) or only check (dst == NULL). The output never runs ahead of the input,
 * so dst may equal src. *nul reports a decoded NUL. Returns the length or -1. */
static long unescape(const char *src, size_t len, char *dst, bool *nul)
{
    size_t i = 0u, o = 0u;
    while (i < len) {
        uint32_t cp = (uint8_t)src[i];
        size_t used = 1u;
        if (cp < 0x20u) {
            return -1;
        }
        if (cp == '\\') {
            char e = i + 1u < len ? src[i + 1u] : '\0';
            if (e == 'u') {
                used = u_escape(src, len, i, &cp);
            } else {
                cp = (uint8_t)simple_escape(e);
                used = cp != 0u ? 2u : 0u;
            }
            if (used == 0u) {
                return -1;
            }
            *nul = *nul || cp == 0u;
            o += hf_priv_utf8_put(dst != NULL ? dst + o : NULL, cp);
        } else {
            /* Raw bytes are kept as they are, so only well-formed UTF-8 is taken. */
            used = cp < 0x80u ? 1u : hf_priv_utf8_seq(src + i, len - i);
            if (used == 0u) {
                return -1;
            }
            if (dst != NULL) {
                memmove(dst + o, src + i, used);
            }
            o += used;
        }
        i += used;
    }
    return (long)o;
}

long hf_json_unescape(const char *src, size_t len, char *dst)
{
    bool nul = false;
    /* Check first so a bad escape never leaves a half-rewritten buffer behind. */
    if (src == NULL || dst == NULL || unescape(src, len, NULL, &nul) < 0) {
        return -1;
    }
    return unescape(src, len, dst, &nul);
}

hf_status_t hf_json_str(hf_json_doc_t *doc, int i, const char **s, size_t *len)
{
    jsmntok_t *t;
    char *p;
    bool nul = false;
    long n;
    if (!tok_ok(doc, i)) {
        return HF_ERR_INVALID_ARG;
    }
    t = &doc->tok[i];
    p = doc->text + t->start;
    if (t->type == JSMN_STRING) {
        if (unescape(p, (size_t)(t->end - t->start), NULL, &nul) < 0) {
            return HF_ERR_JSON_SYNTAX;
        }
        if (nul) {
            return HF_ERR_JSON_SHAPE; /* strings are C strings: "string contains NUL" */
        }
        n = unescape(p, (size_t)(t->end - t->start), p, &nul);
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
