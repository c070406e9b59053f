/* Object detection: field tables of the ObjectDetection* seed types, the decoder of the
 * detection list, and the call (raw image upload, or JSON+base64 when parameters are given). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hf/hf_object_detection.h"

#include "hf_priv.h"
#include "tasks_priv.h"

typedef hf_object_detection_parameters_t od_params_t;
typedef hf_object_detection_input_t od_input_t;
typedef hf_object_detection_bounding_box_t od_box_t;
typedef hf_object_detection_output_element_t od_element_t;

static const hf_field_t k_params_fields[] = {
    HF_FIELD_OPT(od_params_t, threshold, HF_K_F32),
};
const hf_type_t hf_object_detection_parameters_type =
    HF_TYPE("ObjectDetectionParameters", od_params_t, k_params_fields);

static const hf_field_t k_input_fields[] = {
    HF_FIELD_CUSTOM(od_input_t, inputs, hf_priv_blob_b64_hooks, HF_F_REQUIRED),
    HF_FIELD_OBJ(od_input_t, parameters, hf_object_detection_parameters_type, 0u),
};
const hf_type_t hf_object_detection_input_type = HF_TYPE("ObjectDetectionInput", od_input_t, k_input_fields);

static const hf_field_t k_box_fields[] = {
    HF_FIELD(od_box_t, xmin, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD(od_box_t, ymin, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD(od_box_t, xmax, HF_K_I32, HF_F_REQUIRED),
    HF_FIELD(od_box_t, ymax, HF_K_I32, HF_F_REQUIRED),
};
const hf_type_t hf_object_detection_bounding_box_type =
    HF_TYPE("ObjectDetectionBoundingBox", od_box_t, k_box_fields);

static const hf_field_t k_element_fields[] = {
    HF_FIELD(od_element_t, label, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(od_element_t, score, HF_K_F32, HF_F_REQUIRED),
    HF_FIELD_OBJ(od_element_t, box, hf_object_detection_bounding_box_type, HF_F_REQUIRED),
};
const hf_type_t hf_object_detection_output_element_type =
    HF_TYPE("ObjectDetectionOutputElement", od_element_t, k_element_fields);

/* A threshold can leave nothing: `[]` is an answer, not a failure. */
static const hf_priv_binary_task_t k_task = {
    {"object_detection", &hf_object_detection_output_element_type, true},
    &hf_object_detection_input_type,
    offsetof(od_input_t, inputs),
    offsetof(od_input_t, parameters),
    offsetof(hf_object_detection_output_t, elements),
    offsetof(hf_object_detection_output_t, elements_count),
};

hf_status_t hf_priv_object_detection_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                            hf_object_detection_output_t *out, hf_error_t *err)
{
    return hf_priv_binary_list_decode(doc, &k_task, a, out, err);
}

hf_status_t hf_object_detection(hf_client_t *c, const char *model, const hf_object_detection_input_t *in,
                                hf_arena_t *a, hf_object_detection_output_t *out)
{
    return hf_priv_binary_list_call(c, model, &k_task, in, a, out);
}
