/* Base64 and blob writers (core/src/base64.c): the RFC 4648 section 10 vectors, the encoder
 * fed in every split and drained through sinks of every small size, the strict decoder
 * (alphabet, padding, truncation, pad bits), blobs from memory and from readers (counting
 * pass without reads, short / failing / over-reporting readers) and the codec hooks. */
#include <stdio.h>
#include <string.h>

#include "check.h"

#include "hf_priv.h"

/* RFC 4648 section 10. */
static const char *const k_plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
static const char *const k_b64[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};

/* Bytes 0x00..0xFF, encoded (the well-known table-of-all-bytes text). */
static const char k_all256[] =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9Q"
    "UVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6Ch"
    "oqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy"
    "8/T19vf4+fr7/P3+/w==";

static uint8_t g_all[256];

/* ------------------------------------------------------------------ a collecting sink */

static char g_got[4096];
static size_t g_got_len;

static hf_status_t collect(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    if (g_got_len + len > sizeof g_got) {
        return HF_ERR_NO_MEMORY;
    }
    memcpy(g_got + g_got_len, data, len);
    g_got_len += len;
    return HF_OK;
}

static uint8_t g_obuf[64];

static void sink(hf_out_t *o, size_t cap)
{
    g_got_len = 0u;
    hf_out_init(o, g_obuf, cap, collect, NULL);
}

static void done(hf_out_t *o)
{
    CHECK_STATUS(hf_out_flush(o), HF_OK);
}

/* ------------------------------------------------------------------ encoder */

static void test_rfc_vectors(void)
{
    for (size_t i = 0; i < sizeof k_plain / sizeof k_plain[0]; i++) {
        hf_priv_b64_t e;
        hf_out_t o;
        sink(&o, sizeof g_obuf);
        hf_priv_b64_init(&e);
        CHECK_STATUS(hf_priv_b64_write(&e, &o, (const uint8_t *)k_plain[i], strlen(k_plain[i])), HF_OK);
        CHECK_STATUS(hf_priv_b64_finish(&e, &o), HF_OK);
        done(&o);
        CHECK_MEM(g_got, g_got_len, k_b64[i], strlen(k_b64[i]));
        CHECK_INT(hf_priv_b64_len(strlen(k_plain[i])), strlen(k_b64[i]));
    }
    CHECK_INT(hf_priv_b64_len(256u), 344u); /* 86 groups */
    CHECK(hf_priv_b64_len((size_t)-1) == (size_t)-1);
}

/* Every piece size (1..256), and every two-piece cut, through every sink size 1..9 and 64. */
static void encode_pieces(size_t piece, size_t cut, size_t cap)
{
    hf_priv_b64_t e;
    hf_out_t o;
    size_t off = 0u;
    sink(&o, cap);
    hf_priv_b64_init(&e);
    while (off < sizeof g_all) {
        size_t n = cut != 0u ? (off == 0u ? cut : sizeof g_all - cut) : piece;
        n = n < sizeof g_all - off ? n : sizeof g_all - off;
        CHECK_STATUS(hf_priv_b64_write(&e, &o, g_all + off, n), HF_OK);
        off += n;
    }
    CHECK_STATUS(hf_priv_b64_write(&e, &o, NULL, 0u), HF_OK);
    CHECK_STATUS(hf_priv_b64_finish(&e, &o), HF_OK);
    done(&o);
    CHECK_MEM(g_got, g_got_len, k_all256, sizeof k_all256 - 1u);
}

