/* Chat completion streams: the case files 01, 03, 04, 05, 07 as exact wire bytes (delivered in
 * the case's own reads, split in two at every byte boundary, 1-byte reads and random reads),
 * the streamed tool-call accumulator, the streamed request, hostile and edge-case streams, and
 * the constant arena of a long stream. Expected values come from the case files, PROTOCOL.md
 * or hand computation. One-shot requests are in test_chat_completion_request.c, the recorded
 * exchanges in test_chat_completion_recorded.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_collect.h"
#include "check.h"
#include "rig.h"

#include "hf/hf_chat_completion.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

/* The chat tests' client: a 512-byte I/O buffer, 256 KB of arena. */
#define IO_SIZE 512u
#define ARENA (1u << 18)

/* ------------------------------------------------------------------ wire bytes of the cases
 * Transcribed from /work/shared/cases (notation: \r\n etc. are the line terminators). The
 * chunk-size lines were checked against the data (an HTTP parser rejects any mismatch). */

/* The head every case stream starts with: 105 bytes, where each case's first read ends. */
#define CASE_HEAD \
    "HTTP/1.1 200 OK\r\n" \
    "Content-Type: text/event-stream\r\n" \
    "Cache-Control: no-cache\r\n" \
    "Transfer-Encoding: chunked\r\n" \
    "\r\n"

/* 01, Variant A: 289 bytes; the case splits at 105, 184, 284 */
static const char k_case01a[] =
    CASE_HEAD
    "ad\r\n"
    "data: {\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 12 `inputs` tokens and 4091 `max_new_tokens`\",\"error_type\":\"validation\"}\n"
    "\n"
    "\r\n"
    "0\r\n"
    "\r\n";
static const size_t k_case01a_splits[] = {105, 184, 284};

/* 01, Variant B: 704 bytes; the case splits at 105, 581 */
static const char k_case01b[] =
    CASE_HEAD
    "f0\r\n"
    "data: {\"object\":\"chat.completion.chunk\",\"id\":\"\",\"created\":1733000000,\"model\":\"tgi\",\"system_fingerprint\":\"3.0.0-native\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n"
    "\n"
    "\r\n"
    "dc\r\n"
    "data: {\"object\":\"chat.completion.chunk\",\"id\":\"\",\"created\":1733000000,\"model\":\"tgi\",\"system_fingerprint\":\"3.0.0-native\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n"
    "\n"
    "\r\n"
    "74\r\n"
    "data: {\"error\":{\"message\":\"Request failed during generation: Server error: out of memory\",\"http_status_code\":422}}\n"
    "\n"
    "\r\n"
    "0\r\n"
    "\r\n";
static const size_t k_case01b_splits[] = {105, 581};

/* 03, OpenAI: 925 bytes; the case splits at 105 */
static const char k_case03[] =
    CASE_HEAD
    "19f\r\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1747000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1747000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":null,\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n"
    "\n"
    "\r\n"
    "c1\r\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1747000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n"
    "\n"
    "\r\n"
    "bc\r\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1747000000,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n"
    "\n"
    "data: [DONE]\n"
    "\n"
    "\r\n"
    "0\r\n"
    "\r\n";
static const size_t k_case03_splits[] = {105};

/* 04, Tool call: 818 bytes; the case splits at 105, 550 */
static const char k_case04[] =
    CASE_HEAD
    "ce\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_01\",\"type\":\"function\",\"function\":{\"name\":\"web_search\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n"
    "\n"
    "\r\n"
    "10a\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"qu\"}}]},\"finish_reason\":null}]}\n"
    "\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ery\\\": \\\"weather in Par\"}}]},\"finish_reason\":null}]}\n"
    "\n"
    "\r\n"
    "7c\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"is\\\"}\"}}]},\"finish_reason\":null}]}\n"
    "\n"
    "\r\n"
    "57\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n"
    "\n"
    "data: [DONE]\n"
    "\n"
    "\r\n"
    "0\r\n"
    "\r\n";
