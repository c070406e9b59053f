/* jsmn-based JSON reader: strict validation, token walking, in-place string decoding, numbers. */
#include <string.h>

#include "hf/hf_json.h"

#include "hf_priv.h"

/* ------------------------------------------------------------------ numbers */

static const double k_exact10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define MAX_EXACT_MANT ((uint64_t)1u << 53)
#define EXP_CAP 100000L

/* Digits of a number, split into what the conversion needs. */
typedef struct num_parts {
    uint64_t mant;  /* first 19 significant digits */
    long exp10;     /* value = mant * 10^exp10 (before dropped digits) */
    int ndig;       /* significant digits kept in mant */
    bool neg;
    bool dropped;   /* a non-zero digit beyond the 19th was ignored */
} num_parts_t;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Add one digit of the integer or fraction part; beyond 19 digits it only shifts the scale. */
static void add_digit(num_parts_t *p, char c, bool frac)
{
    if (p->ndig < 19) {
        p->mant = p->mant * 10u + (uint64_t)(c - '0');
        if (p->mant != 0u) {
            p->ndig++;
        }
        if (frac) {
            p->exp10--;
        }
    } else {
        p->dropped = p->dropped || c != '0';
        p->exp10 += frac ? 0 : 1;
    }
}

/* Strict JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool split_number(const char *s, size_t len, num_parts_t *p)
{
    size_t i = 0u;
    long e = 0;
    bool eneg = false;
    memset(p, 0, sizeof *p);
    if (i < len && s[i] == '-') {
        p->neg = true;
        i++;
    }
    if (i >= len || !is_digit(s[i])) {
        return false;
    }
    if (s[i] == '0') {
        i++;
    } else {
        for (; i < len && is_digit(s[i]); i++) {
            add_digit(p, s[i], false);
        }
    }
    if (i < len && s[i] == '.') {
        if (++i >= len || !is_digit(s[i])) {
            return false;
        }
        for (; i < len && is_digit(s[i]); i++) {
            add_digit(p, s[i], true);
        }
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        if (++i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i++] == '-';
        }
        if (i >= len || !is_digit(s[i])) {
            return false;
        }
        /* Saturate: an exponent of a million digits is still just "out of range". */
        for (; i < len && is_digit(s[i]); i++) {
            e = e < EXP_CAP ? e * 10 + (long)(s[i] - '0') : EXP_CAP;
        }
    }
    p->exp10 += eneg ? -e : e;
    return i == len;
}

/* mant * 10^e: exact in one rounding when both factors are exact (Clinger's fast path). */
static double assemble(uint64_t mant, long e)
{
    double d = (double)mant;
    if (mant <= MAX_EXACT_MANT && e > 22 && e <= 22 + 15) {
        uint64_t m2 = mant;
        for (long i = 22; i < e && m2 <= MAX_EXACT_MANT; i++) {
            m2 *= 10u;
        }
        if (m2 <= MAX_EXACT_MANT) {
            return (double)m2 * 1e22;
        }
    }
    /* Slow path: chunks of the exact 1e22 first; a few ulps of error at most. */
    for (int i = 0; i < 20 && e > 22; i++, e -= 22) {
        d *= 1e22;
    }
    for (int i = 0; i < 20 && e < -22; i++, e += 22) {
        d /= 1e22;
    }
    return e >= 0 ? d * k_exact10[e] : d / k_exact10[-e];
}

/* Exact correction beyond the fast path, for up to 19 digits and |e| <= 27 (5^27 < 2^63): the
 * decimal is compared, in 128-bit integers, with the midpoints around the estimate. */
typedef struct u128 {
    uint64_t hi, lo;
} u128_t;