static void test_every_split(void)
{
    CHECK_INT(sizeof k_all256 - 1u, 344u);
    for (size_t piece = 1; piece <= sizeof g_all; piece++) {
        encode_pieces(piece, 0u, piece <= 9u ? piece : sizeof g_obuf);
    }
    for (size_t cut = 1; cut < sizeof g_all; cut++) {
        encode_pieces(0u, cut, 1u + cut % 9u);
    }
    /* "foobar" in every composition of its 6 bytes (5 cut points: 32 ways). */
    for (unsigned mask = 0; mask < 32u; mask++) {
        hf_priv_b64_t e;
        hf_out_t o;
        size_t start = 0u;
        sink(&o, 3u);
        hf_priv_b64_init(&e);
        for (size_t i = 1; i <= 6u; i++) {
            if (i == 6u || (mask & (1u << (i - 1u))) != 0u) {
                CHECK_STATUS(hf_priv_b64_write(&e, &o, (const uint8_t *)"foobar" + start, i - start), HF_OK);
                start = i;
            }
        }
        CHECK_STATUS(hf_priv_b64_finish(&e, &o), HF_OK);
        done(&o);
        CHECK_MEM(g_got, g_got_len, "Zm9vYmFy", 8u);
    }
}

/* ------------------------------------------------------------------ decoder */

static hf_status_t decode(const char *text, char *dst, size_t *n, const char **why)
{
    static char buf[512];
    size_t len = strlen(text);
    hf_status_t st;
    memcpy(buf, text, len + 1u);
    st = hf_priv_b64_decode((uint8_t *)buf, len, n, why);
    memcpy(dst, buf, *n);
    return st;
}

static void test_decode_ok(void)
{
    char out[512];
    size_t n = 99u;
    const char *why = "x";
    for (size_t i = 0; i < sizeof k_plain / sizeof k_plain[0]; i++) {
        CHECK_STATUS(decode(k_b64[i], out, &n, &why), HF_OK);
        CHECK_MEM(out, n, k_plain[i], strlen(k_plain[i]));
        CHECK(why == NULL);
    }
    CHECK_STATUS(decode(k_all256, out, &n, &why), HF_OK);
    CHECK_MEM(out, n, g_all, sizeof g_all);
    CHECK_STATUS(hf_priv_b64_decode(NULL, 0u, &n, NULL), HF_OK);
    CHECK_INT(n, 0);
}

static void test_decode_strict(void)
{
    static const char *const bad[] = {
        "Zg=",       /* truncated padding */
        "Zg",        /* no padding */
        "Zm9vYmF",   /* truncated */
        "Z",         /* one character */
        "Z===",      /* three pads */
        "====",      /* only pads */
        "=Zg=",      /* pad first */
        "Zg==Zg==",  /* pad in the middle */
        "Zm=v",      /* pad inside a group */
        "Zh==",      /* 'h' leaves non-zero bits under "==" */
        "Zm9=",      /* '9' leaves non-zero bits under "=" */
        "Zm9v YmFy", /* space */
        "Zm9v\nYmFy",/* newline */
        "Zm9vYmF\r", /* CR */
        "Zm9v-mFy",  /* base64url characters */
        "Zm9v_mFy",
        "Zm9v!mFy",
        "Zm9v\x80mFy",
    };
    char out[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = 99u;
        const char *why = NULL;
        hf_status_t st = decode(bad[i], out, &n, &why);
        CHECK_STATUS(st, HF_ERR_JSON_SHAPE);
        CHECK(why != NULL && why[0] != '\0');
        CHECK_INT(n, 0);
        if (st == HF_OK) {
            fprintf(stderr, "  accepted bad input #%zu\n", i);
        }
    }
}

/* ------------------------------------------------------------------ blobs */

typedef struct reader {
    const uint8_t *src;
    size_t len, off;
    size_t max_piece;   /* at most this many bytes per call */
    size_t stop_at;     /* != 0: deliver nothing from here */
    int fail_at_call;   /* != 0: that call returns HF_ERR_IO */
    int over_report;    /* report cap + 1 */
    int calls, rewinds;
} reader_t;

static hf_status_t rd(void *user, uint8_t *buf, size_t cap, size_t *got)
{
    reader_t *r = (reader_t *)user;
    size_t n = r->len - r->off;
    r->calls++;
    if (r->fail_at_call != 0 && r->calls == r->fail_at_call) {
        return HF_ERR_IO;
    }
    if (r->stop_at != 0u && r->off >= r->stop_at) {
        *got = 0u;
        return HF_OK;
    }
    n = n < cap ? n : cap;
    n = n < r->max_piece ? n : r->max_piece;
    memcpy(buf, r->src + r->off, n);
    r->off += n;
    *got = r->over_report ? cap + 1u : n;
    return HF_OK;
}