static const size_t k_case04_splits[] = {105, 550};

/* 05, Comments: 358 bytes; the case splits at 105, 126, 235, 258 */
static const char k_case05[] =
    CASE_HEAD
    "29\r\n"
    ": OPENROUTER PROCESSING\n"
    "\n"
    "retry: 3000\n"
    "\n"
    ":\n"
    "\n"
    "\r\n"
    "c3\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}\n"
    "\n"
    ": keep-alive\n"
    "\n"
    "id: 7\n"
    "event: message\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n"
    "\n"
    "data: [DONE]\n"
    "\n"
    "\r\n"
    "0\r\n"
    "\r\n";
static const size_t k_case05_splits[] = {105, 126, 235, 258};

/* 07, Variant A: 373 bytes; the case splits at 105, 297, 337, 351 */
static const char k_case07a[] =
    CASE_HEAD
    "b4\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n"
    "\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\",\"}}]}\n"
    "\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"}}]}\n"
    "\n"
    "\r\n"
    "47\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"}}]}\n"
    "\n"
    "data: [DONE]\n"
    "\n"
    "\r\n"
    "0\r\n"
    "\r\n";
static const size_t k_case07a_splits[] = {105, 297, 337, 351};

/* ------------------------------------------------------------------ case 01 */

#define MSG01A "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 12 `inputs` tokens and 4091 `max_new_tokens`"
#define MSG01B "Request failed during generation: Server error: out of memory"

static void check01a(void)
{
    static chat_collect_t c;
    hf_status_t st = chat_stream(&c, NULL);
    CHECK_STATUS(st, HF_ERR_SERVER_EVENT);
    CHECK_INT(c.chunks, 0);
    CHECK_INT(c.ndeltas, 0);
    CHECK_STATUS(g_client.err.status, HF_ERR_SERVER_EVENT);
    CHECK_STR(g_client.err.error_type, "validation");
    CHECK_STR(g_client.err.message, MSG01A);
    CHECK_INT(g_client.err.http_status, 0); /* the 200 status line is not the outcome */
    CHECK_INT(g_mock.open, 1);              /* 0-chunk consumed: the connection stays usable */
}

static void check01b(void)
{
    static chat_collect_t c;
    hf_status_t st = chat_stream(&c, NULL);
    CHECK_STATUS(st, HF_ERR_SERVER_EVENT);
    CHECK_INT(c.ndeltas, 2);
    CHECK_STR(c.deltas[0], "Hel");
    CHECK_STR(c.deltas[1], "lo");
    CHECK_STR(c.role, "assistant");
    CHECK_STR(c.finish, "");
    CHECK_STR(g_client.err.message, MSG01B);
    CHECK_INT(g_client.err.http_status, 422);
    CHECK_INT(g_mock.open, 1);
}

/* ------------------------------------------------------------------ case 03 */

static void check03(void)
{
    static chat_collect_t c;
    hf_status_t st = chat_stream(&c, NULL);
    CHECK_STATUS(st, HF_OK);
    CHECK_INT(c.chunks, 4); /* role-only, "Hi", "!", usage-only */
    CHECK_INT(c.ndeltas, 2);
    CHECK_STR(c.deltas[0], "Hi");
    CHECK_STR(c.deltas[1], "!");
    CHECK_STR(c.text, "Hi!");
    CHECK_INT(strlen(c.text), 3);
    CHECK_STR(c.role, "assistant");
    CHECK_STR(c.finish, "stop");
    CHECK_INT(c.choiceless, 1);
    CHECK_INT(c.usage_seen, 1);
    CHECK_INT(c.prompt_tokens, 9);
    CHECK_INT(c.completion_tokens, 2);
    CHECK_INT(c.total_tokens, 11);
    CHECK_INT(g_mock.open, 1);
}

/* ------------------------------------------------------------------ case 04 */

