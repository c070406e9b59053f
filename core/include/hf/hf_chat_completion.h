/**
 * @file hf_chat_completion.h
 * @brief Chat completion (`conversational`): types of the seed's ChatCompletionInput,
 *        ChatCompletionOutput and ChatCompletionStreamOutput, one-shot and streamed calls,
 *        and an accumulator for tool calls streamed in fragments.
 *
 * Types mirror `@huggingface/tasks` `chat-completion/spec/{input,output,stream_output}.json`
 * in snake case; field names are the JSON names. Struct conventions are those of hf_codec.h:
 * `bool has_x` for optional scalars, `const char *` strings (NULL = absent), pointers for nested
 * objects, pointer + `x_count` for arrays, RAW = JSON text written verbatim.
 *
 * @code
 * static uint8_t mem[16384];
 * hf_arena_t arena;
 * hf_chat_completion_input_message_t msg = {0};
 * hf_chat_completion_input_t in = {0};
 * hf_chat_completion_output_t out;
 * msg.role = "user";
 * msg.content = "What is Deep Learning?";
 * in.messages = &msg;
 * in.messages_count = 1;
 * in.has_max_tokens = true;
 * in.max_tokens = 64;
 * hf_arena_init(&arena, mem, sizeof mem);
 * if (hf_chat_completion(&client, "HuggingFaceH4/zephyr-7b-beta", &in, &arena, &out) == HF_OK
 *     && out.choices_count > 0 && out.choices[0].message->content != NULL) {
 *     puts(out.choices[0].message->content);
 * }
 * @endcode
 */
#ifndef HF_CHAT_COMPLETION_H
#define HF_CHAT_COMPLETION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_arena.h"
#include "hf/hf_client.h"
#include "hf/hf_codec.h"
#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================== input */

/** @brief ChatCompletionInputUrl: an image URL (`https://…` or `data:<mime>;base64,…`). */
typedef struct hf_chat_completion_input_url {
    const char *url; /**< required */
} hf_chat_completion_input_url_t;

/** @brief ChatCompletionInputMessageChunk: one content part, tagged by `type`. */
typedef struct hf_chat_completion_input_message_chunk {
    const char *type;                         /**< "text" or "image_url" (required) */
    const char *text;                         /**< type "text" */
    hf_chat_completion_input_url_t *image_url; /**< type "image_url" */
} hf_chat_completion_input_message_chunk_t;

/**
 * @brief ChatCompletionInputFunctionDefinition: a tool's function, or the function of an
 * assistant message's tool call.
 */
typedef struct hf_chat_completion_input_function_definition {
    const char *name;        /**< required */
    const char *description; /**< optional */
    const char *parameters;  /**< RAW: JSON Schema of the arguments (tools) */
    /** RAW: the call's arguments (assistant tool calls). OpenAI providers expect a JSON string
     *  (write it quoted and escaped), TGI accepts any JSON value. */
    const char *arguments;
} hf_chat_completion_input_function_definition_t;

/** @brief ChatCompletionInputToolCall: a tool call of an earlier assistant message. */
typedef struct hf_chat_completion_input_tool_call {
    const char *id;                                           /**< required */
    const char *type;                                         /**< required, "function" */
    hf_chat_completion_input_function_definition_t *function; /**< required */
} hf_chat_completion_input_tool_call_t;

/**
 * @brief ChatCompletionInputMessage. `content` is a union on the wire (string or parts):
 * set `content` for a string, or `content_parts` for an array of parts (content wins when
 * both are set); neither = no content (e.g. an assistant message with tool calls only).
 */
typedef struct hf_chat_completion_input_message {
    const char *role;                                      /**< "system", "user", "assistant", "tool" (required) */
    const char *content;                                   /**< string content */
    hf_chat_completion_input_message_chunk_t *content_parts; /**< content as parts (JSON key "content") */
    size_t content_parts_count;
    const char *name;                                      /**< optional */
    hf_chat_completion_input_tool_call_t *tool_calls;      /**< assistant tool calls */
    size_t tool_calls_count;
    const char *tool_call_id;                              /**< role "tool" (OpenAI convention; TGI ignores it) */
} hf_chat_completion_input_message_t;

/** @brief ChatCompletionInputJsonSchemaConfig (response_format `json_schema`). */
typedef struct hf_chat_completion_input_json_schema_config {
    const char *name;        /**< required */
    const char *description; /**< optional */
    const char *schema;      /**< RAW: JSON Schema object */
    bool has_strict;
    bool strict;
} hf_chat_completion_input_json_schema_config_t;

