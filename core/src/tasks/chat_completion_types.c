/* Codec tables of the chat-completion seed types (input, output, stream output) and the
 * hooks for the fields whose JSON form is a union. */
#include <string.h>

#include "hf/hf_chat_completion.h"
#include "hf_priv.h"

/* ------------------------------------------------------------------ union hooks */

static void set_str(const hf_field_t *f, void *obj, const char *s)
{
    memcpy((char *)obj + f->offset, &s, sizeof s);
}

static const char *get_str(const hf_field_t *f, const void *obj)
{
    const char *s;
    memcpy(&s, (const char *)obj + f->offset, sizeof s);
    return s;
}

/* The codec prefixes the field's path to what a hook says. */
static hf_status_t shape_error(hf_error_t *err, const hf_field_t *f, const char *what)
{
    (void)f;
    if (err != NULL) {
        hf_priv_error_set(err, HF_ERR_JSON_SHAPE, "expected ", what, NULL);
    }
    return HF_ERR_JSON_SHAPE;
}

static bool str_present(const hf_field_t *f, const void *obj) { return get_str(f, obj) != NULL; }

static hf_status_t str_encode(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    return hf_jw_cstring(w, get_str(f, obj));
}

/* Tool-call arguments: TGI sends a JSON string holding JSON, or (some versions) the object
 * itself. Either way the caller gets the arguments document as text. */
static hf_status_t text_or_json_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj,
                                       hf_arena_t *a, hf_error_t *err)
{
    const char *s = NULL;
    size_t n = 0;
    hf_status_t st;
    (void)a;
    if (hf_json_is_null(doc, tok)) {
        return HF_OK;
    }
    if (doc->tok[tok].type == JSMN_STRING) {
        st = hf_json_str(doc, tok, &s, &n);
    } else {
        st = hf_json_raw(doc, tok, &s, &n);
    }
    if (st == HF_OK) {
        set_str(f, obj, s);
    } else if (err != NULL) {
        hf_priv_error_set(err, st, "invalid string", NULL, NULL);
    }
    return st;
}

/* Tool-call ids: older TGI sends `"id":0` (a number), everyone else a string. */
static hf_status_t text_or_scalar_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj,
                                         hf_arena_t *a, hf_error_t *err)
{
    jsmntype_t t;
    if (hf_json_is_null(doc, tok)) {
        return HF_OK;
    }
    t = doc->tok[tok].type;
    if (t != JSMN_STRING && t != JSMN_PRIMITIVE) {
        return shape_error(err, f, "string or number");
    }
    return text_or_json_decode(doc, tok, f, obj, a, err);
}

static const hf_custom_t text_or_json_hooks = {str_encode, text_or_json_decode, str_present};
static const hf_custom_t text_or_scalar_hooks = {str_encode, text_or_scalar_decode, str_present};

/* Decode every element of array token `tok` into a fresh arena array of `t` structs. */
static hf_status_t decode_obj_array(hf_json_doc_t *doc, int tok, const hf_type_t *t, void **out,
                                    size_t *count, hf_arena_t *a, hf_error_t *err)
{
    size_t n = (size_t)doc->tok[tok].size;
    uint8_t *arr;
    int i = tok + 1;
    if (n > (size_t)-1 / t->size) {
        return HF_ERR_NO_MEMORY;
    }
    arr = (uint8_t *)hf_arena_alloc(a, n * t->size, 0);
    if (arr == NULL && n > 0u) {
        if (err != NULL) {
            hf_priv_error_set(err, HF_ERR_NO_MEMORY, "array does not fit in the arena", NULL, NULL);
            err->needed = a->needed;
        }
        return HF_ERR_NO_MEMORY;
    }
    for (size_t k = 0; k < n; k++) {
        hf_status_t st = hf_codec_decode(doc, i, t, arr + k * t->size, a, err);
        if (st != HF_OK) {
            return st;
        }
        i = hf_json_next(doc, i);
    }
    *out = arr;
    *count = n;
    return HF_OK;
}

/* ------------------------------------------------------------------ input tables */

