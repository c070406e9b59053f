/* libFuzzer target: tokenise arbitrary bytes, walk every token, decode every string and number,
 * and check the writer's number and string output reads back to the same value. JSON text is
 * UTF-8 (RFC 8259 section 8.1): a document the reader accepts, and every string it decodes,
 * must be well-formed UTF-8 by a validator written here independently of core's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hf/hf_json.h"
#include "hf_priv.h"

static char g_text[65537];
static double g_mem_d[16384]; /* 128 KiB of arena */
static uint8_t g_out[512];

/* The reader is exact (correctly rounded) for up to 19 significant digits with decimal
 * exponents of magnitude <= 27, i.e. for every number whose shortest form the writer emits
 * in roughly 1e-11 .. 1e30 (hf_json.h); beyond that it is within a few ulps. */
static int exact_domain(double d)
{
    double a = d < 0 ? -d : d;
    return a == 0.0 || (a >= 1e-11 && a <= 1e30);
}

/* Shortest-float formatting must read back as the same value through our own parser. */
static void check_number_round_trip(double d)
{
    hf_out_t o;
    hf_jw_t w;
    double back = 0.0;
    float f = (float)0.0;
    hf_out_init(&o, g_out, sizeof g_out, NULL, NULL);
    hf_jw_init(&w, &o);
    if (hf_jw_double(&w, d) != HF_OK || hf_json_parse_double((const char *)g_out, o.len, &back) != HF_OK) {
        abort();
    }
    if (exact_domain(d) ? back != d : (back - d > 1e-14 * (d < 0 ? -d : d) || d - back > 1e-14 * (d < 0 ? -d : d))) {
        abort();
    }
    if (d > -3.4e38 && d < 3.4e38) {
        f = (float)d;
        hf_out_init(&o, g_out, sizeof g_out, NULL, NULL);
        hf_jw_init(&w, &o);
        if (hf_jw_float(&w, f) != HF_OK || hf_json_parse_double((const char *)g_out, o.len, &back) != HF_OK ||
            (float)back != f) {
            abort();
        }
    }
}

/* Independent of core's range checks: decode the code point, then require it to be in range,
 * not a surrogate, and encoded in the fewest bytes (RFC 3629 section 3). Returns the sequence
 * length, 0 when ill-formed. */
static size_t indep_seq(const uint8_t *s, size_t n)
{
    static const uint32_t k_min[5] = {0u, 0u, 0x80u, 0x800u, 0x10000u};
    size_t len = 0;
    uint32_t cp;
    if (n == 0u) {
        return 0u;
    }
    while (len < 8u && (s[0] & (0x80u >> len)) != 0u) {
        len++;
    }
    if (len == 0u) {
        return 1u;
    }
    if (len == 1u || len > 4u || n < len) {
        return 0u;
    }
    cp = s[0] & (0xFFu >> (len + 1u));
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0u) != 0x80u) {
            return 0u;
        }
        cp = (cp << 6) | (s[k] & 0x3Fu);
    }
    if (cp < k_min[len] || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu)) {
        return 0u;
    }
    return len;
}

static int indep_valid(const uint8_t *s, size_t n)
{
    size_t i = 0, k;
    while (i < n) {
        k = indep_seq(s + i, n - i);
        if (k == 0u) {
            return 0;
        }
        i += k;
    }
    return 1;
}

static void check_string(const char *s, size_t n)
{
    hf_out_t o;
    hf_jw_t w;
    hf_out_init_counting(&o);
    hf_jw_init(&w, &o);
    if (hf_jw_string(&w, s, n) != HF_OK || o.total < n + 2u) {
        abort();
    }
}

static void walk(hf_json_doc_t *doc)
{
    for (int i = 0; i < doc->ntok; i++) {
        const char *s = NULL, *s2 = NULL;
        size_t n = 0, n2 = 0;
        double d = 0.0;
        float f = 0.0f;
        int64_t iv = 0;
        bool b = false;
        int nx = hf_json_next(doc, i);
        if (nx <= i || nx > doc->ntok) {
            abort();
        }
        (void)hf_json_get(doc, i, "a");
        (void)hf_json_at(doc, i, 1);
        (void)hf_json_is_null(doc, i);
        (void)hf_json_bool(doc, i, &b);
        (void)hf_json_i64(doc, i, &iv);
        (void)hf_json_f32(doc, i, &f);
        if (hf_json_f64(doc, i, &d) == HF_OK) {
            check_number_round_trip(d);
        }
        if (hf_json_str(doc, i, &s, &n) == HF_OK) {
            if (s[n] != '\0' || memchr(s, '\0', n) != NULL) {
                abort();
            }
            if (hf_json_str(doc, i, &s2, &n2) != HF_OK || s2 != s || n2 != n) {
                abort(); /* idempotent */
            }
            if (!indep_valid((const uint8_t *)s, n)) {
                abort(); /* a decoded string that is not UTF-8 */
            }
            check_string(s, n);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_arena_t a;
    hf_json_doc_t doc;
    double d = 0.0;
    const char *raw = NULL;
    size_t rn = 0;
    long un;
    if (size >= sizeof g_text) {
        return 0;
    }
    (void)hf_json_parse_double((const char *)data, size, &d);
    for (size_t i = 0; i < size; i++) {
        if (hf_priv_utf8_seq((const char *)data + i, size - i) != indep_seq(data + i, size - i)) {
            abort(); /* core's sequence check and this one disagree */
        }
    }
    memcpy(g_text, data, size);
    un = hf_json_unescape(g_text, size, g_text);
    if (un >= 0 && !indep_valid((const uint8_t *)g_text, (size_t)un)) {
        abort();
    }
    memcpy(g_text, data, size);
    hf_arena_init(&a, g_mem_d, sizeof g_mem_d);
    if (hf_json_parse(&doc, g_text, size, &a) != HF_OK) {
        return 0;
    }
    if (!indep_valid(data, size)) {
        abort(); /* an accepted document that is not UTF-8 */
    }
    if (hf_json_raw(&doc, 0, &raw, &rn) == HF_OK && raw[rn] != '\0') {
        abort();
    }
    walk(&doc);
    return 0;
}
