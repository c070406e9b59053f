/* Table-driven codec: round trips of a type with every kind, unknown keys, null, wrong types,
 * required fields, arena exhaustion. Expected JSON texts and messages are written by hand. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hf_priv.h"

typedef struct inner {
    const char *name;
    double score;
} inner_t;

typedef struct all {
    const char *s;
    bool b, has_b;
    int32_t i32;
    bool has_i32;
    int64_t i64;
    float f32;
    bool has_f32;
    double f64;
    bool has_f64;
    inner_t *inner;
    inner_t *items;
    size_t items_count;
    const char **tags;
    size_t tags_count;
    int32_t *ids;
    size_t ids_count;
    double *vals;
    size_t vals_count;
    const char *raw;
    const char *req;
    const char *nul;
    const char *either_s; /* custom: a string ... */
    int64_t either_i;     /* ... or an integer */
    bool has_either_i;
} all_t;

static const hf_field_t k_inner_fields[] = {
    HF_FIELD(inner_t, name, HF_K_STR, 0),
    HF_FIELD(inner_t, score, HF_K_F64, 0),
};
static const hf_type_t k_inner = HF_TYPE("Inner", inner_t, k_inner_fields);

static hf_status_t either_enc(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    const all_t *o = (const all_t *)obj;
    (void)f;
    return o->either_s != NULL ? hf_jw_cstring(w, o->either_s) : hf_jw_int(w, o->either_i);
}

static hf_status_t either_dec(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                              hf_error_t *err)
{
    all_t *o = (all_t *)obj;
    (void)f;
    (void)a;
    if (hf_json_i64(doc, tok, &o->either_i) == HF_OK) {
        o->has_either_i = true;
        return HF_OK;
    }
    if (hf_json_str(doc, tok, &o->either_s, NULL) == HF_OK) {
        return HF_OK;
    }
    hf_priv_error_set(err, HF_ERR_JSON_SHAPE, "expected string or integer", NULL, NULL);
    return HF_ERR_JSON_SHAPE;
}

static bool either_present(const hf_field_t *f, const void *obj)
{
    const all_t *o = (const all_t *)obj;
    (void)f;
    return o->either_s != NULL || o->has_either_i;
}

static const hf_custom_t k_either = {either_enc, either_dec, either_present};

