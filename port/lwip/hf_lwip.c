/* lwIP sockets transport and clock (contract: hf_transport.h; mapping: hf_lwip.h). */
#if defined(__unix__) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* lwIP's unix port takes ssize_t/SSIZE_MAX from POSIX headers */
#endif
#include "hf/port/hf_lwip.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/errno.h"
#include "lwip/inet.h"
#include "lwip/ip_addr.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#if LWIP_DNS
#include "lwip/netdb.h"
#endif

#if !LWIP_SOCKET
#error "hfmicro's lwIP port needs an lwIP built with LWIP_SOCKET"
#endif

/* How a call waits: poll, select, or (neither) a blocking call bounded by the socket timeouts. */
#if LWIP_SOCKET_POLL
#define HF_LWIP_WAIT_POLL 1
#elif LWIP_SOCKET_SELECT
#define HF_LWIP_WAIT_SELECT 1
#elif LWIP_SO_RCVTIMEO && LWIP_SO_SNDTIMEO
#define HF_LWIP_WAIT_TIMEO 1
#else
#error "hfmicro's lwIP port needs LWIP_SOCKET_POLL, LWIP_SOCKET_SELECT or LWIP_SO_RCVTIMEO+LWIP_SO_SNDTIMEO"
#endif

#ifndef ETIMEDOUT
#define ETIMEDOUT 110 /* lwIP's own errno table has it; a foreign errno.h might not */
#endif

typedef union {
    struct sockaddr sa;
    struct sockaddr_in in4;
#if LWIP_IPV6
    struct sockaddr_in6 in6;
#endif
} sock_addr_t;

static int fail(hf_lwip_transport_t *t, int native, const char *what, int status)
{
    t->last_errno = native;
    t->last_what = what;
    return status;
}

/* The errnos lwIP's err_to_errno() gives a socket call; anything else keeps the caller's words.
 * (lwIP reports a refused connect as ECONNRESET: the peer's RST.) */
static const char *sock_text(int e, const char *fallback)
{
    switch (e) {
    case ECONNRESET: return "connection refused or reset by the peer";
    case ECONNABORTED: return "connection aborted";
    case EHOSTUNREACH: return "no route to host";
    case ETIMEDOUT: return "timed out";
    case ENOMEM: return "out of memory (lwIP pools)";
    case ENOBUFS: return "no buffer space (lwIP pbufs)";
    default: return fallback;
    }
}

static void do_close(hf_lwip_transport_t *t)
{
    if (t->sock >= 0) {
        (void)lwip_close(t->sock);
        t->sock = -1;
    }
}

/* ------------------------------------------------------------------ waiting */

#if HF_LWIP_WAIT_TIMEO
/* No poll or select: the retry blocks, bounded by the socket timeout set here. */
static int wait_sock(int s, bool for_write, uint32_t timeout_ms)
{
    int rc;
#if LWIP_SO_SNDRCVTIMEO_NONSTANDARD
    int tv = timeout_ms > (uint32_t)INT_MAX ? INT_MAX : (int)timeout_ms;
#else
    struct timeval tv;
    tv.tv_sec = (long)(timeout_ms / 1000u);
    tv.tv_usec = (long)(timeout_ms % 1000u) * 1000L;
#endif
    if (timeout_ms == 0u) {
        return 0;
    }
    rc = lwip_setsockopt(s, SOL_SOCKET, for_write ? SO_SNDTIMEO : SO_RCVTIMEO, &tv, (socklen_t)sizeof tv);
    return rc == 0 ? 1 : -1;
}
#define HF_LWIP_RETRY_FLAGS 0 /* the retry is the wait */
#else
/* 1 ready (or failed: the next call says how), 0 timed out, <0 error with errno set. */
static int wait_sock(int s, bool for_write, uint32_t timeout_ms)
{
#if HF_LWIP_WAIT_POLL
    struct pollfd p;
    p.fd = s;
    p.events = for_write ? POLLOUT : POLLIN;
    p.revents = 0;
    return lwip_poll(&p, 1, timeout_ms > (uint32_t)INT_MAX ? INT_MAX : (int)timeout_ms);
#else
    fd_set set;
    struct timeval tv;
    FD_ZERO(&set);
    FD_SET(s, &set);
    tv.tv_sec = (long)(timeout_ms / 1000u);
    tv.tv_usec = (long)(timeout_ms % 1000u) * 1000L;
    return lwip_select(s + 1, for_write ? NULL : &set, for_write ? &set : NULL, NULL, &tv);
#endif
}
#define HF_LWIP_RETRY_FLAGS MSG_DONTWAIT
#endif

