/**
 * @file hf_object_detection.h
 * @brief Object detection (`object-detection`): labelled boxes in an image.
 *
 * Types mirror the `@huggingface/tasks` schemas `ObjectDetectionInput`,
 * `ObjectDetectionParameters`, `ObjectDetectionOutputElement` and
 * `ObjectDetectionBoundingBox`. The image is an ::hf_blob_t (caller memory or a reader).
 * Without parameters it is sent as the raw request body with its own Content-Type; with
 * parameters the body is `{"inputs":"<base64>","parameters":{...}}` (PROTOCOL.md 3.13).
 *
 * @code
 * hf_object_detection_input_t in = {0};
 * in.inputs.data = jpeg; in.inputs.data_len = jpeg_len; in.inputs.content_type = "image/jpeg";
 * hf_object_detection_output_t out;
 * if (hf_object_detection(&client, "facebook/detr-resnet-50", &in, &arena, &out) == HF_OK) {
 *     for (size_t i = 0; i < out.elements_count; i++) {
 *         const hf_object_detection_output_element_t *e = &out.elements[i];
 *         printf("%s %f [%d,%d]-[%d,%d]\n", e->label, (double)e->score,
 *                (int)e->box->xmin, (int)e->box->ymin, (int)e->box->xmax, (int)e->box->ymax);
 *     }
 * }
 * hf_object_detection_parameters_t p = {0};
 * p.has_threshold = true; p.threshold = 0.9f;
 * in.parameters = &p;   // now sent as JSON with the image in base64
 * @endcode
 */
#ifndef HF_OBJECT_DETECTION_H
#define HF_OBJECT_DETECTION_H

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

/** @brief `ObjectDetectionParameters`. All optional. */
typedef struct hf_object_detection_parameters {
    bool has_threshold;
    float threshold; /**< minimum probability for a detection to be returned */
} hf_object_detection_parameters_t;

/** @brief `ObjectDetectionInput`: the request. */
typedef struct hf_object_detection_input {
    /** The image (JPEG, PNG, ...); required. `inputs.content_type` is required without parameters. */
    hf_blob_t inputs;
    /** NULL: raw upload. Non-NULL (even with nothing set): JSON `{"inputs":"<base64>","parameters":{...}}`.
     */
    const hf_object_detection_parameters_t *parameters;
} hf_object_detection_input_t;

/** @brief `ObjectDetectionBoundingBox`: integer pixels, top-left corner is (xmin, ymin). */
typedef struct hf_object_detection_bounding_box {
    int32_t xmin; /**< left edge (required) */
    int32_t ymin; /**< top edge (required) */
    int32_t xmax; /**< right edge (required) */
    int32_t ymax; /**< bottom edge (required) */
} hf_object_detection_bounding_box_t;

/** @brief `ObjectDetectionOutputElement`: one detected object. */
typedef struct hf_object_detection_output_element {
    const char *label;                       /**< its class (required) */
    float score;                             /**< confidence (required) */
    hf_object_detection_bounding_box_t *box; /**< where it is (required: never NULL on success) */
} hf_object_detection_output_element_t;

/** @brief The result: the detections in server order. */
typedef struct hf_object_detection_output {
    hf_object_detection_output_element_t *elements; /**< arena slice; NULL when nothing was detected */
    size_t elements_count;                          /**< number of detections (0 is a valid result) */
} hf_object_detection_output_t;

/** @brief Codec table of ::hf_object_detection_input_t (`inputs` as a base64 string; CLI `--input`). */
extern const hf_type_t hf_object_detection_input_type;
/** @brief Codec table of ::hf_object_detection_parameters_t. */
extern const hf_type_t hf_object_detection_parameters_type;
/** @brief Codec table of ::hf_object_detection_bounding_box_t. */
extern const hf_type_t hf_object_detection_bounding_box_type;
/** @brief Codec table of ::hf_object_detection_output_element_t (one element of the result list). */
extern const hf_type_t hf_object_detection_output_element_type;

/**
 * @brief Detect objects in an image (POST to the model URL).
 *
 * The response is a list `[{label, score, box:{xmin, ymin, xmax, ymax}}, ...]`; a list
 * nested once more (`[[...]]`) or one bare object is accepted too. An empty list is a
 * result: nothing was detected (elements_count 0). Box coordinates must be integers.
 *
 * @param[in]  c      client (error detail in c->err after a failure)
 * @param[in]  model  Hub model id, "id:provider", or a full http(s) URL
 * @param[in]  in     request: `inputs` with exactly one source of > 0 bytes
 * @param[in]  a      arena: holds the response body, its JSON tokens, the elements and boxes
 * @param[out] out    result; points into the arena until it is rewound
 * @return HF_OK; HF_ERR_INVALID_ARG (NULL argument, no media or two sources, raw upload
 *         without content type, a reader that delivered less than total_len);
 *         HF_ERR_UNSUPPORTED (a reader without rewind had to be sent twice);
 *         HF_ERR_JSON_SYNTAX; HF_ERR_JSON_SHAPE (not a list of detections, a box coordinate
 *         that is not an integer); HF_ERR_NO_MEMORY (c->err.needed); HF_ERR_HTTP_STATUS,
 *         HF_ERR_MODEL_LOADING, HF_ERR_RATE_LIMITED, a reader's own error status, and the
 *         transport errors.
 * @note Blocks until the response is complete or a timeout passes. The image goes out
 *       through the client's I/O buffer in pieces; it is never copied whole.
 */
HF_MUST_CHECK hf_status_t hf_object_detection(hf_client_t *c, const char *model,
                                              const hf_object_detection_input_t *in, hf_arena_t *a,
                                              hf_object_detection_output_t *out);

#ifdef __cplusplus
}
#endif
#endif /* HF_OBJECT_DETECTION_H */
