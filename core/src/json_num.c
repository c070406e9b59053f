/* JSON numbers: exact decimal-to-double reading (no strtod: newlib's allocates, and it follows
 * the locale) and the number accessors of the reader. */
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

bool hf_priv_json_number_ok(const char *s, size_t len)
{
    num_parts_t p;
    return split_number(s, len, &p);
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

/* ------------------------------------------------------------------ number tokens */

static const char *num_text(const hf_json_doc_t *doc, int i, size_t *n)
{
    const char *p = hf_priv_json_prim(doc, i, n);
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
