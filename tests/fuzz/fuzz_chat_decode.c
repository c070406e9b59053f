/* libFuzzer target for the chat-completion decoders (core/src/tasks/chat_completion*.c).
 *
 * The input is used three ways, each on a fresh copy in a malloc'd buffer of exact size (so
 * ASan sees any access past it): as a one-shot response body, as one stream event (decoded,
 * then folded into a small tool-call accumulator whose invariants are checked), and as a
 * request body (decoded, encoded back, and the encoding must be valid JSON again).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hf/hf_chat_completion.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

#define ARENA_SIZE 65536u

static char *copy_of(const uint8_t *data, size_t size)
{
    char *p = (char *)malloc(size + 1u);
    if (p == NULL) {
        abort();
    }
    if (size > 0u) {
        memcpy(p, data, size);
    }
    p[size] = '\0';
    return p;
}

static void touch(const char *s)
{
    volatile size_t n = s != NULL ? strlen(s) : 0u;
    (void)n;
}

static void as_output(const uint8_t *data, size_t size, uint8_t *mem)
{
    char *text = copy_of(data, size);
    hf_arena_t a;
    hf_json_doc_t doc;
    hf_error_t err;
    hf_chat_completion_output_t out;
    hf_arena_init(&a, mem, ARENA_SIZE);
    hf_error_clear(&err);
    if (hf_json_parse(&doc, text, size, &a) == HF_OK && hf_priv_chat_completion_decode(&doc, &a, &out, &err) == HF_OK) {
        hf_out_t o;
        hf_jw_t w;
        for (size_t i = 0; i < out.choices_count; i++) {
            const hf_chat_completion_output_message_t *m = out.choices[i].message;
            touch(m->content);
            for (size_t k = 0; k < m->tool_calls_count; k++) {
                touch(m->tool_calls[k].id);
                if (m->tool_calls[k].function != NULL) {
                    touch(m->tool_calls[k].function->arguments);
                }
            }
        }
        hf_out_init_counting(&o);
        hf_jw_init(&w, &o);
        (void)hf_codec_encode(&w, &hf_chat_completion_output_type, &out);
    }
    free(text);
}

static void check_calls(const hf_chat_tool_calls_t *t, const char *buf, size_t size)
{
    if (t->count > t->cap) {
        abort();
    }
    for (size_t i = 0; i < t->count; i++) {
        const hf_chat_tool_call_t *k = &t->calls[i];
        if (k->region < buf || k->region + k->region_size > buf + size ||
            k->arguments_len + 1u + k->names_used > k->region_size || k->arguments[k->arguments_len] != '\0') {
            abort();
        }
    }
}

static void as_event(const uint8_t *data, size_t size, uint8_t *mem)
{
    static hf_chat_tool_call_t slots[3];
    char *text = copy_of(data, size);
    char *tbuf = (char *)malloc(96u);
    hf_arena_t a;
    hf_json_doc_t doc;
    hf_error_t err;
    hf_chat_completion_stream_output_t ch;
    hf_chat_tool_calls_t t;
    if (tbuf == NULL) {
        abort();
    }
    hf_arena_init(&a, mem, ARENA_SIZE);
    hf_error_clear(&err);
    hf_chat_tool_calls_init(&t, slots, 3u, tbuf, 96u);
    if (hf_json_parse(&doc, text, size, &a) == HF_OK &&
        hf_priv_chat_completion_stream_decode(&doc, &a, &ch, &err) == HF_OK) {
        /* Twice: the second pass appends to the calls the first one started. */
        (void)hf_chat_tool_calls_feed(&t, &ch, &err);
        check_calls(&t, tbuf, 96u);
        (void)hf_chat_tool_calls_feed(&t, &ch, &err);
        check_calls(&t, tbuf, 96u);
    }
    free(tbuf);
    free(text);
}

static void as_input(const uint8_t *data, size_t size, uint8_t *mem)
{
    char *text = copy_of(data, size);
    hf_arena_t a;
    hf_json_doc_t doc;
    hf_error_t err;
    hf_chat_completion_input_t in;
    hf_arena_init(&a, mem, ARENA_SIZE);
    hf_error_clear(&err);
    if (hf_json_parse(&doc, text, size, &a) == HF_OK && doc.tok[0].type == JSMN_OBJECT &&
        hf_codec_decode(&doc, 0, &hf_chat_completion_input_type, &in, &a, &err) == HF_OK) {
        static uint8_t enc[2u * 65536u];
        hf_out_t o;
        hf_jw_t w;
        hf_out_init(&o, enc, sizeof enc - 1u, NULL, NULL);
        hf_jw_init(&w, &o);
        if (hf_codec_encode(&w, &hf_chat_completion_input_type, &in) == HF_OK) {
            hf_json_doc_t d2;
            hf_arena_t a2;
            static uint8_t mem2[4u * 65536u];
            hf_arena_init(&a2, mem2, sizeof mem2);
            if (hf_json_parse(&d2, (char *)enc, o.len, &a2) == HF_ERR_JSON_SYNTAX) {
                abort(); /* what the codec writes must read back */
            }
        }
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *mem = (uint8_t *)malloc(ARENA_SIZE);
    if (mem == NULL || size > 32768u) {
        free(mem);
        return 0;
    }
    as_output(data, size, mem);
    as_event(data, size, mem);
    as_input(data, size, mem);
    free(mem);
    return 0;
}
