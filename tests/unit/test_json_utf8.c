/* JSON text must be UTF-8 (RFC 8259 section 8.1): the reader refuses every ill-formed sequence
 * of RFC 3629 section 4 (Markus Kuhn's UTF-8 decoder stress test, sections 2-5, gives the
 * cases), and passes well-formed text through unchanged, in documents, through a task call at
 * every read split, and in a chat stream event. Each expected value is the spec's verdict on
 * the bytes; each offset is counted by hand in the comment next to it. */
#include <stdio.h>
#include <string.h>

#include "chat_collect.h"
#include "check.h"
#include "rig.h"

#include "hf/hf_text_classification.h"
#include "hf_priv.h"

#define ARENA (1u << 16)

typedef struct utf8_case {
    const char *bytes; /* the string's content, between the quotes */
    hf_status_t want;
} utf8_case_t;

/* Well-formed: each passes hf_json_parse and decodes to exactly its own bytes. */
static const utf8_case_t k_valid[] = {
    {"\xC3\xA9", HF_OK},         /* U+00E9 e acute */
    {"\xE2\x82\xAC", HF_OK},     /* U+20AC euro sign */
    {"\xF0\x9F\x98\x80", HF_OK}, /* U+1F600 grinning face */
    {"\xF4\x8F\xBF\xBF", HF_OK}, /* U+10FFFF, the last code point */
    {"\xC2\x80", HF_OK},         /* U+0080, first 2-byte */
    {"\xDF\xBF", HF_OK},         /* U+07FF, last 2-byte */
    {"\xE0\xA0\x80", HF_OK},     /* U+0800, first 3-byte */
    {"\xED\x9F\xBF", HF_OK},     /* U+D7FF, just below the surrogates */
    {"\xEE\x80\x80", HF_OK},     /* U+E000, just above them */
    {"\xEF\xBF\xBD", HF_OK},     /* U+FFFD */
    {"\xEF\xBF\xBF", HF_OK},     /* U+FFFF, last 3-byte (a noncharacter, still UTF-8) */
    {"\xF0\x90\x80\x80", HF_OK}, /* U+10000, first 4-byte */
    {"a\xC3\xA9z\xE2\x82\xAC\xF0\x9F\x98\x80", HF_OK},
    {"\x7F", HF_OK}, /* DEL is ASCII, allowed raw in a JSON string */
};

