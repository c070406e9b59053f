/* Text classification: field tables of the TextClassification* seed types, the decoder of
 * one label list per input, and the call. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hf/hf_text_classification.h"

#include "hf_priv.h"
#include "tasks_priv.h"

typedef hf_text_classification_parameters_t tc_params_t;
typedef hf_text_classification_input_t tc_input_t;
typedef hf_text_classification_output_element_t tc_element_t;
typedef hf_text_classification_output_list_t tc_list_t;

static const hf_field_t k_params_fields[] = {
    HF_FIELD(tc_params_t, function_to_apply, HF_K_STR, 0u),
    HF_FIELD_OPT(tc_params_t, top_k, HF_K_I32),
};
const hf_type_t hf_text_classification_parameters_type =
    HF_TYPE("TextClassificationParameters", tc_params_t, k_params_fields);

static hf_status_t fail(hf_error_t *err, hf_status_t st, const char *what)
{
    hf_priv_error_set(err, st, "text_classification: ", what, NULL);
    return st;
}

/* A list of texts (the recorded Python client sent `["I like you"]`); an empty list asks
 * nothing and is refused, as the call refuses an empty batch. */
static const hf_priv_texts_t k_inputs = HF_PRIV_TEXTS(tc_input_t, "text_classification", false);

static const hf_field_t k_input_fields[] = {
    HF_FIELD_CUSTOM(tc_input_t, inputs, k_inputs.hooks, HF_F_REQUIRED),
    HF_FIELD_OBJ(tc_input_t, parameters, hf_text_classification_parameters_type, 0u),
};
const hf_type_t hf_text_classification_input_type = HF_TYPE("TextClassificationInput", tc_input_t, k_input_fields);

static const hf_field_t k_element_fields[] = {
    HF_FIELD(tc_element_t, label, HF_K_STR, HF_F_REQUIRED),
    HF_FIELD(tc_element_t, score, HF_K_F32, HF_F_REQUIRED),
};
const hf_type_t hf_text_classification_output_element_type =
    HF_TYPE("TextClassificationOutputElement", tc_element_t, k_element_fields);

/* One input's labels: the objects of array token `list`, or the bare object at token 0
 * (list -1). An empty array is an input without labels. */
static hf_status_t decode_list(hf_json_doc_t *doc, int list, hf_arena_t *a, tc_list_t *dst, hf_error_t *err)
{
    size_t n = list < 0 ? 1u : (size_t)doc->tok[list].size;
    int el = list < 0 ? 0 : list + 1;
    tc_element_t *els;
    dst->elements = NULL;
    dst->elements_count = 0u;
    if (n == 0u) {
        return HF_OK;
    }
    els = (tc_element_t *)hf_arena_alloc(a, n * sizeof(tc_element_t), 0u);
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
    dst->elements = els;
    dst->elements_count = n;
    return HF_OK;
}

/* `[[{...}], ...]`: one array per input, each decoded in turn. */
static hf_status_t decode_lists(hf_json_doc_t *doc, hf_arena_t *a, hf_text_classification_output_t *out,
                                hf_error_t *err)
{
    size_t n = (size_t)doc->tok[0].size;
    int el = 1;
    tc_list_t *lists = (tc_list_t *)hf_arena_alloc(a, n * sizeof(tc_list_t), 0u);
    if (lists == NULL) {
        hf_status_t st = fail(err, HF_ERR_NO_MEMORY, "arena too small for the label lists");
        err->needed = a->needed;
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        hf_status_t st;
        if (el < 0 || el >= doc->ntok || doc->tok[el].type != JSMN_ARRAY) {
            return fail(err, HF_ERR_JSON_SHAPE, "a list of label lists holds something else");
        }
        st = decode_list(doc, el, a, &lists[i], err);
        if (st != HF_OK) {
            return st;
        }
        el = hf_json_next(doc, el);
    }
    out->lists = lists;
    out->lists_count = n;
    return HF_OK;
}