/**
 * @brief ChatCompletionInputGrammarType (`response_format`), tagged by `type`:
 * OpenAI form "text" | "json_object" | "json_schema" (with `json_schema`), or TGI's grammar
 * form "json" | "regex" | "json_object" with `value`.
 * @note For hf-inference and URL (TGI) targets, hf_chat_completion() sends an OpenAI
 * `json_schema` request as `{"type":"json_object","value":<schema>}` (PROTOCOL 6.3); the
 * caller's struct is not modified.
 */
typedef struct hf_chat_completion_input_grammar_type {
    const char *type;                                       /**< required */
    hf_chat_completion_input_json_schema_config_t *json_schema; /**< type "json_schema" (OpenAI) */
    const char *value;                                      /**< RAW: TGI grammar payload */
} hf_chat_completion_input_grammar_type_t;

/** @brief ChatCompletionInputStreamOptions. */
typedef struct hf_chat_completion_input_stream_options {
    bool has_include_usage;
    bool include_usage; /**< adds a usage-only chunk (`"choices":[]`) before [DONE] */
} hf_chat_completion_input_stream_options_t;

/** @brief ChatCompletionInputFunctionName. */
typedef struct hf_chat_completion_input_function_name {
    const char *name; /**< required */
} hf_chat_completion_input_function_name_t;

/**
 * @brief ChatCompletionInputToolChoice: a union on the wire. Set `mode` ("auto", "none",
 * "required") to send a string; otherwise the object `{"type"?:…, "function":{"name":…}}`.
 */
typedef struct hf_chat_completion_input_tool_choice {
    const char *mode;                                   /**< string form; wins when set */
    const char *type;                                   /**< object form: optional "function" (OpenAI) */
    hf_chat_completion_input_function_name_t *function; /**< object form: the forced function */
} hf_chat_completion_input_tool_choice_t;

/** @brief ChatCompletionInputTool. */
typedef struct hf_chat_completion_input_tool {
    const char *type;                                         /**< required, "function" */
    hf_chat_completion_input_function_definition_t *function; /**< required */
} hf_chat_completion_input_tool_t;

/** @brief ChatCompletionInput: the request body. `model` is encoded first (the router reads it). */
typedef struct hf_chat_completion_input {
    const char *model;                              /**< body model; NULL: the call's model argument */
    hf_chat_completion_input_message_t *messages;   /**< required */
    size_t messages_count;
    bool has_frequency_penalty;
    float frequency_penalty;                        /**< -2..2 */
    float *logit_bias;                              /**< UNUSED by TGI; a float array in the spec */
    size_t logit_bias_count;
    bool has_logprobs;
    bool logprobs;
    bool has_max_tokens;
    int32_t max_tokens;
    bool has_n;
    int32_t n;
    bool has_presence_penalty;
    float presence_penalty;                         /**< -2..2 */
    const char *reasoning_effort;                   /**< e.g. "low", "medium", "high" */
    hf_chat_completion_input_grammar_type_t *response_format;
    bool has_seed;
    int64_t seed;
    const char **stop;                              /**< up to 4 stop strings */
    size_t stop_count;
    bool has_stream;
    bool stream;                                    /**< forced by hf_chat_completion_stream() */
    hf_chat_completion_input_stream_options_t *stream_options;
    bool has_temperature;
    float temperature;                              /**< 0..2 */
    hf_chat_completion_input_tool_choice_t *tool_choice;
    const char *tool_prompt;                        /**< TGI: text before the tool list */
    hf_chat_completion_input_tool_t *tools;
    size_t tools_count;
    bool has_top_logprobs;
    int32_t top_logprobs;                           /**< 0..5, needs logprobs */
    bool has_top_p;
    float top_p;
} hf_chat_completion_input_t;

/* ================================================================== output (one-shot) */

/** @brief ChatCompletionOutputTopLogprob. */
typedef struct hf_chat_completion_output_top_logprob {
    const char *token;
    float logprob;
} hf_chat_completion_output_top_logprob_t;

/** @brief ChatCompletionOutputLogprob. */
typedef struct hf_chat_completion_output_logprob {
    const char *token;
    float logprob;
    hf_chat_completion_output_top_logprob_t *top_logprobs;
    size_t top_logprobs_count;
} hf_chat_completion_output_logprob_t;

