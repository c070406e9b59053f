/*
 * Shared by the binary-input task families (image/audio classification, object detection):
 * the request body (raw media, or JSON with the media in base64 when parameters are given,
 * PROTOCOL 3.0), the decoder of a result that is a list of objects of one type, and the whole
 * public call of such a task, which differs between the tasks only in its types.
 */
#include <string.h>

#include "hf_priv.h"
#include "tasks_priv.h"

typedef struct binary_body {
    const hf_priv_binary_call_t *call;
    unsigned passes; /* bodies written for real (not counted) so far */
} binary_body_t;

static hf_status_t write_binary(void *user, hf_out_t *out)
{
    binary_body_t *b = (binary_body_t *)user;
    const hf_blob_t *blob = b->call->blob;
    hf_jw_t w;
    if (out->buf != NULL) {
        /* A reader that cannot go back would send its tail as if it were the whole media. */
        if (b->passes > 0u && blob->read != NULL && blob->rewind == NULL) {
            return HF_ERR_UNSUPPORTED;
        }
        b->passes++;
    }
    if (b->call->params == NULL) {
        return hf_priv_blob_write_raw(blob, out);
    }
    hf_jw_init(&w, out);
    return hf_codec_encode(&w, b->call->type, b->call->obj);
}

static hf_status_t refuse(hf_client_t *c, const char *task, const char *why)
{
    hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, task, ": ", why);
    return HF_ERR_INVALID_ARG;
}

static bool token_like(const char *s)
{
    size_t n = 0u;
    while (s[n] != '\0' && n < HF_HTTP_MAX_HEADER_LINE) {
        n++;
    }
    return n > 0u && n < HF_HTTP_MAX_HEADER_LINE && !hf_priv_http_has_ctl(s, n);
}

static hf_status_t check_call(hf_client_t *c, const hf_priv_binary_call_t *k)
{
    if (!hf_priv_blob_valid(k->blob)) {
        return refuse(c, k->task, "inputs needs exactly one of data (data_len > 0) or read (total_len > 0)");
    }
    if (k->params == NULL && (k->blob->content_type == NULL || !token_like(k->blob->content_type))) {
        return refuse(c, k->task, "a raw upload needs inputs.content_type (e.g. \"image/jpeg\")");
    }
    return HF_OK;
}

