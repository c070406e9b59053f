/**
 * @file hf_json.h
 * @brief Output sink, streaming JSON writer and jsmn-based JSON reader.
 *
 * The writer never holds a document: it pushes bytes into an ::hf_out_t,
 * which either counts them (for Content-Length) or buffers them in a fixed
 * buffer and flushes to a callback (the transport) when full.
 * The reader tokenises a complete document held in caller memory with jsmn
 * (count first, then exactly that many tokens from the arena) and decodes
 * strings in place.
 */
#ifndef HF_JSON_H
#define HF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* jsmn (Debian libjsmn-dev, or the SDK's component) in strict mode; its two functions are
 * renamed so that an application's own copy of jsmn cannot clash. Exactly one translation
 * unit (core/src/jsmn_impl.c) holds the implementation. */
#ifndef JSMN_STRICT
#define JSMN_STRICT
#endif
#define jsmn_init hf_priv_jsmn_init
#define jsmn_parse hf_priv_jsmn_parse
#ifndef HF_JSMN_IMPL
#define JSMN_HEADER
#endif
#include <jsmn.h>

#include "hf/hf_arena.h"
#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ output sink */

/** @brief Flush callback of an ::hf_out_t: take all `len` bytes or fail. */
typedef hf_status_t (*hf_out_flush_fn)(void *user, const uint8_t *data, size_t len);

/**
 * @brief A byte sink over a fixed buffer. Complete type; errors are sticky.
 * Counting mode (buf NULL, cap 0): nothing is stored, `total` counts.
 */
typedef struct hf_out {
    uint8_t *buf;           /**< caller's buffer (NULL in counting mode) */
    size_t cap;             /**< its size */
    size_t len;             /**< bytes waiting in buf */
    size_t total;           /**< bytes written since init */
    hf_out_flush_fn flush;  /**< NULL: a full buffer is HF_ERR_NO_MEMORY */
    void *user;             /**< passed to flush */
    hf_status_t err;        /**< first error, then every write fails with it */
} hf_out_t;

void hf_out_init(hf_out_t *o, uint8_t *buf, size_t cap, hf_out_flush_fn flush, void *user);
void hf_out_init_counting(hf_out_t *o);
hf_status_t hf_out_write(hf_out_t *o, const void *data, size_t len);
hf_status_t hf_out_puts(hf_out_t *o, const char *s);
/** @brief Hand buffered bytes to flush (no-op in counting mode or without flush). */
hf_status_t hf_out_flush(hf_out_t *o);

/* ------------------------------------------------------------------ writer */

/** @brief Streaming JSON writer: inserts commas and colons itself. */
typedef struct hf_jw {
    hf_out_t *out;
    uint64_t has_items;  /**< bit d set: container at depth d already has an element */
    uint8_t depth;
    bool after_key;
} hf_jw_t;

void hf_jw_init(hf_jw_t *w, hf_out_t *out);
hf_status_t hf_jw_begin_object(hf_jw_t *w);
hf_status_t hf_jw_end_object(hf_jw_t *w);
hf_status_t hf_jw_begin_array(hf_jw_t *w);
hf_status_t hf_jw_end_array(hf_jw_t *w);
/** @brief Write an object key (escaped). */
hf_status_t hf_jw_key(hf_jw_t *w, const char *key);
/** @brief Write a string value, escaping quote, backslash and every control character; UTF-8 passes through. */
hf_status_t hf_jw_string(hf_jw_t *w, const char *s, size_t len);
hf_status_t hf_jw_cstring(hf_jw_t *w, const char *s);
hf_status_t hf_jw_int(hf_jw_t *w, int64_t v);
/** @brief Shortest decimal that reads back as the same float. NaN/Inf are HF_ERR_INVALID_ARG. */
hf_status_t hf_jw_float(hf_jw_t *w, float v);
/** @brief Up to 17 significant digits. NaN/Inf are HF_ERR_INVALID_ARG. */
hf_status_t hf_jw_double(hf_jw_t *w, double v);
hf_status_t hf_jw_bool(hf_jw_t *w, bool v);
hf_status_t hf_jw_null(hf_jw_t *w);
/** @brief Write a value that already is JSON text, verbatim (caller guarantees validity). */
hf_status_t hf_jw_raw(hf_jw_t *w, const char *json, size_t len);

