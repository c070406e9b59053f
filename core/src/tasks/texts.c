/*
 * `inputs` that is one text or a list of texts (feature extraction, text classification): the
 * codec hooks of that field, shared. The field is `const char *inputs`; the hooks find the
 * batch and its count by the offsets in their hf_priv_texts_t.
 */
#include <stddef.h>
#include <stdint.h>

#include "hf_priv.h"
#include "tasks_priv.h"

/* The hooks are the first member of their hf_priv_texts_t. */
static const hf_priv_texts_t *spec_of(const hf_field_t *f)
{
    return (const hf_priv_texts_t *)(const void *)f->custom;
}

static const char *const *batch_of(const hf_field_t *f, const void *obj)
{
    return *(const char *const *const *)(const void *)((const uint8_t *)obj + spec_of(f)->batch_offset);
}

static size_t count_of(const hf_field_t *f, const void *obj)
{
    return *(const size_t *)(const void *)((const uint8_t *)obj + spec_of(f)->count_offset);
}

static hf_status_t texts_fail(hf_error_t *err, const hf_field_t *f, hf_status_t st, const char *what)
{
    hf_priv_error_set(err, st, spec_of(f)->task, ": ", what);
    return st;
}

hf_status_t hf_priv_texts_encode(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    const char *one = *(const char *const *)(const void *)((const uint8_t *)obj + f->offset);
    const char *const *batch = batch_of(f, obj);
    size_t n = count_of(f, obj);
    hf_status_t st;
    if (batch == NULL) {
        return one != NULL ? hf_jw_cstring(w, one) : HF_ERR_INVALID_ARG;
    }
    st = hf_jw_begin_array(w);
    for (size_t i = 0; i < n && st == HF_OK; i++) {
        st = batch[i] != NULL ? hf_jw_cstring(w, batch[i]) : HF_ERR_INVALID_ARG;
    }
    return st == HF_OK ? hf_jw_end_array(w) : st;
}

static hf_status_t decode_batch(hf_json_doc_t *doc, int tok, const hf_field_t *f, uint8_t *obj, hf_arena_t *a,
                                hf_error_t *err)
{
    const hf_priv_texts_t *t = spec_of(f);
    size_t n = (size_t)doc->tok[tok].size;
    const char **list;
    int el = tok + 1;
    if (n == 0u && !t->empty_ok) {
        return texts_fail(err, f, HF_ERR_JSON_SHAPE, "inputs is an empty list");
    }
    list = (const char **)hf_arena_alloc(a, (n > 0u ? n : 1u) * sizeof(char *), 0u);
    if (list == NULL) {
        hf_status_t st = texts_fail(err, f, HF_ERR_NO_MEMORY, "arena too small for inputs");
        err->needed = a->needed;
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len;
        if (el < 0 || el >= doc->ntok || doc->tok[el].type != JSMN_STRING) {
            return texts_fail(err, f, HF_ERR_JSON_SHAPE, "inputs entry is not a string");
        }
        if (hf_json_str(doc, el, &list[i], &len) != HF_OK) {
            return texts_fail(err, f, HF_ERR_JSON_SHAPE, "inputs entry is not a valid string");
        }
        el = hf_json_next(doc, el);
    }
    *(const char ***)(void *)(obj + t->batch_offset) = list;
    *(size_t *)(void *)(obj + t->count_offset) = n;
    return HF_OK;
}

hf_status_t hf_priv_texts_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                                 hf_error_t *err)
{
    size_t len;
    if (doc->tok[tok].type == JSMN_ARRAY) {
        return decode_batch(doc, tok, f, (uint8_t *)obj, a, err);
    }
    if (doc->tok[tok].type != JSMN_STRING ||
        hf_json_str(doc, tok, (const char **)(void *)((uint8_t *)obj + f->offset), &len) != HF_OK) {
        return texts_fail(err, f, HF_ERR_JSON_SHAPE, "inputs is neither a string nor a list of strings");
    }
    return HF_OK;
}

bool hf_priv_texts_present(const hf_field_t *f, const void *obj)
{
    return *(const char *const *)(const void *)((const uint8_t *)obj + f->offset) != NULL ||
           batch_of(f, obj) != NULL;
}
