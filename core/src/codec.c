/*
 * One table-driven codec for every seed type (see hf_codec.h for the struct conventions).
 * Recursion follows only the static type tables and is capped at HF_JSON_MAX_DEPTH, so a
 * cyclic table or a cyclic object graph fails instead of exhausting the stack.
 * Custom hooks: `encode` writes the value only (the codec has written the key); `decode`
 * gets the value token (never a JSON null: null means absent and is skipped before).
 */
#include <string.h>

#include "hf/hf_codec.h"

#include "hf_priv.h"

/* Arrays hold int64/double/structs: 8 keeps them aligned on every target. */
#define ARR_ALIGN 8u

typedef struct dctx {
    hf_json_doc_t *doc;
    hf_arena_t *a;
    hf_error_t *err;
} dctx_t;

static size_t elem_size(const hf_field_t *f)
{
    switch (f->kind) {
    case HF_K_STR:
    case HF_K_RAW: return sizeof(const char *);
    case HF_K_BOOL: return sizeof(bool);
    case HF_K_I32: return sizeof(int32_t);
    case HF_K_I64: return sizeof(int64_t);
    case HF_K_F32: return sizeof(float);
    case HF_K_F64: return sizeof(double);
    case HF_K_OBJ: return f->type != NULL ? f->type->size : 0u;
    default: return 0u;
    }
}

/* ------------------------------------------------------------------ error paths */

/* Messages are built innermost first as ": what", then each level prepends its segment,
 * giving "ChatCompletionOutput.choices[0].index: expected integer". */
static void prepend(hf_error_t *err, const char *seg, size_t n, bool may_dot)
{
    size_t cap = sizeof err->message - 1u;
    size_t have = strlen(err->message);
    char first = err->message[0];
    size_t dot = (may_dot && first != ':' && first != '[' && first != '\0') ? 1u : 0u;
    size_t add = n + dot > cap ? cap : n + dot;
    size_t keep = have + add > cap ? cap - add : have;
    if (keep < have) {
        err->message_truncated = 1u;
    }
    memmove(err->message + add, err->message, keep);
    err->message[add + keep] = '\0';
    memcpy(err->message, seg, add - dot);
    if (dot) {
        err->message[add - 1u] = '.';
    }
}

static hf_status_t path_name(dctx_t *c, hf_status_t st, const char *name)
{
    if (c->err != NULL && st != HF_OK) {
        prepend(c->err, name, strlen(name), true);
    }
    return st;
}

static hf_status_t path_index(dctx_t *c, hf_status_t st, int idx)
{
    char seg[24] = "[";
    if (c->err != NULL && st != HF_OK) {
        hf_priv_append_u64(seg, sizeof seg - 1u, (uint64_t)idx);
        memcpy(seg + strlen(seg), "]", 2u);
        prepend(c->err, seg, strlen(seg), true);
    }
    return st;
}

static hf_status_t fail(dctx_t *c, hf_status_t st, const char *what)
{
    if (c->err != NULL) {
        hf_priv_error_set(c->err, st, ": ", what, NULL);
        if (st == HF_ERR_NO_MEMORY) {
            c->err->needed = c->a->needed;
        }
    }
    return st;
}

/* ------------------------------------------------------------------ decode */

static hf_status_t decode_obj(dctx_t *c, int tok, const hf_type_t *t, void *obj, unsigned depth);

static bool is_str_tok(const dctx_t *c, int tok)
{
    jsmntype_t ty = c->doc->tok[tok].type;
    return ty == JSMN_STRING || ty == JSMN_UNDEFINED;
}

static hf_status_t dec_str(dctx_t *c, int tok, void *dst)
{
    const char *s = NULL;
    hf_status_t st;
    if (!is_str_tok(c, tok)) {
        return fail(c, HF_ERR_JSON_SHAPE, "expected string");
    }
    st = hf_json_str(c->doc, tok, &s, NULL);
    if (st != HF_OK) {
        return fail(c, st, st == HF_ERR_JSON_SYNTAX ? "invalid string escape" : "string contains NUL");
    }
    *(const char **)dst = s;
    return HF_OK;
}