static const uint8_t k_args04[29] = {0x7B, 0x22, 0x71, 0x75, 0x65, 0x72, 0x79, 0x22, 0x3A, 0x20,
                                     0x22, 0x77, 0x65, 0x61, 0x74, 0x68, 0x65, 0x72, 0x20, 0x69,
                                     0x6E, 0x20, 0x50, 0x61, 0x72, 0x69, 0x73, 0x22, 0x7D};

static hf_chat_tool_call_t g_slots[4];
static char g_tbuf[512];
static size_t g_tbuf_size = sizeof g_tbuf;
static size_t g_nslots = 1u;

static void check04(void)
{
    static chat_collect_t c;
    hf_chat_tool_calls_t tools;
    hf_status_t st;
    hf_chat_tool_calls_init(&tools, g_slots, g_nslots, g_tbuf, g_tbuf_size);
    st = chat_stream(&c, &tools);
    CHECK_STATUS(st, HF_OK);
    CHECK_INT(tools.count, 1);
    CHECK_INT(tools.calls[0].index, 0);
    CHECK_STR(tools.calls[0].id, "call_01");
    CHECK_STR(tools.calls[0].type, "function");
    CHECK_STR(tools.calls[0].name, "web_search");
    CHECK_MEM(tools.calls[0].arguments, tools.calls[0].arguments_len, k_args04, sizeof k_args04);
    CHECK_INT(tools.calls[0].arguments[29], '\0');
    CHECK_INT(c.ndeltas, 0); /* "content":null is no content */
    CHECK_STR(c.role, "assistant");
    CHECK_STR(c.finish, "tool_calls");
}

static void check04_overflow(void)
{
    static chat_collect_t c;
    hf_chat_tool_calls_t tools;
    hf_status_t st;
    hf_chat_tool_calls_init(&tools, g_slots, g_nslots, g_tbuf, g_tbuf_size);
    st = chat_stream(&c, &tools);
    CHECK_STATUS(st, HF_ERR_NO_MEMORY);
    CHECK_STATUS(g_client.err.status, HF_ERR_NO_MEMORY);
    CHECK(g_client.err.message[0] != '\0');
}

static void test_case04(void)
{
    /* One call needs 29 argument bytes + NUL, "call_01" + NUL (8), "function" + NUL (9) and
     * "web_search" + NUL (11): 58 bytes of its share. */
    g_nslots = 1u;
    g_tbuf_size = sizeof g_tbuf;
    hf_rig_every_delivery(k_case04, sizeof k_case04 - 1u, k_case04_splits, 2u, ARENA, check04);
    g_tbuf_size = 58u;
    hf_rig_every_delivery(k_case04, sizeof k_case04 - 1u, k_case04_splits, 2u, ARENA, check04);
    g_tbuf_size = 57u;
    hf_rig_every_delivery(k_case04, sizeof k_case04 - 1u, k_case04_splits, 2u, ARENA, check04_overflow);
    g_nslots = 2u; /* 116 bytes over two slots: 58 each */
    g_tbuf_size = 116u;
    hf_rig_script(k_case04, sizeof k_case04 - 1u, HF_RIG_CASE_READS, 0u, k_case04_splits, 2u, ARENA);
    check04();
    g_tbuf_size = 115u;
    hf_rig_script(k_case04, sizeof k_case04 - 1u, HF_RIG_CASE_READS, 0u, k_case04_splits, 2u, ARENA);
    check04_overflow();
    g_nslots = 1u;
    g_tbuf_size = sizeof g_tbuf;
}

/* ------------------------------------------------------------------ cases 05, 07 */

static void check05(void)
{
    static chat_collect_t c;
    hf_status_t st = chat_stream(&c, NULL);
    CHECK_STATUS(st, HF_OK);
    CHECK_INT(c.chunks, 2);
    CHECK_INT(c.ndeltas, 1);
    CHECK_STR(c.text, "ok");
    CHECK_STR(c.finish, "stop");
}

