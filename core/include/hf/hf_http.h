/**
 * @file hf_http.h
 * @brief HTTP/1.1 response parser state (internal, public only so that
 *        ::hf_client_t is a complete type callers can make static).
 *
 * The parser is push-driven: bytes in any split go in, it calls back with
 * the header block and with body bytes (chunked framing removed), and it
 * says when the message is complete so the caller never waits for EOF.
 */
#ifndef HF_HTTP_H
#define HF_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_config.h"
#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How the body of a response is delimited. */
typedef enum hf_http_framing {
    HF_HTTP_FRAMING_NONE = 0,     /**< no body (1xx, 204, 304, HEAD) */
    HF_HTTP_FRAMING_LENGTH,       /**< Content-Length */
    HF_HTTP_FRAMING_CHUNKED,      /**< Transfer-Encoding: chunked */
    HF_HTTP_FRAMING_CLOSE         /**< until the peer closes */
} hf_http_framing_t;

struct hf_http_resp;

/** @brief Callbacks of the response parser. Any non-HF_OK return stops parsing with that status. */
typedef struct hf_http_cb {
    /** Header block of the final (non-1xx) response complete. */
    hf_status_t (*on_headers)(void *user, const struct hf_http_resp *r);
    /** Body bytes, framing removed; `data` points into the caller's buffer. */
    hf_status_t (*on_body)(void *user, const uint8_t *data, size_t len);
    void *user;
} hf_http_cb_t;

/** @brief Response parser state and the header values hfmicro uses. */
typedef struct hf_http_resp {
    /* results */
    int status;                                  /**< e.g. 200 */
    int version_minor;                           /**< 0 for HTTP/1.0, 1 for HTTP/1.1 */
    hf_http_framing_t framing;
    uint64_t content_length;                     /**< valid when framing is LENGTH */
    uint64_t body_received;                      /**< body bytes delivered so far */
    bool keep_alive;                             /**< connection may be reused after completion */
    bool complete;                               /**< the whole message has been parsed */
    bool saw_content_length;
    bool saw_transfer_encoding;
    uint32_t retry_after_s;                      /**< Retry-After in seconds (0 if absent) */
    char content_type[HF_HTTP_MAX_CONTENT_TYPE]; /**< as received, truncated to fit */
    char request_id[HF_REQUEST_ID_MAX];          /**< x-request-id */
    /* parser internals */
    uint8_t state;
    uint8_t chunk_state;
    bool head_request;                           /**< the request was HEAD: no body */
    bool line_overflow;                          /**< skipping the rest of an over-long unneeded header line */
    bool started;                                /**< at least one byte of the response arrived */
    bool te_chunked_last;                        /**< the last transfer coding seen is chunked */
    bool te_chunked_seen;                        /**< chunked appeared in Transfer-Encoding */
    bool te_unsupported;                         /**< a coding other than chunked/identity appeared */
    bool conn_close;                             /**< Connection: close */
    bool conn_keep_alive;                        /**< Connection: keep-alive (matters for HTTP/1.0) */
    bool chunk_digits;                           /**< the current chunk-size line has a digit */
    hf_status_t failed;                          /**< sticky status after a failure */
    uint64_t chunk_left;
    uint32_t head_bytes;                         /**< status/header/trailer bytes seen (bounded) */
    uint16_t head_lines;                         /**< status/header/trailer lines seen (bounded) */
    uint16_t chunk_line;                         /**< bytes of the current chunk-size line (bounded) */
    uint16_t line_len;
    char line[HF_HTTP_MAX_HEADER_LINE];
    char detail[112];                            /**< what was malformed, for hf_error_t */
} hf_http_resp_t;

#ifdef __cplusplus
}
#endif
#endif /* HF_HTTP_H */
