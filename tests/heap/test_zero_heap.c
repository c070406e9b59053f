/*
 * Zero heap, proven at run time: this program is linked with the whole malloc family
 * wrapped (-Wl,--wrap=malloc,...) so that any call from the library aborts, and runs real
 * calls of every implemented task through the full stack (client, HTTP, chunked framing,
 * SSE, JSON, codec) over the scripted transport. Reaching the end means no allocation.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hf/hf.h"
#include "mock_transport.h"

/* The wrappers: any use by code linked into this program is a failure. */
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
int __wrap_asprintf(char **p, const char *fmt, ...);

static void heap_used(const char *what)
{
    fprintf(stderr, "zero-heap: %s called from linked code\n", what);
    abort();
}
void *__wrap_malloc(size_t n) { (void)n; heap_used("malloc"); return NULL; }
void *__wrap_calloc(size_t n, size_t m) { (void)n; (void)m; heap_used("calloc"); return NULL; }
void *__wrap_realloc(void *p, size_t n) { (void)p; (void)n; heap_used("realloc"); return NULL; }
void __wrap_free(void *p) { if (p != NULL) heap_used("free"); }
char *__wrap_strdup(const char *s) { (void)s; heap_used("strdup"); return NULL; }
int __wrap_asprintf(char **p, const char *fmt, ...) { (void)p; (void)fmt; heap_used("asprintf"); return -1; }

static hf_mock_t g_mock;
static hf_client_t g_client;
static uint8_t g_io[1024];
static uint8_t g_arena_mem[8192];

/* Chunked framing of SSE events, computed here so the literals stay readable. */
static const char *chunked(const char *head, const char *const *events, size_t n)
{
    static char wire[2048];
    size_t len = (size_t)snprintf(wire, sizeof wire, "%s", head);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(wire + len, sizeof wire - len, "%zx\r\n%s\r\n", strlen(events[i]), events[i]);
    snprintf(wire + len, sizeof wire - len, "0\r\n\r\n");
    return wire;
}

