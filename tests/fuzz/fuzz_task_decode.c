/* libFuzzer target for the decoders of text generation (one-shot and stream event), text
 * classification and feature extraction (core/src/tasks/), through the same private entries
 * the task calls use, plus the request tables the CLI decodes and re-encodes.
 *
 * Input: [arena selector][capacity selector][JSON body]. The body and the arena are malloc'd
 * to their exact sizes so ASan sees any access past them. Each decoder gets a fresh copy
 * (strings are decoded in place). On success the result's invariants are checked and every
 * string and float is read, and the structure of the result is walked (every label list,
 * every array length of a feature-extraction result); on failure the status must be a
 * documented one and be in err, and the output cleared with its arena given back.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hf_priv.h"
#include "tasks/tasks_priv.h"

typedef struct run {
    const uint8_t *body;
    size_t len;
    size_t arena_cap;
    char *text;
    uint8_t *mem;
    hf_arena_t a;
    hf_json_doc_t doc;
    hf_error_t err;
} run_t;

static volatile size_t g_sink;

static void touch(const char *s)
{
    if (s == NULL) {
        abort();
    }
    g_sink += strlen(s);
}

static bool expected(hf_status_t st)
{
    return st == HF_ERR_JSON_SHAPE || st == HF_ERR_JSON_SYNTAX || st == HF_ERR_NO_MEMORY ||
           st == HF_ERR_EMPTY_RESULT;
}

/* Fresh copy of the body, tokenised; false when the JSON itself is rejected. */
static bool start(run_t *r)
{
    free(r->text);
    free(r->mem);
    r->text = (char *)malloc(r->len + 1u);
    r->mem = (uint8_t *)malloc(r->arena_cap != 0u ? r->arena_cap : 1u);
    if (r->text == NULL || r->mem == NULL) {
        abort();
    }
    memcpy(r->text, r->body, r->len);
    r->text[r->len] = '\0';
    hf_arena_init(&r->a, r->mem, r->arena_cap);
    hf_error_clear(&r->err);
    return hf_json_parse(&r->doc, r->text, r->len, &r->a) == HF_OK && r->doc.ntok > 0;
}

static void check_status(const run_t *r, hf_status_t st)
{
    if (st != HF_OK && (!expected(st) || r->err.status != st)) {
        abort();
    }
}

static void touch_tokens(const hf_text_generation_output_token_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        touch(t[i].text);
        g_sink += (size_t)t[i].id + (t[i].special ? 1u : 0u);
    }
}

static void touch_prefill(const hf_text_generation_output_prefill_token_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        touch(t[i].text);
    }
}

static void touch_top(const hf_text_generation_output_top_tokens_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        touch_tokens(t[i].tokens, t[i].tokens_count);
    }
}

/* Everything decoded must encode again (the CLI prints outputs with the same tables). */
static void encode_back(const hf_type_t *t, const void *obj)
{
    hf_out_t o;
    hf_jw_t w;
    hf_out_init_counting(&o);
    hf_jw_init(&w, &o);
    (void)hf_codec_encode(&w, t, obj);
}

static void fuzz_generation(run_t *r)
{
    hf_text_generation_output_t out;
    hf_status_t st;
    if (!start(r)) {
        return;
    }
    st = hf_priv_text_generation_decode(&r->doc, &r->a, &out, &r->err);
    check_status(r, st);
    if (st != HF_OK) {
        return;
    }
    touch(out.generated_text);
    if (out.details != NULL) {
        const hf_text_generation_output_details_t *d = out.details;
        touch(d->finish_reason);
        touch_prefill(d->prefill, d->prefill_count);
        touch_tokens(d->tokens, d->tokens_count);
        touch_top(d->top_tokens, d->top_tokens_count);
        for (size_t i = 0; i < d->best_of_sequences_count; i++) {
            const hf_text_generation_output_best_of_sequence_t *b = &d->best_of_sequences[i];
            touch(b->generated_text);
            touch(b->finish_reason);
            touch_prefill(b->prefill, b->prefill_count);
            touch_tokens(b->tokens, b->tokens_count);
            touch_top(b->top_tokens, b->top_tokens_count);
        }
    }
    encode_back(&hf_text_generation_output_type, &out);
}

static void fuzz_stream_event(run_t *r)
{
    hf_text_generation_stream_output_t ev;
    hf_status_t st;
    if (!start(r)) {
        return;
    }
    st = hf_priv_text_generation_stream_decode(&r->doc, &r->a, &ev, &r->err);
    check_status(r, st);
    if (st != HF_OK) {
        return;
    }
    if (ev.token == NULL) {
        abort();
    }
    touch(ev.token->text);
    for (size_t i = 0; i < ev.top_tokens_count; i++) {
        touch(ev.top_tokens[i].text);
    }
    if (ev.details != NULL) {
        touch(ev.details->finish_reason);
    }
    encode_back(&hf_text_generation_stream_output_type, &ev);
}

static void check_classification(const hf_text_classification_output_t *out)
{
    size_t labels = 0u;
    if (out->lists_count == 0u || out->lists == NULL || out->elements != out->lists[0].elements ||
        out->elements_count != out->lists[0].elements_count) {
        abort();
    }
    for (size_t k = 0; k < out->lists_count; k++) {
        const hf_text_classification_output_list_t *l = &out->lists[k];
        if ((l->elements_count == 0u) != (l->elements == NULL)) {
            abort();
        }
        for (size_t i = 0; i < l->elements_count; i++) {
            touch(l->elements[i].label);
            encode_back(&hf_text_classification_output_element_type, &l->elements[i]);
        }
        labels += l->elements_count;
    }
    if (labels == 0u) {
        abort();
    }
}