hf_status_t hf_priv_binary_task_json(hf_client_t *c, const char *model, const hf_priv_binary_call_t *k,
                                     hf_arena_t *a, hf_json_doc_t *doc)
{
    binary_body_t b;
    hf_task_body_t body;
    hf_status_t st;
    if (c == NULL || k == NULL || k->blob == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    st = check_call(c, k);
    if (st != HF_OK) {
        return st;
    }
    b.call = k;
    b.passes = 0u;
    memset(&body, 0, sizeof body);
    body.write = write_binary;
    body.user = &b;
    body.content_type = k->params == NULL ? k->blob->content_type : NULL;
    return hf_priv_task_json(c, model, HF_ROUTE_MODEL, &body, a, doc);
}

/* ------------------------------------------------------------------ list of objects */

static hf_status_t list_fail(hf_error_t *err, hf_status_t st, const char *task, const char *why)
{
    hf_priv_error_set(err, st, task, ": ", why);
    return st;
}

/* The elements of the list: array token `list`, or the bare object at token 0 (list -1). */
static hf_status_t decode_elements(hf_json_doc_t *doc, int list, const hf_priv_list_spec_t *spec,
                                   hf_arena_t *a, hf_priv_list_t *out, hf_error_t *err)
{
    size_t n = list < 0 ? 1u : (size_t)doc->tok[list].size;
    size_t size = spec->type->size;
    int el = list < 0 ? 0 : list + 1;
    uint8_t *els;
    if (n == 0u) {
        return spec->empty_ok ? HF_OK : list_fail(err, HF_ERR_EMPTY_RESULT, spec->task, "empty result list");
    }
    els = n <= ((size_t)-1) / size ? (uint8_t *)hf_arena_alloc(a, n * size, 0u) : NULL;
    if (els == NULL) {
        hf_status_t st = list_fail(err, HF_ERR_NO_MEMORY, spec->task, "arena too small for the result list");
        err->needed = a->needed;
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        hf_status_t st;
        if (el < 0 || el >= doc->ntok || doc->tok[el].type != JSMN_OBJECT) {
            return list_fail(err, HF_ERR_JSON_SHAPE, spec->task, "a result entry is not an object");
        }
        st = hf_codec_decode(doc, el, spec->type, els + i * size, a, err);
        if (st != HF_OK) {
            return st;
        }
        el = hf_json_next(doc, el);
    }
    out->elements = els;
    out->count = n;
    return HF_OK;
}

/* `[{...}]`, `[[{...}]]` (the list of the one input, case 13) or a bare `{...}`. */
static hf_status_t decode_root(hf_json_doc_t *doc, const hf_priv_list_spec_t *spec, hf_arena_t *a,
                               hf_priv_list_t *out, hf_error_t *err)
{
    if (doc->ntok < 1) {
        return list_fail(err, HF_ERR_JSON_SHAPE, spec->task, "empty document");
    }
    if (doc->tok[0].type == JSMN_OBJECT) {
        return decode_elements(doc, -1, spec, a, out, err);
    }
    if (doc->tok[0].type != JSMN_ARRAY) {
        return list_fail(err, HF_ERR_JSON_SHAPE, spec->task, "result is not a list");
    }
    if (doc->tok[0].size == 0 || doc->ntok < 2 || doc->tok[1].type != JSMN_ARRAY) {
        return decode_elements(doc, 0, spec, a, out, err);
    }
    if (doc->tok[0].size != 1) {
        return list_fail(err, HF_ERR_JSON_SHAPE, spec->task, "several result lists for one input");
    }
    return decode_elements(doc, 1, spec, a, out, err);
}

hf_status_t hf_priv_decode_list(hf_json_doc_t *doc, const hf_priv_list_spec_t *spec, hf_arena_t *a,
                                hf_priv_list_t *out, hf_error_t *err)
{
    size_t mark = hf_arena_mark(a);
    hf_status_t st;
    out->elements = NULL;
    out->count = 0u;
    st = decode_root(doc, spec, a, out, err);
    if (st != HF_OK) {
        out->elements = NULL;
        out->count = 0u;
        hf_arena_rewind(a, mark);
        err->status = st;
    }
    return st;
}

/* ------------------------------------------------------------------ the call of a list task */

/* The output struct's fields by offset, as the codec writes struct fields. */
static void put_list(const hf_priv_binary_task_t *t, void *out, const hf_priv_list_t *l)
{
    uint8_t *o = (uint8_t *)out;
    *(void **)(void *)(o + t->elements_offset) = l->elements;
    *(size_t *)(void *)(o + t->count_offset) = l->count;
}

hf_status_t hf_priv_binary_list_decode(hf_json_doc_t *doc, const hf_priv_binary_task_t *t, hf_arena_t *a,
                                       void *out, hf_error_t *err)
{
    hf_priv_list_t l;
    hf_status_t st = hf_priv_decode_list(doc, &t->list, a, &l, err);
    put_list(t, out, &l);
    return st;
}

hf_status_t hf_priv_binary_list_call(hf_client_t *c, const char *model, const hf_priv_binary_task_t *t,
                                     const void *in, hf_arena_t *a, void *out)
{
    static const hf_priv_list_t k_none = {NULL, 0u};
    const uint8_t *i = (const uint8_t *)in;
    hf_priv_binary_call_t k;
    hf_json_doc_t doc;
    hf_status_t st;
    if (c == NULL || in == NULL || a == NULL || out == NULL) {
        if (c != NULL) {
            hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, t->list.task, ": NULL argument", NULL);
        }
        return HF_ERR_INVALID_ARG;
    }
    put_list(t, out, &k_none);
    k.task = t->list.task;
    k.blob = (const hf_blob_t *)(const void *)(i + t->inputs_offset);
    k.type = t->input;
    k.obj = in;
    k.params = *(const void *const *)(const void *)(i + t->params_offset);
    st = hf_priv_binary_task_json(c, model, &k, a, &doc);
    return st == HF_OK ? hf_priv_binary_list_decode(&doc, t, a, out, &c->err) : st;
}