static void check07a(void)
{
    static chat_collect_t c;
    hf_status_t st = chat_stream(&c, NULL);
    CHECK_STATUS(st, HF_OK);
    CHECK_INT(c.ndeltas, 4);
    CHECK_STR(c.deltas[0], "Hello");
    CHECK_STR(c.deltas[1], ",");
    CHECK_STR(c.deltas[2], " world");
    CHECK_STR(c.deltas[3], "!");
    CHECK_STR(c.text, "Hello, world!");
    CHECK_INT(strlen(c.text), 13);
}

/* Case 07 B: a data line of `n` 'a's in one event, chunked like the case. */
static char g_big[8192];
static size_t big_response(size_t n)
{
    static const char head[] = CASE_HEAD;
    static const char pre[] = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    static const char post[] = "\"}}]}\n\n";
    static const char tail[] = "\r\ne\r\ndata: [DONE]\n\n\r\n0\r\n\r\n";
    size_t ev = strlen(pre) + n + strlen(post);
    int k = snprintf(g_big, sizeof g_big, "%s%zx\r\n%s", head, ev, pre);
    size_t len = (size_t)k;
    memset(g_big + len, 'a', n);
    len += n;
    len += (size_t)snprintf(g_big + len, sizeof g_big - len, "%s%s", post, tail);
    return len;
}

static size_t g_big_n;
static void check07b(void)
{
    static chat_collect_t c;
    hf_status_t st = chat_stream(&c, NULL);
    CHECK_STATUS(st, HF_OK);
    CHECK_INT(c.ndeltas, 1);
    CHECK_INT(strlen(c.deltas[0]), 1024);
    CHECK(strspn(c.deltas[0], "a") == 1024u);
}

static void check07b_too_large(void)
{
    static chat_collect_t c;
    hf_status_t st = chat_stream(&c, NULL);
    CHECK_STATUS(st, HF_ERR_SSE_EVENT_TOO_LARGE);
    CHECK_INT(c.chunks, 0);
    CHECK_INT(g_mock.open, 0); /* stopped mid-body: the connection is not reused */
}

static void test_case07b(void)
{
    size_t len = big_response(1024u);
    /* The case: 1216 bytes, chunk 0x438, data line 1078 bytes, JSON 1072 bytes. */
    CHECK_INT(len, 1216);
    CHECK(strstr(g_big, "\r\n438\r\ndata: ") != NULL);
    if (1072u < HF_SSE_MAX_EVENT) {
        hf_rig_every_delivery(g_big, len, NULL, 0u, ARENA, check07b);
    }
    /* An event that cannot fit HF_SSE_MAX_EVENT (JSON of 48 + n bytes). */
    g_big_n = (size_t)HF_SSE_MAX_EVENT;
    len = big_response(g_big_n);
    hf_rig_every_delivery(g_big, len, NULL, 0u, ARENA, check07b_too_large);
}

/* ------------------------------------------------------------------ stream: hostile and edge cases */

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void run_raw(const char *resp, size_t arena, chat_collect_t *c, hf_status_t want)
{
    hf_status_t st;
    hf_rig_script(resp, strlen(resp), HF_RIG_ONE_BYTE, 0u, NULL, 0u, arena);
    st = chat_stream(c, NULL);
    CHECK_STATUS(st, want);
}

#define SSE "text/event-stream"
#define CHUNK(TEXT) "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" TEXT "\"}}]}"