static hf_status_t rw(void *user)
{
    reader_t *r = (reader_t *)user;
    r->off = 0u;
    r->rewinds++;
    return HF_OK;
}

static void reader_blob(hf_blob_t *b, reader_t *r, size_t piece)
{
    memset(r, 0, sizeof *r);
    r->src = g_all;
    r->len = sizeof g_all;
    r->max_piece = piece;
    memset(b, 0, sizeof *b);
    b->read = rd;
    b->rewind = rw;
    b->user = r;
    b->total_len = sizeof g_all;
}

static void test_blob_raw(void)
{
    hf_blob_t b;
    reader_t r;
    hf_out_t o;
    memset(&b, 0, sizeof b);
    b.data = g_all;
    b.data_len = sizeof g_all;
    for (size_t cap = 1; cap <= sizeof g_obuf; cap++) {
        sink(&o, cap);
        CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_OK);
        done(&o);
        CHECK_MEM(g_got, g_got_len, g_all, sizeof g_all);
    }
    for (size_t piece = 1; piece <= 70u; piece += 3u) {
        reader_blob(&b, &r, piece);
        hf_out_init_counting(&o);
        CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_OK);
        CHECK_INT(o.total, 256);
        CHECK_INT(r.calls, 0); /* counting never reads */
        sink(&o, 1u + piece % 64u);
        r.off = 17u; /* left mid-way by an earlier attempt: the rewind puts it back */
        CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_OK);
        done(&o);
        CHECK_MEM(g_got, g_got_len, g_all, sizeof g_all);
        CHECK_INT(r.rewinds, 1);
    }
    /* A sink without flush that is full, a short source, a failing one, a lying one. */
    reader_blob(&b, &r, 256u);
    hf_out_init(&o, g_obuf, 10u, NULL, NULL);
    CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_ERR_NO_MEMORY);
    reader_blob(&b, &r, 5u);
    r.stop_at = 100u;
    sink(&o, 16u);
    CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_ERR_INVALID_ARG);
    CHECK_STATUS(o.err, HF_ERR_INVALID_ARG);
    reader_blob(&b, &r, 5u);
    r.fail_at_call = 3;
    sink(&o, 16u);
    CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_ERR_IO);
    CHECK_INT(r.calls, 3);
    reader_blob(&b, &r, 5u);
    r.over_report = 1;
    sink(&o, 16u);
    CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_ERR_INVALID_ARG);
    /* Two sources, none, an empty one. */
    reader_blob(&b, &r, 5u);
    b.data = g_all;
    sink(&o, 16u);
    CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_ERR_INVALID_ARG);
    memset(&b, 0, sizeof b);
    sink(&o, 16u);
    CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_ERR_INVALID_ARG);
    b.data = g_all;
    sink(&o, 16u);
    CHECK_STATUS(hf_priv_blob_write_raw(&b, &o), HF_ERR_INVALID_ARG);
}

