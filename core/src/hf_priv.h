/*
 * Private interfaces between the layers of core/ (not installed, not on the
 * include path users get). Layers, top to bottom:
 *   tasks (tasks/<family>.c) -> codec (codec.c, json_read.c, json_write.c, sse.c) -> client (client.c, url.c)
 *   -> http (http.c) -> port (hf_transport_t)
 * A layer calls only the one below it and is called back through the callbacks it declared.
 */
#ifndef HF_PRIV_H
#define HF_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_arena.h"
#include "hf/hf_blob.h"
#include "hf/hf_client.h"
#include "hf/hf_codec.h"
#include "hf/hf_http.h"
#include "hf/hf_json.h"
#include "hf/hf_sse.h"
#include "hf/hf_status.h"

/* Keeps a helper with big locals out of its caller's frame: the stack a call needs is then the
 * deepest chain of frames, not the sum of everything the optimiser inlined into one. */
#if defined(__GNUC__) || defined(__clang__)
#define HF_PRIV_NOINLINE __attribute__((noinline))
#else
#define HF_PRIV_NOINLINE
#endif

/* ------------------------------------------------------------------ misc */

/** Set err->status and a printf-free message made of up to three parts (NULLs skipped). */
void hf_priv_error_set(hf_error_t *err, hf_status_t st, const char *a, const char *b, const char *c);
/** Copy `s[0..n)` into dst (cap bytes, NUL-terminated); returns 1 when truncated. */
int hf_priv_strlcpy(char *dst, size_t cap, const char *s, size_t n);
/** Append unsigned decimal to dst (cap incl. NUL). */
void hf_priv_append_u64(char *dst, size_t cap, uint64_t v);
/** ASCII case-insensitive compare of n bytes. */
bool hf_priv_ieq(const char *a, const char *b, size_t n);

/** Contiguous growable region at the top of the arena: pointer and how much is free. */
uint8_t *hf_priv_arena_top(hf_arena_t *a, size_t *avail);
/** Keep `n` bytes written at the top (n <= avail). */
void hf_priv_arena_commit(hf_arena_t *a, size_t n);

/** hf_json_parse() with the tokens taken from `spare` when they fit there (an idle buffer
 *  lent for the tokens' lifetime), else from `a`. */
hf_status_t hf_priv_json_parse_spare(hf_json_doc_t *doc, char *text, size_t len, hf_arena_t *a,
                                     hf_arena_t *spare);

/** Length (1..4) of the well-formed UTF-8 sequence starting s[0..n) (RFC 3629 section 4: no
 *  overlong form, surrogate, code point above U+10FFFF or missing continuation), 0 when none. */
size_t hf_priv_utf8_seq(const char *s, size_t n);
/** UTF-8 of code point cp (at most U+10FFFF, not a surrogate) into dst when not NULL; returns
 *  its length (1..4). */
size_t hf_priv_utf8_put(char *dst, uint32_t cp);
/** After hf_json_parse() failed with `st` on text[0..len): when st is HF_ERR_JSON_SYNTAX and the
 *  text is not UTF-8, append ": invalid UTF-8 at byte N" (N: the first bad sequence's offset)
 *  to err->message. */
void hf_priv_json_explain(hf_error_t *err, hf_status_t st, const char *text, size_t len);
/** Index of the first byte of s[i..len) that a JSON string body cannot take: its closing quote,
 *  a bad escape, a raw control byte or invalid UTF-8 (len when none). Whether a \u surrogate is
 *  paired, and \u0000, are left to hf_json_str(). */
size_t hf_priv_json_str_body(const char *s, size_t len, size_t i);
/** RFC 8259 grammar and UTF-8 of the whole text[0..len), nesting at most HF_JSON_MAX_DEPTH:
 *  HF_OK, HF_ERR_JSON_SYNTAX or HF_ERR_JSON_SHAPE (too deep). */
hf_status_t hf_priv_json_validate(const char *text, size_t len);
/** True when `s[0..len)` is exactly one JSON number (RFC 8259 grammar). */
bool hf_priv_json_number_ok(const char *s, size_t len);
/** The text of primitive token `i` (number, true, false, null) and its length, or NULL. */
const char *hf_priv_json_prim(const hf_json_doc_t *doc, int i, size_t *n);

/* ------------------------------------------------------------------ http */

/** Control bytes (other than TAB) in `s[0..n)`: never legitimate in a header line. */
bool hf_priv_http_has_ctl(const char *s, size_t n);
/** Write the request head: method, path, Host, headers, Content-Length (or none when body_len < 0). */
hf_status_t hf_priv_http_write_head(hf_out_t *o, const char *method, const char *host, uint16_t port,
                                    bool default_port, const char *path, const char *token,
                                    const char *user_agent, const char *content_type,
                                    const char *accept, long long body_len);

