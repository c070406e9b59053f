/**
 * @file hf_lwip.h
 * @brief lwIP sockets transport (plain TCP) and an lwIP clock, for bare lwIP, FreeRTOS+lwIP and
 *        ESP-IDF. Needs an lwIP built with `LWIP_SOCKET` and `NO_SYS == 0`.
 *
 * @code
 * static hf_lwip_transport_t tcp;
 * hf_client_config_t cfg = {0};
 * cfg.transport = hf_lwip_transport(&tcp, NULL);   // NULL: numeric hosts, or lwIP DNS if built in
 * cfg.clock = hf_lwip_clock();
 * @endcode
 *
 * This header includes no lwIP or RTOS header: the state below is plain C, so an application can
 * hold it without lwIP's include paths. The port allocates nothing; lwIP's own pools are lwIP's.
 *
 * Name resolution, first match wins:
 * 1. a numeric IPv4 or IPv6 address (lwIP `ipaddr_aton`);
 * 2. the caller's hook hf_lwip_config_t.resolve, when set;
 * 3. `lwip_getaddrinfo`, when the lwIP build has `LWIP_DNS` (its wait is bounded by lwIP's own
 *    DNS retries, not by `timeout_ms`);
 * otherwise #HF_ERR_DNS.
 *
 * Waiting: `lwip_poll` when the build has `LWIP_SOCKET_POLL`, else `lwip_select` with
 * `LWIP_SOCKET_SELECT`, on a non-blocking socket, so every call returns within its `timeout_ms`.
 * With neither, the socket stays blocking and send/recv are bounded by SO_SNDTIMEO/SO_RCVTIMEO
 * (`LWIP_SO_SNDTIMEO`/`LWIP_SO_RCVTIMEO`); connect is then bounded by lwIP's SYN retries only.
 *
 * Mapping of outcomes to ::hf_status_t (the contract of hf_transport.h):
 * - connect: no address for the host is #HF_ERR_DNS; the handshake not done within `timeout_ms`
 *   is #HF_ERR_TIMEOUT; refused (lwIP reports ECONNRESET), unreachable, out of sockets are
 *   #HF_ERR_IO.
 * - send: bytes taken (> 0), 0 when nothing could be queued within `timeout_ms`, #HF_ERR_CLOSED
 *   when the connection is already closed (ENOTCONN, EPIPE), #HF_ERR_IO otherwise.
 * - recv: bytes (> 0, at most `cap`), 0 when nothing arrived within `timeout_ms` (0 = poll),
 *   #HF_ERR_CLOSED on an orderly close (FIN), #HF_ERR_IO for any error including a reset
 *   (a reset is not an orderly end, as in the POSIX port).
 * - native_error: the lwIP socket errno of the last failure (ETIMEDOUT for a timed-out connect;
 *   for DNS the `lwip_getaddrinfo` code, negated, or the resolver hook's status).
 * - describe: a short static text of the last failure ("connect refused or reset" ...).
 * TCP_NODELAY is set: requests go out in a few writes and must not wait for Nagle.
 * @note Calls block the calling thread (never the tcpip thread: do not call from lwIP callbacks).
 */
#ifndef HF_PORT_LWIP_H
#define HF_PORT_LWIP_H

#include <stdint.h>

#include "hf/hf_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief An IP address as plain bytes, so the header needs no lwIP type. */
typedef struct hf_lwip_addr {
    uint8_t family;    /**< 4 or 6 */
    uint8_t bytes[16]; /**< network byte order; IPv4 uses the first 4 */
} hf_lwip_addr_t;

/**
 * @brief A caller's resolver (e.g. a DNS client outside lwIP, a static table, mDNS).
 * @param[in]  user       hf_lwip_config_t.resolve_user
 * @param[in]  host       the name, NUL-terminated
 * @param[in]  timeout_ms the most it may block
 * @param[out] out        the address
 * @return HF_OK, or a negative status (HF_ERR_DNS, HF_ERR_TIMEOUT ...) returned by connect as is.
 */
typedef hf_status_t (*hf_lwip_resolve_fn)(void *user, const char *host, uint32_t timeout_ms,
                                          hf_lwip_addr_t *out);

/** @brief Port options. All-zero is valid (no hook). */
typedef struct hf_lwip_config {
    hf_lwip_resolve_fn resolve; /**< NULL: numeric hosts, then lwIP DNS if built in */
    void *resolve_user;
} hf_lwip_config_t;

/** @brief State of one lwIP TCP connection. Complete type: make it static. */
typedef struct hf_lwip_transport {
    int sock;              /**< lwIP socket, -1 when closed */
    int last_errno;        /**< see native_error in the file comment */
    const char *last_what; /**< static text of the last failure, "" when none */
    hf_lwip_config_t cfg;  /**< copy of the options */
} hf_lwip_transport_t;

/**
 * @brief Make a transport over `t` (which the caller owns and keeps alive while it is used).
 * @param[in,out] t   connection state (sock set to -1)
 * @param[in]     cfg options, copied; NULL for none
 * @return the transport (ctx = t)
 */
hf_transport_t hf_lwip_transport(hf_lwip_transport_t *t, const hf_lwip_config_t *cfg);

/** @brief lwIP's `sys_now()` as the clock and `sys_msleep()` as its sleep. */
hf_clock_t hf_lwip_clock(void);

#ifdef __cplusplus
}
#endif
#endif /* HF_PORT_LWIP_H */