/* A flat list `[{...}]` or a bare object `{...}`: the one list of a single input. */
static hf_status_t decode_single(hf_json_doc_t *doc, int list, hf_arena_t *a, hf_text_classification_output_t *out,
                                 hf_error_t *err)
{
    tc_list_t *one = (tc_list_t *)hf_arena_alloc(a, sizeof(tc_list_t), 0u);
    if (one == NULL) {
        hf_status_t st = fail(err, HF_ERR_NO_MEMORY, "arena too small for the label list");
        err->needed = a->needed;
        return st;
    }
    out->lists = one;
    out->lists_count = 1u;
    return decode_list(doc, list, a, one, err);
}

static hf_status_t decode_shape(hf_json_doc_t *doc, hf_arena_t *a, hf_text_classification_output_t *out,
                                hf_error_t *err)
{
    if (doc->ntok < 1) {
        return fail(err, HF_ERR_JSON_SHAPE, "empty document");
    }
    if (doc->tok[0].type == JSMN_OBJECT) {
        return decode_single(doc, -1, a, out, err);
    }
    if (doc->tok[0].type != JSMN_ARRAY) {
        return fail(err, HF_ERR_JSON_SHAPE, "result is not a list");
    }
    if (doc->tok[0].size == 0 || doc->ntok < 2) {
        return fail(err, HF_ERR_EMPTY_RESULT, "empty result list");
    }
    if (doc->tok[1].type == JSMN_OBJECT) {
        return decode_single(doc, 0, a, out, err);
    }
    if (doc->tok[1].type != JSMN_ARRAY) {
        return fail(err, HF_ERR_JSON_SHAPE, "result list holds neither objects nor lists");
    }
    return decode_lists(doc, a, out, err);
}

static void clear_output(hf_text_classification_output_t *out)
{
    out->elements = NULL;
    out->elements_count = 0u;
    out->lists = NULL;
    out->lists_count = 0u;
}

hf_status_t hf_priv_text_classification_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                               hf_text_classification_output_t *out, hf_error_t *err)
{
    size_t mark = hf_arena_mark(a), labels = 0u;
    hf_status_t st;
    clear_output(out);
    st = decode_shape(doc, a, out, err);
    for (size_t i = 0; st == HF_OK && i < out->lists_count; i++) {
        labels += out->lists[i].elements_count;
    }
    if (st == HF_OK && labels == 0u) {
        st = fail(err, HF_ERR_EMPTY_RESULT, "no input has a label");
    }
    if (st != HF_OK) {
        clear_output(out);
        hf_arena_rewind(a, mark);
        return st;
    }
    out->elements = out->lists[0].elements;
    out->elements_count = out->lists[0].elements_count;
    return HF_OK;
}

/* The key is always sent (PROTOCOL 3.0); an all-absent struct encodes as {}. */
static const tc_params_t k_no_params;

static bool valid_input(const tc_input_t *in)
{
    if ((in->inputs == NULL) == (in->inputs_batch == NULL)) {
        return false;
    }
    for (size_t i = 0; in->inputs_batch != NULL && i < in->inputs_batch_count; i++) {
        if (in->inputs_batch[i] == NULL) {
            return false;
        }
    }
    return in->inputs_batch == NULL || in->inputs_batch_count > 0u;
}

hf_status_t hf_text_classification(hf_client_t *c, const char *model, const hf_text_classification_input_t *in,
                                   hf_arena_t *a, hf_text_classification_output_t *out)
{
    tc_input_t copy;
    hf_task_body_t body;
    hf_json_doc_t doc;
    hf_status_t st;
    if (c == NULL || model == NULL || in == NULL || a == NULL || out == NULL || !valid_input(in)) {
        if (c != NULL) {
            (void)fail(&c->err, HF_ERR_INVALID_ARG, "NULL argument, or not exactly one of inputs/inputs_batch");
        }
        return HF_ERR_INVALID_ARG;
    }
    clear_output(out);
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
    /* Fewer lists than inputs would leave the caller indexing past the result. */
    if (st == HF_OK && out->lists_count != (in->inputs_batch != NULL ? in->inputs_batch_count : 1u)) {
        clear_output(out);
        st = fail(&c->err, HF_ERR_JSON_SHAPE, "the response does not hold one label list per input");
    }
    if (st != HF_OK) {
        c->err.status = st;
    }
    return st;
}