/** @brief ChatCompletionOutputLogprobs. */
typedef struct hf_chat_completion_output_logprobs {
    hf_chat_completion_output_logprob_t *content;
    size_t content_count;
} hf_chat_completion_output_logprobs_t;

/**
 * @brief ChatCompletionOutputFunctionDefinition. `arguments` is JSON text: TGI sends a JSON
 * string holding JSON (exposed unescaped) or, in some versions, a JSON object (exposed as its
 * raw text); either way the caller gets the arguments document. Encoded back as a string.
 */
typedef struct hf_chat_completion_output_function_definition {
    const char *name;
    const char *arguments;
    const char *description;
} hf_chat_completion_output_function_definition_t;

/** @brief ChatCompletionOutputToolCall. */
typedef struct hf_chat_completion_output_tool_call {
    const char *id;
    const char *type;
    hf_chat_completion_output_function_definition_t *function;
} hf_chat_completion_output_tool_call_t;

/** @brief ChatCompletionOutputMessage (text message or tool-call message). */
typedef struct hf_chat_completion_output_message {
    const char *role;
    const char *content;      /**< NULL when absent or JSON null (e.g. with tool calls) */
    const char *reasoning;    /**< reasoning models (not in the seed schema) */
    const char *tool_call_id;
    hf_chat_completion_output_tool_call_t *tool_calls;
    size_t tool_calls_count;
} hf_chat_completion_output_message_t;

/** @brief ChatCompletionOutputComplete: one choice. */
typedef struct hf_chat_completion_output_complete {
    int32_t index;
    const char *finish_reason;
    hf_chat_completion_output_logprobs_t *logprobs;
    hf_chat_completion_output_message_t *message; /**< required */
} hf_chat_completion_output_complete_t;

/** @brief ChatCompletionOutputUsage. */
typedef struct hf_chat_completion_output_usage {
    int32_t prompt_tokens;
    int32_t completion_tokens;
    int32_t total_tokens;
} hf_chat_completion_output_usage_t;

/** @brief ChatCompletionOutput. Only `choices` is required when decoding (providers omit others). */
typedef struct hf_chat_completion_output {
    const char *id;
    const char *object;             /**< "chat.completion" (older TGI: "text_completion") */
    bool has_created;
    int64_t created;                /**< unix seconds */
    const char *model;
    const char *system_fingerprint; /**< missing or null on some providers */
    hf_chat_completion_output_complete_t *choices;
    size_t choices_count;
    hf_chat_completion_output_usage_t *usage;
} hf_chat_completion_output_t;

/* ================================================================== stream output */

/** @brief ChatCompletionStreamOutputTopLogprob. */
typedef struct hf_chat_completion_stream_output_top_logprob {
    const char *token;
    float logprob;
} hf_chat_completion_stream_output_top_logprob_t;

/** @brief ChatCompletionStreamOutputLogprob. */
typedef struct hf_chat_completion_stream_output_logprob {
    const char *token;
    float logprob;
    hf_chat_completion_stream_output_top_logprob_t *top_logprobs;
    size_t top_logprobs_count;
} hf_chat_completion_stream_output_logprob_t;

/** @brief ChatCompletionStreamOutputLogprobs. */
typedef struct hf_chat_completion_stream_output_logprobs {
    hf_chat_completion_stream_output_logprob_t *content;
    size_t content_count;
} hf_chat_completion_stream_output_logprobs_t;

/** @brief ChatCompletionStreamOutputFunction: one fragment of a tool call's function. */
typedef struct hf_chat_completion_stream_output_function {
    const char *name;      /**< usually only in the first fragment of a call */
    const char *arguments; /**< this fragment's text, JSON-unescaped (objects: raw JSON text) */
} hf_chat_completion_stream_output_function_t;

/** @brief ChatCompletionStreamOutputDeltaToolCall: one fragment, keyed by `index`. */
typedef struct hf_chat_completion_stream_output_delta_tool_call {
    bool has_index;
    int32_t index;
    const char *id;   /**< usually only in the first fragment */
    const char *type; /**< usually only in the first fragment */
    hf_chat_completion_stream_output_function_t *function;
} hf_chat_completion_stream_output_delta_tool_call_t;

/** @brief ChatCompletionStreamOutputDelta. NULL strings: absent or JSON null (never "null"). */
typedef struct hf_chat_completion_stream_output_delta {
    const char *role;
    const char *content;
    const char *reasoning;    /**< reasoning models (not in the seed schema) */
    const char *tool_call_id;
    hf_chat_completion_stream_output_delta_tool_call_t *tool_calls;
    size_t tool_calls_count;
} hf_chat_completion_stream_output_delta_t;

