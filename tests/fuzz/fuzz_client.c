/*
 * Whole-stack fuzz target: arbitrary bytes as the server's answer (status line, headers,
 * framing, body) to a streamed chat, a one-shot chat, a streamed text generation and a
 * text classification, read in pieces whose size the first input byte chooses. Every
 * outcome must be a status: no crash, no overrun, no hang (the fake clock bounds waits).
 */
#include <stdint.h>
#include <string.h>

#include "hf/hf.h"
#include "mock_transport.h"

static hf_mock_t g_mock;
static hf_client_t g_client;
static uint8_t g_io[512];
static uint8_t g_arena[4096];

static void rig(const uint8_t *data, size_t len, size_t split)
{
    hf_client_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    hf_mock_init(&g_mock);
    g_mock.split = split;
    hf_mock_add(&g_mock, HF_MOCK_DATA, data, len, 0);
    hf_mock_add(&g_mock, HF_MOCK_CLOSE, NULL, 0, 0);
    cfg.base_url = "http://fuzz.invalid";
    cfg.transport = hf_mock_transport(&g_mock);
    cfg.clock = hf_mock_clock(&g_mock);
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.max_attempts = 2;
    cfg.total_timeout_ms = 5000;
    if (hf_client_init(&g_client, &cfg) != HF_OK) __builtin_trap();
}

static hf_status_t on_chunk(void *u, const hf_chat_completion_stream_output_t *c)
{
    (void)u;
    for (size_t i = 0; i < c->choices_count; i++)
        if (c->choices[i].delta && c->choices[i].delta->content) (void)strlen(c->choices[i].delta->content);
    return HF_OK;
}

static hf_status_t on_token(void *u, const hf_text_generation_stream_output_t *e)
{
    (void)u;
    if (e->token && e->token->text) (void)strlen(e->token->text);
    return HF_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_arena_t a;
    hf_chat_completion_input_message_t msg = {0};
    hf_chat_completion_input_t chat = {0};
    size_t split;
    if (size < 2) return 0;
    split = (size_t)(data[0] % 64u) + 1u;
    msg.role = "user";
    msg.content = "hi";
    chat.messages = &msg;
    chat.messages_count = 1;
    switch (data[1] % 4u) {
    case 0: {
        hf_chat_completion_output_t out;
        rig(data + 2, size - 2, split);
        hf_arena_init(&a, g_arena, sizeof g_arena);
        (void)hf_chat_completion(&g_client, "m/x", &chat, &a, &out);
        break;
    }
    case 1:
        rig(data + 2, size - 2, split);
        hf_arena_init(&a, g_arena, sizeof g_arena);
        (void)hf_chat_completion_stream(&g_client, "m/x", &chat, &a, on_chunk, NULL, NULL);
        break;
    case 2: {
        hf_text_generation_input_t in = {0};
        in.inputs = "x";
        rig(data + 2, size - 2, split);
        hf_arena_init(&a, g_arena, sizeof g_arena);
        (void)hf_text_generation_stream(&g_client, "m/x", &in, &a, on_token, NULL);
        break;
    }
    default: {
        hf_text_classification_input_t in = {0};
        hf_text_classification_output_t out;
        in.inputs = "x";
        rig(data + 2, size - 2, split);
        hf_arena_init(&a, g_arena, sizeof g_arena);
        (void)hf_text_classification(&g_client, "m/x", &in, &a, &out);
        break;
    }
    }
    (void)hf_status_str(hf_client_error(&g_client)->status);
    return 0;
}
