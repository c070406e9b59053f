/*
 * Base64 (RFC 4648 §4, standard alphabet, with padding) both ways, and blobs written into
 * an hf_out_t: raw, or as a base64 JSON string. The encoder keeps its 0..2 pending bytes
 * across calls so a blob goes out in pieces of any size in constant memory; the decoder
 * works in place on a JSON string's bytes.
 */
#include <string.h>

#include "hf_priv.h"

static const char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Bytes of a reader taken per round when they must be encoded (stack, not the I/O buffer). */
#define B64_READ_CHUNK 96u

/* ------------------------------------------------------------------ encoder */

size_t hf_priv_b64_len(size_t n)
{
    size_t groups = n / 3u + (n % 3u != 0u ? 1u : 0u);
    return groups > ((size_t)-1) / 4u ? (size_t)-1 : groups * 4u;
}

void hf_priv_b64_init(hf_priv_b64_t *e)
{
    e->n = 0u;
}

static void quad(const uint8_t in[3], char out[4])
{
    out[0] = k_alphabet[in[0] >> 2];
    out[1] = k_alphabet[((in[0] & 0x03u) << 4) | (in[1] >> 4)];
    out[2] = k_alphabet[((in[1] & 0x0Fu) << 2) | (in[2] >> 6)];
    out[3] = k_alphabet[in[2] & 0x3Fu];
}

hf_status_t hf_priv_b64_write(hf_priv_b64_t *e, hf_out_t *o, const uint8_t *data, size_t len)
{
    char block[64];
    size_t n = 0u;
    hf_status_t st = HF_OK;
    if (len != 0u && data == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < len && st == HF_OK; i++) {
        e->carry[e->n++] = data[i];
        if (e->n < 3u) {
            continue;
        }
        quad(e->carry, block + n);
        e->n = 0u;
        n += 4u;
        if (n == sizeof block) {
            st = hf_out_write(o, block, n);
            n = 0u;
        }
    }
    return st == HF_OK && n != 0u ? hf_out_write(o, block, n) : st;
}

hf_status_t hf_priv_b64_finish(hf_priv_b64_t *e, hf_out_t *o)
{
    char q[4];
    uint8_t last[3] = {0u, 0u, 0u};
    if (e->n == 0u) {
        return o->err;
    }
    memcpy(last, e->carry, e->n);
    quad(last, q);
    q[3] = '=';
    if (e->n == 1u) {
        q[2] = '=';
    }
    e->n = 0u;
    return hf_out_write(o, q, 4u);
}

/* ------------------------------------------------------------------ decoder */

static int b64_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The 4 values of one group; `pad` = trailing '=' (0..2), only allowed in the last group. */
static const char *group_values(const uint8_t *s, bool last, int v[4], size_t *pad)
{
    *pad = 0u;
    if (last && s[3] == '=') {
        *pad = s[2] == '=' ? 2u : 1u;
    }
    for (size_t k = 0; k < 4u - *pad; k++) {
        v[k] = b64_value(s[k]);
        if (v[k] < 0) {
            return s[k] == '=' ? "padding before the end" : "character outside the base64 alphabet";
        }
    }
    /* Non-zero bits under the padding would mean two texts for one byte string. */
    if ((*pad == 2u && (v[1] & 0x0F) != 0) || (*pad == 1u && (v[2] & 0x03) != 0)) {
        return "non-zero bits before the padding";
    }
    return NULL;
}