/** @brief ChatCompletionStreamOutputChoice. */
typedef struct hf_chat_completion_stream_output_choice {
    int32_t index;
    hf_chat_completion_stream_output_delta_t *delta; /**< NULL when absent */
    hf_chat_completion_stream_output_logprobs_t *logprobs;
    const char *finish_reason;                       /**< NULL until the last content chunk */
} hf_chat_completion_stream_output_choice_t;

/** @brief ChatCompletionStreamOutputUsage. */
typedef struct hf_chat_completion_stream_output_usage {
    int32_t prompt_tokens;
    int32_t completion_tokens;
    int32_t total_tokens;
} hf_chat_completion_stream_output_usage_t;

/**
 * @brief ChatCompletionStreamOutput: one chunk. `choices_count` may be 0 (usage-only chunk):
 * never index choices[0] without checking it.
 */
typedef struct hf_chat_completion_stream_output {
    const char *id;
    const char *object;
    bool has_created;
    int64_t created;
    const char *model;
    const char *system_fingerprint;
    hf_chat_completion_stream_output_choice_t *choices;
    size_t choices_count;
    hf_chat_completion_stream_output_usage_t *usage; /**< NULL except on the usage chunk */
} hf_chat_completion_stream_output_t;

/** @brief Codec table of ::hf_chat_completion_input_t (request bodies, CLI `--input`). */
extern const hf_type_t hf_chat_completion_input_type;
/** @brief Codec table of ::hf_chat_completion_output_t. */
extern const hf_type_t hf_chat_completion_output_type;
/** @brief Codec table of ::hf_chat_completion_stream_output_t. */
extern const hf_type_t hf_chat_completion_stream_output_type;

/* ================================================================== tool-call accumulator */

/** @brief One tool call assembled from streamed fragments. Strings live in the accumulator's buffer. */
typedef struct hf_chat_tool_call {
    int32_t index;           /**< the fragments' `tool_calls[].index` */
    const char *id;          /**< NULL if no fragment carried one */
    const char *type;        /**< NULL if no fragment carried one */
    const char *name;        /**< NULL if no fragment carried one */
    const char *arguments;   /**< all fragments joined in arrival order, NUL-terminated ("" if none) */
    size_t arguments_len;
    /* accumulator internals */
    char *region;            /**< this call's share of the buffer */
    size_t region_size;
    size_t names_used;       /**< bytes taken for id/type/name at the end of the region */
} hf_chat_tool_call_t;

/**
 * @brief Accumulates streamed tool calls in caller-owned storage.
 *
 * The caller provides `nslots` call slots and one char buffer. The buffer is split evenly:
 * call k owns `buf_size / nslots` bytes, in which its arguments grow from the front and its
 * id, type and name (copied when first seen) are stored from the back. Any overflow (more
 * calls than slots, a call's strings larger than its share) is HF_ERR_NO_MEMORY with a
 * message: never a truncated argument string. Complete type: may be static.
 */
typedef struct hf_chat_tool_calls {
    hf_chat_tool_call_t *calls; /**< caller's slots; the first `count` are in use */
    size_t cap;                 /**< number of slots */
    size_t count;               /**< calls seen so far */
    char *buf;                  /**< caller's buffer */
    size_t buf_size;
} hf_chat_tool_calls_t;

/**
 * @brief Prepare an accumulator over caller storage (kept by the caller for as long as the
 * calls are read).
 * @param[out] t        the accumulator
 * @param[in]  slots    `nslots` call slots
 * @param[in]  nslots   maximum number of calls (>= 1)
 * @param[in]  buf      bytes shared by the calls (split evenly)
 * @param[in]  buf_size its size
 */
void hf_chat_tool_calls_init(hf_chat_tool_calls_t *t, hf_chat_tool_call_t *slots, size_t nslots,
                             char *buf, size_t buf_size);

/** @brief Forget all calls (storage kept). hf_chat_completion_stream() does this at its start. */
void hf_chat_tool_calls_reset(hf_chat_tool_calls_t *t);

/**
 * @brief Fold the tool-call fragments of one chunk (all choices) into the accumulator.
 * The first fragment with a new index starts a call; later ones append their arguments and
 * never reset id, type or name (an id/type/name first seen later is kept). A fragment
 * without `index` takes its position in the chunk's `tool_calls` array.
 * @param[in,out] t     the accumulator
 * @param[in]     chunk a decoded chunk
 * @param[out]    err   detail on failure (may be NULL)
 * @return HF_OK, HF_ERR_INVALID_ARG (uninitialised accumulator), HF_ERR_NO_MEMORY (overflow).
 */
