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
    } else if (!frac) {
        p->exp10++;
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
        if (d - d != 0.0) {
            return HF_ERR_JSON_SHAPE;
        }
    }
    *v = p.neg ? -d : d;
    return HF_OK;
}