hf_status_t hf_priv_b64_decode(uint8_t *buf, size_t len, size_t *out_len, const char **why)
{
    size_t w = 0u;
    const char *bad = NULL;
    if (buf == NULL && len != 0u) {
        bad = "no buffer";
    } else if (len % 4u != 0u) {
        bad = "length is not a multiple of 4 (padding missing or input truncated)";
    }
    for (size_t r = 0; bad == NULL && r < len; r += 4u) {
        int v[4] = {0, 0, 0, 0};
        size_t pad;
        bad = group_values(buf + r, r + 4u == len, v, &pad);
        if (bad != NULL) {
            break;
        }
        /* Writing 3 bytes where 4 were read never overtakes the reading. */
        buf[w++] = (uint8_t)((v[0] << 2) | (v[1] >> 4));
        if (pad < 2u) {
            buf[w++] = (uint8_t)(((v[1] & 0x0F) << 4) | (v[2] >> 2));
        }
        if (pad < 1u) {
            buf[w++] = (uint8_t)(((v[2] & 0x03) << 6) | v[3]);
        }
    }
    if (why != NULL) {
        *why = bad;
    }
    if (out_len != NULL) {
        *out_len = bad == NULL ? w : 0u;
    }
    return bad == NULL ? HF_OK : HF_ERR_JSON_SHAPE;
}

/* ------------------------------------------------------------------ blobs */

bool hf_priv_blob_present(const hf_blob_t *b)
{
    return b != NULL && (b->data != NULL || b->read != NULL);
}

bool hf_priv_blob_valid(const hf_blob_t *b)
{
    if (b == NULL || (b->data != NULL && b->read != NULL)) {
        return false;
    }
    return b->read != NULL ? b->total_len > 0u : (b->data != NULL && b->data_len > 0u);
}

size_t hf_priv_blob_len(const hf_blob_t *b)
{
    return b->read != NULL ? b->total_len : b->data_len;
}

static hf_status_t out_fail(hf_out_t *o, hf_status_t st)
{
    if (o->err == HF_OK) {
        o->err = st;
    }
    return st;
}

/* One reader call for at most `cap` bytes: at least one byte, never more than asked. */
static hf_status_t read_some(const hf_blob_t *b, uint8_t *buf, size_t cap, size_t *got)
{
    hf_status_t st;
    *got = 0u;
    st = b->read(b->user, buf, cap, got);
    if (st != HF_OK) {
        return st;
    }
    return (*got == 0u || *got > cap) ? HF_ERR_INVALID_ARG : HF_OK;
}

/* Reader bytes go straight into the sink's buffer: no copy, pieces as large as it is. */
static hf_status_t raw_from_reader(const hf_blob_t *b, hf_out_t *o)
{
    size_t left = b->total_len;
    while (left > 0u) {
        size_t room, got;
        hf_status_t st = o->len == o->cap ? hf_out_flush(o) : o->err;
        if (st != HF_OK) {
            return st;
        }
        if (o->len == o->cap) {
            return out_fail(o, HF_ERR_NO_MEMORY); /* a sink without flush is full */
        }
        room = o->cap - o->len < left ? o->cap - o->len : left;
        st = read_some(b, o->buf + o->len, room, &got);
        if (st != HF_OK) {
            return out_fail(o, st);
        }
        o->len += got;
        o->total += got;
        left -= got;
    }
    return HF_OK;
}

static hf_status_t rewind_reader(const hf_blob_t *b, hf_out_t *o)
{
    hf_status_t st = b->rewind != NULL ? b->rewind(b->user) : HF_OK;
    return st != HF_OK ? out_fail(o, st) : o->err;
}

hf_status_t hf_priv_blob_write_raw(const hf_blob_t *b, hf_out_t *o)
{
    hf_status_t st;
    if (!hf_priv_blob_valid(b)) {
        return out_fail(o, HF_ERR_INVALID_ARG);
    }
    if (o->buf == NULL || b->read == NULL) {
        /* A counting sink stores nothing, so the reader need not run to be counted. */
        return hf_out_write(o, b->read != NULL ? (const void *)"" : b->data, hf_priv_blob_len(b));
    }
    st = rewind_reader(b, o);
    return st == HF_OK ? raw_from_reader(b, o) : st;
}

