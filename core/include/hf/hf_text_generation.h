/**
 * @file hf_text_generation.h
 * @brief Text generation (`text-generation`), one-shot and streamed token by token.
 *
 * Types mirror the `@huggingface/tasks` schemas `TextGenerationInput`, `TextGenerationOutput`
 * and `TextGenerationStreamOutput` field for field (see hf_codec.h for the struct conventions).
 * Decoded strings point into the response text held in the arena; nested structs and arrays
 * are arena slices. Everything stays valid until the caller rewinds or resets the arena.
 *
 * @code
 * static uint8_t mem[16384];
 * hf_arena_t arena;
 * hf_arena_init(&arena, mem, sizeof mem);
 * hf_text_generation_input_generate_parameters_t p = {0};
 * p.has_max_new_tokens = true; p.max_new_tokens = 20;
 * hf_text_generation_input_t in = {0};
 * in.inputs = "The capital of France is";
 * in.parameters = &p;
 * hf_text_generation_output_t out;
 * if (hf_text_generation(&client, "gpt2", &in, &arena, &out) == HF_OK) {
 *     puts(out.generated_text);
 * }
 * @endcode
 */
#ifndef HF_TEXT_GENERATION_H
#define HF_TEXT_GENERATION_H

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

/* ------------------------------------------------------------------ input */

/** @brief `TextGenerationInputGenerateParameters` (TGI `GenerateParameters`). All optional. */
typedef struct hf_text_generation_input_generate_parameters {
    const char *adapter_id;        /**< LoRA adapter id; NULL = absent */
    bool has_best_of;
    int32_t best_of;               /**< sample n sequences, return the best (> 0; not with stream) */
    bool has_decoder_input_details;
    bool decoder_input_details;    /**< return prompt-token details (needs `details`; not with stream) */
    bool has_details;
    bool details;                  /**< include `details` in the output */
    bool has_do_sample;
    bool do_sample;                /**< sample instead of greedy decoding */
    bool has_frequency_penalty;
    float frequency_penalty;       /**< > -2 */
    /** JSON text, sent verbatim: `{"type":"json","value":{...}}`, `{"type":"regex","value":"..."}`
     *  or `{"type":"json_schema","value":{"name":...,"schema":{...}}}`. NULL = absent. */
    const char *grammar;
    bool has_max_new_tokens;
    int32_t max_new_tokens;        /**< new-token cap (TGI default 1024) */
    bool has_repetition_penalty;
    float repetition_penalty;      /**< > 0 */
    bool has_return_full_text;
    bool return_full_text;         /**< prepend the prompt to the generated text */
    bool has_seed;
    int64_t seed;                  /**< random seed */
    const char **stop;             /**< stop sequences (at most 4); NULL = absent */
    size_t stop_count;             /**< number of `stop` entries */
    bool has_temperature;
    float temperature;             /**< > 0 */
    bool has_top_k;
    int32_t top_k;                 /**< > 0 */
    bool has_top_n_tokens;
    int32_t top_n_tokens;          /**< return the n most likely tokens per step */
    bool has_top_p;
    float top_p;                   /**< in (0, 1] */
    bool has_truncate;
    int32_t truncate;              /**< keep only the last n input tokens */
    bool has_typical_p;
    float typical_p;               /**< in (0, 1] */
    bool has_watermark;
    bool watermark;                /**< watermark the output */
} hf_text_generation_input_generate_parameters_t;

/** @brief `TextGenerationInput`: the request body. */
typedef struct hf_text_generation_input {
    const char *inputs;            /**< the prompt (required) */
    /** Parameters; NULL sends `"parameters": {}` (the task functions always send the key). */
    const hf_text_generation_input_generate_parameters_t *parameters;
    bool has_stream;
    bool stream;                   /**< hf_text_generation_stream() forces true; one-shot omits it unless set */
} hf_text_generation_input_t;

/* ------------------------------------------------------------------ one-shot output */

/** @brief `TextGenerationOutputPrefillToken`: one prompt token. */
typedef struct hf_text_generation_output_prefill_token {
    int32_t id;                    /**< token id */
    bool has_logprob;              /**< false when the server sent null (first prompt token) */
    float logprob;                 /**< log-probability */
    const char *text;              /**< token text */
} hf_text_generation_output_prefill_token_t;

/** @brief `TextGenerationOutputToken`: one generated token. */
typedef struct hf_text_generation_output_token {
    int32_t id;                    /**< token id */
    bool has_logprob;              /**< false when the server sent null */
    float logprob;                 /**< log-probability */
    bool special;                  /**< a special token (e.g. `</s>`): not part of the plain text */
    const char *text;              /**< token text */
} hf_text_generation_output_token_t;

