/**
 * @file hf_transport.h
 * @brief The seam between hfmicro and a network stack, and the injected clock.
 *
 * Contract (every port MUST follow it):
 * - `connect` MUST return #HF_OK or a negative ::hf_status_t (#HF_ERR_DNS,
 *   #HF_ERR_TIMEOUT, #HF_ERR_IO, #HF_ERR_TLS, #HF_ERR_CERTIFICATE ...) within `timeout_ms`.
 * - `send` MUST return the number of bytes taken (> 0), 0 when nothing could be
 *   sent within `timeout_ms` (the caller retries until its own deadline), or a
 *   negative ::hf_status_t. Partial sends are allowed.
 * - `recv` MUST return the number of bytes stored (> 0, at most `cap`), 0 when
 *   nothing arrived within `timeout_ms`, #HF_ERR_CLOSED when the peer closed
 *   the connection cleanly (TCP FIN on plain TCP, which has no closure alert;
 *   TLS close_notify), #HF_ERR_TRUNCATED when a TLS peer closed without
 *   close_notify (indistinguishable from a truncation attack, RFC 2818 2.2.2:
 *   the client then refuses an HTTP/1.1 body delimited by the close), or another
 *   negative ::hf_status_t. It MUST NEVER return 0 for a closed peer.
 *   `timeout_ms` 0 means "poll": return at once.
 * - `close` MUST be safe to call on a closed or never-connected transport.
 * - `native_error` MAY be NULL; otherwise it returns the last native error
 *   (errno, mbedTLS code, lwIP err_t) for hf_error_t.native.
 * - `describe` MAY be NULL; otherwise it returns a short, static or ctx-owned,
 *   NUL-terminated text of the last failure (e.g. "certificate expired"), which
 *   the client copies into hf_error_t.message when a transport call failed.
 * A transport is used by one client at a time; `ctx` is the port's state.
 */
#ifndef HF_TRANSPORT_H
#define HF_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A byte-stream transport (TCP, TLS over TCP, a test fake ...). */
typedef struct hf_transport {
    hf_status_t (*connect)(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms);
    int (*send)(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms);
    int (*recv)(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms);
    void (*close)(void *ctx);
    int32_t (*native_error)(void *ctx);
    const char *(*describe)(void *ctx);
    void *ctx;
} hf_transport_t;

/**
 * @brief Monotonic time and an optional sleep, injected by the application.
 * `now_ms` is required (it may wrap; hfmicro compares with unsigned differences).
 * `sleep_ms` may be NULL: then no retry that needs a wait is attempted.
 */
typedef struct hf_clock {
    uint32_t (*now_ms)(void *user);
    void (*sleep_ms)(void *user, uint32_t ms);
    void *user;
} hf_clock_t;

#ifdef __cplusplus
}
#endif
#endif /* HF_TRANSPORT_H */
