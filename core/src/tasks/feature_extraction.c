/* Feature extraction: the FeatureExtractionInput table (parameters at the root) and a decoder
 * that keeps nested number arrays, dense or ragged, as their numbers plus their lengths. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hf/hf_feature_extraction.h"

#include "hf_priv.h"
#include "tasks_priv.h"

typedef hf_feature_extraction_input_t fe_input_t;

/* ------------------------------------------------------------------ input: string or list of strings */

static hf_status_t shape_fail(hf_error_t *err, const char *what)
{
    hf_priv_error_set(err, HF_ERR_JSON_SHAPE, "feature_extraction: ", what, NULL);
    return HF_ERR_JSON_SHAPE;
}

/* An empty list decodes as a batch of none: the call does not refuse one either. */
static const hf_priv_texts_t k_inputs = HF_PRIV_TEXTS(fe_input_t, "feature_extraction", true);

static const hf_field_t k_input_fields[] = {
    HF_FIELD_CUSTOM(fe_input_t, inputs, k_inputs.hooks, HF_F_REQUIRED),
    HF_FIELD_OPT(fe_input_t, normalize, HF_K_BOOL),
    HF_FIELD(fe_input_t, prompt_name, HF_K_STR, 0u),
    HF_FIELD_OPT(fe_input_t, truncate, HF_K_BOOL),
    HF_FIELD(fe_input_t, truncation_direction, HF_K_STR, 0u),
};
const hf_type_t hf_feature_extraction_input_type = HF_TYPE("FeatureExtractionInput", fe_input_t, k_input_fields);

/* ------------------------------------------------------------------ output: nested arrays */

/* The arrays are the root, or the value of "embeddings" (Inference Endpoints toolkit). */
static hf_status_t find_tensor(const hf_json_doc_t *doc, int *root, hf_error_t *err)
{
    int t = 0;
    if (doc->ntok < 1) {
        return shape_fail(err, "empty document");
    }
    if (doc->tok[0].type == JSMN_OBJECT) {
        t = hf_json_get(doc, 0, "embeddings");
    }
    if (t < 0 || t >= doc->ntok || doc->tok[t].type != JSMN_ARRAY) {
        return shape_fail(err, "result is not an array of numbers");
    }
    *root = t;
    return HF_OK;
}

static hf_status_t empty_fail(hf_error_t *err)
{
    hf_priv_error_set(err, HF_ERR_EMPTY_RESULT, "feature_extraction: empty array in result", NULL, NULL);
    return HF_ERR_EMPTY_RESULT;
}

/* The depth of the numbers follows the first element down; scan() then holds every number to it. */
static hf_status_t read_depth(const hf_json_doc_t *doc, int root, hf_feature_extraction_output_t *out,
                              hf_error_t *err)
{
    int t = root;
    while (t < doc->ntok && doc->tok[t].type == JSMN_ARRAY) {
        if (out->ndim == HF_FEATURE_EXTRACTION_MAX_DIMS) {
            return shape_fail(err, "more than 4 nested levels");
        }
        if (doc->tok[t].size == 0) {
            return empty_fail(err);
        }
        out->ndim++;
        t++;
    }
    return HF_OK;
}

/* shape[d] keeps the length all arrays of level d share; the first one sets it, a different
 * one clears it to 0 (lengths are never 0 here: empty arrays fail first). */
static void note_length(hf_feature_extraction_output_t *out, int level, size_t n, unsigned *seen)
{
    if ((*seen & (1u << level)) == 0u) {
        *seen |= 1u << level;
        out->shape[level] = n;
    } else if (out->shape[level] != n) {
        out->shape[level] = 0u;
        out->ragged = true;
    }
}

static bool is_number(const hf_json_doc_t *doc, int i)
{
    char ch = doc->text[doc->tok[i].start];
    return doc->tok[i].type == JSMN_PRIMITIVE && (ch == '-' || (ch >= '0' && ch <= '9'));
}

/* Validates the structure and counts numbers and arrays: one counter per level (no recursion),
 * arrays down to level ndim-1, numbers only below it. */
static hf_status_t scan(const hf_json_doc_t *doc, int root, hf_feature_extraction_output_t *out, hf_error_t *err)
{
    size_t left[HF_FEATURE_EXTRACTION_MAX_DIMS];
    unsigned seen = 0u;
    int depth = 0, idx = root + 1;
    left[0] = (size_t)doc->tok[root].size;
    note_length(out, 0, left[0], &seen);
    out->lengths_count = 1u;
    while (depth >= 0) {
        if (left[depth] == 0u) {
            depth--;
            continue;
        }
        left[depth]--;
        if (idx >= doc->ntok) {
            return shape_fail(err, "truncated arrays");
        }
        if (depth + 1 < (int)out->ndim) {
            if (doc->tok[idx].type != JSMN_ARRAY) {
                return shape_fail(err, "numbers at different depths, or a non-number value");
            }
            if (doc->tok[idx].size == 0) {
                return empty_fail(err);
            }
            depth++;
            left[depth] = (size_t)doc->tok[idx].size;
            note_length(out, depth, left[depth], &seen);
            out->lengths_count++;
        } else if (is_number(doc, idx)) {
            out->count++;
        } else {
            return shape_fail(err, doc->tok[idx].type == JSMN_ARRAY ? "numbers at different depths"
                                                                    : "a value is not a number");
        }
        idx++;
    }
    return HF_OK;
}