static uint32_t left_of(uint32_t start, uint32_t timeout_ms)
{
    uint32_t spent = (uint32_t)sys_now() - start;
    return spent >= timeout_ms ? 0u : timeout_ms - spent;
}

/* ------------------------------------------------------------------ names */

static bool numeric(const char *host, hf_lwip_addr_t *out)
{
    ip_addr_t ip;
    u32_t v4;
    if (!ipaddr_aton(host, &ip)) {
        return false;
    }
#if LWIP_IPV6
    if (IP_IS_V6(&ip)) {
        out->family = 6;
        memcpy(out->bytes, ip_2_ip6(&ip)->addr, 16);
        return true;
    }
#endif
    v4 = ip4_addr_get_u32(ip_2_ip4(&ip)); /* already in network order */
    out->family = 4;
    memcpy(out->bytes, &v4, 4);
    return true;
}

#if LWIP_DNS
static hf_status_t dns_lookup(hf_lwip_transport_t *t, const char *host, hf_lwip_addr_t *out)
{
    struct addrinfo hints, *res = NULL;
    hf_status_t st = HF_ERR_DNS;
    int rc;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = lwip_getaddrinfo(host, NULL, &hints, &res);
    if (rc != 0 || res == NULL) {
        return (hf_status_t)fail(t, -rc, "name not resolved (lwIP DNS)", HF_ERR_DNS);
    }
    if (res->ai_family == AF_INET) {
        out->family = 4;
        memcpy(out->bytes, &((const struct sockaddr_in *)(const void *)res->ai_addr)->sin_addr, 4);
        st = HF_OK;
    }
#if LWIP_IPV6
    else if (res->ai_family == AF_INET6) {
        out->family = 6;
        memcpy(out->bytes, &((const struct sockaddr_in6 *)(const void *)res->ai_addr)->sin6_addr, 16);
        st = HF_OK;
    }
#endif
    lwip_freeaddrinfo(res);
    return st == HF_OK ? HF_OK : (hf_status_t)fail(t, 0, "no usable address (lwIP DNS)", HF_ERR_DNS);
}
#endif

static hf_status_t resolve(hf_lwip_transport_t *t, const char *host, uint32_t timeout_ms, hf_lwip_addr_t *out)
{
    hf_status_t st;
    if (numeric(host, out)) {
        return HF_OK;
    }
    if (t->cfg.resolve != NULL) {
        memset(out, 0, sizeof *out);
        st = t->cfg.resolve(t->cfg.resolve_user, host, timeout_ms, out);
        if (st != HF_OK) {
            return (hf_status_t)fail(t, (int)st, "the resolver hook failed", st < 0 ? st : HF_ERR_DNS);
        }
        return out->family == 4 || out->family == 6
                   ? HF_OK
                   : (hf_status_t)fail(t, 0, "the resolver hook gave no IPv4/IPv6 address", HF_ERR_DNS);
    }
#if LWIP_DNS
    return dns_lookup(t, host, out);
#else
    return (hf_status_t)fail(t, 0, "not a numeric address, and no resolver (lwIP built without DNS)",
                             HF_ERR_DNS);
#endif
}

/* ------------------------------------------------------------------ connect */

