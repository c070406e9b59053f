/* Text generation: field tables of the TextGeneration* seed types, the one-shot call and the
 * token stream. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hf/hf_text_generation.h"

#include "hf_priv.h"
#include "tasks_priv.h"

/* ------------------------------------------------------------------ input tables */

typedef hf_text_generation_input_generate_parameters_t tg_params_t;

static const hf_field_t k_params_fields[] = {
    HF_FIELD(tg_params_t, adapter_id, HF_K_STR, 0u),
    HF_FIELD_OPT(tg_params_t, best_of, HF_K_I32),
    HF_FIELD_OPT(tg_params_t, decoder_input_details, HF_K_BOOL),
    HF_FIELD_OPT(tg_params_t, details, HF_K_BOOL),
    HF_FIELD_OPT(tg_params_t, do_sample, HF_K_BOOL),
    HF_FIELD_OPT(tg_params_t, frequency_penalty, HF_K_F32),
    HF_FIELD(tg_params_t, grammar, HF_K_RAW, 0u),
    HF_FIELD_OPT(tg_params_t, max_new_tokens, HF_K_I32),
    HF_FIELD_OPT(tg_params_t, repetition_penalty, HF_K_F32),
    HF_FIELD_OPT(tg_params_t, return_full_text, HF_K_BOOL),
    HF_FIELD_OPT(tg_params_t, seed, HF_K_I64),
    HF_FIELD_ARR(tg_params_t, stop, HF_K_STR, 0u),
    HF_FIELD_OPT(tg_params_t, temperature, HF_K_F32),
    HF_FIELD_OPT(tg_params_t, top_k, HF_K_I32),
    HF_FIELD_OPT(tg_params_t, top_n_tokens, HF_K_I32),
    HF_FIELD_OPT(tg_params_t, top_p, HF_K_F32),
    HF_FIELD_OPT(tg_params_t, truncate, HF_K_I32),
    HF_FIELD_OPT(tg_params_t, typical_p, HF_K_F32),
    HF_FIELD_OPT(tg_params_t, watermark, HF_K_BOOL),
};
const hf_type_t hf_text_generation_input_generate_parameters_type =
    HF_TYPE("TextGenerationInputGenerateParameters", tg_params_t, k_params_fields);

