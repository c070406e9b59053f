/**
 * @file hf_status.h
 * @brief Status codes and call-level error detail.
 *
 * Every fallible call returns an ::hf_status_t. #HF_OK is zero; every error
 * is negative so that transports can return an `int` that is either a byte
 * count (> 0), 0 ("nothing yet, try again") or a negative ::hf_status_t.
 */
#ifndef HF_STATUS_H
#define HF_STATUS_H

#include <stdint.h>
#include <stddef.h>

#include "hf/hf_config.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define HF_MUST_CHECK __attribute__((warn_unused_result))
#else
#define HF_MUST_CHECK
#endif

/** @brief Result of every fallible hfmicro call. Errors only, no states. */
typedef enum hf_status {
    HF_OK = 0,                       /**< success */
    HF_ERR_INVALID_ARG = -1,         /**< a caller argument is NULL, empty or out of range */
    HF_ERR_NO_MEMORY = -2,           /**< an arena or caller buffer is too small (hf_error_t.needed: a lower bound) */
    HF_ERR_IO = -3,                  /**< the transport failed to send or receive (hf_error_t.native has the port's code) */
    HF_ERR_TIMEOUT = -4,             /**< a connect, first-byte, idle or total deadline passed */
    HF_ERR_CLOSED = -5,              /**< the peer closed the connection */
    HF_ERR_DNS = -6,                 /**< the host name could not be resolved */
    HF_ERR_TLS = -7,                 /**< TLS handshake or record failure */
    HF_ERR_CERTIFICATE = -8,         /**< the server certificate was not accepted */
    HF_ERR_HTTP_STATUS = -9,         /**< the server answered a non-2xx status (hf_error_t.http_status, .message) */
    HF_ERR_PROTOCOL = -10,           /**< malformed HTTP: status line, header, chunk framing */
    HF_ERR_TRUNCATED = -11,          /**< the connection ended before the body or stream was complete (from a TLS transport's recv: closed without close_notify) */
    HF_ERR_JSON_SYNTAX = -12,        /**< the body is not valid JSON (or a string escape is invalid) */
    HF_ERR_JSON_SHAPE = -13,         /**< valid JSON that does not have the expected shape or types */
    HF_ERR_EMPTY_RESULT = -14,       /**< the server returned an empty result (e.g. `[]`) */
    HF_ERR_SSE_EVENT_TOO_LARGE = -15,/**< one SSE event exceeds the event buffer (HF_SSE_MAX_EVENT) */
    HF_ERR_MODEL_LOADING = -16,      /**< 503 with `estimated_time`: the model is still loading */
    HF_ERR_RATE_LIMITED = -17,       /**< 429: too many requests (hf_error_t.retry_after_s) */
    HF_ERR_SERVER_EVENT = -18,       /**< an error event arrived inside a 200 stream */
    HF_ERR_ABORTED = -19,            /**< a caller callback returned non-zero */
    HF_ERR_UNSUPPORTED = -20         /**< the request or response uses something hfmicro does not do */
} hf_status_t;

/** @brief Stable name of a status, e.g. "HF_ERR_TIMEOUT". Never NULL. */
const char *hf_status_str(hf_status_t status);

/**
 * @brief Detail of the last failed call on a client.
 *
 * Filled by the client on every failure; reset at the start of every call.
 * All strings are NUL-terminated and truncated to their buffers (the
 * `message_truncated` flag says so); they never contain the token.
 */
typedef struct hf_error {
    hf_status_t status;        /**< the status the call returned */
    int http_status;           /**< HTTP status code, 0 when none was received */
    int32_t native;            /**< port-level error (errno, mbedTLS or lwIP code), 0 when none */
    double estimated_time_s;   /**< 503 model loading: the server's estimate in seconds, else 0 */
    uint32_t retry_after_s;    /**< 429: Retry-After seconds, else 0 */
    size_t needed;             /**< HF_ERR_NO_MEMORY: what the step that failed needed (bytes), 0 if unknown;
                                    a lower bound for the call: the steps after it may need more */
    uint8_t message_truncated; /**< 1 when `message` was cut to fit */
    char message[HF_ERROR_MESSAGE_MAX];    /**< server message, or hfmicro's own description */
    char error_type[HF_ERROR_TYPE_MAX];    /**< server `error_type`, e.g. "validation" */
    char request_id[HF_REQUEST_ID_MAX];    /**< `x-request-id` response header */
} hf_error_t;

/** @brief Clear an error record (status HF_OK, empty strings). */
void hf_error_clear(hf_error_t *err);

#ifdef __cplusplus
}
#endif
#endif /* HF_STATUS_H */
