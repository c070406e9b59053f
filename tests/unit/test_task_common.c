/* Task runner (tasks/common.c): one-shot JSON accumulation and its bounds, content-type
 * checks, result unwrapping (case 13), SSE streams with error events, callback failures and
 * per-event arena rewinds. Expected values come from the case files or are hand-computed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rig.h"

#include "hf_priv.h"

#define ARENA (1u << 16)
#define IO_SIZE 256u

static hf_status_t write_inputs(void *user, hf_out_t *out)
{
    (void)user;
    return hf_out_puts(out, "{\"inputs\":\"x\"}");
}

static const hf_task_body_t k_body = {NULL, NULL, write_inputs, NULL, NULL};

/* ------------------------------------------------------------------ case 13 */

static const char k_case13a[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 49\r\n\r\n"
                                "[{\"generated_text\":\"a dog running on the beach\"}]";
static const char k_case13b[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 47\r\n\r\n"
                                "{\"generated_text\":\"a dog running on the beach\"}";

static void json_call(const char *resp, size_t len, size_t at, hf_json_doc_t *doc, hf_status_t want)
{
    hf_rig_setup(0u, 0u, ARENA);
    if (at > 0u && at < len) {
        hf_mock_add(&g_mock, HF_MOCK_DATA, resp, at, 0);
        hf_mock_add(&g_mock, HF_MOCK_DATA, resp + at, len - at, 0);
    } else {
        hf_mock_add(&g_mock, HF_MOCK_DATA, resp, len, 0);
    }
    CHECK_STATUS(hf_priv_task_json(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, doc), want);
}

static void check_generated(hf_json_doc_t *doc)
{
    int root = -1, t;
    const char *s = NULL;
    size_t n = 0;
    CHECK_STATUS(hf_priv_unwrap_first(doc, 0, &root), HF_OK);
    t = hf_json_get(doc, root, "generated_text");
    CHECK_STATUS(hf_json_str(doc, t, &s, &n), HF_OK);
    CHECK_STR(s, "a dog running on the beach");
    CHECK_INT(n, 26);
}

static void test_case13(void)
{
    hf_json_doc_t doc;
    CHECK_INT(strlen(strstr(k_case13a, "\r\n\r\n") + 4), 49);
    CHECK_INT(strlen(strstr(k_case13b, "\r\n\r\n") + 4), 47);
    for (size_t at = 0; at < sizeof k_case13a - 1u; at++) {
        int before = hf_check_fail;
        json_call(k_case13a, sizeof k_case13a - 1u, at, &doc, HF_OK);
        check_generated(&doc);
        json_call(k_case13b, sizeof k_case13b - 1u, at, &doc, HF_OK);
        check_generated(&doc);
        if (hf_check_fail > before) {
            fprintf(stderr, "  ^ split at %zu\n", at);
            break;
        }
    }
    /* The request: JSON content type, body as written, path of the model route. */
    CHECK(strncmp((const char *)g_mock.sent, "POST /hf-inference/models/gpt2 HTTP/1.1\r\n", 41u) == 0);
    CHECK(strstr((const char *)g_mock.sent, "\r\nContent-Type: application/json\r\n") != NULL ||
          strstr((const char *)g_mock.sent, "\r\ncontent-type: application/json\r\n") != NULL);
    CHECK(g_mock.sent_len >= 14u && memcmp(g_mock.sent + g_mock.sent_len - 14u, "{\"inputs\":\"x\"}", 14u) == 0);
    /* An empty list is an empty result, not an out-of-bounds read. */
    {
        const char *r = hf_rig_resp_with("application/json", "[]");
        int root = 7;
        json_call(r, strlen(r), 0u, &doc, HF_OK);
        CHECK_STATUS(hf_priv_unwrap_first(&doc, 0, &root), HF_ERR_EMPTY_RESULT);
        r = hf_rig_resp_with("application/json", "[[{\"label\":\"a\",\"score\":1}]]");
        json_call(r, strlen(r), 0u, &doc, HF_OK);
        CHECK_STATUS(hf_priv_unwrap_first(&doc, 0, &root), HF_OK);
        CHECK_INT(root, 1);
        CHECK_STATUS(hf_priv_unwrap_first(&doc, root, &root), HF_OK);
        CHECK_INT(root, 2);
        CHECK_STATUS(hf_priv_unwrap_first(&doc, 99, &root), HF_ERR_INVALID_ARG);
    }
}

/* ------------------------------------------------------------------ one-shot bounds and types */

static void test_json_edges(void)
{
    hf_json_doc_t doc;
    const char *r;
    /* Content-Length 47 and an arena of 40: fails early, needs at least 47 + 1 bytes. */
    hf_rig_setup(0u, 0u, 40u);
    hf_mock_add(&g_mock, HF_MOCK_DATA, k_case13b, sizeof k_case13b - 1u, 0);
    CHECK_STATUS(hf_priv_task_json(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, &doc), HF_ERR_NO_MEMORY);
    CHECK_STATUS(g_client.err.status, HF_ERR_NO_MEMORY);
    CHECK_INT(g_client.err.needed, 48);
    /* Exactly 48 bytes hold the text; its 3 tokens (48 B) go to the idle 256-byte I/O buffer. */
    hf_rig_setup(0u, 0u, 48u);
    hf_mock_add(&g_mock, HF_MOCK_DATA, k_case13b, sizeof k_case13b - 1u, 0);
    CHECK_STATUS(hf_priv_task_json(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, &doc), HF_OK);
    CHECK_INT(doc.ntok, 3);
    CHECK((const uint8_t *)doc.tok >= hf_rig_io() && (const uint8_t *)(doc.tok + 3) <= hf_rig_io() + IO_SIZE);
    CHECK_INT(hf_arena_peak(&g_arena), 48);
    check_generated(&doc);
    /* 28 tokens (448 B) do not fit the I/O buffer: the arena takes them after the 55 + 1 text
     * bytes, so 56 bytes fail with needed 56 + 448, and 504 bytes succeed. */
    r = hf_rig_resp_with("application/json", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]");
    hf_rig_setup(0u, 0u, 56u);
    hf_mock_add_str(&g_mock, r);
    CHECK_STATUS(hf_priv_task_json(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, &doc), HF_ERR_NO_MEMORY);
    CHECK_INT(g_client.err.needed, 504);
    hf_rig_setup(0u, 0u, 504u);
    hf_mock_add_str(&g_mock, r);
    CHECK_STATUS(hf_priv_task_json(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, &doc), HF_OK);
    CHECK_INT(doc.ntok, 28);
    CHECK((const uint8_t *)doc.tok == hf_rig_mem() + 56);
    CHECK_INT(hf_arena_peak(&g_arena), 504);
    /* Chunked without a length: fails when it overflows, needed covers what arrived (>= 21). */
    hf_rig_setup(0u, 0u, 20u);
    hf_mock_add_str(&g_mock, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "14\r\n{\"a\":\"0123456789ab\"}\r\n0\r\n\r\n");
    CHECK_STATUS(hf_priv_task_json(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, &doc), HF_ERR_NO_MEMORY);
    CHECK(g_client.err.needed >= 21u);
    /* Content types: JSON with parameters and +json are JSON; others are not. */
    r = hf_rig_resp_with("Application/JSON; charset=utf-8", "{}");
    json_call(r, strlen(r), 0u, &doc, HF_OK);
    r = hf_rig_resp_with("application/problem+json", "{}");
    json_call(r, strlen(r), 0u, &doc, HF_OK);
    r = hf_rig_resp_with("application/jsonp", "{}");
    json_call(r, strlen(r), 0u, &doc, HF_ERR_JSON_SHAPE);
    CHECK(strstr(g_client.err.message, "application/jsonp") != NULL);
    r = hf_rig_resp_with("image/png", "\x89PNG");
    json_call(r, strlen(r), 0u, &doc, HF_ERR_JSON_SHAPE);
    r = hf_rig_resp_with("application/json", "{\"a\":");
    json_call(r, strlen(r), 0u, &doc, HF_ERR_JSON_SYNTAX);
    r = hf_rig_resp_with("application/json", "");
    json_call(r, strlen(r), 0u, &doc, HF_ERR_JSON_SYNTAX);
    /* Arguments. */
    hf_rig_setup(0u, 0u, ARENA);
    CHECK_STATUS(hf_priv_task_json(&g_client, NULL, HF_ROUTE_MODEL, &k_body, &g_arena, &doc), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_priv_task_json(&g_client, "", HF_ROUTE_MODEL, &k_body, &g_arena, &doc), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_priv_task_json(&g_client, "gpt2", HF_ROUTE_MODEL, NULL, &g_arena, &doc), HF_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ streams */

typedef struct events {
    int n;
    int fail_at;          /* > 0: fail at that event with HF_ERR_JSON_SHAPE and a message */
    size_t mark_seen;     /* arena level inside the callback */
} events_t;

static hf_status_t count_event(void *user, hf_json_doc_t *doc)
{
    events_t *e = (events_t *)user;
    e->n++;
    e->mark_seen = hf_arena_mark(&g_arena);
    CHECK(doc->ntok >= 1);
    if (e->fail_at > 0 && e->n >= e->fail_at) {
        hf_priv_error_set(&g_client.err, HF_ERR_JSON_SHAPE, "event ", "rejected", NULL);
        return HF_ERR_JSON_SHAPE;
    }
    return HF_OK;
}

static hf_status_t run_stream(const char *resp, events_t *e, hf_status_t want)
{
    hf_status_t st;
    int fail_at = e->fail_at;
    memset(e, 0, sizeof *e);
    e->fail_at = fail_at;
    hf_rig_setup(0u, 0u, ARENA);
    g_mock.split = 1u;
    hf_mock_add_str(&g_mock, resp);
    st = hf_priv_task_stream(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, count_event, e);
    CHECK_STATUS(st, want);
    return st;
}

#define SSE "text/event-stream; charset=utf-8"

static void test_streams(void)
{
    static char longmsg[600];
    static char body[800];
    events_t e;
    memset(&e, 0, sizeof e);
    run_stream(hf_rig_resp_with(SSE, "data: {\"a\":1}\n\ndata:{\"a\":2}\r\n\r\ndata: [DONE]\n\ndata: {\"a\":3}\n\n"), &e, HF_OK);
    CHECK_INT(e.n, 2);
    CHECK_INT(hf_arena_mark(&g_arena), 0);
    /* Legacy error event; OpenAI error event with a code; non-string message. */
    run_stream(hf_rig_resp_with(SSE, "data: {\"a\":1}\n\ndata: {\"error\":\"bad\",\"error_type\":\"generation\"}\n\n"), &e,
               HF_ERR_SERVER_EVENT);
    CHECK_INT(e.n, 1);
    CHECK_STR(g_client.err.message, "bad");
    CHECK_STR(g_client.err.error_type, "generation");
    CHECK_INT(g_client.err.http_status, 0);
    CHECK_INT(g_mock.open, 1);
    run_stream(hf_rig_resp_with(SSE, "data: {\"error\":{\"message\":\"m\",\"http_status_code\":424}}\n\n"), &e,
               HF_ERR_SERVER_EVENT);
    CHECK_STR(g_client.err.message, "m");
    CHECK_INT(g_client.err.http_status, 424);
    run_stream(hf_rig_resp_with(SSE, "data: {\"error\":[\"one\",\"two\"]}\n\n"), &e, HF_ERR_SERVER_EVENT);
    CHECK_STR(g_client.err.message, "[\"one\",\"two\"]");
    run_stream(hf_rig_resp_with(SSE, "data: {\"error\":{\"code\":5}}\n\n"), &e, HF_ERR_SERVER_EVENT);
    CHECK_STR(g_client.err.message, "{\"code\":5}");
    /* A message longer than the error record: cut, and flagged. */
    memset(longmsg, 'm', sizeof longmsg - 1u);
    snprintf(body, sizeof body, "data: {\"error\":\"%s\"}\n\n", longmsg);
    run_stream(hf_rig_resp_with(SSE, body), &e, HF_ERR_SERVER_EVENT);
    CHECK_INT(strlen(g_client.err.message), HF_ERROR_MESSAGE_MAX - 1);
    CHECK_INT(g_client.err.message_truncated, 1);
    /* The event callback fails: its status and message, and the connection is closed. */
    e.fail_at = 2;
    run_stream(hf_rig_resp_with(SSE, "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: {\"a\":3}\n\n"), &e, HF_ERR_JSON_SHAPE);
    CHECK_INT(e.n, 2);
    CHECK_STR(g_client.err.message, "event rejected");
    CHECK_INT(g_mock.open, 0);
    e.fail_at = 0;
    /* Per event, the arena is back at the level after the state and the event buffer. */
    run_stream(hf_rig_resp_with(SSE, "data: {\"a\":[1,2,3,4,5,6,7,8]}\n\ndata: {\"b\":[1,2,3,4,5,6,7,8]}\n\n"), &e, HF_OK);
    CHECK_INT(e.n, 2);
    CHECK(e.mark_seen >= HF_SSE_MAX_EVENT);
    CHECK_INT(hf_arena_mark(&g_arena), 0);
    /* Not a stream. */
    run_stream(hf_rig_resp_with("application/json", "{\"error\":\"Model too busy\",\"error_type\":\"overloaded\"}"), &e,
               HF_ERR_SERVER_EVENT);
    CHECK_STR(g_client.err.error_type, "overloaded");
    run_stream(hf_rig_resp_with("application/json", "{\"generated_text\":\"x\"}"), &e, HF_ERR_JSON_SHAPE);
    run_stream(hf_rig_resp_with("text/html", "<p>"), &e, HF_ERR_JSON_SHAPE);
    run_stream(hf_rig_resp_with("text/event-streamx", "data: {}\n\n"), &e, HF_ERR_JSON_SHAPE);
    CHECK_INT(e.n, 0);
    /* Arguments. */
    CHECK_STATUS(hf_priv_task_stream(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, &g_arena, NULL, &e),
                 HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_priv_task_stream(&g_client, "gpt2", HF_ROUTE_MODEL, &k_body, NULL, count_event, &e),
                 HF_ERR_INVALID_ARG);
}

int main(void)
{
    hf_rig_io_size = IO_SIZE;
    test_case13();
    test_json_edges();
    test_streams();
    return CHECK_DONE();
}
