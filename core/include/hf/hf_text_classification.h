/**
 * @file hf_text_classification.h
 * @brief Text classification (`text-classification`): labels and scores for a text.
 *
 * Types mirror the `@huggingface/tasks` schemas `TextClassificationInput`,
 * `TextClassificationParameters` and `TextClassificationOutputElement`. Besides one text,
 * `inputs` may be a list of texts (the Python client sent `{"inputs": ["I like you"]}`); the
 * server then answers one label list per text, kept in `lists`.
 *
 * @code
 * hf_text_classification_input_t in = {0};
 * in.inputs = "I like you. I love you.";
 * hf_text_classification_output_t out;
 * if (hf_text_classification(&client, "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
 *                            &in, &arena, &out) == HF_OK) {
 *     for (size_t i = 0; i < out.elements_count; i++)
 *         printf("%s %f\n", out.elements[i].label, (double)out.elements[i].score);
 * }
 * static const char *texts[] = {"I like you", "I hate you"};
 * in.inputs = NULL; in.inputs_batch = texts; in.inputs_batch_count = 2;
 * if (hf_text_classification(&client, model, &in, &arena, &out) == HF_OK) {
 *     // out.lists_count == 2; out.lists[1].elements[0].label is the best label of "I hate you"
 * }
 * @endcode
 */
#ifndef HF_TEXT_CLASSIFICATION_H
#define HF_TEXT_CLASSIFICATION_H

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

/** @brief `TextClassificationParameters`. All optional. */
typedef struct hf_text_classification_parameters {
    /** `ClassificationOutputTransform`: "sigmoid" | "softmax" | "none"; NULL = absent. */
    const char *function_to_apply;
    bool has_top_k;
    int32_t top_k;                 /**< return only the k best labels */
} hf_text_classification_parameters_t;

/** @brief `TextClassificationInput`: the request body. */
typedef struct hf_text_classification_input {
    /** One text (JSON string). Exactly one of `inputs` and `inputs_batch` must be set. */
    const char *inputs;
    /** Parameters; NULL sends `"parameters": {}` (the task function always sends the key). */
    const hf_text_classification_parameters_t *parameters;
    /** A batch of texts (sent as the JSON array `inputs`, at least one); NULL = not a batch.
     *  Decoding a body puts every list in `inputs` here, also a list of one text. After
     *  `parameters` so that initialisers written for the single-text struct still compile. */
    const char **inputs_batch;
    size_t inputs_batch_count;     /**< number of texts in `inputs_batch` */
} hf_text_classification_input_t;

/** @brief `TextClassificationOutputElement`: one label. */
typedef struct hf_text_classification_output_element {
    const char *label;             /**< the label (required) */
    float score;                   /**< its score (required) */
} hf_text_classification_output_element_t;

/** @brief The labels of one input, in server order (best first on hf-inference). */
typedef struct hf_text_classification_output_list {
    hf_text_classification_output_element_t *elements; /**< arena slice (NULL when empty) */
    size_t elements_count;                              /**< number of labels; 0 = none for this input */
} hf_text_classification_output_list_t;

/**
 * @brief The result: one label list per input. `elements`/`elements_count` repeat
 * `lists[0]` (the only list of a single-text call). Everything lives in the arena.
 */
typedef struct hf_text_classification_output {
    hf_text_classification_output_element_t *elements; /**< labels of the first input */
    size_t elements_count;                              /**< their number (>= 1 for a single text) */
    hf_text_classification_output_list_t *lists;        /**< arena slice: the labels of each input */
    size_t lists_count;                                 /**< one per input sent (>= 1 on success) */
} hf_text_classification_output_t;

/** @brief Codec table of ::hf_text_classification_input_t (requests, CLI `--input`). */
extern const hf_type_t hf_text_classification_input_type;
/** @brief Codec table of ::hf_text_classification_parameters_t. */
extern const hf_type_t hf_text_classification_parameters_type;
/** @brief Codec table of ::hf_text_classification_output_element_t (one element of the result list). */
extern const hf_type_t hf_text_classification_output_element_type;

/**
 * @brief Classify a text, or a batch of texts (POST to the model URL).
 *
 * The response may be a list of lists `[[{label,score},...], ...]` (hf-inference; one list
 * per input, also for a single text), a flat list `[{...},...]` or one bare object (each
 * taken as the one list of a single input). The number of lists must equal the number of
 * inputs sent (1 for `inputs`). In a batch an input may have no labels (`[[{...}],[]]`): its
 * list is empty (elements_count 0); a result with no label at all (`[]`, `[[]]`, `[[],[]]`)
 * is HF_ERR_EMPTY_RESULT, so a single-text call always has at least one label.
 *
 * @param[in]  c      client (error detail in c->err after a failure)
 * @param[in]  model  Hub model id, "id:provider", or a full http(s) URL
 * @param[in]  in     request; exactly one of `inputs` / `inputs_batch` (count >= 1) set
 * @param[in]  a      arena: holds the response body, its JSON tokens, the lists and the elements
 * @param[out] out    result; points into the arena until it is rewound
 * @return HF_OK; HF_ERR_INVALID_ARG; HF_ERR_EMPTY_RESULT (no label for any input);
 *         HF_ERR_JSON_SYNTAX; HF_ERR_JSON_SHAPE (not lists of {label, score}, or not one list
 *         per input); HF_ERR_NO_MEMORY (c->err.needed); HF_ERR_HTTP_STATUS,
 *         HF_ERR_MODEL_LOADING, HF_ERR_RATE_LIMITED and the transport errors.
 * @note Blocks until the response is complete or a timeout passes.
 */
HF_MUST_CHECK hf_status_t hf_text_classification(hf_client_t *c, const char *model,
                                                 const hf_text_classification_input_t *in, hf_arena_t *a,
                                                 hf_text_classification_output_t *out);

#ifdef __cplusplus
}
#endif
#endif /* HF_TEXT_CLASSIFICATION_H */
