/* Output sink and JSON writer. Expected texts are written by hand next to each check. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hf/hf_json.h"

/* Flush target: appends into a big capture buffer. */
typedef struct cap {
    uint8_t data[4096];
    size_t len;
    int calls;
    int fail_at; /* call number that fails with HF_ERR_IO, 0 = never */
} cap_t;

static hf_status_t cap_flush(void *user, const uint8_t *d, size_t n)
{
    cap_t *c = (cap_t *)user;
    c->calls++;
    if (c->fail_at != 0 && c->calls == c->fail_at) {
        return HF_ERR_IO;
    }
    if (c->len + n > sizeof c->data) {
        return HF_ERR_NO_MEMORY;
    }
    memcpy(c->data + c->len, d, n);
    c->len += n;
    return HF_OK;
}

/* One writer on a 512-byte buffer without flush; text is NUL-terminated for CHECK_STR. */
typedef struct fix {
    hf_out_t out;
    hf_jw_t w;
    uint8_t buf[512];
} fix_t;

static void fix_init(fix_t *f)
{
    hf_out_init(&f->out, f->buf, sizeof f->buf - 1u, NULL, NULL);
    hf_jw_init(&f->w, &f->out);
}

static const char *fix_text(fix_t *f)
{
    f->buf[f->out.len] = '\0';
    return (const char *)f->buf;
}

static const char *one_float(float v)
{
    static fix_t f;
    fix_init(&f);
    CHECK_STATUS(hf_jw_float(&f.w, v), HF_OK);
    return fix_text(&f);
}

static const char *one_double(double v)
{
    static fix_t f;
    fix_init(&f);
    CHECK_STATUS(hf_jw_double(&f.w, v), HF_OK);
    return fix_text(&f);
}

static const char *one_int(int64_t v)
{
    static fix_t f;
    fix_init(&f);
    CHECK_STATUS(hf_jw_int(&f.w, v), HF_OK);
    return fix_text(&f);
}

static void test_out_basic(void)
{
    uint8_t buf[4];
    hf_out_t o;
    hf_out_init(&o, buf, sizeof buf, NULL, NULL);
    CHECK_STATUS(hf_out_write(&o, "abcd", 4), HF_OK); /* exactly full is fine without flush */
    CHECK_INT(o.len, 4);
    CHECK_STATUS(hf_out_write(&o, "e", 1), HF_ERR_NO_MEMORY);
    CHECK_STATUS(hf_out_write(&o, "", 0), HF_ERR_NO_MEMORY); /* sticky */
    CHECK_STATUS(hf_out_puts(&o, "x"), HF_ERR_NO_MEMORY);
    CHECK_INT(o.total, 4);

    hf_out_init_counting(&o);
    CHECK_STATUS(hf_out_puts(&o, "hello"), HF_OK);
    CHECK_STATUS(hf_out_write(&o, "abc", 3), HF_OK);
    CHECK_STATUS(hf_out_flush(&o), HF_OK);
    CHECK_INT(o.total, 8);
}

static void test_out_flush_error_sticky(void)
{
    static cap_t c;
    uint8_t buf[3];
    hf_out_t o;
    memset(&c, 0, sizeof c);
    c.fail_at = 2;
    hf_out_init(&o, buf, sizeof buf, cap_flush, &c);
    CHECK_STATUS(hf_out_write(&o, "abcdefgh", 8), HF_ERR_IO); /* 1st flush ok, 2nd fails */
    CHECK_INT(c.len, 3);
    CHECK_STATUS(hf_out_write(&o, "z", 1), HF_ERR_IO);
    CHECK_STATUS(hf_out_flush(&o), HF_ERR_IO);
    CHECK_INT(c.calls, 2);
}

