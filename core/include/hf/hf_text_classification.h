/**
 * @file hf_text_classification.h
 * @brief Text classification (`text-classification`): labels and scores for a text.
 *
 * Types mirror the `@huggingface/tasks` schemas `TextClassificationInput`,
 * `TextClassificationParameters` and `TextClassificationOutputElement`.
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
    /** The text to classify (required). Decoding also accepts `["text"]` (older Python clients). */
    const char *inputs;
    /** Parameters; NULL sends `"parameters": {}` (the task function always sends the key). */
    const hf_text_classification_parameters_t *parameters;
} hf_text_classification_input_t;

/** @brief `TextClassificationOutputElement`: one label. */
typedef struct hf_text_classification_output_element {
    const char *label;             /**< the label (required) */
    float score;                   /**< its score (required) */
} hf_text_classification_output_element_t;

/** @brief The result: labels in server order (best first on hf-inference). */
typedef struct hf_text_classification_output {
    hf_text_classification_output_element_t *elements; /**< arena slice */
    size_t elements_count;                              /**< number of elements (>= 1 on success) */
} hf_text_classification_output_t;

/** @brief Codec table of ::hf_text_classification_input_t (requests, CLI `--input`). */
extern const hf_type_t hf_text_classification_input_type;
/** @brief Codec table of ::hf_text_classification_parameters_t. */
extern const hf_type_t hf_text_classification_parameters_type;
/** @brief Codec table of ::hf_text_classification_output_element_t (one element of the result list). */
extern const hf_type_t hf_text_classification_output_element_type;

/**
 * @brief Classify a text (POST to the model URL).
 *
 * The response may be a list of lists `[[{label,score},...]]` (hf-inference; element 0 is
 * taken), a flat list `[{...},...]`, or one bare object (taken as a one-element list).
 *
 * @param[in]  c      client (error detail in c->err after a failure)
 * @param[in]  model  Hub model id, "id:provider", or a full http(s) URL
 * @param[in]  in     request; `in->inputs` required
 * @param[in]  a      arena: holds the response body, its JSON tokens and the elements
 * @param[out] out    result; points into the arena until it is rewound
 * @return HF_OK; HF_ERR_INVALID_ARG; HF_ERR_EMPTY_RESULT (`[]` or `[[]]`); HF_ERR_JSON_SYNTAX /
 *         HF_ERR_JSON_SHAPE (not a list of {label, score}); HF_ERR_NO_MEMORY (c->err.needed);
 *         HF_ERR_HTTP_STATUS, HF_ERR_MODEL_LOADING, HF_ERR_RATE_LIMITED and the transport errors.
 * @note Blocks until the response is complete or a timeout passes.
 */
HF_MUST_CHECK hf_status_t hf_text_classification(hf_client_t *c, const char *model,
                                                 const hf_text_classification_input_t *in, hf_arena_t *a,
                                                 hf_text_classification_output_t *out);

#ifdef __cplusplus
}
#endif
#endif /* HF_TEXT_CLASSIFICATION_H */