hf_status_t hf_chat_tool_calls_feed(hf_chat_tool_calls_t *t, const hf_chat_completion_stream_output_t *chunk,
                                    hf_error_t *err);

/* ================================================================== calls */

/**
 * @brief One-shot chat completion.
 * @param[in]  c     the client
 * @param[in]  model Hub id, "id:provider" (router), or an http(s) URL (TGI / endpoint)
 * @param[in]  in    the request; not modified. Body `model` = in->model, else `model`
 *                   (for a URL: "tgi"). No `stream` key is sent unless in->stream is false.
 * @param[in]  arena holds the response text, its tokens and the decoded output
 * @param[out] out   the decoded response; strings point into the arena
 * @return HF_OK; HF_ERR_INVALID_ARG; HF_ERR_NO_MEMORY (c->err.needed); HF_ERR_JSON_SYNTAX;
 *         HF_ERR_JSON_SHAPE (not a chat completion object, or a non-JSON 2xx); any client
 *         error (HTTP status, timeout, I/O, model loading, rate limited ...). Detail in c->err.
 * @note Blocks until the response is complete. `out` stays valid until the arena is rewound.
 */
HF_MUST_CHECK hf_status_t hf_chat_completion(hf_client_t *c, const char *model, const hf_chat_completion_input_t *in,
                                             hf_arena_t *arena, hf_chat_completion_output_t *out);

/**
 * @brief Called once per decoded chunk (role-only, usage-only and empty chunks included).
 * @param[in] user  the caller's pointer
 * @param[in] chunk valid only during the call (its memory is reused for the next event)
 * @return HF_OK to go on; anything else stops the stream with HF_ERR_ABORTED.
 */
typedef hf_status_t (*hf_chat_completion_chunk_fn)(void *user, const hf_chat_completion_stream_output_t *chunk);

/**
 * @brief Streamed chat completion (`"stream": true` is forced on a copy of the input).
 *
 * Memory is constant: the copy of the input, one event buffer of HF_SSE_MAX_EVENT bytes and
 * the per-event tokens and structs come from the arena, which is rewound after each event.
 * @code
 * static hf_status_t on_chunk(void *user, const hf_chat_completion_stream_output_t *ch)
 * {
 *     (void)user;
 *     if (ch->choices_count > 0 && ch->choices[0].delta && ch->choices[0].delta->content)
 *         fputs(ch->choices[0].delta->content, stdout);
 *     return HF_OK;
 * }
 * ...
 * st = hf_chat_completion_stream(&client, "meta-llama/Llama-3.1-8B-Instruct", &in, &arena, on_chunk, NULL, NULL);
 * @endcode
 * @param[in]     c        the client
 * @param[in]     model    as for hf_chat_completion()
 * @param[in]     in       the request; not modified
 * @param[in]     arena    scratch (rewound to its entry level before returning)
 * @param[in]     on_chunk per chunk (may be NULL, e.g. when only tool calls matter)
 * @param[in]     user     passed to on_chunk
 * @param[in,out] tools    optional accumulator of streamed tool calls (reset first), NULL: none
 * @return HF_OK ([DONE], or the body ended where its framing said); HF_ERR_SERVER_EVENT (an
 *         error event inside the 200 stream: c->err.message, .error_type, .http_status from the
 *         event, 0 if it had none); HF_ERR_ABORTED (on_chunk returned non-zero; the connection
 *         is closed); HF_ERR_SSE_EVENT_TOO_LARGE; HF_ERR_NO_MEMORY (arena or tool buffers);
 *         HF_ERR_JSON_SYNTAX / HF_ERR_JSON_SHAPE (a bad chunk, or a 2xx that is not a stream);
 *         HF_ERR_TRUNCATED (connection cut; chunks delivered before stay delivered); any client error.
 */
HF_MUST_CHECK hf_status_t hf_chat_completion_stream(hf_client_t *c, const char *model,
                                                    const hf_chat_completion_input_t *in, hf_arena_t *arena,
                                                    hf_chat_completion_chunk_fn on_chunk, void *user,
                                                    hf_chat_tool_calls_t *tools);

#ifdef __cplusplus
}
#endif
#endif /* HF_CHAT_COMPLETION_H */