static u128_t mul64(uint64_t a, uint64_t b)
{
    uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
    uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    u128_t r;
    r.lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
    r.hi = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

static int bitlen128(u128_t a)
{
    int n = 0;
    uint64_t w = a.hi != 0u ? a.hi : a.lo;
    while (w != 0u) {
        w >>= 1;
        n++;
    }
    return a.hi != 0u ? n + 64 : n;
}

/* Compare a with b * 2^s. */
static int cmp_scaled(u128_t a, u128_t b, int s)
{
    if (s < 0) {
        return -cmp_scaled(b, a, -s);
    }
    if (bitlen128(b) + s > 128) {
        return -1;
    }
    if (s >= 64) {
        b.hi = b.lo << (s - 64);
        b.lo = 0u;
    } else if (s > 0) {
        b.hi = (b.hi << s) | (b.lo >> (64 - s));
        b.lo <<= s;
    }
    if (a.hi != b.hi) {
        return a.hi < b.hi ? -1 : 1;
    }
    return a.lo < b.lo ? -1 : (a.lo > b.lo ? 1 : 0);
}

/* Sign of mant * 10^e - m * 2^q, for |e| <= 27. */
static int cmp_decimal(uint64_t mant, int e, uint64_t m, int q)
{
    uint64_t p5 = 1u;
    u128_t a, b;
    for (int k = 0; k < (e < 0 ? -e : e); k++) {
        p5 *= 5u;
    }
    if (e >= 0) {
        a = mul64(mant, p5);
        b.hi = 0u;
        b.lo = m;
        return cmp_scaled(a, b, q - e);
    }
    a.hi = 0u;
    a.lo = mant;
    b = mul64(m, p5);
    return cmp_scaled(a, b, q - e);
}

static double correct(uint64_t mant, int e, double x)
{
    for (int k = 0; k < 4; k++) {
        uint64_t bits, mx;
        int ex, c;
        memcpy(&bits, &x, sizeof bits);
        mx = (bits & 0xFFFFFFFFFFFFFu) | ((uint64_t)1u << 52);
        ex = (int)((bits >> 52) & 0x7FFu) - 1075;
        c = cmp_decimal(mant, e, 2u * mx + 1u, ex - 1);
        if (c > 0 || (c == 0 && (mx & 1u))) {
            bits++; /* ties go to the even neighbour */
        } else {
            c = mx == ((uint64_t)1u << 52) ? cmp_decimal(mant, e, 4u * mx - 1u, ex - 2)
                                           : cmp_decimal(mant, e, 2u * mx - 1u, ex - 1);
            if (!(c < 0 || (c == 0 && (mx & 1u)))) {
                return x;
            }
            bits--;
        }
        memcpy(&x, &bits, sizeof x);
    }
    return x;
}

hf_status_t hf_json_parse_double(const char *s, size_t len, double *v)
{
    num_parts_t p;
    double d;
    if (s == NULL || v == NULL || !split_number(s, len, &p)) {
        return HF_ERR_JSON_SYNTAX;
    }
    if (p.mant == 0u || p.exp10 + p.ndig < -330) {
        d = 0.0; /* underflow reads as zero */
    } else if (p.exp10 + p.ndig > 310) {
        return HF_ERR_JSON_SHAPE;
    } else {
        d = assemble(p.mant, p.exp10);
        if (!p.dropped && p.exp10 >= -27 && p.exp10 <= 27 &&
            !(p.mant <= MAX_EXACT_MANT && p.exp10 >= -22 && p.exp10 <= 22)) {
            d = correct(p.mant, (int)p.exp10, d);
        }
        if (d - d != 0.0) {
            return HF_ERR_JSON_SHAPE;
        }
    }
    *v = p.neg ? -d : d;
    return HF_OK;
}

/* ------------------------------------------------------------------ validation */

/* jsmn (even strict) accepts `[1 2]`, `{"a" "b"}`, `{} {}`, `tru`, `01`, raw control bytes in
 * strings and stops silently at a NUL byte; so the full grammar is checked here first, in one
 * iterative pass with a bit stack (1 = object) bounded by HF_JSON_MAX_DEPTH. */
enum { V_VALUE, V_VALUE_OR_CLOSE, V_KEY, V_KEY_OR_CLOSE, V_COLON, V_AFTER, V_DONE };

typedef struct vstate {
    const char *s;
    size_t len;
    size_t i;
    uint64_t objs;
    unsigned depth;
    int state;
} vstate_t;

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
    num_parts_t p;
    while (i < v->len && (is_digit(v->s[i]) || strchr("+-.eE", v->s[i]) != NULL)) {
        i++;
    }
    if (!split_number(v->s + v->i, i - v->i, &p)) {
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

/* Tokens from `spare` when they fit there, else from `a` (whose `needed` then tells the shortfall). */
static jsmntok_t *take_tokens(int n, hf_arena_t *a, hf_arena_t *spare)
{
    size_t bytes = (size_t)n * sizeof(jsmntok_t);
    void *t = spare != NULL ? hf_arena_alloc(spare, bytes, 0u) : NULL;
    return (jsmntok_t *)(t != NULL ? t : hf_arena_alloc(a, bytes, 0u));
}

static hf_status_t parse_into(hf_json_doc_t *doc, char *text, size_t len, hf_arena_t *a, hf_arena_t *spare)
{
    jsmn_parser p;
    size_t plen = len;
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
    plen = len + 1u;
    hf_priv_jsmn_init(&p);
    n = hf_priv_jsmn_parse(&p, text, plen, NULL, 0u);
    if (n > 0) {
        doc->tok = take_tokens(n, a, spare);
        if (doc->tok == NULL) {
            text[len] = saved;
            return HF_ERR_NO_MEMORY;
        }
        hf_priv_jsmn_init(&p);
        n = hf_priv_jsmn_parse(&p, text, plen, doc->tok, (unsigned)n);
    }
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

hf_status_t hf_priv_json_parse_spare(hf_json_doc_t *doc, char *text, size_t len, hf_arena_t *a, hf_arena_t *spare)
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

/* The primitive text of token i, or NULL. */
static const char *prim(const hf_json_doc_t *doc, int i, size_t *n)
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
    const char *p = prim(doc, i, &n);
    return p != NULL && n == 4u && memcmp(p, "null", 4u) == 0;
}

hf_status_t hf_json_bool(const hf_json_doc_t *doc, int i, bool *v)
{
    size_t n = 0u;
    const char *p = prim(doc, i, &n);
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

/* ------------------------------------------------------------------ number tokens */

static const char *num_text(const hf_json_doc_t *doc, int i, size_t *n)
{
    const char *p = prim(doc, i, n);
    return (p != NULL && *n > 0u && (p[0] == '-' || is_digit(p[0]))) ? p : NULL;
}

hf_status_t hf_json_f64(const hf_json_doc_t *doc, int i, double *v)
{
    size_t n = 0u;
    const char *p = num_text(doc, i, &n);
    if (p == NULL) {
        return HF_ERR_JSON_SHAPE;
    }
    return hf_json_parse_double(p, n, v);
}

hf_status_t hf_json_f32(const hf_json_doc_t *doc, int i, float *v)
{
    /* Beyond FLT_MAX by less than half an ulp still rounds to FLT_MAX; narrowing an
     * out-of-range double is undefined, so the range is checked before the cast. */
    static const double flt_max = 3.4028234663852886e38, flt_lim = 3.4028235677973366e38;
    double d = 0.0;
    hf_status_t st = hf_json_f64(doc, i, &d);
    if (st != HF_OK) {
        return st;
    }
    if (d >= flt_lim || d <= -flt_lim) {
        return HF_ERR_JSON_SHAPE;
    }
    if (d > flt_max || d < -flt_max) {
        d = d > 0.0 ? flt_max : -flt_max;
    }
    *v = (float)d;
    return HF_OK;
}

hf_status_t hf_json_i64(const hf_json_doc_t *doc, int i, int64_t *v)
{
    size_t n = 0u, k = 0u;
    const char *p = num_text(doc, i, &n);
    uint64_t mag = 0u, lim;
    bool neg;
    if (p == NULL) {
        return HF_ERR_JSON_SHAPE;
    }
    neg = p[0] == '-';
    k = neg ? 1u : 0u;
    lim = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    if (k >= n || (p[k] == '0' && n > k + 1u)) {
        return HF_ERR_JSON_SHAPE;
    }
    for (; k < n; k++) {
        uint64_t d = (uint64_t)(p[k] - '0');
        if (!is_digit(p[k]) || mag > (lim - d) / 10u) {
            return HF_ERR_JSON_SHAPE; /* fraction, exponent or out of range */
        }
        mag = mag * 10u + d;
    }
    *v = neg ? (mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    return HF_OK;
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

/* UTF-8 of code point cp into dst (when not NULL); returns the byte count. */
static size_t put_utf8(char *dst, uint32_t cp)
{
    uint8_t b[4];
    size_t n;
    if (cp < 0x80u) {
        b[0] = (uint8_t)cp;
        n = 1u;
    } else if (cp < 0x800u) {
        b[0] = (uint8_t)(0xC0u | (cp >> 6));
        b[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 2u;
    } else if (cp < 0x10000u) {
        b[0] = (uint8_t)(0xE0u | (cp >> 12));
        b[1] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        b[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 3u;
    } else {
        b[0] = (uint8_t)(0xF0u | (cp >> 18));
        b[1] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
        b[2] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        b[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 4u;
    }
    if (dst != NULL) {
        memcpy(dst, b, n);
    }
    return n;
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
            o += put_utf8(dst != NULL ? dst + o : NULL, cp);
        } else {
            if (dst != NULL) {
                dst[o] = (char)cp; /* raw bytes (UTF-8 included) are kept as they are */
            }
            o++;
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
