/* libFuzzer target for base64 (core/src/base64.c) and the binary-input task decoders.
 *
 * Input: [mode][body]. Modes:
 *  0: strict decode of the body in place (exact-size copy); on success the re-encoding must
 *     give the same text back (the decoder accepts only canonical base64), else nothing;
 *  1: encode the body in two pieces cut at body[0] through a 7-byte sink; the text must be
 *     the one-piece text and decode back to the body;
 *  2..4: the body as a response of image classification, audio classification, object
 *     detection (every element read, boxes present);
 *  5..7: the body as a request of those tasks through their input tables (the CLI path:
 *     base64 decoded in place), re-encoded on success.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hf_priv.h"
#include "tasks/tasks_priv.h"

static volatile size_t g_sink;

static uint8_t g_text[1u << 16];
static size_t g_text_len;

static hf_status_t collect(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    if (g_text_len + len > sizeof g_text) {
        return HF_ERR_NO_MEMORY;
    }
    memcpy(g_text + g_text_len, data, len);
    g_text_len += len;
    return HF_OK;
}

static void encode(const uint8_t *data, size_t len, size_t cut)
{
    static uint8_t buf[7];
    hf_priv_b64_t e;
    hf_out_t o;
    g_text_len = 0u;
    hf_out_init(&o, buf, sizeof buf, collect, NULL);
    hf_priv_b64_init(&e);
    if (hf_priv_b64_write(&e, &o, data, cut) != HF_OK || hf_priv_b64_write(&e, &o, data + cut, len - cut) != HF_OK ||
        hf_priv_b64_finish(&e, &o) != HF_OK || hf_out_flush(&o) != HF_OK) {
        abort();
    }
    if (g_text_len != hf_priv_b64_len(len)) {
        abort();
    }
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
    uint8_t *buf = (uint8_t *)malloc(size ? size : 1u);
    size_t n = 0u;
    const char *why = NULL;
    if (buf == NULL) {
        abort();
    }
    memcpy(buf, data, size);
    if (hf_priv_b64_decode(buf, size, &n, &why) == HF_OK) {
        if (n > size || why != NULL) {
            abort();
        }
        encode(buf, n, n / 2u);
        if (g_text_len != size || memcmp(g_text, data, size) != 0) {
            abort();
        }
    } else if (why == NULL || n != 0u) {
        abort();
    }
    free(buf);
}

static void fuzz_encode(const uint8_t *data, size_t size)
{
    static uint8_t once[sizeof g_text];
    size_t cut = size > 0u ? data[0] % (size + 1u) : 0u, n = 0u, first;
    if (size > 40000u) {
        return;
    }
    encode(data, size, 0u);
    first = g_text_len;
    memcpy(once, g_text, first);
    encode(data, size, cut);
    if (g_text_len != first || memcmp(once, g_text, first) != 0) {
        abort();
    }
    if (hf_priv_b64_decode(g_text, g_text_len, &n, NULL) != HF_OK || n != size || memcmp(g_text, data, size) != 0) {
        abort();
    }
}

static bool expected(hf_status_t st)
{
    return st == HF_ERR_JSON_SHAPE || st == HF_ERR_JSON_SYNTAX || st == HF_ERR_NO_MEMORY || st == HF_ERR_EMPTY_RESULT;
}

static void touch(const char *s)
{
    if (s == NULL) {
        abort();
    }
    g_sink += strlen(s);
}

static void check_labels(const void *els, size_t count, size_t stride)
{
    for (size_t i = 0; i < count; i++) {
        const hf_image_classification_output_element_t *e =
            (const hf_image_classification_output_element_t *)(const void *)((const uint8_t *)els + i * stride);
        touch(e->label);
        g_sink += (size_t)(e->score > 0.5f);
    }
}

static void decode_response(int which, char *text, size_t len, hf_arena_t *a)
{
    hf_json_doc_t doc;
    hf_error_t err;
    hf_status_t st;
    hf_error_clear(&err);
    if (hf_json_parse(&doc, text, len, a) != HF_OK) {
        return;
    }
    if (which == 0) {
        hf_image_classification_output_t o;
        st = hf_priv_image_classification_decode(&doc, a, &o, &err);
        check_labels(o.elements, o.elements_count, sizeof o.elements[0]);
        if (st == HF_OK && o.elements_count == 0u) {
            abort();
        }
    } else if (which == 1) {
        hf_audio_classification_output_t o;
        st = hf_priv_audio_classification_decode(&doc, a, &o, &err);
        check_labels(o.elements, o.elements_count, sizeof o.elements[0]);
    } else {
        hf_object_detection_output_t o;
        st = hf_priv_object_detection_decode(&doc, a, &o, &err);
        for (size_t i = 0; i < o.elements_count; i++) {
            touch(o.elements[i].label);
            if (o.elements[i].box == NULL) {
                abort();
            }
            g_sink += (size_t)(o.elements[i].box->xmin + o.elements[i].box->ymax);
        }
    }
    if (st != HF_OK && (!expected(st) || err.status != st)) {
        abort();
    }
}

static void decode_request(int which, char *text, size_t len, hf_arena_t *a)
{
    static const hf_type_t *const types[] = {&hf_image_classification_input_type, &hf_audio_classification_input_type,
                                             &hf_object_detection_input_type};
    union {
        hf_image_classification_input_t ic;
        hf_audio_classification_input_t ac;
        hf_object_detection_input_t od;
    } in;
    static uint8_t buf[64];
    hf_json_doc_t doc;
    hf_error_t err;
    hf_out_t o;
    hf_jw_t w;
    hf_error_clear(&err);
    if (hf_json_parse(&doc, text, len, a) != HF_OK || doc.tok[0].type != JSMN_OBJECT) {
        return;
    }
    if (hf_codec_decode(&doc, 0, types[which], &in, a, &err) != HF_OK) {
        return;
    }
    if (in.ic.inputs.data == NULL || in.ic.inputs.read != NULL) {
        abort();
    }
    g_text_len = 0u;
    hf_out_init(&o, buf, sizeof buf, collect, NULL);
    hf_jw_init(&w, &o);
    if (hf_codec_encode(&w, types[which], &in) == HF_OK) {
        (void)hf_out_flush(&o);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int mode;
    char *text;
    uint8_t *mem;
    hf_arena_t a;
    if (size < 1u) {
        return 0;
    }
    mode = data[0] % 8;
    data++;
    size--;
    if (mode == 0) {
        fuzz_decode(data, size);
        return 0;
    }
    if (mode == 1) {
        fuzz_encode(data, size);
        return 0;
    }
    text = (char *)malloc(size + 1u);
    mem = (uint8_t *)malloc(1u << 16);
    if (text == NULL || mem == NULL) {
        abort();
    }
    memcpy(text, data, size);
    text[size] = '\0';
    hf_arena_init(&a, mem, 1u << 16);
    if (mode < 5) {
        decode_response(mode - 2, text, size, &a);
    } else {
        decode_request(mode - 5, text, size, &a);
    }
    free(text);
    free(mem);
    return 0;
}
