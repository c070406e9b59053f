/* Output sink and streaming JSON writer: fixed buffer, no printf, no document in RAM. */
#include <math.h>
#include <string.h>

#include "hf/hf_json.h"

#include "hf_priv.h"

#define JW_MAX_DEPTH 64u

/* ------------------------------------------------------------------ output sink */

void hf_out_init(hf_out_t *o, uint8_t *buf, size_t cap, hf_out_flush_fn flush, void *user)
{
    o->buf = buf;
    o->cap = buf ? cap : 0u;
    o->len = 0u;
    o->total = 0u;
    o->flush = flush;
    o->user = user;
    o->err = HF_OK;
}

void hf_out_init_counting(hf_out_t *o)
{
    hf_out_init(o, NULL, 0u, NULL, NULL);
}

static hf_status_t out_fail(hf_out_t *o, hf_status_t st)
{
    o->err = st;
    return st;
}

hf_status_t hf_out_flush(hf_out_t *o)
{
    hf_status_t st;
    if (o->err != HF_OK) {
        return o->err;
    }
    if (o->buf == NULL || o->flush == NULL || o->len == 0u) {
        return HF_OK;
    }
    st = o->flush(o->user, o->buf, o->len);
    if (st != HF_OK) {
        return out_fail(o, st);
    }
    o->len = 0u;
    return HF_OK;
}

hf_status_t hf_out_write(hf_out_t *o, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    if (o->err != HF_OK) {
        return o->err;
    }
    if (o->buf == NULL) {
        o->total += len;
        return HF_OK;
    }
    /* Flush lazily (only when more bytes need the room) so a body that exactly fills the
     * buffer works without a flush callback. Each round moves at least one byte or fails. */
    while (len > 0u) {
        size_t room = o->cap - o->len;
        size_t n;
        if (room == 0u) {
            hf_status_t st;
            if (o->flush == NULL) {
                return out_fail(o, HF_ERR_NO_MEMORY);
            }
            st = hf_out_flush(o);
            if (st != HF_OK) {
                return st;
            }
            continue;
        }
        n = len < room ? len : room;
        memcpy(o->buf + o->len, p, n);
        o->len += n;
        o->total += n;
        p += n;
        len -= n;
    }
    return HF_OK;
}

hf_status_t hf_out_puts(hf_out_t *o, const char *s)
{
    return hf_out_write(o, s, strlen(s));
}

/* ------------------------------------------------------------------ writer structure */

void hf_jw_init(hf_jw_t *w, hf_out_t *out)
{
    w->out = out;
    w->has_items = 0u;
    w->depth = 0u;
    w->after_key = false;
}

/* Separator before a value or key: a comma unless first in its container or right after a key. */
static hf_status_t jw_sep(hf_jw_t *w)
{
    uint64_t bit;
    if (w->after_key) {
        w->after_key = false;
        return HF_OK;
    }
    if (w->depth == 0u) {
        return HF_OK;
    }
    bit = (uint64_t)1u << (w->depth - 1u);
    if (w->has_items & bit) {
        return hf_out_write(w->out, ",", 1u);
    }
    w->has_items |= bit;
    return HF_OK;
}

static hf_status_t jw_begin(hf_jw_t *w, char open)
{
    hf_status_t st;
    if (w->depth >= JW_MAX_DEPTH) {
        return HF_ERR_INVALID_ARG;
    }
    st = jw_sep(w);
    if (st != HF_OK) {
        return st;
    }
    w->depth++;
    w->has_items &= ~((uint64_t)1u << (w->depth - 1u));
    return hf_out_write(w->out, &open, 1u);
}

static hf_status_t jw_end(hf_jw_t *w, char close)
{
    if (w->depth == 0u || w->after_key) {
        return HF_ERR_INVALID_ARG;
    }
    w->depth--;
    return hf_out_write(w->out, &close, 1u);
}

hf_status_t hf_jw_begin_object(hf_jw_t *w) { return jw_begin(w, '{'); }
hf_status_t hf_jw_end_object(hf_jw_t *w) { return jw_end(w, '}'); }
hf_status_t hf_jw_begin_array(hf_jw_t *w) { return jw_begin(w, '['); }
hf_status_t hf_jw_end_array(hf_jw_t *w) { return jw_end(w, ']'); }

/* ------------------------------------------------------------------ strings */

/* Escape for one byte, or NULL when it goes out as is. `tmp` holds \u00XX forms. */
static const char *esc_for(uint8_t c, char tmp[7])
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: break;
    }
    if (c >= 0x20u) {
        return NULL;
    }
    memcpy(tmp, "\\u00", 4u);
    tmp[4] = hex[c >> 4];
    tmp[5] = hex[c & 0x0Fu];
    tmp[6] = '\0';
    return tmp;
}