static void test_stream_edges(void)
{
    static chat_collect_t c;
    /* The callback stops at the first chunk: HF_ERR_ABORTED, the connection is closed. */
    c.abort_at = 1;
    hf_rig_script(k_case03, sizeof k_case03 - 1u, HF_RIG_CASE_READS, 0u, k_case03_splits, 1u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_ERR_ABORTED);
    CHECK_INT(c.chunks, 1);
    CHECK_STATUS(g_client.err.status, HF_ERR_ABORTED);
    CHECK_INT(g_mock.open, 0);
    c.abort_at = 0;

    /* Cut after the "Hi" chunk (before the chunk of "!"): TRUNCATED, "Hi" stays delivered. */
    hf_rig_setup(0u, 0u, ARENA);
    hf_mock_add(&g_mock, HF_MOCK_DATA, k_case03, (size_t)(strstr(k_case03, "c1\r\n") - k_case03), 0);
    hf_mock_add(&g_mock, HF_MOCK_CLOSE, NULL, 0u, 0);
    CHECK_STATUS(chat_stream(&c, NULL), HF_ERR_TRUNCATED);
    CHECK_INT(c.ndeltas, 1);
    CHECK_STR(c.deltas[0], "Hi");

    /* TGI /generate_stream style: no [DONE], the framing ends the body: success. No space
     * after "data:", and a last event without its blank line still counts. */
    run_raw(hf_rig_resp_with(SSE, "data:" CHUNK("x") "\n\ndata:" CHUNK("y")), ARENA, &c, HF_OK);
    CHECK_STR(c.text, "xy");

    /* Events after [DONE] are ignored; a data-less block and an empty data line are nothing. */
    run_raw(hf_rig_resp_with(SSE, "id: 1\n\ndata:\n\ndata: [DONE]\n\ndata: " CHUNK("late") "\n\n"), ARENA, &c, HF_OK);
    CHECK_INT(c.chunks, 0);

    /* "error": null is not an error event. */
    run_raw(hf_rig_resp_with(SSE, "data: {\"error\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"z\"}}]}\n\n"),
            ARENA, &c, HF_OK);
    CHECK_STR(c.text, "z");

    /* An error event wins over "choices" in the same object; OpenAI shape without a code. */
    run_raw(hf_rig_resp_with(SSE, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"no\"}}],"
                           "\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n"),
            ARENA, &c, HF_ERR_SERVER_EVENT);
    CHECK_INT(c.chunks, 0);
    CHECK_STR(g_client.err.message, "boom");
    CHECK_STR(g_client.err.error_type, "server_error");
    CHECK_INT(g_client.err.http_status, 0);

    /* A chunk that is not JSON, and chunks of the wrong shape. */
    run_raw(hf_rig_resp_with(SSE, "data: {\"choic\n\n"), ARENA, &c, HF_ERR_JSON_SYNTAX);
    run_raw(hf_rig_resp_with(SSE, "data: {\"choices\":{\"index\":0}}\n\n"), ARENA, &c, HF_ERR_JSON_SHAPE);
    run_raw(hf_rig_resp_with(SSE, "data: [1,2,3]\n\n"), ARENA, &c, HF_ERR_JSON_SHAPE);
    run_raw(hf_rig_resp_with(SSE, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":7}}]}\n\n"), ARENA, &c,
            HF_ERR_JSON_SHAPE);

    /* A 200 that is not a stream: a JSON error object, any other JSON, plain text. */
    run_raw(hf_rig_resp_with("application/json", "{\"error\":\"Model is overloaded\",\"x\":[1]}"), ARENA, &c,
            HF_ERR_SERVER_EVENT);
    CHECK_STR(g_client.err.message, "Model is overloaded");
    run_raw(hf_rig_resp_with("application/json; charset=utf-8", "{\"choices\":[]}"), ARENA, &c, HF_ERR_JSON_SHAPE);
    run_raw(hf_rig_resp_with("text/plain", "ok"), ARENA, &c, HF_ERR_JSON_SHAPE);
    CHECK(strstr(g_client.err.message, "text/plain") != NULL);

    /* Arena too small for the stream state and the event buffer. */
    run_raw(k_case03, 600u, &c, HF_ERR_NO_MEMORY);
    CHECK(g_client.err.needed > 600u);
}

