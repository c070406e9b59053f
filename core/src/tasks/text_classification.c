/* Text classification: field tables of the TextClassification* seed types and the call. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hf/hf_text_classification.h"

#include "hf_priv.h"
#include "tasks_priv.h"

typedef hf_text_classification_parameters_t tc_params_t;
typedef hf_text_classification_input_t tc_input_t;
typedef hf_text_classification_output_element_t tc_element_t;

static const hf_field_t k_params_fields[] = {
    HF_FIELD(tc_params_t, function_to_apply, HF_K_STR, 0u),
    HF_FIELD_OPT(tc_params_t, top_k, HF_K_I32),
};
const hf_type_t hf_text_classification_parameters_type =
    HF_TYPE("TextClassificationParameters", tc_params_t, k_params_fields);

static hf_status_t inputs_encode(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    (void)f;
    return hf_jw_cstring(w, ((const tc_input_t *)obj)->inputs);
}

/* Older Python clients sent `["text"]` (recorded): a one-element list is that one text. The
 * answer holds one label list per input and only the first is returned, so longer lists are
 * refused rather than half answered. */
static hf_status_t inputs_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                                 hf_error_t *err)
{
    size_t len;
    (void)f;
    (void)a;
    if (doc->tok[tok].type == JSMN_ARRAY && doc->tok[tok].size == 1 && tok + 1 < doc->ntok) {
        tok++;
    }
    if (doc->tok[tok].type != JSMN_STRING || hf_json_str(doc, tok, &((tc_input_t *)obj)->inputs, &len) != HF_OK) {
        hf_priv_error_set(err, HF_ERR_JSON_SHAPE, "inputs must be a string (or a list of one string)", NULL, NULL);
        return HF_ERR_JSON_SHAPE;
    }
    return HF_OK;
}

static bool inputs_present(const hf_field_t *f, const void *obj)
{
    (void)f;
    return ((const tc_input_t *)obj)->inputs != NULL;
}

static const hf_custom_t k_inputs_hooks = {inputs_encode, inputs_decode, inputs_present};

static const hf_field_t k_input_fields[] = {
    HF_FIELD_CUSTOM(tc_input_t, inputs, k_inputs_hooks, HF_F_REQUIRED),
    HF_FIELD_OBJ(tc_input_t, parameters, hf_text_classification_parameters_type, 0u),
};
const hf_type_t hf_text_classification_input_type = HF_TYPE("TextClassificationInput", tc_input_t, k_input_fields);

static const hf_field_t k_element_fields[] = {
    HF_FIELD(tc_element_t, label, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(tc_element_t, score, HF_K_F32, HF_F_REQUIRED),
};
const hf_type_t hf_text_classification_output_element_type =
    HF_TYPE("TextClassificationOutputElement", tc_element_t, k_element_fields);

static hf_status_t fail(hf_error_t *err, hf_status_t st, const char *what)
{
    hf_priv_error_set(err, st, "text_classification: ", what, NULL);
    return st;
}

/* Finds the label list: `[[{...}]]` (one list per input, take the first), `[{...}]`, or one
 * bare object. *list is the array token, or -1 for the bare object at `root`. */
static hf_status_t find_list(const hf_json_doc_t *doc, int *list, hf_error_t *err)
{
    int first;
    if (doc->ntok < 1) {
        return fail(err, HF_ERR_JSON_SHAPE, "empty document");
    }
    if (doc->tok[0].type == JSMN_OBJECT) {
        *list = -1;
        return HF_OK;
    }
    if (doc->tok[0].type != JSMN_ARRAY) {
        return fail(err, HF_ERR_JSON_SHAPE, "result is not a list");
    }
    if (doc->tok[0].size == 0 || doc->ntok < 2) {
        return fail(err, HF_ERR_EMPTY_RESULT, "empty result list");
    }
    first = 1;
    if (doc->tok[first].type == JSMN_OBJECT) {
        *list = 0;
        return HF_OK;
    }
    if (doc->tok[first].type != JSMN_ARRAY) {
        return fail(err, HF_ERR_JSON_SHAPE, "result list holds neither objects nor lists");
    }
    if (doc->tok[first].size == 0) {
        return fail(err, HF_ERR_EMPTY_RESULT, "empty result list");
    }
    *list = first;
    return HF_OK;
}

static hf_status_t decode_elements(hf_json_doc_t *doc, int list, hf_arena_t *a,
                                   hf_text_classification_output_t *out, hf_error_t *err)
{
    size_t n = list < 0 ? 1u : (size_t)doc->tok[list].size;
    int el = list < 0 ? 0 : list + 1;
    tc_element_t *els = (tc_element_t *)hf_arena_alloc(a, n * sizeof(tc_element_t), 0u);
    if (els == NULL) {
        hf_status_t st = fail(err, HF_ERR_NO_MEMORY, "arena too small for the labels");
        err->needed = a->needed;
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        hf_status_t st;
        if (el < 0 || el >= doc->ntok || doc->tok[el].type != JSMN_OBJECT) {
            return fail(err, HF_ERR_JSON_SHAPE, "label entry is not an object");
        }
        st = hf_codec_decode(doc, el, &hf_text_classification_output_element_type, &els[i], a, err);
        if (st != HF_OK) {
            return st;
        }
        el = hf_json_next(doc, el);
    }
    out->elements = els;
    out->elements_count = n;
    return HF_OK;
}

hf_status_t hf_priv_text_classification_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                               hf_text_classification_output_t *out, hf_error_t *err)
{
    int list = -1;
    hf_status_t st;
    out->elements = NULL;
    out->elements_count = 0u;
    st = find_list(doc, &list, err);
    return st != HF_OK ? st : decode_elements(doc, list, a, out, err);
}

/* The key is always sent (PROTOCOL 3.0); an all-absent struct encodes as {}. */
static const tc_params_t k_no_params;

hf_status_t hf_text_classification(hf_client_t *c, const char *model, const hf_text_classification_input_t *in,
                                   hf_arena_t *a, hf_text_classification_output_t *out)
{
    tc_input_t copy;
    hf_task_body_t body;
    hf_json_doc_t doc;
    hf_status_t st;
    if (c == NULL || model == NULL || in == NULL || in->inputs == NULL || a == NULL || out == NULL) {
        if (c != NULL) {
            (void)fail(&c->err, HF_ERR_INVALID_ARG, "NULL argument or inputs");
        }
        return HF_ERR_INVALID_ARG;
    }
    out->elements = NULL;
    out->elements_count = 0u;
    copy = *in;
    if (copy.parameters == NULL) {
        copy.parameters = &k_no_params;
    }
    memset(&body, 0, sizeof body);
    body.type = &hf_text_classification_input_type;
    body.obj = &copy;
    st = hf_priv_task_json(c, model, HF_ROUTE_MODEL, &body, a, &doc);
    if (st != HF_OK) {
        return st;
    }
    st = hf_priv_text_classification_decode(&doc, a, out, &c->err);
    if (st != HF_OK) {
        c->err.status = st;
    }
    return st;
}