#define IN_URL hf_chat_completion_input_url_t
static const hf_field_t input_url_fields[] = {
    HF_FIELD(IN_URL, url, HF_K_STR, HF_F_REQUIRED),
};
static const hf_type_t input_url_type = HF_TYPE("ChatCompletionInputUrl", IN_URL, input_url_fields);

#define IN_CHUNK hf_chat_completion_input_message_chunk_t
static const hf_field_t input_chunk_fields[] = {
    HF_FIELD(IN_CHUNK, type, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(IN_CHUNK, text, HF_K_STR, 0),
    HF_FIELD_OBJ(IN_CHUNK, image_url, input_url_type, 0),
};
static const hf_type_t input_chunk_type = HF_TYPE("ChatCompletionInputMessageChunk", IN_CHUNK, input_chunk_fields);

#define IN_FUNC hf_chat_completion_input_function_definition_t
static const hf_field_t input_function_fields[] = {
    HF_FIELD(IN_FUNC, name, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(IN_FUNC, description, HF_K_STR, 0),
    HF_FIELD(IN_FUNC, parameters, HF_K_RAW, 0),
    HF_FIELD(IN_FUNC, arguments, HF_K_RAW, 0),
};
static const hf_type_t input_function_type =
    HF_TYPE("ChatCompletionInputFunctionDefinition", IN_FUNC, input_function_fields);

#define IN_TCALL hf_chat_completion_input_tool_call_t
static const hf_field_t input_tool_call_fields[] = {
    HF_FIELD(IN_TCALL, id, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(IN_TCALL, type, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD_OBJ(IN_TCALL, function, input_function_type, HF_F_REQUIRED),
};
static const hf_type_t input_tool_call_type = HF_TYPE("ChatCompletionInputToolCall", IN_TCALL, input_tool_call_fields);

/* Message content: a string or an array of parts. */
static bool content_present(const hf_field_t *f, const void *obj)
{
    const hf_chat_completion_input_message_t *m = (const hf_chat_completion_input_message_t *)obj;
    (void)f;
    return m->content != NULL || m->content_parts != NULL;
}

static hf_status_t content_encode(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    const hf_chat_completion_input_message_t *m = (const hf_chat_completion_input_message_t *)obj;
    hf_status_t st;
    (void)f;
    if (m->content != NULL) {
        return hf_jw_cstring(w, m->content);
    }
    st = hf_jw_begin_array(w);
    for (size_t i = 0; st == HF_OK && i < m->content_parts_count; i++) {
        st = hf_codec_encode(w, &input_chunk_type, &m->content_parts[i]);
    }
    return st == HF_OK ? hf_jw_end_array(w) : st;
}

static hf_status_t content_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                                  hf_error_t *err)
{
    hf_chat_completion_input_message_t *m = (hf_chat_completion_input_message_t *)obj;
    void *parts = NULL;
    hf_status_t st;
    size_t n = 0;
    if (hf_json_is_null(doc, tok)) {
        return HF_OK;
    }
    if (doc->tok[tok].type == JSMN_STRING) {
        return hf_json_str(doc, tok, &m->content, &n);
    }
    if (doc->tok[tok].type != JSMN_ARRAY) {
        return shape_error(err, f, "string or array of parts");
    }
    st = decode_obj_array(doc, tok, &input_chunk_type, &parts, &n, a, err);
    if (st == HF_OK) {
        m->content_parts = (hf_chat_completion_input_message_chunk_t *)parts;
        m->content_parts_count = n;
    }
    return st;
}

static const hf_custom_t content_hooks = {content_encode, content_decode, content_present};

#define IN_MSG hf_chat_completion_input_message_t
static const hf_field_t input_message_fields[] = {
    HF_FIELD(IN_MSG, role, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD_CUSTOM(IN_MSG, content, content_hooks, 0),
    HF_FIELD(IN_MSG, name, HF_K_STR, 0),
    HF_FIELD_OBJ_ARR(IN_MSG, tool_calls, input_tool_call_type, 0),
    HF_FIELD(IN_MSG, tool_call_id, HF_K_STR, 0),
};
static const hf_type_t input_message_type = HF_TYPE("ChatCompletionInputMessage", IN_MSG, input_message_fields);

#define IN_JSC hf_chat_completion_input_json_schema_config_t
static const hf_field_t input_json_schema_fields[] = {
    HF_FIELD(IN_JSC, name, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(IN_JSC, description, HF_K_STR, 0),
    HF_FIELD(IN_JSC, schema, HF_K_RAW, 0),
    HF_FIELD_OPT(IN_JSC, strict, HF_K_BOOL),
};
static const hf_type_t input_json_schema_type =
    HF_TYPE("ChatCompletionInputJsonSchemaConfig", IN_JSC, input_json_schema_fields);

#define IN_GRAM hf_chat_completion_input_grammar_type_t
static const hf_field_t input_grammar_fields[] = {
    HF_FIELD(IN_GRAM, type, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD_OBJ(IN_GRAM, json_schema, input_json_schema_type, 0),
    HF_FIELD(IN_GRAM, value, HF_K_RAW, 0),
};
static const hf_type_t input_grammar_type = HF_TYPE("ChatCompletionInputGrammarType", IN_GRAM, input_grammar_fields);

#define IN_SOPT hf_chat_completion_input_stream_options_t
static const hf_field_t input_stream_options_fields[] = {
    HF_FIELD_OPT(IN_SOPT, include_usage, HF_K_BOOL),
};
static const hf_type_t input_stream_options_type =
    HF_TYPE("ChatCompletionInputStreamOptions", IN_SOPT, input_stream_options_fields);

#define IN_FNAME hf_chat_completion_input_function_name_t
static const hf_field_t input_function_name_fields[] = {
    HF_FIELD(IN_FNAME, name, HF_K_STR, HF_F_REQUIRED),
};
static const hf_type_t input_function_name_type =
    HF_TYPE("ChatCompletionInputFunctionName", IN_FNAME, input_function_name_fields);

/* The object form of tool_choice (`mode` is the string form, handled by the hooks). */
#define IN_TCH hf_chat_completion_input_tool_choice_t
static const hf_field_t input_tool_choice_fields[] = {
    HF_FIELD(IN_TCH, type, HF_K_STR, 0),
    HF_FIELD_OBJ(IN_TCH, function, input_function_name_type, HF_F_REQUIRED),
};
static const hf_type_t input_tool_choice_type = HF_TYPE("ChatCompletionInputToolChoice", IN_TCH, input_tool_choice_fields);

static bool tool_choice_present(const hf_field_t *f, const void *obj)
{
    (void)f;
    return ((const hf_chat_completion_input_t *)obj)->tool_choice != NULL;
}

static hf_status_t tool_choice_encode(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    const hf_chat_completion_input_tool_choice_t *tc = ((const hf_chat_completion_input_t *)obj)->tool_choice;
    (void)f;
    if (tc->mode != NULL) {
        return hf_jw_cstring(w, tc->mode);
    }
    return hf_codec_encode(w, &input_tool_choice_type, tc);
}

static hf_status_t tool_choice_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                                      hf_error_t *err)
{
    hf_chat_completion_input_t *in = (hf_chat_completion_input_t *)obj;
    hf_chat_completion_input_tool_choice_t *tc;
    jsmntype_t t = doc->tok[tok].type;
    size_t n;
    if (hf_json_is_null(doc, tok)) {
        return HF_OK;
    }
    if (t != JSMN_STRING && t != JSMN_OBJECT) {
        return shape_error(err, f, "string or object");
    }
    tc = (hf_chat_completion_input_tool_choice_t *)hf_arena_alloc(a, sizeof *tc, 0);
    if (tc == NULL) {
        if (err != NULL) {
            hf_priv_error_set(err, HF_ERR_NO_MEMORY, "does not fit in the arena", NULL, NULL);
            err->needed = a->needed;
        }
        return HF_ERR_NO_MEMORY;
    }
    memset(tc, 0, sizeof *tc);
    in->tool_choice = tc;
    if (t == JSMN_STRING) {
        return hf_json_str(doc, tok, &tc->mode, &n);
    }
    return hf_codec_decode(doc, tok, &input_tool_choice_type, tc, a, err);
}

static const hf_custom_t tool_choice_hooks = {tool_choice_encode, tool_choice_decode, tool_choice_present};

#define IN_TOOL hf_chat_completion_input_tool_t
static const hf_field_t input_tool_fields[] = {
    HF_FIELD(IN_TOOL, type, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD_OBJ(IN_TOOL, function, input_function_type, HF_F_REQUIRED),
};
static const hf_type_t input_tool_type = HF_TYPE("ChatCompletionInputTool", IN_TOOL, input_tool_fields);

/* `model` first: the router reads it from a small prefix of a possibly huge body. */
#define IN hf_chat_completion_input_t
static const hf_field_t input_fields[] = {
    HF_FIELD(IN, model, HF_K_STR, 0),
    HF_FIELD_OBJ_ARR(IN, messages, input_message_type, HF_F_REQUIRED),
    HF_FIELD_OPT(IN, frequency_penalty, HF_K_F32),
    HF_FIELD_ARR(IN, logit_bias, HF_K_F32, 0),
    HF_FIELD_OPT(IN, logprobs, HF_K_BOOL),
    HF_FIELD_OPT(IN, max_tokens, HF_K_I32),
    HF_FIELD_OPT(IN, n, HF_K_I32),
    HF_FIELD_OPT(IN, presence_penalty, HF_K_F32),
    HF_FIELD(IN, reasoning_effort, HF_K_STR, 0),
    HF_FIELD_OBJ(IN, response_format, input_grammar_type, 0),
    HF_FIELD_OPT(IN, seed, HF_K_I64),
    HF_FIELD_ARR(IN, stop, HF_K_STR, 0),
    HF_FIELD_OPT(IN, stream, HF_K_BOOL),
    HF_FIELD_OBJ(IN, stream_options, input_stream_options_type, 0),
    HF_FIELD_OPT(IN, temperature, HF_K_F32),
    HF_FIELD_CUSTOM(IN, tool_choice, tool_choice_hooks, 0),
    HF_FIELD(IN, tool_prompt, HF_K_STR, 0),
    HF_FIELD_OBJ_ARR(IN, tools, input_tool_type, 0),
    HF_FIELD_OPT(IN, top_logprobs, HF_K_I32),
    HF_FIELD_OPT(IN, top_p, HF_K_F32),
};
const hf_type_t hf_chat_completion_input_type = HF_TYPE("ChatCompletionInput", IN, input_fields);

/* ------------------------------------------------------------------ output tables */

#define OUT_TOP hf_chat_completion_output_top_logprob_t
static const hf_field_t output_top_logprob_fields[] = {
    HF_FIELD(OUT_TOP, token, HF_K_STR, 0),
    HF_FIELD(OUT_TOP, logprob, HF_K_F32, 0),
};
static const hf_type_t output_top_logprob_type =
    HF_TYPE("ChatCompletionOutputTopLogprob", OUT_TOP, output_top_logprob_fields);

#define OUT_LP hf_chat_completion_output_logprob_t
static const hf_field_t output_logprob_fields[] = {
    HF_FIELD(OUT_LP, token, HF_K_STR, 0),
    HF_FIELD(OUT_LP, logprob, HF_K_F32, 0),
    HF_FIELD_OBJ_ARR(OUT_LP, top_logprobs, output_top_logprob_type, 0),
};
static const hf_type_t output_logprob_type = HF_TYPE("ChatCompletionOutputLogprob", OUT_LP, output_logprob_fields);

#define OUT_LPS hf_chat_completion_output_logprobs_t
static const hf_field_t output_logprobs_fields[] = {
    HF_FIELD_OBJ_ARR(OUT_LPS, content, output_logprob_type, 0),
};
static const hf_type_t output_logprobs_type = HF_TYPE("ChatCompletionOutputLogprobs", OUT_LPS, output_logprobs_fields);

#define OUT_FUNC hf_chat_completion_output_function_definition_t
static const hf_field_t output_function_fields[] = {
    HF_FIELD(OUT_FUNC, name, HF_K_STR, 0),
    HF_FIELD_CUSTOM(OUT_FUNC, arguments, text_or_json_hooks, 0),
    HF_FIELD(OUT_FUNC, description, HF_K_STR, 0),
};
static const hf_type_t output_function_type =
    HF_TYPE("ChatCompletionOutputFunctionDefinition", OUT_FUNC, output_function_fields);

#define OUT_TCALL hf_chat_completion_output_tool_call_t
static const hf_field_t output_tool_call_fields[] = {
    HF_FIELD_CUSTOM(OUT_TCALL, id, text_or_scalar_hooks, 0),
    HF_FIELD(OUT_TCALL, type, HF_K_STR, 0),
    HF_FIELD_OBJ(OUT_TCALL, function, output_function_type, 0),
};
static const hf_type_t output_tool_call_type = HF_TYPE("ChatCompletionOutputToolCall", OUT_TCALL, output_tool_call_fields);

#define OUT_MSG hf_chat_completion_output_message_t
static const hf_field_t output_message_fields[] = {
    HF_FIELD(OUT_MSG, role, HF_K_STR, 0),
    HF_FIELD(OUT_MSG, content, HF_K_STR, 0),
    HF_FIELD(OUT_MSG, reasoning, HF_K_STR, 0),
    HF_FIELD(OUT_MSG, tool_call_id, HF_K_STR, 0),
    HF_FIELD_OBJ_ARR(OUT_MSG, tool_calls, output_tool_call_type, 0),
};
static const hf_type_t output_message_type = HF_TYPE("ChatCompletionOutputMessage", OUT_MSG, output_message_fields);

#define OUT_CH hf_chat_completion_output_complete_t
static const hf_field_t output_complete_fields[] = {
    HF_FIELD(OUT_CH, index, HF_K_I32, 0),
    HF_FIELD(OUT_CH, finish_reason, HF_K_STR, 0),
    HF_FIELD_OBJ(OUT_CH, logprobs, output_logprobs_type, 0),
    HF_FIELD_OBJ(OUT_CH, message, output_message_type, HF_F_REQUIRED),
};
static const hf_type_t output_complete_type = HF_TYPE("ChatCompletionOutputComplete", OUT_CH, output_complete_fields);

#define OUT_USE hf_chat_completion_output_usage_t
static const hf_field_t output_usage_fields[] = {
    HF_FIELD(OUT_USE, prompt_tokens, HF_K_I32, 0),
    HF_FIELD(OUT_USE, completion_tokens, HF_K_I32, 0),
    HF_FIELD(OUT_USE, total_tokens, HF_K_I32, 0),
};
static const hf_type_t output_usage_type = HF_TYPE("ChatCompletionOutputUsage", OUT_USE, output_usage_fields);

#define OUT hf_chat_completion_output_t
static const hf_field_t output_fields[] = {
    HF_FIELD(OUT, id, HF_K_STR, 0),
    HF_FIELD(OUT, object, HF_K_STR, 0),
    HF_FIELD_OPT(OUT, created, HF_K_I64),
    HF_FIELD(OUT, model, HF_K_STR, 0),
    HF_FIELD(OUT, system_fingerprint, HF_K_STR, 0),
    HF_FIELD_OBJ_ARR(OUT, choices, output_complete_type, HF_F_REQUIRED),
    HF_FIELD_OBJ(OUT, usage, output_usage_type, 0),
};
const hf_type_t hf_chat_completion_output_type = HF_TYPE("ChatCompletionOutput", OUT, output_fields);

/* ------------------------------------------------------------------ stream output tables */

#define SO_TOP hf_chat_completion_stream_output_top_logprob_t
static const hf_field_t stream_top_logprob_fields[] = {
    HF_FIELD(SO_TOP, token, HF_K_STR, 0),
    HF_FIELD(SO_TOP, logprob, HF_K_F32, 0),
};
static const hf_type_t stream_top_logprob_type =
    HF_TYPE("ChatCompletionStreamOutputTopLogprob", SO_TOP, stream_top_logprob_fields);

#define SO_LP hf_chat_completion_stream_output_logprob_t
static const hf_field_t stream_logprob_fields[] = {
    HF_FIELD(SO_LP, token, HF_K_STR, 0),
    HF_FIELD(SO_LP, logprob, HF_K_F32, 0),
    HF_FIELD_OBJ_ARR(SO_LP, top_logprobs, stream_top_logprob_type, 0),
};
static const hf_type_t stream_logprob_type = HF_TYPE("ChatCompletionStreamOutputLogprob", SO_LP, stream_logprob_fields);

#define SO_LPS hf_chat_completion_stream_output_logprobs_t
static const hf_field_t stream_logprobs_fields[] = {
    HF_FIELD_OBJ_ARR(SO_LPS, content, stream_logprob_type, 0),
};
static const hf_type_t stream_logprobs_type =
    HF_TYPE("ChatCompletionStreamOutputLogprobs", SO_LPS, stream_logprobs_fields);

#define SO_FN hf_chat_completion_stream_output_function_t
static const hf_field_t stream_function_fields[] = {
    HF_FIELD(SO_FN, name, HF_K_STR, 0),
    HF_FIELD_CUSTOM(SO_FN, arguments, text_or_json_hooks, 0),
};
static const hf_type_t stream_function_type = HF_TYPE("ChatCompletionStreamOutputFunction", SO_FN, stream_function_fields);

#define SO_TC hf_chat_completion_stream_output_delta_tool_call_t
static const hf_field_t stream_tool_call_fields[] = {
    HF_FIELD_OPT(SO_TC, index, HF_K_I32),
    HF_FIELD_CUSTOM(SO_TC, id, text_or_scalar_hooks, 0),
    HF_FIELD(SO_TC, type, HF_K_STR, 0),
    HF_FIELD_OBJ(SO_TC, function, stream_function_type, 0),
};
static const hf_type_t stream_tool_call_type =
    HF_TYPE("ChatCompletionStreamOutputDeltaToolCall", SO_TC, stream_tool_call_fields);

#define SO_DELTA hf_chat_completion_stream_output_delta_t
static const hf_field_t stream_delta_fields[] = {
    HF_FIELD(SO_DELTA, role, HF_K_STR, 0),
    HF_FIELD(SO_DELTA, content, HF_K_STR, 0),
    HF_FIELD(SO_DELTA, reasoning, HF_K_STR, 0),
    HF_FIELD(SO_DELTA, tool_call_id, HF_K_STR, 0),
    HF_FIELD_OBJ_ARR(SO_DELTA, tool_calls, stream_tool_call_type, 0),
};
static const hf_type_t stream_delta_type = HF_TYPE("ChatCompletionStreamOutputDelta", SO_DELTA, stream_delta_fields);

#define SO_CH hf_chat_completion_stream_output_choice_t
static const hf_field_t stream_choice_fields[] = {
    HF_FIELD(SO_CH, index, HF_K_I32, 0),
    HF_FIELD_OBJ(SO_CH, delta, stream_delta_type, 0),
    HF_FIELD_OBJ(SO_CH, logprobs, stream_logprobs_type, 0),
    HF_FIELD(SO_CH, finish_reason, HF_K_STR, 0),
};
static const hf_type_t stream_choice_type = HF_TYPE("ChatCompletionStreamOutputChoice", SO_CH, stream_choice_fields);

#define SO_USE hf_chat_completion_stream_output_usage_t
static const hf_field_t stream_usage_fields[] = {
    HF_FIELD(SO_USE, prompt_tokens, HF_K_I32, 0),
    HF_FIELD(SO_USE, completion_tokens, HF_K_I32, 0),
    HF_FIELD(SO_USE, total_tokens, HF_K_I32, 0),
};
static const hf_type_t stream_usage_type = HF_TYPE("ChatCompletionStreamOutputUsage", SO_USE, stream_usage_fields);

#define SO hf_chat_completion_stream_output_t
static const hf_field_t stream_fields[] = {
    HF_FIELD(SO, id, HF_K_STR, 0),
    HF_FIELD(SO, object, HF_K_STR, 0),
    HF_FIELD_OPT(SO, created, HF_K_I64),
    HF_FIELD(SO, model, HF_K_STR, 0),
    HF_FIELD(SO, system_fingerprint, HF_K_STR, 0),
    HF_FIELD_OBJ_ARR(SO, choices, stream_choice_type, 0),
    HF_FIELD_OBJ(SO, usage, stream_usage_type, 0),
};
const hf_type_t hf_chat_completion_stream_output_type = HF_TYPE("ChatCompletionStreamOutput", SO, stream_fields);