static hf_status_t b64_from_reader(const hf_blob_t *b, hf_out_t *o, hf_priv_b64_t *e)
{
    uint8_t chunk[B64_READ_CHUNK];
    size_t left = b->total_len;
    hf_status_t st = rewind_reader(b, o);
    while (st == HF_OK && left > 0u) {
        size_t got;
        st = read_some(b, chunk, left < sizeof chunk ? left : sizeof chunk, &got);
        if (st != HF_OK) {
            return out_fail(o, st);
        }
        st = hf_priv_b64_write(e, o, chunk, got);
        left -= got;
    }
    return st;
}

/* The base64 text of a blob, without quotes. */
static hf_status_t b64_body(const hf_blob_t *b, hf_out_t *o)
{
    hf_priv_b64_t e;
    hf_status_t st;
    size_t n = hf_priv_blob_len(b);
    if (o->buf == NULL) {
        return hf_priv_b64_len(n) == (size_t)-1 ? out_fail(o, HF_ERR_NO_MEMORY)
                                                : hf_out_write(o, "", hf_priv_b64_len(n));
    }
    hf_priv_b64_init(&e);
    st = b->read != NULL ? b64_from_reader(b, o, &e) : hf_priv_b64_write(&e, o, b->data, b->data_len);
    return st == HF_OK ? hf_priv_b64_finish(&e, o) : st;
}

/* An empty blob (no source and no bytes) is the empty string; two sources are refused. */
static bool b64_ok(const hf_blob_t *b)
{
    return b != NULL && !(b->data != NULL && b->read != NULL) &&
           !(b->data == NULL && b->read == NULL && b->data_len != 0u);
}

hf_status_t hf_priv_blob_write_b64(const hf_blob_t *b, hf_out_t *o)
{
    hf_status_t st;
    if (!b64_ok(b)) {
        return out_fail(o, HF_ERR_INVALID_ARG);
    }
    st = hf_out_write(o, "\"", 1u);
    if (st == HF_OK) {
        st = b64_body(b, o);
    }
    return st == HF_OK ? hf_out_write(o, "\"", 1u) : st;
}

/* ------------------------------------------------------------------ codec hooks */

static hf_status_t blob_encode(hf_jw_t *w, const hf_field_t *f, const void *obj)
{
    const hf_blob_t *b = (const hf_blob_t *)(const void *)((const uint8_t *)obj + f->offset);
    hf_status_t st;
    if (!b64_ok(b)) {
        return HF_ERR_INVALID_ARG;
    }
    /* The opening quote goes through the writer so that it places the separator. */
    st = hf_jw_raw(w, "\"", 1u);
    if (st == HF_OK) {
        st = b64_body(b, w->out);
    }
    return st == HF_OK ? hf_out_write(w->out, "\"", 1u) : st;
}

static hf_status_t blob_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                               hf_error_t *err)
{
    hf_blob_t *b = (hf_blob_t *)(void *)((uint8_t *)obj + f->offset);
    const char *s = NULL, *why = NULL;
    size_t len = 0u, n = 0u;
    hf_status_t st;
    (void)a;
    if (doc->tok[tok].type != JSMN_STRING) {
        hf_priv_error_set(err, HF_ERR_JSON_SHAPE, "not a base64 string", NULL, NULL);
        return HF_ERR_JSON_SHAPE;
    }
    st = hf_json_str(doc, tok, &s, &len);
    if (st == HF_OK) {
        st = hf_priv_b64_decode((uint8_t *)(uintptr_t)s, len, &n, &why);
    }
    if (st != HF_OK) {
        hf_priv_error_set(err, st, "base64: ", why != NULL ? why : "bad string escape", NULL);
        return st;
    }
    memset(b, 0, sizeof *b);
    b->data = (const uint8_t *)s;
    b->data_len = n;
    return HF_OK;
}

static bool blob_present(const hf_field_t *f, const void *obj)
{
    return hf_priv_blob_present((const hf_blob_t *)(const void *)((const uint8_t *)obj + f->offset));
}

const hf_custom_t hf_priv_blob_b64_hooks = {blob_encode, blob_decode, blob_present};
