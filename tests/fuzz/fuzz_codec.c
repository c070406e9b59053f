/* libFuzzer target: decode a test type with every field kind from arbitrary JSON in a small
 * arena; whatever decodes must encode, and the encoding must decode again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hf/hf_codec.h"

typedef struct fz_inner {
    const char *name;
    double score;
    bool has_score;
    struct fz_inner *child;
} fz_inner_t;

typedef struct fz {
    const char *s;
    bool b, has_b;
    int32_t i32;
    bool has_i32;
    int64_t i64;
    bool has_i64;
    float f32;
    bool has_f32;
    double f64;
    bool has_f64;
    fz_inner_t *inner;
    fz_inner_t *items;
    size_t items_count;
    const char **tags;
    size_t tags_count;
    int64_t *ids;
    size_t ids_count;
    bool *flags;
    size_t flags_count;
    const char *raw;
    const char *req;
} fz_t;

static const hf_type_t k_inner;
static const hf_field_t k_inner_f[] = {
    HF_FIELD(fz_inner_t, name, HF_K_STR, 0),
    HF_FIELD_OPT(fz_inner_t, score, HF_K_F64),
    HF_FIELD_OBJ(fz_inner_t, child, k_inner, 0),
};
static const hf_type_t k_inner = HF_TYPE("Inner", fz_inner_t, k_inner_f);

static const hf_field_t k_fz_f[] = {
    HF_FIELD(fz_t, s, HF_K_STR, 0),
    HF_FIELD_OPT(fz_t, b, HF_K_BOOL),
    HF_FIELD_OPT(fz_t, i32, HF_K_I32),
    HF_FIELD_OPT(fz_t, i64, HF_K_I64),
    HF_FIELD_OPT(fz_t, f32, HF_K_F32),
    HF_FIELD_OPT(fz_t, f64, HF_K_F64),
    HF_FIELD_OBJ(fz_t, inner, k_inner, 0),
    HF_FIELD_OBJ_ARR(fz_t, items, k_inner, 0),
    HF_FIELD_ARR(fz_t, tags, HF_K_STR, 0),
    HF_FIELD_ARR(fz_t, ids, HF_K_I64, 0),
    HF_FIELD_ARR(fz_t, flags, HF_K_BOOL, 0),
    HF_FIELD(fz_t, raw, HF_K_RAW, 0),
    HF_FIELD(fz_t, req, HF_K_STR, HF_F_REQUIRED),
};
static const hf_type_t k_fz = HF_TYPE("Fuzz", fz_t, k_fz_f);

static char g_text[16385];
static double g_small[64]; /* 512 bytes: tokens and the decoded structs must fit */
static double g_big[8192];
static char g_out[65536];
static char g_text2[65537];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_arena_t a, a2;
    hf_json_doc_t doc, doc2;
    hf_error_t err;
    hf_out_t o;
    hf_jw_t w;
    fz_t v, v2;
    if (size >= sizeof g_text) {
        return 0;
    }
    memcpy(g_text, data, size);
    hf_arena_init(&a, g_small, sizeof g_small);
    hf_error_clear(&err);
    if (hf_json_parse(&doc, g_text, size, &a) != HF_OK ||
        hf_codec_decode(&doc, 0, &k_fz, &v, &a, &err) != HF_OK) {
        return 0;
    }
    if (v.req == NULL) {
        abort(); /* required */
    }
    hf_out_init(&o, (uint8_t *)g_out, sizeof g_out, NULL, NULL);
    hf_jw_init(&w, &o);
    if (hf_codec_encode(&w, &k_fz, &v) != HF_OK) {
        abort();
    }
    memcpy(g_text2, g_out, o.len);
    hf_arena_init(&a2, g_big, sizeof g_big);
    if (hf_json_parse(&doc2, g_text2, o.len, &a2) != HF_OK ||
        hf_codec_decode(&doc2, 0, &k_fz, &v2, &a2, &err) != HF_OK) {
        abort();
    }
    if (v2.items_count != v.items_count || v2.tags_count != v.tags_count || v2.has_i64 != v.has_i64 ||
        (v.has_i64 && v.i64 != v2.i64) || strcmp(v.req, v2.req) != 0) {
        abort();
    }
    return 0;
}