static hf_status_t dec_int(dctx_t *c, int tok, void *dst, bool is32)
{
    int64_t v = 0;
    if (hf_json_i64(c->doc, tok, &v) != HF_OK) {
        return fail(c, HF_ERR_JSON_SHAPE, "expected integer");
    }
    if (!is32) {
        *(int64_t *)dst = v;
    } else if (v < INT32_MIN || v > INT32_MAX) {
        return fail(c, HF_ERR_JSON_SHAPE, "integer out of range");
    } else {
        *(int32_t *)dst = (int32_t)v;
    }
    return HF_OK;
}

static hf_status_t dec_num(dctx_t *c, int tok, void *dst, bool is32)
{
    size_t n = 0u;
    const char *p;
    hf_status_t st = is32 ? hf_json_f32(c->doc, tok, (float *)dst) : hf_json_f64(c->doc, tok, (double *)dst);
    if (st == HF_OK) {
        return HF_OK;
    }
    /* The grammar was checked: a number token can only fail by its magnitude. */
    p = hf_priv_json_prim(c->doc, tok, &n);
    if (p != NULL && n > 0u && (p[0] == '-' || (p[0] >= '0' && p[0] <= '9'))) {
        return fail(c, HF_ERR_JSON_SHAPE, is32 ? "number out of range for float" : "number out of range for double");
    }
    return fail(c, HF_ERR_JSON_SHAPE, "expected number");
}

static hf_status_t dec_objptr(dctx_t *c, int tok, const hf_type_t *t, void *dst, unsigned depth)
{
    void *p = hf_arena_alloc(c->a, t->size, ARR_ALIGN);
    hf_status_t st;
    if (p == NULL) {
        return fail(c, HF_ERR_NO_MEMORY, "arena too small");
    }
    st = decode_obj(c, tok, t, p, depth + 1u);
    if (st == HF_OK) {
        *(void **)dst = p;
    }
    return st;
}

/* One value of kind f->kind into dst (for arrays: one element). Structs of arrays are
 * decoded in place; a single nested struct is taken from the arena. */
static hf_status_t dec_value(dctx_t *c, int tok, const hf_field_t *f, void *dst, bool in_array, unsigned depth)
{
    bool b = false;
    switch (f->kind) {
    case HF_K_STR: return dec_str(c, tok, dst);
    case HF_K_BOOL:
        if (hf_json_bool(c->doc, tok, &b) != HF_OK) {
            return fail(c, HF_ERR_JSON_SHAPE, "expected boolean");
        }
        *(bool *)dst = b;
        return HF_OK;
    case HF_K_I32:
    case HF_K_I64: return dec_int(c, tok, dst, f->kind == HF_K_I32);
    case HF_K_F32:
    case HF_K_F64: return dec_num(c, tok, dst, f->kind == HF_K_F32);
    case HF_K_OBJ:
        if (f->type == NULL) {
            return fail(c, HF_ERR_INVALID_ARG, "object field without type");
        }
        return in_array ? decode_obj(c, tok, f->type, dst, depth + 1u) : dec_objptr(c, tok, f->type, dst, depth);
    case HF_K_RAW:
        if (hf_json_raw(c->doc, tok, (const char **)dst, NULL) != HF_OK) {
            return fail(c, HF_ERR_JSON_SHAPE, "raw value not available");
        }
        return HF_OK;
    default: return fail(c, HF_ERR_INVALID_ARG, "bad field kind");
    }
}

static hf_status_t dec_array(dctx_t *c, int tok, const hf_field_t *f, uint8_t *obj, unsigned depth)
{
    size_t es = elem_size(f), n;
    uint8_t *base;
    int j = tok + 1;
    if (c->doc->tok[tok].type != JSMN_ARRAY) {
        return fail(c, HF_ERR_JSON_SHAPE, "expected array");
    }
    n = (size_t)c->doc->tok[tok].size;
    if (es == 0u || f->count_offset == HF_NO_OFFSET) {
        return fail(c, HF_ERR_INVALID_ARG, "bad array field in type table");
    }
    base = n > (size_t)-1 / es ? NULL : (uint8_t *)hf_arena_alloc(c->a, n * es, ARR_ALIGN);
    if (base == NULL) {
        return fail(c, HF_ERR_NO_MEMORY, "arena too small");
    }
    memset(base, 0, n * es);
    for (size_t k = 0; k < n; k++) {
        /* A null element stays zero (NULL string, zeroed struct). */
        if (!hf_json_is_null(c->doc, j)) {
            hf_status_t st = dec_value(c, j, f, base + k * es, true, depth);
            if (st != HF_OK) {
                return path_index(c, st, (int)k);
            }
        }
        j = hf_json_next(c->doc, j);
    }
    *(void **)(obj + f->offset) = base;
    *(size_t *)(obj + f->count_offset) = n;
    return HF_OK;
}