static void fuzz_classification(run_t *r)
{
    hf_text_classification_output_t out;
    hf_status_t st;
    size_t mark;
    if (!start(r)) {
        return;
    }
    mark = hf_arena_mark(&r->a);
    st = hf_priv_text_classification_decode(&r->doc, &r->a, &out, &r->err);
    check_status(r, st);
    if (st == HF_OK) {
        check_classification(&out);
    } else if (out.lists != NULL || out.lists_count != 0u || out.elements != NULL || hf_arena_mark(&r->a) != mark) {
        abort();
    }
}

/* Walks the nesting the lengths describe, as a user would rebuild it: it must use exactly
 * every length and every number, and agree with shape[] and ragged. */
static void check_structure(const hf_feature_extraction_output_t *out)
{
    size_t left[HF_FEATURE_EXTRACTION_MAX_DIMS];
    size_t k = 1u, v = 0u, product = 1u;
    int depth = 0;
    bool ragged = false;
    for (uint8_t d = 0; d < out->ndim; d++) {
        ragged |= out->shape[d] == 0u;
        product *= out->shape[d];
    }
    if (ragged != out->ragged || (!ragged && product != out->count) || out->lengths_count == 0u) {
        abort();
    }
    left[0] = out->lengths[0];
    while (depth >= 0) {
        if (left[depth] == 0u) {
            depth--;
            continue;
        }
        left[depth]--;
        if (depth + 1 < (int)out->ndim) {
            if (k >= out->lengths_count || out->lengths[k] == 0u ||
                (out->shape[depth + 1] != 0u && out->lengths[k] != out->shape[depth + 1])) {
                abort();
            }
            left[++depth] = out->lengths[k++];
        } else if (v++ >= out->count) {
            abort();
        }
    }
    if (k != out->lengths_count || v != out->count || (out->shape[0] != 0u && out->lengths[0] != out->shape[0])) {
        abort();
    }
}

static void fuzz_features(run_t *r, size_t cap, size_t lcap)
{
    hf_feature_extraction_output_t out;
    float *buf = cap != 0u ? (float *)malloc(cap * sizeof(float)) : NULL;
    uint32_t *lbuf = lcap != 0u ? (uint32_t *)malloc(lcap * sizeof(uint32_t)) : NULL;
    float sum = 0.0f;
    hf_status_t st;
    memset(&out, 0, sizeof out);
    out.data = buf;
    out.capacity = cap;
    out.lengths = lbuf;
    out.lengths_capacity = lcap;
    if (start(r)) {
        size_t mark = hf_arena_mark(&r->a);
        st = hf_priv_feature_extraction_decode(&r->doc, &r->a, &out, &r->err);
        check_status(r, st);
        if (st == HF_OK) {
            if (out.ndim < 1u || out.ndim > HF_FEATURE_EXTRACTION_MAX_DIMS || (buf != NULL && out.data != buf) ||
                (buf != NULL && out.count > cap) || (lbuf != NULL && out.lengths != lbuf) ||
                (lbuf != NULL && out.lengths_count > lcap)) {
                abort();
            }
            check_structure(&out);
            for (size_t i = 0; i < out.count; i++) {
                sum += out.data[i];
            }
            g_sink += (size_t)(sum != sum);
        } else if (out.count != 0u || out.ndim != 0u || out.data != buf || out.lengths != lbuf ||
                   out.lengths_count != 0u || out.ragged || hf_arena_mark(&r->a) != mark) {
            abort();
        }
    }
    free(buf);
    free(lbuf);
}

/* The CLI's --input path: decode a request body with the input tables, encode it again. */
static void fuzz_inputs(run_t *r)
{
    static const hf_type_t *const types[] = {&hf_text_generation_input_type, &hf_text_classification_input_type,
                                             &hf_feature_extraction_input_type};
    union {
        hf_text_generation_input_t g;
        hf_text_classification_input_t c;
        hf_feature_extraction_input_t f;
    } in;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        hf_status_t st;
        if (!start(r)) {
            return;
        }
        st = hf_codec_decode(&r->doc, 0, types[i], &in, &r->a, &r->err);
        check_status(r, st);
        if (st == HF_OK) {
            encode_back(types[i], &in);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t arenas[4] = {64u, 1024u, 16384u, 1u << 20};
    run_t r;
    size_t cap, lcap;
    if (size < 2u || size > 65536u) {
        return 0;
    }
    memset(&r, 0, sizeof r);
    r.body = data + 2;
    r.len = size - 2u;
    /* Small arenas reach the NO_MEMORY paths; the low bits pick an exact odd size too. */
    r.arena_cap = arenas[data[0] & 3u] + (size_t)(data[0] >> 2) * 8u;
    cap = (size_t)(data[1] & 0x7Fu);
    /* The top bit gives the lengths a caller buffer too, of 1..8 entries. */
    lcap = (data[1] & 0x80u) != 0u ? (size_t)(data[1] & 7u) + 1u : 0u;
    fuzz_generation(&r);
    fuzz_stream_event(&r);
    fuzz_classification(&r);
    fuzz_features(&r, cap, lcap);
    fuzz_inputs(&r);
    free(r.text);
    free(r.mem);
    return 0;
}