/* The arena peak does not grow with the stream: 1 event vs 3000 events of the same size. */
static char g_long[400000];
static size_t long_stream(int events)
{
    static const char ev[] = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\"}}]}\n\n";
    size_t len = 0, body = (size_t)events * (sizeof ev - 1u) + strlen("data: [DONE]\n\n");
    len = (size_t)snprintf(g_long, sizeof g_long, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: %zu\r\n\r\n", body);
    for (int i = 0; i < events; i++) {
        memcpy(g_long + len, ev, sizeof ev - 1u);
        len += sizeof ev - 1u;
    }
    memcpy(g_long + len, "data: [DONE]\n\n", 14u);
    return len + 14u;
}

static void test_constant_memory(void)
{
    static chat_collect_t c;
    size_t peak1, peak2, len;
    len = long_stream(1);
    hf_rig_script(g_long, len, HF_RIG_RANDOM, 3u, NULL, 0u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_OK);
    CHECK_INT(c.ndeltas, 1);
    peak1 = hf_arena_peak(&g_arena);
    CHECK_INT(hf_arena_mark(&g_arena), 0); /* rewound to the entry level */
    len = long_stream(3000);
    hf_rig_script(g_long, len, HF_RIG_RANDOM, 5u, NULL, 0u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_OK);
    CHECK_INT(c.chunks, 3000);
    peak2 = hf_arena_peak(&g_arena);
    CHECK_INT(peak2, peak1);
}


/* ------------------------------------------------------------------ the streamed request */

static void test_stream_request(void)
{
    static chat_collect_t c;
    const char *body;
    /* Model first, "stream":true forced; the caller's struct is untouched. */
    hf_rig_script(k_case05, sizeof k_case05 - 1u, HF_RIG_CASE_READS, 0u, k_case05_splits, 4u, ARENA);
    CHECK_STATUS(chat_stream(&c, NULL), HF_OK);
    CHECK(starts(hf_rig_sent_text(), "POST /hf-inference/models/" CHAT_MODEL "/v1/chat/completions HTTP/1.1\r\n"));
    body = hf_rig_sent_body();
    CHECK(starts(body, "{\"model\":\"" CHAT_MODEL "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"));
    CHECK(strstr(body, "\"stream\":true") != NULL);
    CHECK(g_chat_in.model == NULL && !g_chat_in.has_stream);
    /* No input. */
    CHECK_STATUS(hf_chat_completion_stream(&g_client, CHAT_MODEL, NULL, &g_arena, chat_on_chunk, &c, NULL),
                 HF_ERR_INVALID_ARG);
}

int main(void)
{
    hf_rig_io_size = IO_SIZE;
    CHECK_INT(strlen(CASE_HEAD), 105); /* 17 + 33 + 25 + 28 + 2, counted by hand */
    /* Each transcription has the length written above it (counted from the case file). */
    CHECK_INT(sizeof k_case01a - 1u, 289);
    CHECK_INT(sizeof k_case01b - 1u, 704);
    CHECK_INT(sizeof k_case03 - 1u, 925);
    CHECK_INT(sizeof k_case04 - 1u, 818);
    CHECK_INT(sizeof k_case05 - 1u, 358);
    CHECK_INT(sizeof k_case07a - 1u, 373);
    hf_rig_every_delivery(k_case01a, sizeof k_case01a - 1u, k_case01a_splits, 3u, ARENA, check01a);
    hf_rig_every_delivery(k_case01b, sizeof k_case01b - 1u, k_case01b_splits, 2u, ARENA, check01b);
    hf_rig_every_delivery(k_case03, sizeof k_case03 - 1u, k_case03_splits, 1u, ARENA, check03);
    test_case04();
    hf_rig_every_delivery(k_case05, sizeof k_case05 - 1u, k_case05_splits, 4u, ARENA, check05);
    hf_rig_every_delivery(k_case07a, sizeof k_case07a - 1u, k_case07a_splits, 4u, ARENA, check07a);
    test_case07b();
    test_stream_edges();
    test_constant_memory();
    test_stream_request();
    return CHECK_DONE();
}