static hf_status_t make_sockaddr(hf_lwip_transport_t *t, const hf_lwip_addr_t *a, uint16_t port,
                                 sock_addr_t *sa, socklen_t *len)
{
    memset(sa, 0, sizeof *sa);
    if (a->family == 4) {
        IP4ADDR_SOCKADDR_SET_LEN(&sa->in4);
        sa->in4.sin_family = AF_INET;
        sa->in4.sin_port = lwip_htons(port);
        memcpy(&sa->in4.sin_addr, a->bytes, 4);
        *len = (socklen_t)sizeof sa->in4;
        return HF_OK;
    }
#if LWIP_IPV6
    (void)t;
    IP6ADDR_SOCKADDR_SET_LEN(&sa->in6);
    sa->in6.sin6_family = AF_INET6;
    sa->in6.sin6_port = lwip_htons(port);
    memcpy(&sa->in6.sin6_addr, a->bytes, 16);
    *len = (socklen_t)sizeof sa->in6;
    return HF_OK;
#else
    (void)port;
    return (hf_status_t)fail(t, 0, "IPv6 address, but lwIP is built without IPv6", HF_ERR_IO);
#endif
}

/* Wait for a non-blocking connect and read its outcome from SO_ERROR. */
static hf_status_t finish_connect(hf_lwip_transport_t *t, int s, uint32_t timeout_ms)
{
    int soerr = 0, rc = wait_sock(s, true, timeout_ms);
    socklen_t sl = (socklen_t)sizeof soerr;
    if (rc == 0) {
        return (hf_status_t)fail(t, ETIMEDOUT, "connect timed out", HF_ERR_TIMEOUT);
    }
    if (rc < 0) {
        return (hf_status_t)fail(t, errno, "waiting for connect failed", HF_ERR_IO);
    }
    if (lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
        return (hf_status_t)fail(t, errno, "connect outcome unknown", HF_ERR_IO);
    }
    return soerr == 0 ? HF_OK
                      : (hf_status_t)fail(t, soerr, sock_text(soerr, "connect refused or reset"), HF_ERR_IO);
}

static hf_status_t open_sock(hf_lwip_transport_t *t, const sock_addr_t *sa, socklen_t len,
                             uint32_t timeout_ms)
{
    int one = 1, rc;
    int s = lwip_socket(sa->sa.sa_family, SOCK_STREAM, IPPROTO_TCP);
    if (s < 0) {
        return (hf_status_t)fail(t, errno, "no lwIP socket (MEMP_NUM_NETCONN?)", HF_ERR_IO);
    }
    t->sock = s;
#if !HF_LWIP_WAIT_TIMEO
    if (lwip_fcntl(s, F_SETFL, O_NONBLOCK) != 0) {
        return (hf_status_t)fail(t, errno, "cannot make the socket non-blocking", HF_ERR_IO);
    }
#endif
    rc = lwip_connect(s, &sa->sa, len);
    if (rc != 0 && errno != EINPROGRESS) {
        return (hf_status_t)fail(t, errno, sock_text(errno, "connect refused or unreachable"), HF_ERR_IO);
    }
    if (rc != 0) {
        hf_status_t st = finish_connect(t, s, timeout_ms);
        if (st != HF_OK) {
            return st;
        }
    }
    (void)lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, (socklen_t)sizeof one);
    return HF_OK;
}

static hf_status_t lw_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    hf_lwip_transport_t *t = (hf_lwip_transport_t *)ctx;
    uint32_t start = (uint32_t)sys_now(), left;
    hf_lwip_addr_t addr;
    sock_addr_t sa;
    socklen_t len = 0;
    hf_status_t st;

    do_close(t);
    t->last_errno = 0;
    t->last_what = "";
    if (host == NULL || host[0] == '\0') {
        return (hf_status_t)fail(t, 0, "no host", HF_ERR_INVALID_ARG);
    }
    st = resolve(t, host, timeout_ms, &addr);
    if (st == HF_OK) {
        st = make_sockaddr(t, &addr, port, &sa, &len);
    }
    if (st != HF_OK) {
        return st;
    }
    left = left_of(start, timeout_ms);
    if (left == 0u) {
        return (hf_status_t)fail(t, ETIMEDOUT, "name resolution used the whole connect timeout",
                                 HF_ERR_TIMEOUT);
    }
    st = open_sock(t, &sa, len, left);
    if (st != HF_OK) {
        do_close(t);
    }
    return st;
}

/* ------------------------------------------------------------------ send, recv */