/** @brief One inner list of `top_tokens` (`[[token]]`: the most likely tokens of one step). */
typedef struct hf_text_generation_output_top_tokens {
    hf_text_generation_output_token_t *tokens; /**< the candidates of this step */
    size_t tokens_count;                        /**< their number */
} hf_text_generation_output_top_tokens_t;

/** @brief `TextGenerationOutputBestOfSequence`: one of the `best_of` candidate sequences. */
typedef struct hf_text_generation_output_best_of_sequence {
    const char *finish_reason;     /**< "length" | "eos_token" | "stop_sequence" */
    const char *generated_text;    /**< the candidate's text */
    int32_t generated_tokens;      /**< tokens generated */
    hf_text_generation_output_prefill_token_t *prefill; /**< prompt tokens */
    size_t prefill_count;          /**< their number */
    bool has_seed;
    int64_t seed;                  /**< seed used for sampling */
    hf_text_generation_output_token_t *tokens; /**< generated tokens */
    size_t tokens_count;           /**< their number */
    hf_text_generation_output_top_tokens_t *top_tokens; /**< per step: most likely tokens; NULL = absent */
    size_t top_tokens_count;       /**< number of steps in `top_tokens` */
} hf_text_generation_output_best_of_sequence_t;

/** @brief `TextGenerationOutputDetails` (present when `details` was requested). */
typedef struct hf_text_generation_output_details {
    hf_text_generation_output_best_of_sequence_t *best_of_sequences; /**< NULL = absent */
    size_t best_of_sequences_count; /**< their number */
    const char *finish_reason;     /**< "length" | "eos_token" | "stop_sequence" */
    int32_t generated_tokens;      /**< tokens generated */
    hf_text_generation_output_prefill_token_t *prefill; /**< prompt tokens */
    size_t prefill_count;          /**< their number */
    bool has_seed;
    int64_t seed;                  /**< seed used for sampling (absent/null for greedy) */
    hf_text_generation_output_token_t *tokens; /**< generated tokens */
    size_t tokens_count;           /**< their number */
    hf_text_generation_output_top_tokens_t *top_tokens; /**< per step: most likely tokens; NULL = absent */
    size_t top_tokens_count;       /**< number of steps in `top_tokens` */
} hf_text_generation_output_details_t;

/** @brief `TextGenerationOutput`: the one-shot result. */
typedef struct hf_text_generation_output {
    hf_text_generation_output_details_t *details; /**< NULL unless the server sent details */
    const char *generated_text;    /**< the generated text (required) */
} hf_text_generation_output_t;

/* ------------------------------------------------------------------ stream output */

/** @brief `TextGenerationStreamOutputToken`: the token of one stream event. */
typedef struct hf_text_generation_stream_output_token {
    int32_t id;                    /**< token id */
    bool has_logprob;              /**< false when the server sent null */
    float logprob;                 /**< log-probability */
    bool special;                  /**< special token: append `text` to plain output only when false */
    const char *text;              /**< token text */
} hf_text_generation_stream_output_token_t;

/** @brief `TextGenerationStreamOutputStreamDetails`: last event only, when details were asked. */
typedef struct hf_text_generation_stream_output_stream_details {
    const char *finish_reason;     /**< "length" | "eos_token" | "stop_sequence" */
    int32_t generated_tokens;      /**< tokens generated */
    /** Required by the spec, but older TGI builds omit it (recordings): optional here. */
    bool has_input_length;
    int32_t input_length;          /**< prompt tokens */
    bool has_seed;
    int64_t seed;                  /**< seed used for sampling */
} hf_text_generation_stream_output_stream_details_t;

/** @brief `TextGenerationStreamOutput`: one SSE event of a text-generation stream. */
typedef struct hf_text_generation_stream_output {
    hf_text_generation_stream_output_stream_details_t *details; /**< last event only; else NULL */
    const char *generated_text;    /**< the whole text on the last event; NULL on the others */
    /** Required by the spec, but older TGI builds omit it (recordings): optional here. */
    bool has_index;
    int32_t index;                 /**< 1-based event counter */
    hf_text_generation_stream_output_token_t *token; /**< the new token (required) */
    hf_text_generation_stream_output_token_t *top_tokens; /**< most likely tokens; NULL = absent */
    size_t top_tokens_count;       /**< their number */
} hf_text_generation_stream_output_t;

/* ------------------------------------------------------------------ tables */