static const hf_field_t k_all_fields[] = {
    HF_FIELD(all_t, s, HF_K_STR, 0),
    HF_FIELD_OPT(all_t, b, HF_K_BOOL),
    HF_FIELD_OPT(all_t, i32, HF_K_I32),
    HF_FIELD(all_t, i64, HF_K_I64, 0),
    HF_FIELD_OPT(all_t, f32, HF_K_F32),
    HF_FIELD_OPT(all_t, f64, HF_K_F64),
    HF_FIELD_OBJ(all_t, inner, k_inner, 0),
    HF_FIELD_OBJ_ARR(all_t, items, k_inner, 0),
    HF_FIELD_ARR(all_t, tags, HF_K_STR, 0),
    HF_FIELD_ARR(all_t, ids, HF_K_I32, 0),
    HF_FIELD_ARR(all_t, vals, HF_K_F64, 0),
    HF_FIELD(all_t, raw, HF_K_RAW, 0),
    HF_FIELD(all_t, req, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(all_t, nul, HF_K_STR, HF_F_NULLABLE),
    HF_FIELD_CUSTOM(all_t, either_s, k_either, 0),
};
static const hf_type_t k_all = HF_TYPE("AllKinds", all_t, k_all_fields);

/* The custom field's JSON name is "either_s" (the member name): the table macro stringifies it. */
static const char k_full[] =
    "{\"s\":\"hi \\\"q\\\"\",\"b\":true,\"i32\":-7,\"i64\":9007199254740993,\"f32\":0.7,\"f64\":0.1,"
    "\"inner\":{\"name\":\"in\",\"score\":2.5},\"items\":[{\"name\":\"a\",\"score\":1},{\"name\":\"b\","
    "\"score\":-0.5}],\"tags\":[\"x\",\"y\\n\"],\"ids\":[1,-2,2147483647],\"vals\":[],"
    "\"raw\":{\"k\":[1,2]},\"req\":\"r\",\"nul\":null,\"either_s\":\"e\"}";

static double g_mem_d[2048]; /* 16 KiB, 8-aligned */
static hf_arena_t g_arena;
static char g_text[2048];
static hf_error_t g_err;

static hf_status_t encode(const all_t *o, char *out, size_t cap, size_t *len)
{
    hf_out_t sink;
    hf_jw_t w;
    hf_status_t st;
    hf_out_init(&sink, (uint8_t *)out, cap - 1u, NULL, NULL);
    hf_jw_init(&w, &sink);
    st = hf_codec_encode(&w, &k_all, o);
    out[sink.len] = '\0';
    *len = sink.len;
    return st;
}

static hf_status_t parse_into(hf_json_doc_t *doc, const char *json)
{
    size_t n = strlen(json);
    hf_arena_init(&g_arena, g_mem_d, sizeof g_mem_d);
    memcpy(g_text, json, n + 1u);
    return hf_json_parse(doc, g_text, n, &g_arena);
}

static hf_status_t decode(const char *json, all_t *o)
{
    hf_json_doc_t doc;
    hf_status_t st = parse_into(&doc, json);
    hf_error_clear(&g_err);
    return st != HF_OK ? st : hf_codec_decode(&doc, 0, &k_all, o, &g_arena, &g_err);
}

static void fill(all_t *o)
{
    static inner_t inner = {"in", 2.5};
    static inner_t items[2] = {{"a", 1.0}, {"b", -0.5}};
    static const char *tags[2] = {"x", "y\n"};
    static int32_t ids[3] = {1, -2, 2147483647};
    static double vals[1];
    memset(o, 0, sizeof *o);
    o->s = "hi \"q\"";
    o->b = true, o->has_b = true;
    o->i32 = -7, o->has_i32 = true;
    o->i64 = 9007199254740993LL;
    o->f32 = 0.7f, o->has_f32 = true;
    o->f64 = 0.1, o->has_f64 = true;
    o->inner = &inner;
    o->items = items, o->items_count = 2;
    o->tags = tags, o->tags_count = 2;
    o->ids = ids, o->ids_count = 3;
    o->vals = vals, o->vals_count = 0;
    o->raw = "{\"k\":[1,2]}";
    o->req = "r";
    o->either_s = "e";
}

static void test_round_trip(void)
{
    static char out[1024], out2[1024];
    all_t o, d;
    size_t n = 0, n2 = 0;
    hf_out_t counting;
    hf_jw_t w;
    fill(&o);
    CHECK_STATUS(encode(&o, out, sizeof out, &n), HF_OK);
    CHECK_STR(out, k_full);
    hf_out_init_counting(&counting);
    hf_jw_init(&w, &counting);
    CHECK_STATUS(hf_codec_encode(&w, &k_all, &o), HF_OK);
    CHECK_INT(counting.total, sizeof k_full - 1u);

    CHECK_STATUS(decode(k_full, &d), HF_OK);
    CHECK_STR(d.s, "hi \"q\"");
    CHECK(d.has_b && d.b);
    CHECK(d.has_i32 && d.i32 == -7);
    CHECK(d.i64 == 9007199254740993LL);
    CHECK(d.has_f32 && d.f32 == 0.7f);
    CHECK(d.has_f64 && d.f64 == 0.1);
    CHECK(d.inner != NULL && d.inner->score == 2.5);
    CHECK_STR(d.inner ? d.inner->name : NULL, "in");
    CHECK_INT(d.items_count, 2);
    CHECK_STR(d.items[1].name, "b");
    CHECK(d.items[1].score == -0.5);
    CHECK_INT(d.tags_count, 2);
    CHECK_STR(d.tags[1], "y\n");
    CHECK_INT(d.ids_count, 3);
    CHECK_INT(d.ids[2], 2147483647);
    CHECK(d.vals != NULL);
    CHECK_INT(d.vals_count, 0);
    CHECK_STR(d.raw, "{\"k\":[1,2]}");
    CHECK_STR(d.req, "r");
    CHECK(d.nul == NULL);
    CHECK_STR(d.either_s, "e");
    CHECK(!d.has_either_i);
    CHECK_STATUS(encode(&d, out2, sizeof out2, &n2), HF_OK);
    CHECK_STR(out2, k_full);
}

static void test_minimal_and_absent(void)
{
    static char out[256];
    all_t o, d;
    size_t n = 0;
    memset(&o, 0, sizeof o);
    o.req = "r";
    o.either_i = 5, o.has_either_i = true;
    CHECK_STATUS(encode(&o, out, sizeof out, &n), HF_OK);
    /* i64 has no presence flag: always written; nul is NULLABLE: explicit null. */
    CHECK_STR(out, "{\"i64\":0,\"req\":\"r\",\"nul\":null,\"either_s\":5}");
    CHECK_STATUS(decode(out, &d), HF_OK);
    CHECK(d.has_either_i && d.either_i == 5);
    CHECK(d.either_s == NULL);
    /* Every field null: all absent, nothing set. */
    CHECK_STATUS(decode("{\"s\":null,\"b\":null,\"i32\":null,\"i64\":null,\"f32\":null,\"f64\":null,"
                        "\"inner\":null,\"items\":null,\"tags\":null,\"ids\":null,\"vals\":null,"
                        "\"raw\":null,\"req\":\"r\",\"nul\":null,\"either_s\":null}",
                        &d),
                 HF_OK);
    CHECK(d.s == NULL && !d.has_b && !d.has_i32 && !d.has_f32 && !d.has_f64 && d.inner == NULL);
    CHECK(d.items == NULL && d.tags == NULL && d.ids == NULL && d.vals == NULL && d.raw == NULL);
    CHECK(d.either_s == NULL && !d.has_either_i);
    /* null elements inside arrays stay zero */
    CHECK_STATUS(decode("{\"req\":\"r\",\"tags\":[null,\"a\"],\"items\":[null]}", &d), HF_OK);
    CHECK(d.tags[0] == NULL);
    CHECK_STR(d.tags[1], "a");
    CHECK(d.items_count == 1 && d.items[0].name == NULL && d.items[0].score == 0.0);
    /* Raw of a string or number keeps its JSON text. */
    CHECK_STATUS(decode("{\"raw\":\"a\\\"b\",\"req\":\"r\"}", &d), HF_OK);
    CHECK_STR(d.raw, "\"a\\\"b\"");
    CHECK_STATUS(decode("{\"raw\":-1.5e3 ,\"req\":\"r\"}", &d), HF_OK);
    CHECK_STR(d.raw, "-1.5e3");
}

static void test_unknown_keys(void)
{
    all_t d;
    /* A nested "req" inside an unknown subtree must not be taken for the root's. */
    CHECK_STATUS(decode("{\"zzz\":{\"req\":5,\"s\":[1,{\"req\":true}]},\"other\":[[],{}],\"req\":\"x\"}", &d),
                 HF_OK);
    CHECK_STR(d.req, "x");
    CHECK(d.s == NULL);
}

/* Case 02: TGI stream events with unknown "index", "logprob", "seed"; details skipped whole. */
typedef struct sotok {
    int64_t id;
    const char *text;
    bool special;
} sotok_t;
typedef struct sodet {
    const char *finish_reason;
    int64_t generated_tokens;
    bool has_generated_tokens;
} sodet_t;
typedef struct soev {
    sotok_t *token;
    const char *generated_text;
    sodet_t *details;
} soev_t;

static const hf_field_t k_sotok_f[] = {
    HF_FIELD(sotok_t, id, HF_K_I64, HF_F_REQUIRED),
    HF_FIELD(sotok_t, text, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(sotok_t, special, HF_K_BOOL, HF_F_REQUIRED),
};
static const hf_type_t k_sotok = HF_TYPE("TextGenerationStreamOutputToken", sotok_t, k_sotok_f);
static const hf_field_t k_sodet_f[] = {
    HF_FIELD(sodet_t, finish_reason, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD_OPT(sodet_t, generated_tokens, HF_K_I64),
};
static const hf_type_t k_sodet = HF_TYPE("TextGenerationStreamOutputStreamDetails", sodet_t, k_sodet_f);
static const hf_field_t k_soev_f[] = {
    HF_FIELD_OBJ(soev_t, token, k_sotok, HF_F_REQUIRED),
    HF_FIELD(soev_t, generated_text, HF_K_STR, 0),
    HF_FIELD_OBJ(soev_t, details, k_sodet, 0),
};
static const hf_type_t k_soev = HF_TYPE("TextGenerationStreamOutput", soev_t, k_soev_f);

static void test_case02(void)
{
    static const char *const ev[3] = {
        "{\"index\":1,\"token\":{\"id\":3681,\"text\":\" Paris\",\"logprob\":-0.2,\"special\":false},"
        "\"generated_text\":null,\"details\":null}",
        "{\"index\":2,\"token\":{\"id\":29889,\"text\":\".\",\"logprob\":-0.61,\"special\":false},"
        "\"generated_text\":null,\"details\":null}",
        "{\"index\":3,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":-0.05,\"special\":true},"
        "\"generated_text\":\" Paris.\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,"
        "\"seed\":null}}",
    };
    static const int64_t ids[3] = {3681, 29889, 2};
    static const char *const texts[3] = {" Paris", ".", "</s>"};
    static const bool special[3] = {false, false, true};
    for (int k = 0; k < 3; k++) {
        hf_json_doc_t doc;
        soev_t e;
        CHECK_STATUS(parse_into(&doc, ev[k]), HF_OK);
        CHECK_STATUS(hf_codec_decode(&doc, 0, &k_soev, &e, &g_arena, &g_err), HF_OK);
        CHECK(e.token != NULL);
        if (e.token == NULL) {
            continue;
        }
        CHECK(e.token->id == ids[k]);
        CHECK_STR(e.token->text, texts[k]);
        CHECK(e.token->special == special[k]);
        CHECK((e.generated_text == NULL) == (k < 2));
        CHECK((e.details == NULL) == (k < 2));
        if (k == 2 && e.details != NULL) {
            CHECK_STR(e.generated_text, " Paris.");
            CHECK_STR(e.details->finish_reason, "eos_token");
            CHECK(e.details->has_generated_tokens && e.details->generated_tokens == 3);
        }
    }
}

static void check_shape(const char *json, const char *msg)
{
    all_t d;
    CHECK_STATUS(decode(json, &d), HF_ERR_JSON_SHAPE);
    CHECK_INT(g_err.status, HF_ERR_JSON_SHAPE);
    CHECK_STR(g_err.message, msg);
}

static void test_wrong_types(void)
{
    check_shape("[]", "AllKinds: expected object");
    check_shape("{}", "AllKinds.req: missing required field");
    check_shape("{\"req\":null}", "AllKinds.req: missing required field");
    check_shape("{\"req\":1}", "AllKinds.req: expected string");
    check_shape("{\"req\":\"r\",\"b\":1}", "AllKinds.b: expected boolean");
    check_shape("{\"req\":\"r\",\"i32\":1.5}", "AllKinds.i32: expected integer");
    check_shape("{\"req\":\"r\",\"i32\":2147483648}", "AllKinds.i32: integer out of range");
    check_shape("{\"req\":\"r\",\"i64\":\"1\"}", "AllKinds.i64: expected integer");
    check_shape("{\"req\":\"r\",\"f32\":1e39}", "AllKinds.f32: number out of range for float");
    check_shape("{\"req\":\"r\",\"f64\":true}", "AllKinds.f64: expected number");
    check_shape("{\"req\":\"r\",\"inner\":[]}", "AllKinds.inner: expected object");
    check_shape("{\"req\":\"r\",\"inner\":{\"score\":\"x\"}}", "AllKinds.inner.score: expected number");
    check_shape("{\"req\":\"r\",\"items\":{}}", "AllKinds.items: expected array");
    check_shape("{\"req\":\"r\",\"items\":[{\"name\":\"a\",\"score\":1},{\"name\":\"b\",\"score\":\"x\"}]}",
                "AllKinds.items[1].score: expected number");
    check_shape("{\"req\":\"r\",\"items\":[3]}", "AllKinds.items[0]: expected object");
    check_shape("{\"req\":\"r\",\"tags\":[\"a\",1]}", "AllKinds.tags[1]: expected string");
    check_shape("{\"req\":\"r\",\"ids\":[1,2,3.5]}", "AllKinds.ids[2]: expected integer");
    check_shape("{\"req\":\"r\",\"s\":\"a\\u0000\"}", "AllKinds.s: string contains NUL");
    check_shape("{\"req\":\"r\",\"either_s\":true}", "AllKinds.either_s: expected string or integer");
    {
        all_t d;
        CHECK_STATUS(decode("{\"req\":\"r\",\"s\":\"\\ud800\"}", &d), HF_ERR_JSON_SYNTAX);
        CHECK_STR(g_err.message, "AllKinds.s: invalid string escape");
    }
}

/* Bytes the decode of k_full takes from the arena: every allocation is 8-aligned. */
static size_t up8(size_t n) { return (n + 7u) & ~(size_t)7u; }

static void test_arena_too_small(void)
{
    static hf_json_doc_t doc;
    static double small_d[512];
    size_t need = up8(sizeof(inner_t)) + up8(2 * sizeof(inner_t)) + up8(2 * sizeof(char *)) +
                  up8(3 * sizeof(int32_t)) + 0u;
    all_t d;
    hf_arena_t a;
    CHECK(need <= sizeof small_d);
    for (size_t cap = 0; cap < need; cap++) {
        CHECK_STATUS(parse_into(&doc, k_full), HF_OK);
        hf_arena_init(&a, small_d, cap);
        hf_error_clear(&g_err);
        CHECK_STATUS(hf_codec_decode(&doc, 0, &k_all, &d, &a, &g_err), HF_ERR_NO_MEMORY);
        CHECK_INT(g_err.status, HF_ERR_NO_MEMORY);
        CHECK(g_err.needed > cap);
    }
    CHECK_STATUS(parse_into(&doc, k_full), HF_OK);
    hf_arena_init(&a, small_d, need);
    CHECK_STATUS(hf_codec_decode(&doc, 0, &k_all, &d, &a, &g_err), HF_OK);
    CHECK_INT(a.used, need);
    /* detail names the field whose allocation failed */
    CHECK_STATUS(parse_into(&doc, k_full), HF_OK);
    hf_arena_init(&a, small_d, up8(sizeof(inner_t)));
    CHECK_STATUS(hf_codec_decode(&doc, 0, &k_all, &d, &a, &g_err), HF_ERR_NO_MEMORY);
    CHECK_STR(g_err.message, "AllKinds.items: arena too small");
}

/* A self-referential type: recursion is capped, a cycle fails instead of overflowing the stack. */
typedef struct node {
    struct node *next;
    int64_t v;
} node_t;
static const hf_type_t k_node;
static const hf_field_t k_node_f[] = {
    HF_FIELD_OBJ(node_t, next, k_node, 0),
    HF_FIELD(node_t, v, HF_K_I64, 0),
};
static const hf_type_t k_node = HF_TYPE("Node", node_t, k_node_f);

static void test_depth(void)
{
    static char out[64];
    hf_out_t sink;
    hf_jw_t w;
    node_t n1, n2;
    hf_json_doc_t doc;
    n1.next = &n2, n1.v = 1;
    n2.next = NULL, n2.v = 2;
    hf_out_init(&sink, (uint8_t *)out, sizeof out - 1u, NULL, NULL);
    hf_jw_init(&w, &sink);
    CHECK_STATUS(hf_codec_encode(&w, &k_node, &n1), HF_OK);
    out[sink.len] = '\0';
    CHECK_STR(out, "{\"next\":{\"v\":2},\"v\":1}");
    n2.next = &n1; /* cycle */
    hf_out_init_counting(&sink);
    hf_jw_init(&w, &sink);
    CHECK_STATUS(hf_codec_encode(&w, &k_node, &n1), HF_ERR_INVALID_ARG);
    CHECK_STATUS(parse_into(&doc, "{\"next\":{\"next\":{\"v\":3},\"v\":2},\"v\":1}"), HF_OK);
    CHECK_STATUS(hf_codec_decode(&doc, 0, &k_node, &n1, &g_arena, &g_err), HF_OK);
    CHECK(n1.v == 1 && n1.next && n1.next->v == 2 && n1.next->next && n1.next->next->v == 3);
    CHECK(n1.next && n1.next->next && n1.next->next->next == NULL);
}

static void test_encode_errors(void)
{
    all_t o;
    char out[512];
    size_t n = 0;
    volatile float zero = 0.0f;
    fill(&o);
    o.f32 = zero / zero;
    CHECK_STATUS(encode(&o, out, sizeof out, &n), HF_ERR_INVALID_ARG);
    fill(&o);
    CHECK_STATUS(encode(&o, out, 40, &n), HF_ERR_NO_MEMORY);
    CHECK_STATUS(hf_codec_decode(NULL, 0, &k_all, &o, &g_arena, &g_err), HF_ERR_INVALID_ARG);
}

int main(void)
{
    test_round_trip();
    test_minimal_and_absent();
    test_unknown_keys();
    test_case02();
    test_wrong_types();
    test_arena_too_small();
    test_depth();
    test_encode_errors();
    return CHECK_DONE();
}