static hf_status_t dec_custom(dctx_t *c, int tok, const hf_field_t *f, uint8_t *obj)
{
    hf_status_t st;
    if (f->custom == NULL || f->custom->decode == NULL) {
        return fail(c, HF_ERR_INVALID_ARG, "custom field without decode hook");
    }
    if (c->err != NULL) {
        c->err->message[0] = '\0';
    }
    st = f->custom->decode(c->doc, tok, f, obj, c->a, c->err);
    if (st != HF_OK && c->err != NULL && c->err->message[0] != ':') {
        /* The hook's own text becomes the "what" after the path. */
        if (c->err->message[0] == '\0') {
            hf_priv_error_set(c->err, st, ": invalid value", NULL, NULL);
        } else {
            prepend(c->err, ": ", 2u, false);
        }
        c->err->status = st;
    }
    return st;
}

static hf_status_t dec_field(dctx_t *c, int tok, const hf_field_t *f, uint8_t *obj, unsigned depth)
{
    hf_status_t st;
    if (hf_json_is_null(c->doc, tok)) {
        return HF_OK; /* null is absent; required fields are checked afterwards */
    }
    if (f->kind == HF_K_CUSTOM) {
        st = dec_custom(c, tok, f, obj);
    } else if (f->flags & HF_F_ARRAY) {
        st = dec_array(c, tok, f, obj, depth);
    } else {
        st = dec_value(c, tok, f, obj + f->offset, false, depth);
        if (st == HF_OK && f->has_offset != HF_NO_OFFSET) {
            *(bool *)(obj + f->has_offset) = true;
        }
    }
    return path_name(c, st, f->name);
}

static const hf_field_t *find_field(const dctx_t *c, const hf_type_t *t, int key)
{
    for (uint16_t k = 0; k < t->nfields; k++) {
        if (hf_json_eq(c->doc, key, t->fields[k].name)) {
            return &t->fields[k];
        }
    }
    return NULL;
}

static hf_status_t check_required(dctx_t *c, int tok, const hf_type_t *t)
{
    for (uint16_t k = 0; k < t->nfields; k++) {
        const hf_field_t *f = &t->fields[k];
        int v;
        if ((f->flags & HF_F_REQUIRED) == 0u) {
            continue;
        }
        v = hf_json_get(c->doc, tok, f->name);
        if (v < 0 || hf_json_is_null(c->doc, v)) {
            return path_name(c, fail(c, HF_ERR_JSON_SHAPE, "missing required field"), f->name);
        }
    }
    return HF_OK;
}

static hf_status_t decode_obj(dctx_t *c, int tok, const hf_type_t *t, void *obj, unsigned depth)
{
    const jsmntok_t *ot = &c->doc->tok[tok];
    int j = tok + 1;
    if (t == NULL || depth > (unsigned)HF_JSON_MAX_DEPTH) {
        return fail(c, t == NULL ? HF_ERR_INVALID_ARG : HF_ERR_JSON_SHAPE, "nested too deep");
    }
    if (ot->type != JSMN_OBJECT) {
        return fail(c, HF_ERR_JSON_SHAPE, "expected object");
    }
    memset(obj, 0, t->size);
    for (int k = 0; k < ot->size && j + 1 < c->doc->ntok; k++) {
        const hf_field_t *f = find_field(c, t, j);
        if (f != NULL) {
            hf_status_t st = dec_field(c, j + 1, f, (uint8_t *)obj, depth);
            if (st != HF_OK) {
                return st;
            }
        }
        j = hf_json_next(c->doc, j + 1); /* unknown keys: the whole value subtree is skipped */
    }
    return check_required(c, tok, t);
}