/* Ill-formed: each is HF_ERR_JSON_SYNTAX, wherever in the string it stands. */
static const utf8_case_t k_invalid[] = {
    {"\x80", HF_ERR_JSON_SYNTAX}, /* a continuation byte as a lead */
    {"\xBF", HF_ERR_JSON_SYNTAX},
    {"\x80\xBF\x80", HF_ERR_JSON_SYNTAX},
    {"\xC0\xAF", HF_ERR_JSON_SYNTAX},                 /* overlong '/' (2 bytes) */
    {"\xC0\x80", HF_ERR_JSON_SYNTAX},                 /* overlong NUL */
    {"\xC1\xBF", HF_ERR_JSON_SYNTAX},                 /* overlong U+007F */
    {"\xE0\x80\xAF", HF_ERR_JSON_SYNTAX},             /* overlong '/' (3 bytes) */
    {"\xE0\x9F\xBF", HF_ERR_JSON_SYNTAX},             /* overlong U+07FF */
    {"\xF0\x80\x80\xAF", HF_ERR_JSON_SYNTAX},         /* overlong '/' (4 bytes) */
    {"\xF0\x8F\xBF\xBF", HF_ERR_JSON_SYNTAX},         /* overlong U+FFFF */
    {"\xED\xA0\x80", HF_ERR_JSON_SYNTAX},             /* U+D800, a surrogate */
    {"\xED\xAD\xBF", HF_ERR_JSON_SYNTAX},             /* U+DB7F */
    {"\xED\xB0\x80", HF_ERR_JSON_SYNTAX},             /* U+DC00 */
    {"\xED\xBF\xBF", HF_ERR_JSON_SYNTAX},             /* U+DFFF */
    {"\xED\xA0\x80\xED\xB0\x80", HF_ERR_JSON_SYNTAX}, /* a pair in CESU-8, not UTF-8 */
    {"\xF4\x90\x80\x80", HF_ERR_JSON_SYNTAX},         /* U+110000 */
    {"\xF5\x80\x80\x80", HF_ERR_JSON_SYNTAX},         /* lead past F4 */
    {"\xF7\xBF\xBF\xBF", HF_ERR_JSON_SYNTAX},
    {"\xF8\x88\x80\x80\x80", HF_ERR_JSON_SYNTAX},     /* old 5-byte form */
    {"\xFC\x84\x80\x80\x80\x80", HF_ERR_JSON_SYNTAX}, /* old 6-byte form */
    {"\xFE", HF_ERR_JSON_SYNTAX},
    {"\xFF", HF_ERR_JSON_SYNTAX},
    {"\xFF\xFE\xC0\xAF", HF_ERR_JSON_SYNTAX}, /* the reviewer's label */
    {"\xC3", HF_ERR_JSON_SYNTAX},             /* truncated: the closing quote follows the lead */
    {"\xE2\x82", HF_ERR_JSON_SYNTAX},
    {"\xF0\x9F\x98", HF_ERR_JSON_SYNTAX},
    {"\xC3"
     "A",
     HF_ERR_JSON_SYNTAX}, /* lead, then a non-continuation */
    {"\xE2"
     "A\xAC",
     HF_ERR_JSON_SYNTAX},
    {"\xE2\x82"
     "A",
     HF_ERR_JSON_SYNTAX},
    {"\xF0\x9F\x98"
     "A",
     HF_ERR_JSON_SYNTAX},
    {"\xC3\xA9\xC3\xA9\xC3", HF_ERR_JSON_SYNTAX}, /* valid text, then a lone lead */
    {"\xF0\x9F\x98\x80\x80", HF_ERR_JSON_SYNTAX}, /* one continuation too many */
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static char g_text[256];
static uint8_t g_mem[4096];

/* `["` + bytes + `"]`: returns the status of hf_json_parse and, on HF_OK, checks the decoded
 * string is the bytes. The error message of a task call is checked below. */
static hf_status_t parse_in_array(const char *bytes)
{
    hf_json_doc_t doc;
    hf_arena_t a;
    const char *s = NULL;
    size_t n = 0u, blen = strlen(bytes);
    hf_status_t st;
    (void)snprintf(g_text, sizeof g_text, "[\"%s\"]", bytes);
    hf_arena_init(&a, g_mem, sizeof g_mem);
    CHECK_INT(strlen(g_text), blen + 4u);
    st = hf_json_parse(&doc, g_text, blen + 4u, &a);
    if (st == HF_OK) {
        CHECK_INT(doc.ntok, 2);
        CHECK_STATUS(hf_json_str(&doc, 1, &s, &n), HF_OK);
        CHECK_MEM(s, n, bytes, blen);
    }
    return st;
}

/* The same bytes as an object key, and after an escape and some ASCII in the value. */
static hf_status_t parse_as_key(const char *bytes)
{
    hf_json_doc_t doc;
    hf_arena_t a;
    size_t blen = strlen(bytes);
    (void)snprintf(g_text, sizeof g_text, "{\"%s\":1}", bytes);
    hf_arena_init(&a, g_mem, sizeof g_mem);
    CHECK_INT(strlen(g_text), blen + 6u);
    return hf_json_parse(&doc, g_text, blen + 6u, &a);
}

static hf_status_t parse_after_escape(const char *bytes)
{
    hf_json_doc_t doc;
    hf_arena_t a;
    size_t blen = strlen(bytes);
    /* {"k":"x\n\u00e9 is 15 bytes, ` y"}` 4 more. */
    (void)snprintf(g_text, sizeof g_text, "{\"k\":\"x\\n\\u00e9%s y\"}", bytes);
    hf_arena_init(&a, g_mem, sizeof g_mem);
    CHECK_INT(strlen(g_text), blen + 19u);
    return hf_json_parse(&doc, g_text, blen + 19u, &a);
}

static void test_documents(void)
{
    for (size_t i = 0; i < N_OF(k_valid); i++) {
        CHECK_STATUS(parse_in_array(k_valid[i].bytes), k_valid[i].want);
        CHECK_STATUS(parse_as_key(k_valid[i].bytes), k_valid[i].want);
        CHECK_STATUS(parse_after_escape(k_valid[i].bytes), k_valid[i].want);
    }
    for (size_t i = 0; i < N_OF(k_invalid); i++) {
        CHECK_STATUS(parse_in_array(k_invalid[i].bytes), k_invalid[i].want);
        CHECK_STATUS(parse_as_key(k_invalid[i].bytes), k_invalid[i].want);
        CHECK_STATUS(parse_after_escape(k_invalid[i].bytes), k_invalid[i].want);
    }
}

/* Outside strings a byte >= 0x80 is never JSON; a truncated lead at the very end of the text
 * (the string never closes) is refused as well. */
static void test_outside_strings(void)
{
    static const char *const bad[] = {
        "[1]\xFF",      "\xFF[1]", "[\xC3\xA9]",      "\xEF\xBB\xBF[1]" /* a BOM */,
        "[1,\xC0\xAF]", "\"\xC3",  "\"a\xF0\x9F\x98",
    };
    for (size_t i = 0; i < N_OF(bad); i++) {
        hf_json_doc_t doc;
        hf_arena_t a;
        hf_arena_init(&a, g_mem, sizeof g_mem);
        (void)snprintf(g_text, sizeof g_text, "%s", bad[i]);
        CHECK_STATUS(hf_json_parse(&doc, g_text, strlen(bad[i]), &a), HF_ERR_JSON_SYNTAX);
        CHECK_INT(doc.ntok, 0);
    }
}

/* The sequence checker itself, on lengths cut inside a sequence (a lead at the end of the
 * input, whatever follows in memory). */
static void test_seq(void)
{
    CHECK_INT(hf_priv_utf8_seq("A", 1u), 1);
    CHECK_INT(hf_priv_utf8_seq("\xC3\xA9", 2u), 2);
    CHECK_INT(hf_priv_utf8_seq("\xE2\x82\xAC", 3u), 3);
    CHECK_INT(hf_priv_utf8_seq("\xF4\x8F\xBF\xBF", 4u), 4);
    CHECK_INT(hf_priv_utf8_seq("\xC3\xA9", 1u), 0);
    CHECK_INT(hf_priv_utf8_seq("\xE2\x82\xAC", 2u), 0);
    CHECK_INT(hf_priv_utf8_seq("\xF0\x9F\x98\x80", 3u), 0);
    CHECK_INT(hf_priv_utf8_seq("\xF0\x9F\x98\x80", 1u), 0);
    CHECK_INT(hf_priv_utf8_seq("", 0u), 0);
    /* The standalone unescape takes the same rule. */
    {
        char out[8];
        CHECK_INT(hf_json_unescape("\xC3\xA9", 2u, out), 2);
        CHECK_MEM(out, 2u, "\xC3\xA9", 2u);
        CHECK_INT(hf_json_unescape("\xC3", 1u, out), -1);
        CHECK_INT(hf_json_unescape("a\xE2\x82", 3u, out), -1);
        CHECK_INT(hf_json_unescape("\xED\xA0\x80", 3u, out), -1);
        CHECK_INT(hf_json_unescape("\xC0\xAF", 2u, out), -1);
    }
}

/* The message names the first bad sequence's offset. */
static void test_explain(void)
{
    hf_error_t e;
    hf_error_clear(&e);
    hf_priv_error_set(&e, HF_ERR_JSON_SYNTAX, "x", NULL, NULL);
    /* `["` is bytes 0-1, so the E2 lead is byte 2 (its 82 is followed by the quote). */
    hf_priv_json_explain(&e, HF_ERR_JSON_SYNTAX, "[\"\xE2\x82\"]", 6u);
    CHECK_STR(e.message, "x: invalid UTF-8 at byte 2");
    /* `["` 0-1, C3 A9 2-3, C3 A9 4-5, the lone C3 at 6. */
    hf_priv_error_set(&e, HF_ERR_JSON_SYNTAX, "x", NULL, NULL);
    hf_priv_json_explain(&e, HF_ERR_JSON_SYNTAX, "[\"\xC3\xA9\xC3\xA9\xC3\"]", 9u);
    CHECK_STR(e.message, "x: invalid UTF-8 at byte 6");
    /* A lead at the very end of the text: byte 3 of `"ab` + C3. */
    hf_priv_error_set(&e, HF_ERR_JSON_SYNTAX, "x", NULL, NULL);
    hf_priv_json_explain(&e, HF_ERR_JSON_SYNTAX, "\"ab\xC3", 4u);
    CHECK_STR(e.message, "x: invalid UTF-8 at byte 3");
    /* A grammar error in UTF-8 text, or another status: the message stays. */
    hf_priv_error_set(&e, HF_ERR_JSON_SYNTAX, "x", NULL, NULL);
    hf_priv_json_explain(&e, HF_ERR_JSON_SYNTAX, "[\xC3\xA9]", 4u);
    CHECK_STR(e.message, "x");
    hf_priv_error_set(&e, HF_ERR_JSON_SHAPE, "x", NULL, NULL);
    hf_priv_json_explain(&e, HF_ERR_JSON_SHAPE, "\xFF", 1u);
    CHECK_STR(e.message, "x");
}

/* ------------------------------------------------------------------ through the client */

/* The reviewer's body: `[[{"label":"` is bytes 0-11 (2 brackets, a brace, the 7-byte key
 * "label" with its quotes, the colon, the opening quote), so FF is byte 12. */
static const char k_bad_body[] = "[[{\"label\":\"\xff\xfe\xc0\xaf\",\"score\":0.5}]]";
static const char k_good_body[] =
    "[[{\"label\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\",\"score\":0.5}]]";

static hf_status_t classify(void)
{
    hf_text_classification_input_t in;
    hf_text_classification_output_t out;
    hf_status_t st;
    memset(&in, 0, sizeof in);
    in.inputs = "I like you";
    st = hf_text_classification(&g_client, "m", &in, &g_arena, &out);
    if (st == HF_OK) {
        CHECK_INT(out.elements_count, 1);
        CHECK_STR(out.elements[0].label, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
        CHECK_NEAR(out.elements[0].score, 0.5, 0.0);
    }
    return st;
}

static void check_bad_body(void)
{
    CHECK_STATUS(classify(), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(g_client.err.status, HF_ERR_JSON_SYNTAX);
    CHECK_STR(g_client.err.message, "response body is not valid JSON: invalid UTF-8 at byte 12");
}

static void check_good_body(void)
{
    CHECK_STATUS(classify(), HF_OK);
}

static void test_task_call(void)
{
    size_t n = hf_rig_response(200, "application/json", k_bad_body, sizeof k_bad_body - 1u);
    hf_rig_every_delivery(g_resp, n, NULL, 0u, ARENA, check_bad_body);
    n = hf_rig_response(200, "application/json", k_good_body, sizeof k_good_body - 1u);
    hf_rig_every_delivery(g_resp, n, NULL, 0u, ARENA, check_good_body);
}

/* A chat stream: "Hi" arrives, then an event whose delta.content holds C0 AF. Within that
 * event's data, `{"choices":[{"index":0,"delta":{"content":"` is 43 bytes ({ 1, "choices" 9,
 * : 1, [ 1, { 1, "index" 7, : 1, 0 1, , 1, "delta" 7, : 1, { 1, "content" 9, : 1, " 1), so the
 * C0 is byte 43. */
#define CHUNK(TEXT) "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" TEXT "\"}}]}"

static void test_stream(void)
{
    static chat_collect_t c;
    const char *resp = hf_rig_resp_with(
        "text/event-stream", "data: " CHUNK("Hi") "\n\ndata: " CHUNK("\xC0\xAF") "\n\ndata: [DONE]\n\n");
    hf_rig_script(resp, strlen(resp), HF_RIG_ONE_BYTE, 0u, NULL, 0u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_ERR_JSON_SYNTAX);
    CHECK_STR(c.text, "Hi");
    CHECK_STR(g_client.err.message, "stream event is not valid JSON: invalid UTF-8 at byte 43");

    resp = hf_rig_resp_with("text/event-stream", "data: " CHUNK("\xF4\x90\x80\x80") "\n\n");
    hf_rig_script(resp, strlen(resp), HF_RIG_ONE_BYTE, 0u, NULL, 0u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_ERR_JSON_SYNTAX);
    CHECK_INT(c.chunks, 0);
    CHECK_STR(g_client.err.message, "stream event is not valid JSON: invalid UTF-8 at byte 43");

    /* Well-formed text streams through unchanged. */
    resp = hf_rig_resp_with("text/event-stream",
                            "data: " CHUNK("caf\xC3\xA9") "\n\ndata: " CHUNK(
                                " \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF") "\n\ndata: [DONE]\n\n");
    hf_rig_script(resp, strlen(resp), HF_RIG_ONE_BYTE, 0u, NULL, 0u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_OK);
    CHECK_STR(c.text, "caf\xC3\xA9 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF");
}

int main(void)
{
    chat_default_input();
    test_documents();
    test_outside_strings();
    test_seq();
    test_explain();
    test_task_call();
    test_stream();
    return CHECK_DONE();
}