static hf_status_t no_memory(hf_error_t *err, const char *what, size_t needed)
{
    hf_priv_error_set(err, HF_ERR_NO_MEMORY, "feature_extraction: ", what, NULL);
    err->needed = needed;
    return HF_ERR_NO_MEMORY;
}

/* The caller's buffer when it has one (capacity > 0), else `n` items from the arena. */
static hf_status_t take(void **dst, void *user_buf, size_t cap, size_t n, size_t item, hf_arena_t *a,
                        hf_error_t *err)
{
    if (cap > 0u) {
        *dst = user_buf;
        return n <= cap ? HF_OK : no_memory(err, "caller buffer too small", n * item);
    }
    *dst = hf_arena_alloc(a, n * item, item);
    return *dst != NULL ? HF_OK : no_memory(err, "arena too small for the result", a->needed);
}

/* scan() validated the subtree: its tokens are exactly lengths_count arrays and count numbers,
 * in document order. */
static hf_status_t fill(hf_json_doc_t *doc, int root, hf_feature_extraction_output_t *out, hf_error_t *err)
{
    size_t k = 0u, v = 0u;
    int end = root + (int)(out->lengths_count + out->count);
    for (int i = root; i < end; i++) {
        if (doc->tok[i].type == JSMN_ARRAY && k < out->lengths_count) {
            out->lengths[k++] = (uint32_t)doc->tok[i].size;
        } else if (v < out->count && hf_json_f32(doc, i, &out->data[v]) == HF_OK) {
            v++;
        } else {
            return shape_fail(err, "a value is not a valid float");
        }
    }
    return HF_OK;
}

static void clear_result(hf_feature_extraction_output_t *out)
{
    out->count = 0u;
    out->ndim = 0u;
    memset(out->shape, 0, sizeof out->shape);
    out->ragged = false;
    out->lengths_count = 0u;
}

hf_status_t hf_priv_feature_extraction_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                              hf_feature_extraction_output_t *out, hf_error_t *err)
{
    /* capacity 0 means "no buffer", so an output reused after an arena-backed call is safe. */
    float *user_buf = out->data;
    uint32_t *user_len = out->lengths;
    size_t mark = hf_arena_mark(a);
    int root = 0;
    hf_status_t st;
    void *p = NULL;
    clear_result(out);
    st = find_tensor(doc, &root, err);
    if (st == HF_OK) {
        st = read_depth(doc, root, out, err);
    }
    if (st == HF_OK) {
        st = scan(doc, root, out, err);
    }
    if (st == HF_OK) {
        st = take(&p, user_buf, out->capacity, out->count, sizeof(float), a, err);
        out->data = (float *)p;
    }
    if (st == HF_OK) {
        st = take(&p, user_len, out->lengths_capacity, out->lengths_count, sizeof(uint32_t), a, err);
        out->lengths = (uint32_t *)p;
    }
    if (st == HF_OK) {
        st = fill(doc, root, out, err);
    }
    if (st != HF_OK) {
        out->data = user_buf;
        out->lengths = user_len;
        clear_result(out);
        hf_arena_rewind(a, mark);
    }
    return st;
}

/* ------------------------------------------------------------------ call */

hf_status_t hf_feature_extraction(hf_client_t *c, const char *model, const hf_feature_extraction_input_t *in,
                                  hf_arena_t *a, hf_feature_extraction_output_t *out)
{
    hf_task_body_t body;
    hf_json_doc_t doc;
    hf_status_t st;
    if (c == NULL || model == NULL || in == NULL || a == NULL || out == NULL ||
        (in->inputs == NULL) == (in->inputs_batch == NULL)) {
        if (c != NULL) {
            hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG,
                              "feature_extraction: NULL argument, or not exactly one of inputs/inputs_batch", NULL,
                              NULL);
        }
        return HF_ERR_INVALID_ARG;
    }
    memset(&body, 0, sizeof body);
    body.type = &hf_feature_extraction_input_type;
    body.obj = in;
    st = hf_priv_task_json(c, model, HF_ROUTE_PIPELINE_FEATURE, &body, a, &doc);
    if (st != HF_OK) {
        return st;
    }
    st = hf_priv_feature_extraction_decode(&doc, a, out, &c->err);
    if (st != HF_OK) {
        c->err.status = st;
    }
    return st;
}
