/**
 * @file hf_posix.h
 * @brief POSIX sockets transport (plain TCP) and monotonic clock for Linux, macOS and other hosts.
 *
 * @code
 * static hf_posix_transport_t tcp;
 * hf_client_config_t cfg = {0};
 * cfg.transport = hf_posix_transport(&tcp);
 * cfg.clock = hf_posix_clock();
 * @endcode
 *
 * Mapping of outcomes to ::hf_status_t (the contract of hf_transport.h):
 * - connect: name resolution failure (getaddrinfo) is #HF_ERR_DNS; no address answered within
 *   `timeout_ms` is #HF_ERR_TIMEOUT; refused/unreachable is #HF_ERR_IO (errno in native_error).
 * - send: bytes taken (> 0), 0 when the socket did not become writable within `timeout_ms`,
 *   #HF_ERR_CLOSED for EPIPE (peer gone), #HF_ERR_IO otherwise. SIGPIPE is never raised
 *   (MSG_NOSIGNAL, or SO_NOSIGPIPE where that is what the system has).
 * - recv: bytes (> 0), 0 when nothing arrived within `timeout_ms` (0 = poll),
 *   #HF_ERR_CLOSED on an orderly close (recv returned 0), #HF_ERR_IO for every error
 *   including ECONNRESET (a reset is not an orderly end: a close-delimited body must not be
 *   reported complete after it); native_error then returns the errno.
 * - describe: a short text of the last failure, made here without strerror (not thread-safe):
 *   "connection refused (errno 111)", "connection reset by peer (errno 104)", "no route to
 *   host (errno 113)", "timed out (errno 110)", ... ("socket error (errno N)" for the rest),
 *   or "name not resolved: " and getaddrinfo's own words (gai_strerror) for #HF_ERR_DNS.
 * EINTR is retried inside every call. TCP_NODELAY is set: requests go out in a few writes and
 * must not wait for Nagle.
 */
#ifndef HF_PORT_POSIX_H
#define HF_PORT_POSIX_H

#include <stdint.h>

#include "hf/hf_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief State of one POSIX TCP connection. Zero-initialise or let hf_posix_transport() do it. */
typedef struct hf_posix_transport {
    int fd;         /**< socket, -1 when closed */
    int last_errno; /**< errno of the last failure (or the getaddrinfo code, negated, for DNS) */
    int last_gai;   /**< getaddrinfo's code when the last failure was name resolution, else 0 */
    char text[80];  /**< describe()'s text, rebuilt at each describe() call */
} hf_posix_transport_t;

/**
 * @brief Make a transport over `t` (which the caller owns and keeps alive while it is used).
 * Sets `t->fd = -1`. Blocking behaviour: every call waits at most its `timeout_ms`.
 * @param[in,out] t connection state
 * @return the transport (ctx = t)
 */
hf_transport_t hf_posix_transport(hf_posix_transport_t *t);

/**
 * @brief CLOCK_MONOTONIC in milliseconds (wraps after ~49 days; the client compares with
 * unsigned differences) and a nanosleep-based sleep.
 */
hf_clock_t hf_posix_clock(void);

#ifdef __cplusplus
}
#endif
#endif /* HF_PORT_POSIX_H */