void hf_priv_http_resp_init(hf_http_resp_t *r, bool head_request);
/**
 * Feed bytes. Consumes all of them unless the message completes first; *used says how many.
 * Body bytes are decoded (chunked framing removed) in place and passed to cb->on_body.
 * Returns HF_OK (check r->complete), HF_ERR_PROTOCOL (detail in r->detail), or a callback's status.
 */
hf_status_t hf_priv_http_resp_feed(hf_http_resp_t *r, uint8_t *data, size_t len, size_t *used,
                                   const hf_http_cb_t *cb);
/** The peer closed. HF_OK when that ends a close-delimited body; HF_ERR_TRUNCATED otherwise (detail set).
 *  `clean` is false for a TLS close without close_notify (recv gave HF_ERR_TRUNCATED): that cannot
 *  end an HTTP/1.1 close-delimited body (RFC 2818 2.2.2); an HTTP/1.0 one still ends. */
hf_status_t hf_priv_http_resp_eof(hf_http_resp_t *r, bool clean);

/* ------------------------------------------------------------------ sse */

void hf_priv_sse_init(hf_sse_t *s, char *buf, size_t cap, hf_sse_event_fn on_event, void *user);
/** Push bytes; dispatches each complete event. Returns HF_OK, HF_ERR_SSE_EVENT_TOO_LARGE or the callback's status. */
hf_status_t hf_priv_sse_feed(hf_sse_t *s, const uint8_t *data, size_t len);
/** End of body: dispatches a pending event that had data but no blank line. */
hf_status_t hf_priv_sse_finish(hf_sse_t *s);

/* ------------------------------------------------------------------ url */

/** How a task is routed (PROTOCOL.md 1.2). */
typedef enum hf_route {
    HF_ROUTE_MODEL = 0,            /**< {base}/{provider}/models/{id} */
    HF_ROUTE_PIPELINE_FEATURE,     /**< .../models/{id}/pipeline/feature-extraction */
    HF_ROUTE_PIPELINE_SIMILARITY,  /**< .../models/{id}/pipeline/sentence-similarity */
    HF_ROUTE_CHAT                  /**< .../v1/chat/completions, provider rules, URL suffix rules */
} hf_route_t;

/**
 * Build the request URL for `model` (Hub id, "id:provider" for the auto router, or a full
 * http(s) URL) into dst. Chat with provider "auto" goes to {base}/v1/chat/completions.
 * Returns HF_OK, HF_ERR_INVALID_ARG (empty model), HF_ERR_NO_MEMORY (does not fit).
 */
hf_status_t hf_priv_url_build(char *dst, size_t cap, const char *base_url, const char *provider,
                              const char *model, hf_route_t route);

/** Split an absolute http(s) URL. host is copied NUL-terminated; *path points into url ("/" if none). */
hf_status_t hf_priv_url_split(const char *url, bool *tls, char *host, size_t host_cap, uint16_t *port,
                              const char **path);

/* ------------------------------------------------------------------ client */

/** Receives a 2xx response. Non-2xx responses never reach it: they become errors. */
typedef struct hf_sink {
    /** Headers of a 2xx response arrived (content_type may be ""). */
    hf_status_t (*on_start)(void *user, int status, const char *content_type);
    hf_status_t (*on_data)(void *user, const uint8_t *data, size_t len);
    /** The body is complete (framing said so, or close-delimited EOF). */
    hf_status_t (*on_end)(void *user);
    void *user;
} hf_sink_t;

typedef struct hf_request {
    const char *method;         /**< "POST" or "GET" */
    const char *url;            /**< absolute URL (from hf_priv_url_build) */
    const char *content_type;   /**< of the body; NULL without body */
    const char *accept;         /**< NULL: none */
    /** Writes the body; called once in counting mode for Content-Length, then for real (and again per retry). */
    hf_status_t (*write_body)(void *user, hf_out_t *out);
    void *body_user;
    hf_sink_t sink;
    hf_arena_t *arena;          /**< scratch for error bodies (rewound after) */
} hf_request_t;

/**
 * Run one request: connect or reuse, send, parse, retry on 503-loading/429 within the
 * configured bounds, map errors into c->err. The sink sees only the final 2xx response.
 */
hf_status_t hf_priv_client_execute(hf_client_t *c, const hf_request_t *req);

/**
 * Parse an error body (any shape of PROTOCOL.md 5.2, or text/HTML) into err->message,
 * err->error_type, err->estimated_time_s. Uses the arena for tokens (rewound before return).
 * `body` needs one writable byte after `len` (JSON strings are decoded and NUL-terminated in place).
 * An empty body gives "HTTP <err->http_status>". Returns true when the body carried an
 * `estimated_time` (a 503 "model loading", even when the estimate is 0).
 */
bool hf_priv_error_from_body(hf_error_t *err, char *body, size_t len, bool is_json, hf_arena_t *a);