/** @brief Codec table of ::hf_text_generation_input_t (requests, CLI `--input`). */
extern const hf_type_t hf_text_generation_input_type;
/** @brief Codec table of ::hf_text_generation_input_generate_parameters_t. */
extern const hf_type_t hf_text_generation_input_generate_parameters_type;
/** @brief Codec table of ::hf_text_generation_output_t. */
extern const hf_type_t hf_text_generation_output_type;
/** @brief Codec table of ::hf_text_generation_stream_output_t. */
extern const hf_type_t hf_text_generation_stream_output_type;

/* ------------------------------------------------------------------ calls */

/**
 * @brief Generate text in one request (POST to the model URL).
 *
 * The body is `in` encoded with ::hf_text_generation_input_type; `"parameters": {}` is sent
 * when `in->parameters` is NULL, and `stream` only when `in->has_stream`. The result may come
 * bare or wrapped in a one-element list; both are accepted.
 *
 * @param[in]  c      client (error detail in c->err after a failure)
 * @param[in]  model  Hub model id, "id:provider", or a full http(s) URL
 * @param[in]  in     request; `in->inputs` required
 * @param[in]  a      arena: holds the response body, its JSON tokens and the decoded arrays
 * @param[out] out    result; points into the arena until it is rewound
 * @return HF_OK; HF_ERR_INVALID_ARG (NULL argument or inputs); HF_ERR_EMPTY_RESULT (`[]`);
 *         HF_ERR_JSON_SYNTAX / HF_ERR_JSON_SHAPE (malformed result); HF_ERR_NO_MEMORY (arena too
 *         small, c->err.needed); HF_ERR_HTTP_STATUS (non-2xx, server message in c->err.message);
 *         HF_ERR_MODEL_LOADING, HF_ERR_RATE_LIMITED, and the transport errors of the client.
 * @note Blocks until the response is complete or a timeout passes.
 */
HF_MUST_CHECK hf_status_t hf_text_generation(hf_client_t *c, const char *model,
                                             const hf_text_generation_input_t *in, hf_arena_t *a,
                                             hf_text_generation_output_t *out);

/**
 * @brief Per-event callback of hf_text_generation_stream().
 * @param[in] user  the `user` pointer given to hf_text_generation_stream()
 * @param[in] ev    the event; it and everything it points to are valid only during the call
 * @return HF_OK to continue; anything else stops the stream with HF_ERR_ABORTED.
 */
typedef hf_status_t (*hf_text_generation_token_fn)(void *user, const hf_text_generation_stream_output_t *ev);

/**
 * @brief Generate text as a stream of tokens (server-sent events).
 *
 * Sends `in` with `"stream": true` forced. Each event is decoded into a
 * ::hf_text_generation_stream_output_t and passed to `on_event`; the last one carries
 * `generated_text` (and `details` when asked). This route sends no `[DONE]`: the stream
 * succeeds when the body ends normally.
 *
 * @code
 * static hf_status_t on_tok(void *user, const hf_text_generation_stream_output_t *ev) {
 *     (void)user;
 *     if (!ev->token->special) fputs(ev->token->text, stdout);
 *     return HF_OK;
 * }
 * st = hf_text_generation_stream(&client, "gpt2", &in, &arena, on_tok, NULL);
 * @endcode
 *
 * @param[in] c         client
 * @param[in] model     Hub model id, "id:provider", or a full http(s) URL
 * @param[in] in        request; `in->inputs` required
 * @param[in] a         arena: one event buffer (HF_SSE_MAX_EVENT) plus one event's tokens and
 *                      arrays; rewound per event, so the peak does not grow with the stream
 * @param[in] on_event  called once per event, in order
 * @param[in] user      passed to on_event
 * @return HF_OK; HF_ERR_INVALID_ARG; HF_ERR_SERVER_EVENT (an `{"error":...}` event, detail in
 *         c->err); HF_ERR_ABORTED (on_event returned non-HF_OK); HF_ERR_SSE_EVENT_TOO_LARGE;
 *         HF_ERR_TRUNCATED (body cut short); HF_ERR_JSON_SYNTAX / HF_ERR_JSON_SHAPE (bad event);
 *         HF_ERR_NO_MEMORY; HF_ERR_HTTP_STATUS and the other client errors.
 * @note Blocks for the whole stream; on_event runs on the caller's thread.
 */
HF_MUST_CHECK hf_status_t hf_text_generation_stream(hf_client_t *c, const char *model,
                                                    const hf_text_generation_input_t *in, hf_arena_t *a,
                                                    hf_text_generation_token_fn on_event, void *user);

#ifdef __cplusplus
}
#endif
#endif /* HF_TEXT_GENERATION_H */