static int lw_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    hf_lwip_transport_t *t = (hf_lwip_transport_t *)ctx;
    size_t n = len > (size_t)INT_MAX ? (size_t)INT_MAX : len;
    if (t->sock < 0) {
        return fail(t, ENOTCONN, "send on a closed transport", HF_ERR_IO);
    }
    if (n == 0u) {
        return 0;
    }
    /* Try at once; if nothing could be queued, wait once for room and try again. */
    for (int pass = 0; pass < 2; pass++) {
        ssize_t k = lwip_send(t->sock, buf, n, pass == 0 ? MSG_DONTWAIT : HF_LWIP_RETRY_FLAGS);
        int rc;
        if (k > 0) {
            return (int)k;
        }
        if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            bool gone = errno == ENOTCONN || errno == EPIPE;
            return fail(t, errno, gone ? "send: connection closed" : sock_text(errno, "send failed"),
                        gone ? HF_ERR_CLOSED : HF_ERR_IO);
        }
        if (pass == 1) {
            break;
        }
        rc = wait_sock(t->sock, true, timeout_ms);
        if (rc == 0) {
            break;
        }
        if (rc < 0) {
            return fail(t, errno, "waiting to send failed", HF_ERR_IO);
        }
    }
    return 0;
}

static int lw_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    hf_lwip_transport_t *t = (hf_lwip_transport_t *)ctx;
    size_t n = cap > (size_t)INT_MAX ? (size_t)INT_MAX : cap;
    if (t->sock < 0) {
        return fail(t, ENOTCONN, "recv on a closed transport", HF_ERR_IO);
    }
    if (n == 0u) {
        return 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        ssize_t k = lwip_recv(t->sock, buf, n, pass == 0 ? MSG_DONTWAIT : HF_LWIP_RETRY_FLAGS);
        int rc;
        if (k > 0) {
            return (int)k;
        }
        if (k == 0) {
            return fail(t, 0, "peer closed the connection", HF_ERR_CLOSED);
        }
        if (errno == ENOTCONN) {
            /* lwIP answers ENOTCONN to every read after the one that reported the FIN */
            return fail(t, errno, "peer closed the connection", HF_ERR_CLOSED);
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return fail(t, errno,
                        errno == ECONNRESET ? "connection reset by the peer"
                                            : sock_text(errno, "recv failed"),
                        HF_ERR_IO);
        }
        if (pass == 1) {
            break; /* ready, yet nothing there: report "nothing yet" */
        }
        rc = wait_sock(t->sock, false, timeout_ms);
        if (rc == 0) {
            break;
        }
        if (rc < 0) {
            return fail(t, errno, "waiting to receive failed", HF_ERR_IO);
        }
    }
    return 0;
}

static void lw_close(void *ctx)
{
    do_close((hf_lwip_transport_t *)ctx);
}

static int32_t lw_native(void *ctx)
{
    return (int32_t)((hf_lwip_transport_t *)ctx)->last_errno;
}

static const char *lw_describe(void *ctx)
{
    const hf_lwip_transport_t *t = (const hf_lwip_transport_t *)ctx;
    return t->last_what != NULL ? t->last_what : "";
}

hf_transport_t hf_lwip_transport(hf_lwip_transport_t *t, const hf_lwip_config_t *cfg)
{
    hf_transport_t tr;
    t->sock = -1;
    t->last_errno = 0;
    t->last_what = "";
    if (cfg != NULL) {
        t->cfg = *cfg;
    } else {
        memset(&t->cfg, 0, sizeof t->cfg);
    }
    tr.connect = lw_connect;
    tr.send = lw_send;
    tr.recv = lw_recv;
    tr.close = lw_close;
    tr.native_error = lw_native;
    tr.describe = lw_describe;
    tr.ctx = t;
    return tr;
}

/* ------------------------------------------------------------------ clock */

static uint32_t clk_now(void *user)
{
    (void)user;
    return (uint32_t)sys_now();
}

static void clk_sleep(void *user, uint32_t ms)
{
    (void)user;
    sys_msleep((u32_t)ms);
}

hf_clock_t hf_lwip_clock(void)
{
    hf_clock_t c;
    c.now_ms = clk_now;
    c.sleep_ms = clk_sleep;
    c.user = NULL;
    return c;
}
