/* Messages of valid JSON that a C field cannot hold: a number beyond the float (or double)
 * range says so instead of "expected number"; a number too small for it reads as 0 (IEEE
 * underflow, documented in hf_codec.h); a stream event nested deeper than HF_JSON_MAX_DEPTH
 * says that, not "not valid JSON". Limits by hand: FLT_MAX = 3.4028234663852886e38,
 * DBL_MAX = 1.7976931348623157e308, smallest float subnormal 2^-149 = 1.4e-45. */
#include <stdio.h>
#include <string.h>

#include "chat_collect.h"
#include "check.h"
#include "rig.h"

#include "hf/hf_codec.h"
#include "hf/hf_text_classification.h"
#include "hf_priv.h"

#define ARENA (1u << 16)

typedef struct num {
    float f;
    double d;
} num_t;

static const hf_field_t k_num_fields[] = {
    HF_FIELD(num_t, f, HF_K_F32, 0u),
    HF_FIELD(num_t, d, HF_K_F64, 0u),
};
static const hf_type_t k_num = HF_TYPE("Num", num_t, k_num_fields);

static char g_text[1024];
static uint8_t g_mem[8192];
static hf_error_t g_err;

static hf_status_t decode(const char *json, num_t *out)
{
    hf_json_doc_t doc;
    hf_arena_t a;
    hf_status_t st;
    (void)snprintf(g_text, sizeof g_text, "%s", json);
    hf_arena_init(&a, g_mem, sizeof g_mem);
    hf_error_clear(&g_err);
    st = hf_json_parse(&doc, g_text, strlen(json), &a);
    if (st != HF_OK) {
        return st;
    }
    return hf_codec_decode(&doc, 0, &k_num, out, &a, &g_err);
}

static void check_shape(const char *json, const char *msg)
{
    num_t n;
    CHECK_STATUS(decode(json, &n), HF_ERR_JSON_SHAPE);
    CHECK_STR(g_err.message, msg);
}

/* "1" and 399 zeros: 1e399, a valid JSON integer. */
static const char *big_integer(const char *key)
{
    static char buf[512];
    size_t k = (size_t)snprintf(buf, sizeof buf, "{\"%s\":1", key);
    for (int i = 0; i < 399; i++) {
        buf[k++] = '0';
    }
    buf[k++] = '}';
    buf[k] = '\0';
    return buf;
}

static void test_out_of_range(void)
{
    check_shape("{\"f\":1e308}", "Num.f: number out of range for float");
    check_shape("{\"f\":-1e39}", "Num.f: number out of range for float");
    check_shape("{\"f\":3.5e38}", "Num.f: number out of range for float");
    check_shape(big_integer("f"), "Num.f: number out of range for float");
    check_shape("{\"d\":1e309}", "Num.d: number out of range for double");
    check_shape("{\"d\":-2e308}", "Num.d: number out of range for double");
    check_shape(big_integer("d"), "Num.d: number out of range for double");
    /* Not a number at all: the message is unchanged. */
    check_shape("{\"f\":\"1\"}", "Num.f: expected number");
    check_shape("{\"d\":true}", "Num.d: expected number");
}

static void test_in_range_and_underflow(void)
{
    num_t n;
    CHECK_STATUS(decode("{\"f\":3.4028234663852886e38,\"d\":1.7976931348623157e308}", &n), HF_OK);
    CHECK(n.f == 3.4028234663852886e38f);
    /* Past 1e27 the reader is within a few ulps (hf_json.h), not exact. */
    CHECK(n.d > 1.79769313486231e308);
    /* Too small for the field: 0, no error (IEEE rounding); 1e-60 < 2^-150 for float. */
    CHECK_STATUS(decode("{\"f\":1e-60,\"d\":1e-400}", &n), HF_OK);
    CHECK(n.f == 0.0f);
    CHECK(n.d == 0.0);
    CHECK_STATUS(decode("{\"f\":-1e-60}", &n), HF_OK);
    CHECK(n.f == 0.0f);
    /* 1e-40 is a float subnormal (above 2^-149), kept to within one subnormal step. */
    CHECK_STATUS(decode("{\"f\":1e-40}", &n), HF_OK);
    CHECK_NEAR(n.f, 1e-40, 1.5e-45);
}

/* Through a task: the score of a label. */
static void test_task(void)
{
    hf_text_classification_input_t in;
    hf_text_classification_output_t out;
    const char *m;
    size_t ml, wl;
    static const char want[] = "score: number out of range for float";
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_json("[[{\"label\":\"POSITIVE\",\"score\":1e308}]]");
    memset(&in, 0, sizeof in);
    in.inputs = "x";
    CHECK_STATUS(hf_text_classification(&g_client, "m", &in, &g_arena, &out), HF_ERR_JSON_SHAPE);
    m = g_client.err.message;
    ml = strlen(m);
    wl = sizeof want - 1u;
    CHECK(ml >= wl && strcmp(m + ml - wl, want) == 0);
    if (!(ml >= wl && strcmp(m + ml - wl, want) == 0)) {
        fprintf(stderr, "message: %s\n", m);
    }
}

/* A stream event of HF_JSON_MAX_DEPTH + 1 nested arrays (the deepest the reader takes is
 * HF_JSON_MAX_DEPTH), then one of exactly HF_JSON_MAX_DEPTH, which is only of the wrong
 * shape for a chunk. */
static void test_stream_depth(void)
{
    static chat_collect_t c;
    static char body[512];
    const char *resp;
    size_t k = 0;
    k += (size_t)snprintf(body, sizeof body, "data: ");
    for (int i = 0; i < HF_JSON_MAX_DEPTH + 1; i++) {
        body[k++] = '[';
    }
    for (int i = 0; i < HF_JSON_MAX_DEPTH + 1; i++) {
        body[k++] = ']';
    }
    memcpy(body + k, "\n\n", 3u);
    resp = hf_rig_resp_with("text/event-stream", body);
    hf_rig_script(resp, strlen(resp), HF_RIG_ONE_BYTE, 0u, NULL, 0u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_ERR_JSON_SHAPE);
    CHECK_STR(g_client.err.message, "stream event nested deeper than HF_JSON_MAX_DEPTH");

    k = (size_t)snprintf(body, sizeof body, "data: ");
    for (int i = 0; i < HF_JSON_MAX_DEPTH; i++) {
        body[k++] = '[';
    }
    for (int i = 0; i < HF_JSON_MAX_DEPTH; i++) {
        body[k++] = ']';
    }
    memcpy(body + k, "\n\n", 3u);
    resp = hf_rig_resp_with("text/event-stream", body);
    hf_rig_script(resp, strlen(resp), HF_RIG_ONE_BYTE, 0u, NULL, 0u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_ERR_JSON_SHAPE);
    CHECK(strcmp(g_client.err.message, "stream event nested deeper than HF_JSON_MAX_DEPTH") != 0);
}

int main(void)
{
    chat_default_input();
    test_out_of_range();
    test_in_range_and_underflow();
    test_task();
    test_stream_depth();
    return CHECK_DONE();
}