hf_status_t hf_codec_decode(hf_json_doc_t *doc, int tok, const hf_type_t *t, void *obj,
                            hf_arena_t *a, hf_error_t *err)
{
    dctx_t c;
    hf_status_t st;
    if (doc == NULL || doc->tok == NULL || tok < 0 || tok >= doc->ntok || t == NULL || obj == NULL ||
        a == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    c.doc = doc;
    c.a = a;
    c.err = err;
    st = decode_obj(&c, tok, t, obj, 0u);
    if (st != HF_OK && err != NULL) {
        prepend(err, t->name, strlen(t->name), true);
        err->status = st;
    }
    return st;
}

/* ------------------------------------------------------------------ encode */

static hf_status_t encode_obj(hf_jw_t *w, const hf_type_t *t, const void *obj, unsigned depth);

static bool is_present(const hf_field_t *f, const uint8_t *obj)
{
    if (f->kind == HF_K_CUSTOM) {
        return f->custom != NULL && (f->custom->present == NULL || f->custom->present(f, obj));
    }
    if ((f->flags & HF_F_ARRAY) || f->kind == HF_K_STR || f->kind == HF_K_RAW || f->kind == HF_K_OBJ) {
        return *(void *const *)(obj + f->offset) != NULL;
    }
    return f->has_offset == HF_NO_OFFSET || *(const bool *)(obj + f->has_offset);
}

/* One value (array element or field) at p; elements of struct arrays are the structs. */
static hf_status_t enc_value(hf_jw_t *w, const hf_field_t *f, const uint8_t *p, bool in_array, unsigned depth)
{
    const char *s;
    switch (f->kind) {
    case HF_K_STR:
    case HF_K_RAW:
        s = *(const char *const *)p;
        if (s == NULL) {
            return hf_jw_null(w);
        }
        return f->kind == HF_K_STR ? hf_jw_cstring(w, s) : hf_jw_raw(w, s, strlen(s));
    case HF_K_BOOL: return hf_jw_bool(w, *(const bool *)p);
    case HF_K_I32: return hf_jw_int(w, *(const int32_t *)p);
    case HF_K_I64: return hf_jw_int(w, *(const int64_t *)p);
    case HF_K_F32: return hf_jw_float(w, *(const float *)p);
    case HF_K_F64: return hf_jw_double(w, *(const double *)p);
    case HF_K_OBJ:
        if (in_array) {
            return encode_obj(w, f->type, p, depth + 1u);
        }
        return encode_obj(w, f->type, *(const void *const *)p, depth + 1u);
    default: return HF_ERR_INVALID_ARG;
    }
}

static hf_status_t enc_array(hf_jw_t *w, const hf_field_t *f, const uint8_t *obj, unsigned depth)
{
    const uint8_t *base = *(const uint8_t *const *)(obj + f->offset);
    size_t n, es = elem_size(f);
    hf_status_t st;
    if (es == 0u || f->count_offset == HF_NO_OFFSET) {
        return HF_ERR_INVALID_ARG;
    }
    n = *(const size_t *)(obj + f->count_offset);
    st = hf_jw_begin_array(w);
    for (size_t k = 0; k < n && st == HF_OK; k++) {
        st = enc_value(w, f, base + k * es, true, depth);
    }
    return st == HF_OK ? hf_jw_end_array(w) : st;
}

static hf_status_t enc_field(hf_jw_t *w, const hf_field_t *f, const uint8_t *obj, unsigned depth)
{
    hf_status_t st;
    if (!is_present(f, obj)) {
        if ((f->flags & HF_F_NULLABLE) == 0u) {
            return HF_OK;
        }
        st = hf_jw_key(w, f->name);
        return st == HF_OK ? hf_jw_null(w) : st;
    }
    st = hf_jw_key(w, f->name);
    if (st != HF_OK) {
        return st;
    }
    if (f->kind == HF_K_CUSTOM) {
        return f->custom->encode != NULL ? f->custom->encode(w, f, obj) : HF_ERR_INVALID_ARG;
    }
    if (f->flags & HF_F_ARRAY) {
        return enc_array(w, f, obj, depth);
    }
    return enc_value(w, f, obj + f->offset, false, depth);
}

static hf_status_t encode_obj(hf_jw_t *w, const hf_type_t *t, const void *obj, unsigned depth)
{
    hf_status_t st;
    if (t == NULL || obj == NULL || depth > (unsigned)HF_JSON_MAX_DEPTH) {
        return HF_ERR_INVALID_ARG;
    }
    st = hf_jw_begin_object(w);
    for (uint16_t k = 0; k < t->nfields && st == HF_OK; k++) {
        st = enc_field(w, &t->fields[k], (const uint8_t *)obj, depth);
    }
    return st == HF_OK ? hf_jw_end_object(w) : st;
}

hf_status_t hf_codec_encode(hf_jw_t *w, const hf_type_t *t, const void *obj)
{
    if (w == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    return encode_obj(w, t, obj, 0u);
}