static const hf_field_t k_input_fields[] = {
    HF_FIELD(hf_text_generation_input_t, inputs, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD_OBJ(hf_text_generation_input_t, parameters, hf_text_generation_input_generate_parameters_type, 0u),
    HF_FIELD_OPT(hf_text_generation_input_t, stream, HF_K_BOOL),
};
const hf_type_t hf_text_generation_input_type = HF_TYPE("TextGenerationInput", hf_text_generation_input_t,
                                                        k_input_fields);

/* ------------------------------------------------------------------ output tables */

typedef hf_text_generation_output_prefill_token_t tg_prefill_t;
typedef hf_text_generation_output_token_t tg_token_t;
typedef hf_text_generation_output_top_tokens_t tg_top_t;
typedef hf_text_generation_output_best_of_sequence_t tg_best_t;
typedef hf_text_generation_output_details_t tg_details_t;

/* logprob is required by the spec but null for the first prompt token: optional here. */
static const hf_field_t k_prefill_fields[] = {
    HF_FIELD(tg_prefill_t, id, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD_OPT(tg_prefill_t, logprob, HF_K_F32),
    HF_FIELD(tg_prefill_t, text, HF_K_STR, HF_F_REQUIRED),
};
static const hf_type_t k_prefill_type = HF_TYPE("TextGenerationOutputPrefillToken", tg_prefill_t, k_prefill_fields);

static const hf_field_t k_token_fields[] = {
    HF_FIELD(tg_token_t, id, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD_OPT(tg_token_t, logprob, HF_K_F32),
    HF_FIELD(tg_token_t, special, HF_K_BOOL, HF_F_REQUIRED),
    HF_FIELD(tg_token_t, text, HF_K_STR, HF_F_REQUIRED),
};
static const hf_type_t k_token_type = HF_TYPE("TextGenerationOutputToken", tg_token_t, k_token_fields);

static void *field_at(void *obj, uint16_t off)
{
    return (uint8_t *)obj + off;
}

static const void *cfield_at(const void *obj, uint16_t off)
{
    return (const uint8_t *)obj + off;
}

static hf_status_t shape_error(hf_error_t *err, const char *what)
{
    hf_priv_error_set(err, HF_ERR_JSON_SHAPE, "unexpected JSON shape: ", what, NULL);
    return HF_ERR_JSON_SHAPE;
}

static hf_status_t no_memory(hf_error_t *err, const hf_arena_t *a)
{
    hf_priv_error_set(err, HF_ERR_NO_MEMORY, "arena too small for the decoded result", NULL, NULL);
    err->needed = a->needed;
    return HF_ERR_NO_MEMORY;
}

/* One inner list of top_tokens: an array of token objects. */
static hf_status_t decode_token_list(hf_json_doc_t *doc, int tok, const hf_type_t *t, tg_top_t *dst,
                                     hf_arena_t *a, hf_error_t *err)
{
    size_t n;
    int el;
    if (tok < 0 || tok >= doc->ntok || doc->tok[tok].type != JSMN_ARRAY) {
        return shape_error(err, "top_tokens entry is not an array");
    }
    n = (size_t)doc->tok[tok].size;
    dst->tokens = (tg_token_t *)hf_arena_alloc(a, (n > 0u ? n : 1u) * t->size, 0u);
    if (dst->tokens == NULL) {
        return no_memory(err, a);
    }
    dst->tokens_count = n;
    el = tok + 1;
    for (size_t j = 0; j < n; j++) {
        hf_status_t st;
        if (el >= doc->ntok || doc->tok[el].type != JSMN_OBJECT) {
            return shape_error(err, "top_tokens token is not an object");
        }
        st = hf_codec_decode(doc, el, t, &dst->tokens[j], a, err);
        if (st != HF_OK) {
            return st;
        }
        el = hf_json_next(doc, el);
    }
    return HF_OK;
}

/* `top_tokens` is `[[token]]`, an array of arrays the generic codec has no kind for. */
static hf_status_t top_tokens_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                                     hf_error_t *err)
{
    size_t n;
    tg_top_t *lists;
    int el;
    if (doc->tok[tok].type != JSMN_ARRAY) {
        return shape_error(err, "top_tokens is not an array");
    }
    n = (size_t)doc->tok[tok].size;
    lists = (tg_top_t *)hf_arena_alloc(a, (n > 0u ? n : 1u) * sizeof(tg_top_t), 0u);
    if (lists == NULL) {
        return no_memory(err, a);
    }
    el = tok + 1;
    for (size_t k = 0; k < n; k++) {
        hf_status_t st = decode_token_list(doc, el, f->type, &lists[k], a, err);
        if (st != HF_OK) {
            return st;
        }
        el = hf_json_next(doc, el);
    }
    *(tg_top_t **)field_at(obj, f->offset) = lists;
    *(size_t *)field_at(obj, f->count_offset) = n;
    return HF_OK;
}

static hf_status_t top_tokens_encode(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    const tg_top_t *lists = *(tg_top_t *const *)cfield_at(obj, f->offset);
    size_t n = *(const size_t *)cfield_at(obj, f->count_offset);
    hf_status_t st = hf_jw_begin_array(w);
    for (size_t k = 0; k < n && st == HF_OK; k++) {
        st = hf_jw_begin_array(w);
        for (size_t j = 0; j < lists[k].tokens_count && st == HF_OK; j++) {
            st = hf_codec_encode(w, f->type, &lists[k].tokens[j]);
        }
        if (st == HF_OK) {
            st = hf_jw_end_array(w);
        }
    }
    return st == HF_OK ? hf_jw_end_array(w) : st;
}

static bool top_tokens_present(const hf_field_t *f, const void *obj)
{
    return *(tg_top_t *const *)cfield_at(obj, f->offset) != NULL;
}

static const hf_custom_t k_top_tokens_hooks = {top_tokens_encode, top_tokens_decode, top_tokens_present};

/* Custom array-of-arrays field: offsets of the pointer and the count, element type = token. */
#define TG_TOP_TOKENS(ST)                                                                              \
    { "top_tokens", (uint16_t)offsetof(ST, top_tokens), HF_NO_OFFSET, (uint16_t)offsetof(ST, top_tokens_count), \
      (uint8_t)HF_K_CUSTOM, 0u, &k_token_type, &k_top_tokens_hooks }

static const hf_field_t k_best_fields[] = {
    HF_FIELD(tg_best_t, finish_reason, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(tg_best_t, generated_text, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(tg_best_t, generated_tokens, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD_OBJ_ARR(tg_best_t, prefill, k_prefill_type, 0u),
    HF_FIELD_OPT(tg_best_t, seed, HF_K_I64),
    HF_FIELD_OBJ_ARR(tg_best_t, tokens, k_token_type, 0u),
    TG_TOP_TOKENS(tg_best_t),
};
static const hf_type_t k_best_type = HF_TYPE("TextGenerationOutputBestOfSequence", tg_best_t, k_best_fields);

/* prefill and tokens are required by the spec; absent lists are harmless, so accept them. */
static const hf_field_t k_details_fields[] = {
    HF_FIELD_OBJ_ARR(tg_details_t, best_of_sequences, k_best_type, 0u),
    HF_FIELD(tg_details_t, finish_reason, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(tg_details_t, generated_tokens, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD_OBJ_ARR(tg_details_t, prefill, k_prefill_type, 0u),
    HF_FIELD_OPT(tg_details_t, seed, HF_K_I64),
    HF_FIELD_OBJ_ARR(tg_details_t, tokens, k_token_type, 0u),
    TG_TOP_TOKENS(tg_details_t),
};
static const hf_type_t k_details_type = HF_TYPE("TextGenerationOutputDetails", tg_details_t, k_details_fields);

static const hf_field_t k_output_fields[] = {
    HF_FIELD_OBJ(hf_text_generation_output_t, details, k_details_type, 0u),
    HF_FIELD(hf_text_generation_output_t, generated_text, HF_K_STR, HF_F_REQUIRED),
};
const hf_type_t hf_text_generation_output_type = HF_TYPE("TextGenerationOutput", hf_text_generation_output_t,
                                                         k_output_fields);

/* ------------------------------------------------------------------ stream tables */

typedef hf_text_generation_stream_output_token_t tg_stoken_t;
typedef hf_text_generation_stream_output_stream_details_t tg_sdetails_t;
typedef hf_text_generation_stream_output_t tg_event_t;

static const hf_field_t k_stoken_fields[] = {
    HF_FIELD(tg_stoken_t, id, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD_OPT(tg_stoken_t, logprob, HF_K_F32),
    HF_FIELD(tg_stoken_t, special, HF_K_BOOL, HF_F_REQUIRED),
    HF_FIELD(tg_stoken_t, text, HF_K_STR, HF_F_REQUIRED),
};
static const hf_type_t k_stoken_type = HF_TYPE("TextGenerationStreamOutputToken", tg_stoken_t, k_stoken_fields);

static const hf_field_t k_sdetails_fields[] = {
    HF_FIELD(tg_sdetails_t, finish_reason, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(tg_sdetails_t, generated_tokens, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD_OPT(tg_sdetails_t, input_length, HF_K_I32),
    HF_FIELD_OPT(tg_sdetails_t, seed, HF_K_I64),
};
static const hf_type_t k_sdetails_type = HF_TYPE("TextGenerationStreamOutputStreamDetails", tg_sdetails_t,
                                                 k_sdetails_fields);

static const hf_field_t k_event_fields[] = {
    HF_FIELD_OBJ(tg_event_t, details, k_sdetails_type, 0u),
    HF_FIELD(tg_event_t, generated_text, HF_K_STR, 0u),
    HF_FIELD_OPT(tg_event_t, index, HF_K_I32),
    HF_FIELD_OBJ(tg_event_t, token, k_stoken_type, HF_F_REQUIRED),
    HF_FIELD_OBJ_ARR(tg_event_t, top_tokens, k_stoken_type, 0u),
};
const hf_type_t hf_text_generation_stream_output_type = HF_TYPE("TextGenerationStreamOutput", tg_event_t,
                                                                k_event_fields);

/* ------------------------------------------------------------------ decode */

hf_status_t hf_priv_text_generation_decode(hf_json_doc_t *doc, hf_arena_t *a, hf_text_generation_output_t *out,
                                           hf_error_t *err)
{
    int root = 0;
    hf_status_t st = hf_priv_unwrap_first(doc, 0, &root);
    if (st == HF_ERR_EMPTY_RESULT) {
        hf_priv_error_set(err, st, "text_generation: empty result list", NULL, NULL);
        return st;
    }
    if (st != HF_OK) {
        return shape_error(err, "text_generation result");
    }
    if (root < 0 || root >= doc->ntok || doc->tok[root].type != JSMN_OBJECT) {
        return shape_error(err, "text_generation result is not an object");
    }
    return hf_codec_decode(doc, root, &hf_text_generation_output_type, out, a, err);
}

hf_status_t hf_priv_text_generation_stream_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                  hf_text_generation_stream_output_t *ev, hf_error_t *err)
{
    if (doc->ntok < 1 || doc->tok[0].type != JSMN_OBJECT) {
        return shape_error(err, "text_generation stream event is not an object");
    }
    return hf_codec_decode(doc, 0, &hf_text_generation_stream_output_type, ev, a, err);
}

/* ------------------------------------------------------------------ calls */

/* Python always sends the key (PROTOCOL 3.0); an all-absent struct encodes as {}. */
static const tg_params_t k_no_params;

static hf_status_t bad_args(hf_client_t *c)
{
    if (c != NULL) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "text_generation: NULL argument or inputs", NULL, NULL);
    }
    return HF_ERR_INVALID_ARG;
}

static void body_of(hf_task_body_t *body, hf_text_generation_input_t *copy, const hf_text_generation_input_t *in)
{
    *copy = *in;
    if (copy->parameters == NULL) {
        copy->parameters = &k_no_params;
    }
    memset(body, 0, sizeof *body);
    body->type = &hf_text_generation_input_type;
    body->obj = copy;
}

/* Decode failures are ours, not the runner's: make sure c->err carries their status. */
static hf_status_t finish(hf_client_t *c, hf_status_t st)
{
    if (st != HF_OK && c->err.status != st) {
        c->err.status = st;
    }
    return st;
}

hf_status_t hf_text_generation(hf_client_t *c, const char *model, const hf_text_generation_input_t *in,
                               hf_arena_t *a, hf_text_generation_output_t *out)
{
    hf_text_generation_input_t copy;
    hf_task_body_t body;
    hf_json_doc_t doc;
    hf_status_t st;
    if (c == NULL || model == NULL || in == NULL || in->inputs == NULL || a == NULL || out == NULL) {
        return bad_args(c);
    }
    memset(out, 0, sizeof *out);
    body_of(&body, &copy, in);
    st = hf_priv_task_json(c, model, HF_ROUTE_MODEL, &body, a, &doc);
    if (st != HF_OK) {
        return st;
    }
    return finish(c, hf_priv_text_generation_decode(&doc, a, out, &c->err));
}

typedef struct tg_stream_ctx {
    hf_client_t *c;
    hf_arena_t *a;
    hf_text_generation_token_fn fn;
    void *user;
} tg_stream_ctx_t;

static hf_status_t on_stream_event(void *user, hf_json_doc_t *doc)
{
    tg_stream_ctx_t *ctx = (tg_stream_ctx_t *)user;
    hf_text_generation_stream_output_t ev;
    hf_status_t st = hf_priv_text_generation_stream_decode(doc, ctx->a, &ev, &ctx->c->err);
    if (st != HF_OK) {
        return finish(ctx->c, st);
    }
    if (ctx->fn(ctx->user, &ev) != HF_OK) {
        hf_priv_error_set(&ctx->c->err, HF_ERR_ABORTED, "text_generation: stopped by the event callback", NULL,
                          NULL);
        return HF_ERR_ABORTED;
    }
    return HF_OK;
}

hf_status_t hf_text_generation_stream(hf_client_t *c, const char *model, const hf_text_generation_input_t *in,
                                      hf_arena_t *a, hf_text_generation_token_fn on_event, void *user)
{
    hf_text_generation_input_t copy;
    hf_task_body_t body;
    tg_stream_ctx_t ctx;
    if (c == NULL || model == NULL || in == NULL || in->inputs == NULL || a == NULL || on_event == NULL) {
        return bad_args(c);
    }
    body_of(&body, &copy, in);
    copy.has_stream = true;
    copy.stream = true;
    ctx.c = c;
    ctx.a = a;
    ctx.fn = on_event;
    ctx.user = user;
    return hf_priv_task_stream(c, model, HF_ROUTE_MODEL, &body, a, on_stream_event, &ctx);
}
