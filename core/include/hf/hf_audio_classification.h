/**
 * @file hf_audio_classification.h
 * @brief Audio classification (`audio-classification`): labels and scores for a sound.
 *
 * Types mirror the `@huggingface/tasks` schemas `AudioClassificationInput`, `AudioClassificationParameters`
 * and `AudioClassificationOutputElement`. The audio is an ::hf_blob_t (caller memory or a reader). Without
 * parameters it is sent as the raw request body with its own Content-Type; with parameters
 * the body is `{"inputs":"<base64>","parameters":{...}}` (PROTOCOL.md 3.1).
 *
 * @code
 * hf_audio_classification_input_t in = {0};
 * in.inputs.data = flac; in.inputs.data_len = flac_len; in.inputs.content_type = "audio/flac";
 * hf_audio_classification_output_t out;
 * if (hf_audio_classification(&client, "superb/hubert-large-superb-er", &in, &arena, &out) == HF_OK) {
 *     for (size_t i = 0; i < out.elements_count; i++)
 *         printf("%s %f\n", out.elements[i].label, (double)out.elements[i].score);
 * }
 * hf_audio_classification_parameters_t p = {0};
 * p.has_top_k = true; p.top_k = 3;
 * in.parameters = &p;   // now sent as JSON with the audio in base64
 * @endcode
 */
#ifndef HF_AUDIO_CLASSIFICATION_H
#define HF_AUDIO_CLASSIFICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_arena.h"
#include "hf/hf_blob.h"
#include "hf/hf_client.h"
#include "hf/hf_codec.h"
#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief `AudioClassificationParameters`. All optional. */
typedef struct hf_audio_classification_parameters {
    /** `ClassificationOutputTransform`: "sigmoid" | "softmax" | "none"; NULL = absent. */
    const char *function_to_apply;
    bool has_top_k;
    int32_t top_k; /**< return only the k best classes */
} hf_audio_classification_parameters_t;

/** @brief `AudioClassificationInput`: the request. */
typedef struct hf_audio_classification_input {
    /** The audio (FLAC, WAV, MP3, OGG ...); required. `inputs.content_type` is required without parameters.
     */
    hf_blob_t inputs;
    /** NULL: raw upload. Non-NULL (even with nothing set): JSON `{"inputs":"<base64>","parameters":{...}}`.
     */
    const hf_audio_classification_parameters_t *parameters;
} hf_audio_classification_input_t;

/** @brief `AudioClassificationOutputElement`: one class. */
typedef struct hf_audio_classification_output_element {
    const char *label; /**< the predicted class (required) */
    float score;       /**< its score (required) */
} hf_audio_classification_output_element_t;

/** @brief The result: the classes in server order (best first on hf-inference). */
typedef struct hf_audio_classification_output {
    hf_audio_classification_output_element_t *elements; /**< arena slice */
    size_t elements_count;                              /**< number of classes (>= 1 on success) */
} hf_audio_classification_output_t;

/** @brief Codec table of ::hf_audio_classification_input_t (`inputs` as a base64 string; CLI `--input`). */
extern const hf_type_t hf_audio_classification_input_type;
/** @brief Codec table of ::hf_audio_classification_parameters_t. */
extern const hf_type_t hf_audio_classification_parameters_type;
/** @brief Codec table of ::hf_audio_classification_output_element_t (one element of the result list). */
extern const hf_type_t hf_audio_classification_output_element_type;

/**
 * @brief Classify a sound (POST to the model URL).
 *
 * The response is a list `[{label, score}, ...]`; a list nested once more (`[[...]]`, one
 * list for the one input) or one bare object is accepted too. An empty list is
 * HF_ERR_EMPTY_RESULT.
 *
 * @param[in]  c      client (error detail in c->err after a failure)
 * @param[in]  model  Hub model id, "id:provider", or a full http(s) URL
 * @param[in]  in     request: `inputs` with exactly one source of > 0 bytes
 * @param[in]  a      arena: holds the response body, its JSON tokens and the elements
 * @param[out] out    result; points into the arena until it is rewound
 * @return HF_OK; HF_ERR_INVALID_ARG (NULL argument, no media or two sources, raw upload
 *         without content type, a reader that delivered less than total_len);
 *         HF_ERR_UNSUPPORTED (a reader without rewind had to be sent twice);
 *         HF_ERR_EMPTY_RESULT; HF_ERR_JSON_SYNTAX; HF_ERR_JSON_SHAPE; HF_ERR_NO_MEMORY
 *         (c->err.needed); HF_ERR_HTTP_STATUS, HF_ERR_MODEL_LOADING, HF_ERR_RATE_LIMITED,
 *         a reader's own error status, and the transport errors.
 * @note Blocks until the response is complete or a timeout passes. The audio goes out
 *       through the client's I/O buffer in pieces; it is never copied whole.
 */
HF_MUST_CHECK hf_status_t hf_audio_classification(hf_client_t *c, const char *model,
                                                  const hf_audio_classification_input_t *in, hf_arena_t *a,
                                                  hf_audio_classification_output_t *out);

#ifdef __cplusplus
}
#endif
#endif /* HF_AUDIO_CLASSIFICATION_H */
