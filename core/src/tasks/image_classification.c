/* Image classification: field tables of the ImageClassification* seed types, the decoder of the label list,
 * and the call (raw image upload, or JSON+base64 when parameters are given). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hf/hf_image_classification.h"

#include "hf_priv.h"
#include "tasks_priv.h"

typedef hf_image_classification_parameters_t ic_params_t;
typedef hf_image_classification_input_t ic_input_t;
typedef hf_image_classification_output_element_t ic_element_t;

static const hf_field_t k_params_fields[] = {
    HF_FIELD(ic_params_t, function_to_apply, HF_K_STR, 0u),
    HF_FIELD_OPT(ic_params_t, top_k, HF_K_I32),
};
const hf_type_t hf_image_classification_parameters_type =
    HF_TYPE("ImageClassificationParameters", ic_params_t, k_params_fields);

static const hf_field_t k_input_fields[] = {
    HF_FIELD_CUSTOM(ic_input_t, inputs, hf_priv_blob_b64_hooks, HF_F_REQUIRED),
    HF_FIELD_OBJ(ic_input_t, parameters, hf_image_classification_parameters_type, 0u),
};
const hf_type_t hf_image_classification_input_type =
    HF_TYPE("ImageClassificationInput", ic_input_t, k_input_fields);

static const hf_field_t k_element_fields[] = {
    HF_FIELD(ic_element_t, label, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(ic_element_t, score, HF_K_F32, HF_F_REQUIRED),
};
const hf_type_t hf_image_classification_output_element_type =
    HF_TYPE("ImageClassificationOutputElement", ic_element_t, k_element_fields);

static const hf_priv_binary_task_t k_task = {
    {"image_classification", &hf_image_classification_output_element_type, false},
    &hf_image_classification_input_type,
    offsetof(ic_input_t, inputs),
    offsetof(ic_input_t, parameters),
    offsetof(hf_image_classification_output_t, elements),
    offsetof(hf_image_classification_output_t, elements_count),
};

hf_status_t hf_priv_image_classification_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                hf_image_classification_output_t *out, hf_error_t *err)
{
    return hf_priv_binary_list_decode(doc, &k_task, a, out, err);
}

hf_status_t hf_image_classification(hf_client_t *c, const char *model,
                                    const hf_image_classification_input_t *in, hf_arena_t *a,
                                    hf_image_classification_output_t *out)
{
    return hf_priv_binary_list_call(c, model, &k_task, in, a, out);
}
