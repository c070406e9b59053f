/* Audio classification: field tables of the AudioClassification* seed types, the decoder of the label list,
 * and the call (raw audio upload, or JSON+base64 when parameters are given). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hf/hf_audio_classification.h"

#include "hf_priv.h"
#include "tasks_priv.h"

typedef hf_audio_classification_parameters_t ac_params_t;
typedef hf_audio_classification_input_t ac_input_t;
typedef hf_audio_classification_output_element_t ac_element_t;

static const hf_field_t k_params_fields[] = {
    HF_FIELD(ac_params_t, function_to_apply, HF_K_STR, 0u),
    HF_FIELD_OPT(ac_params_t, top_k, HF_K_I32),
};
const hf_type_t hf_audio_classification_parameters_type =
    HF_TYPE("AudioClassificationParameters", ac_params_t, k_params_fields);

static const hf_field_t k_input_fields[] = {
    HF_FIELD_CUSTOM(ac_input_t, inputs, hf_priv_blob_b64_hooks, HF_F_REQUIRED),
    HF_FIELD_OBJ(ac_input_t, parameters, hf_audio_classification_parameters_type, 0u),
};
const hf_type_t hf_audio_classification_input_type =
    HF_TYPE("AudioClassificationInput", ac_input_t, k_input_fields);

static const hf_field_t k_element_fields[] = {
    HF_FIELD(ac_element_t, label, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(ac_element_t, score, HF_K_F32, HF_F_REQUIRED),
};
const hf_type_t hf_audio_classification_output_element_type =
    HF_TYPE("AudioClassificationOutputElement", ac_element_t, k_element_fields);

static const hf_priv_list_spec_t k_list = {"audio_classification",
                                           &hf_audio_classification_output_element_type, false};

hf_status_t hf_priv_audio_classification_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                hf_audio_classification_output_t *out, hf_error_t *err)
{
    hf_priv_list_t l;
    hf_status_t st = hf_priv_decode_list(doc, &k_list, a, &l, err);
    out->elements = (ac_element_t *)l.elements;
    out->elements_count = l.count;
    return st;
}

hf_status_t hf_audio_classification(hf_client_t *c, const char *model,
                                    const hf_audio_classification_input_t *in, hf_arena_t *a,
                                    hf_audio_classification_output_t *out)
{
    hf_priv_binary_call_t k;
    hf_json_doc_t doc;
    hf_status_t st;
    if (c == NULL || in == NULL || a == NULL || out == NULL) {
        if (c != NULL) {
            hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "audio_classification: NULL argument", NULL, NULL);
        }
        return HF_ERR_INVALID_ARG;
    }
    out->elements = NULL;
    out->elements_count = 0u;
    k.task = "audio_classification";
    k.blob = &in->inputs;
    k.type = &hf_audio_classification_input_type;
    k.obj = in;
    k.params = in->parameters;
    st = hf_priv_binary_task_json(c, model, &k, a, &doc);
    return st == HF_OK ? hf_priv_audio_classification_decode(&doc, a, out, &c->err) : st;
}