/* ------------------------------------------------------------------ task runner (tasks/common.c) */

/** Describes the request body of a task call. */
typedef struct hf_task_body {
    const hf_type_t *type;     /**< input type table; encoded with hf_codec_encode */
    const void *obj;           /**< the input struct */
    /** Optional: replaces the codec for bodies that are not one table (NULL = use type/obj). */
    hf_status_t (*write)(void *user, hf_out_t *out);
    void *user;
    /** Content-Type of the body; NULL = "application/json" (raw media uploads set theirs). */
    const char *content_type;
} hf_task_body_t;

/**
 * One-shot JSON task: build the URL, send the body, accumulate the 2xx JSON body in the
 * arena (HF_ERR_NO_MEMORY with err.needed when it does not fit), tokenise it.
 * A non-JSON 2xx body is HF_ERR_JSON_SHAPE. On return *root is the root token (0).
 * The tokens may sit in the client's I/O buffer (idle once the response is complete): decode
 * `doc` before the next call on this client.
 */
hf_status_t hf_priv_task_json(hf_client_t *c, const char *model, hf_route_t route,
                              const hf_task_body_t *body, hf_arena_t *a, hf_json_doc_t *doc);

/** Called per JSON stream event (already checked not to be an error event). Non-HF_OK stops. */
typedef hf_status_t (*hf_task_event_fn)(void *user, hf_json_doc_t *doc);

/**
 * Streaming task: the response must be text/event-stream (a JSON 2xx body is HF_ERR_JSON_SHAPE
 * unless it is an error object, then HF_ERR_SERVER_EVENT). One event buffer of HF_SSE_MAX_EVENT
 * bytes comes from the arena; per event the arena is rewound, so the peak does not grow with
 * the stream. `[DONE]` ends the stream; an event whose object has an "error" key (string with
 * error_type, or object with message/http_status_code) ends it with HF_ERR_SERVER_EVENT and the
 * detail in c->err. A body that ends before its framing said so is HF_ERR_TRUNCATED.
 */
hf_status_t hf_priv_task_stream(hf_client_t *c, const char *model, hf_route_t route,
                                const hf_task_body_t *body, hf_arena_t *a, hf_task_event_fn on_event,
                                void *user);

/** Root result unwrapping (PROTOCOL 3 quirks): if token `i` is an array, return its first element
 *  (HF_ERR_EMPTY_RESULT when empty), else `i`. */
hf_status_t hf_priv_unwrap_first(const hf_json_doc_t *doc, int i, int *out);

/* ------------------------------------------------------------------ base64 and blobs (base64.c) */

/** Streaming base64 encoder state: the 0..2 bytes not yet encoded, kept across writes. */
typedef struct hf_priv_b64 {
    uint8_t carry[3];
    uint8_t n;
} hf_priv_b64_t;

/** Length of the padded base64 text of n bytes; (size_t)-1 when that overflows. */
size_t hf_priv_b64_len(size_t n);
void hf_priv_b64_init(hf_priv_b64_t *e);
/** Encode `data[0..len)` into o; pieces of any size give the same text as one piece. */
hf_status_t hf_priv_b64_write(hf_priv_b64_t *e, hf_out_t *o, const uint8_t *data, size_t len);
/** Encode the pending bytes with their padding. */
hf_status_t hf_priv_b64_finish(hf_priv_b64_t *e, hf_out_t *o);
/**
 * Decode standard base64 in place (RFC 4648 section 4) strictly: length a multiple of 4,
 * '=' padding only at the end (at most 2), zero bits under the padding, no whitespace or
 * any other byte (JSON escapes are undone before, by the JSON reader). Empty input is OK.
 * Returns HF_OK (*out_len decoded bytes at buf) or HF_ERR_JSON_SHAPE (*why says what).
 */
hf_status_t hf_priv_b64_decode(uint8_t *buf, size_t len, size_t *out_len, const char **why);

/** A source is set (`data` or `read`). */
bool hf_priv_blob_present(const hf_blob_t *b);
/** Exactly one source, and a length > 0 (what a task call needs). */
bool hf_priv_blob_valid(const hf_blob_t *b);
/** data_len or total_len. */
size_t hf_priv_blob_len(const hf_blob_t *b);
/** The bytes as they are. A counting sink gets the length only (the reader is not called);
 *  otherwise the reader is rewound (when it can be) and read into o's buffer directly. */
hf_status_t hf_priv_blob_write_raw(const hf_blob_t *b, hf_out_t *o);
/** The bytes as a quoted base64 JSON string, streamed through o (counting: length only). */
hf_status_t hf_priv_blob_write_b64(const hf_blob_t *b, hf_out_t *o);
/** Codec hooks of a field that is an hf_blob_t: a base64 string, decoded in place. */
extern const hf_custom_t hf_priv_blob_b64_hooks;

#endif /* HF_PRIV_H */