static void test_blob_b64(void)
{
    hf_blob_t b;
    reader_t r;
    hf_out_t o;
    static char want[400];
    want[0] = '"';
    memcpy(want + 1, k_all256, 344u);
    want[345] = '"';
    for (size_t piece = 1; piece <= 257u; piece += 4u) {
        reader_blob(&b, &r, piece);
        hf_out_init_counting(&o);
        CHECK_STATUS(hf_priv_blob_write_b64(&b, &o), HF_OK);
        CHECK_INT(o.total, 346);
        CHECK_INT(r.calls, 0);
        sink(&o, 1u + piece % 64u);
        CHECK_STATUS(hf_priv_blob_write_b64(&b, &o), HF_OK);
        done(&o);
        CHECK_MEM(g_got, g_got_len, want, 346u);
    }
    memset(&b, 0, sizeof b);
    b.data = (const uint8_t *)"foob";
    b.data_len = 4u;
    sink(&o, 5u);
    CHECK_STATUS(hf_priv_blob_write_b64(&b, &o), HF_OK);
    done(&o);
    CHECK_MEM(g_got, g_got_len, "\"Zm9vYg==\"", 10u);
    reader_blob(&b, &r, 7u);
    r.stop_at = 200u;
    sink(&o, 16u);
    CHECK_STATUS(hf_priv_blob_write_b64(&b, &o), HF_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ codec hooks */

typedef struct holder {
    hf_blob_t inputs;
} holder_t;

static const hf_field_t k_holder_fields[] = {
    HF_FIELD_CUSTOM(holder_t, inputs, hf_priv_blob_b64_hooks, HF_F_REQUIRED),
};
static const hf_type_t k_holder = HF_TYPE("Holder", holder_t, k_holder_fields);

static hf_status_t hook_decode(const char *json, holder_t *h, hf_error_t *err)
{
    static char text[512];
    static uint8_t mem[4096];
    hf_arena_t a;
    hf_json_doc_t doc;
    size_t n = strlen(json);
    hf_status_t st;
    memcpy(text, json, n + 1u);
    hf_arena_init(&a, mem, sizeof mem);
    hf_error_clear(err);
    st = hf_json_parse(&doc, text, n, &a);
    return st == HF_OK ? hf_codec_decode(&doc, 0, &k_holder, h, &a, err) : st;
}

static void test_hooks(void)
{
    holder_t h;
    hf_error_t err;
    hf_out_t o;
    hf_jw_t w;
    CHECK_STATUS(hook_decode("{\"inputs\":\"Zm9vYmE=\"}", &h, &err), HF_OK);
    CHECK_MEM(h.inputs.data, h.inputs.data_len, "fooba", 5u);
    CHECK(h.inputs.read == NULL && h.inputs.content_type == NULL);
    sink(&o, 7u);
    hf_jw_init(&w, &o);
    CHECK_STATUS(hf_codec_encode(&w, &k_holder, &h), HF_OK);
    done(&o);
    CHECK_MEM(g_got, g_got_len, "{\"inputs\":\"Zm9vYmE=\"}", 21u);
    /* A JSON escape is undone before the base64: "\/" is '/'. */
    CHECK_STATUS(hook_decode("{\"inputs\":\"\\/w==\"}", &h, &err), HF_OK);
    CHECK_MEM(h.inputs.data, h.inputs.data_len, "\xff", 1u);
    CHECK_STATUS(hook_decode("{\"inputs\":\"\"}", &h, &err), HF_OK);
    CHECK_INT(h.inputs.data_len, 0);
    CHECK_STATUS(hook_decode("{\"inputs\":\"Zm9vYmE\"}", &h, &err), HF_ERR_JSON_SHAPE);
    CHECK(strstr(err.message, "inputs") != NULL && strstr(err.message, "multiple of 4") != NULL);
    CHECK_STATUS(hook_decode("{\"inputs\":\"Zm9v\\nYmE=\"}", &h, &err), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hook_decode("{\"inputs\":5}", &h, &err), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hook_decode("{\"inputs\":[\"Zg==\"]}", &h, &err), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hook_decode("{}", &h, &err), HF_ERR_JSON_SHAPE);
    /* Encoding a holder with two sources is refused. */
    h.inputs.data = g_all;
    h.inputs.data_len = 1u;
    h.inputs.read = rd;
    sink(&o, 7u);
    hf_jw_init(&w, &o);
    CHECK(hf_codec_encode(&w, &k_holder, &h) != HF_OK);
}

int main(void)
{
    for (size_t i = 0; i < sizeof g_all; i++) {
        g_all[i] = (uint8_t)i;
    }
    test_rfc_vectors();
    test_every_split();
    test_decode_ok();
    test_decode_strict();
    test_blob_raw();
    test_blob_b64();
    test_hooks();
    return CHECK_DONE();
}