/* Quoted, escaped string; runs of plain bytes (ASCII and UTF-8) go out in one write. */
static hf_status_t jw_quoted(hf_out_t *o, const char *s, size_t len)
{
    size_t run = 0u;
    char tmp[7];
    hf_status_t st = hf_out_write(o, "\"", 1u);
    for (size_t i = 0; i < len && st == HF_OK; i++) {
        const char *e = esc_for((uint8_t)s[i], tmp);
        if (e == NULL) {
            continue;
        }
        st = hf_out_write(o, s + run, i - run);
        if (st == HF_OK) {
            st = hf_out_puts(o, e);
        }
        run = i + 1u;
    }
    if (st == HF_OK) {
        st = hf_out_write(o, s + run, len - run);
    }
    return st == HF_OK ? hf_out_write(o, "\"", 1u) : st;
}

hf_status_t hf_jw_key(hf_jw_t *w, const char *key)
{
    hf_status_t st;
    if (key == NULL || w->depth == 0u || w->after_key) {
        return HF_ERR_INVALID_ARG;
    }
    st = jw_sep(w);
    if (st == HF_OK) {
        st = jw_quoted(w->out, key, strlen(key));
    }
    if (st == HF_OK) {
        st = hf_out_write(w->out, ":", 1u);
    }
    w->after_key = true;
    return st;
}

hf_status_t hf_jw_string(hf_jw_t *w, const char *s, size_t len)
{
    hf_status_t st;
    if (s == NULL && len != 0u) {
        return HF_ERR_INVALID_ARG;
    }
    st = jw_sep(w);
    return st == HF_OK ? jw_quoted(w->out, s ? s : "", len) : st;
}

hf_status_t hf_jw_cstring(hf_jw_t *w, const char *s)
{
    if (s == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    return hf_jw_string(w, s, strlen(s));
}

/* ------------------------------------------------------------------ literals */

static hf_status_t jw_literal(hf_jw_t *w, const char *text, size_t len)
{
    hf_status_t st = jw_sep(w);
    return st == HF_OK ? hf_out_write(w->out, text, len) : st;
}

hf_status_t hf_jw_bool(hf_jw_t *w, bool v)
{
    return v ? jw_literal(w, "true", 4u) : jw_literal(w, "false", 5u);
}

hf_status_t hf_jw_null(hf_jw_t *w) { return jw_literal(w, "null", 4u); }

hf_status_t hf_jw_raw(hf_jw_t *w, const char *json, size_t len)
{
    if (json == NULL || len == 0u) {
        return HF_ERR_INVALID_ARG;
    }
    return jw_literal(w, json, len);
}

/* Decimal digits of v, most significant first; returns the count (1..20). */
static size_t u64_digits(uint64_t v, char out[20])
{
    char tmp[20];
    size_t n = 0u, k = 0u;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0u);
    while (n > 0u) {
        out[k++] = tmp[--n];
    }
    return k;
}

hf_status_t hf_jw_int(hf_jw_t *w, int64_t v)
{
    char buf[21];
    /* Negate in unsigned arithmetic so INT64_MIN has a magnitude. */
    uint64_t mag = v < 0 ? (uint64_t)0u - (uint64_t)v : (uint64_t)v;
    size_t n = 0u;
    if (v < 0) {
        buf[n++] = '-';
    }
    n += u64_digits(mag, buf + n);
    return jw_literal(w, buf, n);
}

/* ------------------------------------------------------------------ floating point */

/* Exact powers of ten: every one up to 1e22 is representable in a double. */
static const double k_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* a * 10^e; exact steps of 1e22 first so that only the last ones round. */
static double scale10(double a, int e)
{
    for (int i = 0; i < 40 && e > 22; i++, e -= 22) {
        a *= 1e22;
    }
    for (int i = 0; i < 40 && e < -22; i++, e += 22) {
        a /= 1e22;
    }
    return e >= 0 ? a * k_pow10[e] : a / k_pow10[-e];
}

static uint64_t pow10_u64(int n)
{
    uint64_t p = 1u;
    for (int i = 0; i < n && i < 19; i++) {
        p *= 10u;
    }
    return p;
}

/* Decimal exponent k with 10^k <= a < 10^(k+1) (a finite, > 0). */
static int dec_exponent(double a)
{
    uint64_t bits;
    int e2, k;
    memcpy(&bits, &a, sizeof bits);
    e2 = (int)((bits >> 52) & 0x7FFu) - 1023;
    k = (e2 * 78913) >> 18; /* floor(e2 * log10(2)), subnormals land low and are fixed below */
    for (int i = 0; i < 400 && scale10(a, -k) >= 10.0; i++) {
        k++;
    }
    for (int i = 0; i < 400 && scale10(a, -k) < 1.0; i++) {
        k--;
    }
    return k;
}