/* ------------------------------------------------------------------ reader */

/** @brief A tokenised document. `text` is the caller's mutable buffer (strings are decoded in place). */
typedef struct hf_json_doc {
    char *text;
    size_t len;
    jsmntok_t *tok;
    int ntok;
} hf_json_doc_t;

/**
 * @brief Tokenise `text[0..len)`: count tokens, take exactly that many from the arena, parse,
 * then check nesting depth <= HF_JSON_MAX_DEPTH.
 * `text` must have one writable byte after `len` (for NUL-terminating the last value).
 * @return HF_OK, HF_ERR_JSON_SYNTAX (invalid or incomplete JSON, or text that is not UTF-8:
 *         RFC 8259 section 8.1), HF_ERR_JSON_SHAPE (too deep),
 *         HF_ERR_NO_MEMORY (tokens do not fit; a->needed set).
 */
hf_status_t hf_json_parse(hf_json_doc_t *doc, char *text, size_t len, hf_arena_t *a);

/** @brief Index of the token after the whole subtree of token `i` (iterative, no recursion). */
int hf_json_next(const hf_json_doc_t *doc, int i);
/** @brief Value token of `key` in object token `obj`, or -1 (also when `obj` is not an object). */
int hf_json_get(const hf_json_doc_t *doc, int obj, const char *key);
/** @brief Token of element `idx` of array token `arr`, or -1. */
int hf_json_at(const hf_json_doc_t *doc, int arr, int idx);
bool hf_json_is_null(const hf_json_doc_t *doc, int i);
/** @brief True when token `i` is a string equal to `s` (raw comparison, no unescape). */
bool hf_json_eq(const hf_json_doc_t *doc, int i, const char *s);

/**
 * @brief Decode string token `i` in place (all escapes, \\uXXXX and surrogate pairs to UTF-8)
 * and NUL-terminate it. Idempotent: a token decoded once is returned as is.
 * @return HF_OK, HF_ERR_JSON_SHAPE (not a string), HF_ERR_JSON_SYNTAX (bad escape or lone surrogate).
 */
hf_status_t hf_json_str(hf_json_doc_t *doc, int i, const char **s, size_t *len);
hf_status_t hf_json_f64(const hf_json_doc_t *doc, int i, double *v);
hf_status_t hf_json_f32(const hf_json_doc_t *doc, int i, float *v);
/** @brief Integer value; a number with a fraction or exponent, or out of range, is HF_ERR_JSON_SHAPE. */
hf_status_t hf_json_i64(const hf_json_doc_t *doc, int i, int64_t *v);
hf_status_t hf_json_bool(const hf_json_doc_t *doc, int i, bool *v);
/** @brief Raw JSON text of the subtree of token `i`, NUL-terminated in place. */
hf_status_t hf_json_raw(hf_json_doc_t *doc, int i, const char **s, size_t *len);

/**
 * @brief Unescape the body of a JSON string (without quotes) into `dst` (may equal `src`).
 * @return decoded length, or -1 for an invalid escape / lone surrogate, a raw control byte or
 *         raw bytes that are not well-formed UTF-8.
 */
long hf_json_unescape(const char *src, size_t len, char *dst);

/** @brief Parse a JSON number text strictly (no heap, no locale). Correctly rounded for up to 19
 *  significant digits with a decimal exponent of magnitude <= 27 (every shortest form of a double
 *  in about 1e-11..1e30); elsewhere within a few ulps. */
hf_status_t hf_json_parse_double(const char *s, size_t len, double *v);

#ifdef __cplusplus
}
#endif
#endif /* HF_JSON_H */