/* A 200 JSON response with its Content-Length computed here. */
static const char *json200(const char *body)
{
    static char wire[1024];
    snprintf(wire, sizeof wire, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    return wire;
}

static void rig(const char *wire)
{
    hf_client_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    hf_mock_init(&g_mock);
    g_mock.split = 7; /* small reads: every parser crosses read boundaries */
    hf_mock_add(&g_mock, HF_MOCK_DATA, wire, strlen(wire), 0);
    hf_mock_add(&g_mock, HF_MOCK_CLOSE, NULL, 0, 0);
    cfg.base_url = "http://heap.invalid";
    cfg.token = "hf_test";
    cfg.transport = hf_mock_transport(&g_mock);
    cfg.clock = hf_mock_clock(&g_mock);
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.max_attempts = 1;
    CHECK_STATUS(hf_client_init(&g_client, &cfg), HF_OK);
}

static size_t g_text_len;
static hf_status_t on_chunk(void *user, const hf_chat_completion_stream_output_t *c)
{
    (void)user;
    for (size_t i = 0; i < c->choices_count; i++)
        if (c->choices[i].delta && c->choices[i].delta->content) g_text_len += strlen(c->choices[i].delta->content);
    return HF_OK;
}

static hf_status_t on_token(void *user, const hf_text_generation_stream_output_t *e)
{
    (void)user;
    if (e->token && !e->token->special) g_text_len += strlen(e->token->text);
    return HF_OK;
}

int main(void)
{
    hf_arena_t a;
    hf_chat_completion_input_message_t msg = {0};
    hf_chat_completion_input_t chat = {0};
    msg.role = "user";
    msg.content = "Hello";
    chat.messages = &msg;
    chat.messages_count = 1;

    /* Chat, streamed: case 03 of the shared cases (text "Hi!", 3 bytes). */
    {
        static const char *const ev[] = {
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}]}\n\n",
            "data: [DONE]\n\n"};
        rig(chunked("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n", ev, 3));
    }
    hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
    g_text_len = 0;
    CHECK_STATUS(hf_chat_completion_stream(&g_client, "m/x", &chat, &a, on_chunk, NULL, NULL), HF_OK);
    CHECK_INT(g_text_len, 3);

    /* Chat, one-shot. */
    {
        static const char body[] = "{\"id\":\"a\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                                   "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris\"},"
                                   "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
        static char wire[512];
        hf_chat_completion_output_t out;
        snprintf(wire, sizeof wire, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                 strlen(body), body);
        rig(wire);
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
        CHECK_STATUS(hf_chat_completion(&g_client, "m/x", &chat, &a, &out), HF_OK);
        CHECK(out.choices_count == 1 && out.choices[0].message && strcmp(out.choices[0].message->content, "Paris") == 0);
    }

    /* Text generation, streamed (case 02 shape: no [DONE], "data:" without a space). */
    {
        hf_text_generation_input_t in = {0};
        in.inputs = "The capital of France is";
        static const char *const ev[] = {
            "data:{\"index\":1,\"token\":{\"id\":3681,\"text\":\" Paris\",\"logprob\":-0.2,\"special\":false},\"generated_text\":null,\"details\":null}\n\n",
            "data:{\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":null,\"special\":true},\"generated_text\":\" Paris\"}\n\n"};
        rig(chunked("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n", ev, 2));
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
        g_text_len = 0;
        CHECK_STATUS(hf_text_generation_stream(&g_client, "m/x", &in, &a, on_token, NULL), HF_OK);
        CHECK_INT(g_text_len, 6);
    }

    /* Text classification (case 14 body) and feature extraction. */
    {
        hf_text_classification_input_t in = {0};
        hf_text_classification_output_t out;
        in.inputs = "I like you";
        rig("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            "a\r\n[{\"label\":\r\n11;note=x\r\n\"POSITIVE\",\"score\r\na\r\n\":0.9998}]\r\n0\r\nX-Compute-Time: 0.021\r\n\r\n");
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
        CHECK_STATUS(hf_text_classification(&g_client, "m/x", &in, &a, &out), HF_OK);
        CHECK(out.elements_count == 1 && strcmp(out.elements[0].label, "POSITIVE") == 0);
    }
    {
        hf_feature_extraction_input_t in = {0};
        hf_feature_extraction_output_t out;
        memset(&out, 0, sizeof out);
        in.inputs = "Hello";
        rig("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n[0.5,-0.25,1e-3]");
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
        CHECK_STATUS(hf_feature_extraction(&g_client, "m/x", &in, &a, &out), HF_OK);
        CHECK_INT(out.count, 3);
        CHECK(out.count == 3 && out.data[0] == 0.5f && out.data[1] == -0.25f);
    }

    /* Image classification: a raw upload, then the same image as JSON with streamed base64. */
    {
        static const uint8_t png[16] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
                                        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52};
        static const hf_image_classification_parameters_t params = {0};
        hf_image_classification_input_t in;
        hf_image_classification_output_t out;
        memset(&in, 0, sizeof in);
        in.inputs.data = png;
        in.inputs.data_len = sizeof png;
        in.inputs.content_type = "image/png";
        rig(json200("[{\"label\":\"cat\",\"score\":1}]"));
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
        CHECK_STATUS(hf_image_classification(&g_client, "m/x", &in, &a, &out), HF_OK);
        CHECK(out.elements_count == 1 && strcmp(out.elements[0].label, "cat") == 0);
        in.parameters = &params;
        rig(json200("[{\"label\":\"dog\",\"score\":1}]"));
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
        CHECK_STATUS(hf_image_classification(&g_client, "m/x", &in, &a, &out), HF_OK);
        CHECK(out.elements_count == 1 && strcmp(out.elements[0].label, "dog") == 0);
        /* base64 of the 16 PNG bytes (RFC 4648, by hand: 16 bytes -> 24 characters) */
        CHECK(memmem(g_mock.sent, g_mock.sent_len, "\"iVBORw0KGgoAAAANSUhEUg==\"", 26) != NULL);
    }

    /* An error response: the error path (error body parsing) allocates nothing either. */
    {
        hf_text_classification_input_t in = {0};
        hf_text_classification_output_t out;
        in.inputs = "x";
        rig("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n"
            "{\"error\":\"Model acme/tiny-sentiment is currently loading\",\"estimated_time\":20.0}");
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
        CHECK_STATUS(hf_text_classification(&g_client, "m/x", &in, &a, &out), HF_ERR_MODEL_LOADING);
        CHECK_STR(hf_client_error(&g_client)->message, "Model acme/tiny-sentiment is currently loading");
    }
    return CHECK_DONE();
}