/* Range check before narrowing: casting an out-of-range double to float is undefined. */
static bool as_same_float(double d, float f)
{
    if (d > 3.4028235677973366e38 || d < -3.4028235677973366e38) {
        return false;
    }
    if (d > 3.4028234663852886e38) {
        d = 3.4028234663852886e38;
    } else if (d < -3.4028234663852886e38) {
        d = -3.4028234663852886e38;
    }
    return (float)d == f;
}

/* Text of digits dg[0..n) (no trailing zeros) times 10^(k-n+1): plain for moderate k,
 * exponent notation (JavaScript's thresholds) otherwise. Returns the length (< 32). */
static size_t fmt_text(const char *dg, size_t n, int k, char *out)
{
    size_t o = 0u;
    if (k >= 0 && k < 21) {
        for (size_t i = 0; i < n || i <= (size_t)k; i++) {
            if (i == (size_t)k + 1u) {
                out[o++] = '.';
            }
            out[o++] = i < n ? dg[i] : '0';
        }
    } else if (k < 0 && k > -7) {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = -1; i > k; i--) {
            out[o++] = '0';
        }
        memcpy(out + o, dg, n);
        o += n;
    } else {
        out[o++] = dg[0];
        if (n > 1u) {
            out[o++] = '.';
            memcpy(out + o, dg + 1, n - 1u);
            o += n - 1u;
        }
        out[o++] = 'e';
        out[o++] = k < 0 ? '-' : '+';
        o += u64_digits((uint64_t)(k < 0 ? -k : k), out + o);
    }
    return o;
}

/* Candidate digits `d` (n significant digits, exponent k) as text; true when our own
 * parser reads it back as exactly `v` (as a float when `as_float`). */
static bool try_digits(uint64_t d, size_t n, int k, double v, bool as_float, char *out, size_t *olen)
{
    char dg[20];
    size_t len;
    double back;
    if (u64_digits(d, dg) != n) {
        return false;
    }
    while (n > 1u && dg[n - 1u] == '0') {
        n--;
    }
    len = fmt_text(dg, n, k, out);
    *olen = len;
    if (hf_json_parse_double(out, len, &back) != HF_OK) {
        return false;
    }
    return as_float ? as_same_float(back, (float)v) : back == v;
}

/* One candidate: digits `c` of n significant digits, or one digit more after rounding up. */
static bool try_candidate(uint64_t c, int n, int k, double a, bool as_float, char *out, size_t *len)
{
    if (c == pow10_u64(n)) {
        return try_digits(c / 10u, (size_t)n, k + 1, a, as_float, out, len);
    }
    return try_digits(c, (size_t)n, k, a, as_float, out, len);
}

/* Shortest decimal (1..max_digits significant digits) that reads back as `a` (> 0). The
 * scaled value is only approximate (a double holds 15-17 digits exactly), so candidates are
 * tried outward from the rounded digits within its error (a few ulps of `scaled`). */
static size_t fmt_positive(double a, int max_digits, bool as_float, char *out)
{
    int k = dec_exponent(a);
    size_t len = 0u;
    uint64_t d;
    for (int n = 1; n <= max_digits; n++) {
        double scaled = scale10(a, n - 1 - k);
        uint64_t r = 2u + (uint64_t)(scaled / 2251799813685248.0); /* 2 + scaled / 2^51 */
        d = (uint64_t)(scaled + 0.5);
        for (uint64_t t = 0u; t <= 2u * r; t++) {
            uint64_t step = (t + 1u) / 2u;
            if ((t & 1u) == 0u && step > d) {
                continue;
            }
            if (try_candidate((t & 1u) ? d + step : d - step, n, k, a, as_float, out, &len)) {
                return len;
            }
        }
    }
    /* Our parser is only close for extreme exponents: then the nearest digits stand. */
    d = (uint64_t)(scale10(a, max_digits - 1 - k) + 0.5);
    (void)try_candidate(d, max_digits, k, a, as_float, out, &len);
    return len;
}

static size_t fmt_double(double v, int max_digits, bool as_float, char *out)
{
    size_t o = 0u;
    if (signbit(v)) {
        out[o++] = '-';
        v = -v;
    }
    if (v == 0.0) {
        out[o++] = '0';
        return o;
    }
    return o + fmt_positive(v, max_digits, as_float, out + o);
}

hf_status_t hf_jw_float(hf_jw_t *w, float v)
{
    char buf[32];
    size_t n;
    if (v != v || v - v != 0.0f) {
        return HF_ERR_INVALID_ARG;
    }
    n = fmt_double((double)v, 9, true, buf);
    return jw_literal(w, buf, n);
}

hf_status_t hf_jw_double(hf_jw_t *w, double v)
{
    char buf[32];
    size_t n;
    if (v != v || v - v != 0.0) {
        return HF_ERR_INVALID_ARG;
    }
    n = fmt_double(v, 17, false, buf);
    return jw_literal(w, buf, n);
}