/* A big write through a tiny buffer is streamed through whole. */
static void test_out_large_write(void)
{
    static cap_t c;
    static const char text[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    uint8_t buf[5];
    hf_out_t o;
    memset(&c, 0, sizeof c);
    hf_out_init(&o, buf, sizeof buf, cap_flush, &c);
    CHECK_STATUS(hf_out_write(&o, text, 36), HF_OK);
    CHECK_STATUS(hf_out_flush(&o), HF_OK);
    CHECK_MEM(c.data, c.len, text, 36);
    CHECK_INT(o.total, 36);
    CHECK_INT(c.calls, 8); /* ceil(36 / 5) */
}

static void test_structure(void)
{
    fix_t f;
    fix_init(&f);
    CHECK_STATUS(hf_jw_begin_object(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_key(&f.w, "a"), HF_OK);
    CHECK_STATUS(hf_jw_int(&f.w, 1), HF_OK);
    CHECK_STATUS(hf_jw_key(&f.w, "b"), HF_OK);
    CHECK_STATUS(hf_jw_begin_array(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_bool(&f.w, true), HF_OK);
    CHECK_STATUS(hf_jw_null(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_begin_object(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_end_object(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_begin_array(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_end_array(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_bool(&f.w, false), HF_OK);
    CHECK_STATUS(hf_jw_end_array(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_key(&f.w, "c"), HF_OK);
    CHECK_STATUS(hf_jw_raw(&f.w, "{\"x\":[1]}", 9), HF_OK);
    CHECK_STATUS(hf_jw_key(&f.w, "d"), HF_OK);
    CHECK_STATUS(hf_jw_cstring(&f.w, "s"), HF_OK);
    CHECK_STATUS(hf_jw_end_object(&f.w), HF_OK);
    CHECK_STR(fix_text(&f), "{\"a\":1,\"b\":[true,null,{},[],false],\"c\":{\"x\":[1]},\"d\":\"s\"}");
    CHECK_INT(f.w.depth, 0);
}

static void test_misuse(void)
{
    fix_t f;
    fix_init(&f);
    CHECK_STATUS(hf_jw_end_object(&f.w), HF_ERR_INVALID_ARG); /* nothing open */
    CHECK_STATUS(hf_jw_key(&f.w, "k"), HF_ERR_INVALID_ARG);   /* key at top level */
    CHECK_STATUS(hf_jw_raw(&f.w, "", 0), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_jw_cstring(&f.w, NULL), HF_ERR_INVALID_ARG);
    fix_init(&f);
    for (int i = 0; i < 64; i++) {
        CHECK_STATUS(hf_jw_begin_array(&f.w), HF_OK);
    }
    CHECK_STATUS(hf_jw_begin_array(&f.w), HF_ERR_INVALID_ARG); /* 65th level */
    for (int i = 0; i < 64; i++) {
        CHECK_STATUS(hf_jw_end_array(&f.w), HF_OK);
    }
    CHECK_INT(f.out.len, 128);
}

/* Every byte 0x00..0x1F, quote and backslash, 0x7F raw, UTF-8 untouched. */
static void test_escaping(void)
{
    static const char *const expect[32] = {
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f",
        "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
        "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    };
    fix_t f;
    char want[32];
    for (int c = 0; c < 32; c++) {
        char in[3] = {'a', (char)c, 'z'};
        fix_init(&f);
        CHECK_STATUS(hf_jw_string(&f.w, in, 3), HF_OK);
        strcpy(want, "\"a");
        strcat(want, expect[c]);
        strcat(want, "z\"");
        CHECK_STR(fix_text(&f), want);
    }
    fix_init(&f);
    CHECK_STATUS(hf_jw_cstring(&f.w, "q\"b\\s/\x7f"), HF_OK);
    CHECK_STR(fix_text(&f), "\"q\\\"b\\\\s/\x7f\"");
    /* café € 😀 as UTF-8 bytes pass through unchanged */
    fix_init(&f);
    CHECK_STATUS(hf_jw_cstring(&f.w, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), HF_OK);
    CHECK_STR(fix_text(&f), "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    fix_init(&f);
    CHECK_STATUS(hf_jw_begin_object(&f.w), HF_OK);
    CHECK_STATUS(hf_jw_key(&f.w, "k\"\n"), HF_OK);
    CHECK_STATUS(hf_jw_string(&f.w, NULL, 0), HF_OK);
    CHECK_STATUS(hf_jw_end_object(&f.w), HF_OK);
    CHECK_STR(fix_text(&f), "{\"k\\\"\\n\":\"\"}");
}

static void test_ints(void)
{
    CHECK_STR(one_int(0), "0");
    CHECK_STR(one_int(-1), "-1");
    CHECK_STR(one_int(1234567890), "1234567890");
    CHECK_STR(one_int(INT64_MAX), "9223372036854775807");
    CHECK_STR(one_int(INT64_MIN), "-9223372036854775808");
}

static void test_floats(void)
{
    CHECK_STR(one_float(0.7f), "0.7");
    CHECK_STR(one_float(0.1f), "0.1");
    CHECK_STR(one_float(1e-7f), "1e-7");
    CHECK_STR(one_float(1e-6f), "0.000001");
    CHECK_STR(one_float(3.4028235e38f), "3.4028235e+38");
    CHECK_STR(one_float(-0.0f), "-0");
    CHECK_STR(one_float(0.0f), "0");
    CHECK_STR(one_float(1.0f), "1");
    CHECK_STR(one_float(-42.0f), "-42");
    CHECK_STR(one_float(16777216.0f), "16777216");       /* 2^24 */
    CHECK_STR(one_float(1e20f), "100000000000000000000"); /* 100000002004087734272 reads back as 1e20f */
    CHECK_STR(one_float(1e21f), "1e+21");
    CHECK_STR(one_float(0.95f), "0.95");
    CHECK_STR(one_float(1.5f), "1.5");
    CHECK_STR(one_float(1.17549435e-38f), "1.1754944e-38"); /* FLT_MIN: 8 digits needed */
    CHECK_STR(one_float(1.4e-45f), "1e-45");               /* smallest subnormal 1.40129846e-45 */
    CHECK_STR(one_float(16777217.0f), "16777216");         /* not representable: rounds to 2^24 */
    CHECK_STR(one_float(0.3f), "0.3");
    CHECK_STR(one_float(123.456f), "123.456");
}

static void test_doubles(void)
{
    CHECK_STR(one_double(0.1), "0.1");
    CHECK_STR(one_double(0.7), "0.7");
    CHECK_STR(one_double(1.0 / 3.0), "0.3333333333333333");      /* 16 digits */
    CHECK_STR(one_double(0.1 + 0.2), "0.30000000000000004");     /* 17 digits */
    CHECK_STR(one_double(412.5271301269531), "412.5271301269531");
    CHECK_STR(one_double(-1e-5), "-0.00001");
    CHECK_STR(one_double(1e-7), "1e-7");
    CHECK_STR(one_double(1e22), "1e+22");
    CHECK_STR(one_double(1e21), "1e+21");
    CHECK_STR(one_double(1e-22), "1e-22");
    CHECK_STR(one_double(123456789012.0), "123456789012");
    CHECK_STR(one_double(9007199254740993.0), "9007199254740992"); /* 2^53 + 1 rounds to 2^53 */
    CHECK_STR(one_double(-0.0), "-0");
    /* 17 significant digits, where several 17-digit texts name the same double: any of them
     * is accepted as long as it reads back exactly (the parser is tested against hand values). */
    {
        static const double v17[3] = {3629048360264764400.0, 2.5036052046849134e-07, 6.02214076e23 / 7.0};
        for (int k = 0; k < 3; k++) {
            const char *t = one_double(v17[k]);
            double back = 0.0;
            CHECK_STATUS(hf_json_parse_double(t, strlen(t), &back), HF_OK);
            CHECK(back == v17[k]);
        }
    }
    CHECK_STR(one_double(2.5e-20), "2.5e-20");
}

static void test_nan_inf(void)
{
    fix_t f;
    volatile double zero = 0.0;
    fix_init(&f);
    CHECK_STATUS(hf_jw_double(&f.w, zero / zero), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_jw_double(&f.w, 1.0 / zero), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_jw_float(&f.w, (float)(-1.0 / zero)), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_jw_float(&f.w, (float)(zero / zero)), HF_ERR_INVALID_ARG);
    CHECK_INT(f.out.len, 0);
}

/* A document with every kind of value, written into `out`. */
static hf_status_t write_doc(hf_out_t *out)
{
    hf_jw_t w;
    hf_status_t st;
    hf_jw_init(&w, out);
    st = hf_jw_begin_object(&w);
    st = st == HF_OK ? hf_jw_key(&w, "inputs") : st;
    st = st == HF_OK ? hf_jw_cstring(&w, "Hello \"world\"\n\x01 caf\xC3\xA9") : st;
    st = st == HF_OK ? hf_jw_key(&w, "parameters") : st;
    st = st == HF_OK ? hf_jw_begin_object(&w) : st;
    st = st == HF_OK ? hf_jw_key(&w, "temperature") : st;
    st = st == HF_OK ? hf_jw_float(&w, 0.7f) : st;
    st = st == HF_OK ? hf_jw_key(&w, "max_new_tokens") : st;
    st = st == HF_OK ? hf_jw_int(&w, 250) : st;
    st = st == HF_OK ? hf_jw_key(&w, "stop") : st;
    st = st == HF_OK ? hf_jw_begin_array(&w) : st;
    st = st == HF_OK ? hf_jw_cstring(&w, "</s>") : st;
    st = st == HF_OK ? hf_jw_double(&w, -1e-5) : st;
    st = st == HF_OK ? hf_jw_end_array(&w) : st;
    st = st == HF_OK ? hf_jw_end_object(&w) : st;
    st = st == HF_OK ? hf_jw_end_object(&w) : st;
    return st == HF_OK ? hf_out_flush(out) : st;
}

static const char k_doc[] =
    "{\"inputs\":\"Hello \\\"world\\\"\\n\\u0001 caf\xC3\xA9\","
    "\"parameters\":{\"temperature\":0.7,\"max_new_tokens\":250,\"stop\":[\"</s>\",-0.00001]}}";

/* Counting pass equals the real length; every buffer size 1..8 yields identical bytes. */
static void test_counting_and_small_buffers(void)
{
    static cap_t c;
    hf_out_t o;
    size_t want = sizeof k_doc - 1u;
    hf_out_init_counting(&o);
    CHECK_STATUS(write_doc(&o), HF_OK);
    CHECK_INT(o.total, want);
    for (size_t cap = 1; cap <= 8; cap++) {
        uint8_t buf[8];
        memset(&c, 0, sizeof c);
        hf_out_init(&o, buf, cap, cap_flush, &c);
        CHECK_STATUS(write_doc(&o), HF_OK);
        CHECK_MEM(c.data, c.len, k_doc, want);
        CHECK_INT(o.total, want);
    }
    /* Without flush, a buffer one byte short is NO_MEMORY, never a truncated body. */
    {
        uint8_t big[256];
        hf_out_init(&o, big, want - 1u, NULL, NULL);
        CHECK_STATUS(write_doc(&o), HF_ERR_NO_MEMORY);
        hf_out_init(&o, big, want, NULL, NULL);
        CHECK_STATUS(write_doc(&o), HF_OK);
        CHECK_MEM(big, o.len, k_doc, want);
    }
}

int main(void)
{
    test_out_basic();
    test_out_flush_error_sticky();
    test_out_large_write();
    test_structure();
    test_misuse();
    test_escaping();
    test_ints();
    test_floats();
    test_doubles();
    test_nan_inf();
    test_counting_and_small_buffers();
    return CHECK_DONE();
}
