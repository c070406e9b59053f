/* POSIX TCP transport and monotonic clock (contract: hf_transport.h; mapping: hf_posix.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE /* SO_NOSIGPIPE */
#endif

#include "hf/port/hf_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE is set on the socket instead */
#endif

static uint32_t mono_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0u;
    }
    /* Truncation to 32 bits is intended: callers use wrap-safe differences. */
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static uint32_t remaining(uint32_t start, uint32_t timeout_ms)
{
    uint32_t spent = mono_ms() - start;
    return spent >= timeout_ms ? 0u : timeout_ms - spent;
}

/* Wait for `events` on fd; 1 ready, 0 timed out, <0 error (errno set). EINTR resumes with what is left. */
static int wait_fd(int fd, short events, uint32_t timeout_ms)
{
    uint32_t start = mono_ms();
    for (;;) {
        struct pollfd p;
        uint32_t left = remaining(start, timeout_ms);
        int rc;
        p.fd = fd;
        p.events = events;
        p.revents = 0;
        rc = poll(&p, 1, left > (uint32_t)INT_MAX ? INT_MAX : (int)left);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        return rc;
    }
}

static void do_close(hf_posix_transport_t *t)
{
    if (t->fd >= 0) {
        (void)close(t->fd);
        t->fd = -1;
    }
}

static void port_str(char out[6], uint16_t port)
{
    char tmp[6];
    size_t n = 0, i = 0;
    unsigned v = port;
    do {
        tmp[n++] = (char)('0' + (v % 10u));
        v /= 10u;
    } while (v != 0u);
    while (n > 0u) {
        out[i++] = tmp[--n];
    }
    out[i] = '\0';
}

/* A switch, not strerror(): strerror may share one buffer between threads. */
static const char *errno_text(int e)
{
    switch (e) {
    case ECONNREFUSED: return "connection refused";
    case ECONNRESET: return "connection reset by peer";
    case ECONNABORTED: return "connection aborted";
    case EPIPE: return "connection closed by peer";
    case ETIMEDOUT: return "timed out";
    case EHOSTUNREACH: return "no route to host";
    case ENETUNREACH: return "network unreachable";
    case ENETDOWN: return "network is down";
    case EADDRNOTAVAIL: return "address not available";
    case EAFNOSUPPORT: return "address family not supported";
    case EACCES: return "permission denied";
    case EPERM: return "operation not permitted";
    case EMFILE: return "too many open files";
    case ENFILE: return "too many open files in the system";
    case ENOBUFS: return "no buffer space";
    case ENOMEM: return "out of memory";
    case ENOTCONN: return "not connected";
    default: return "socket error";
    }
}

static void text_add(hf_posix_transport_t *t, const char *s)
{
    size_t have = strlen(t->text), n = strlen(s);
    if (n > sizeof t->text - 1u - have) {
        n = sizeof t->text - 1u - have;
    }
    memcpy(t->text + have, s, n);
    t->text[have + n] = '\0';
}

static void text_errno(hf_posix_transport_t *t, int e)
{
    char num[12], tmp[12];
    size_t n = 0, i = 0;
    unsigned v = e < 0 ? 0u - (unsigned)e : (unsigned)e;
    do {
        tmp[n++] = (char)('0' + (v % 10u));
        v /= 10u;
    } while (v != 0u);
    if (e < 0) {
        num[i++] = '-';
    }
    while (n > 0u) {
        num[i++] = tmp[--n];
    }
    num[i] = '\0';
    text_add(t, errno_text(e));
    text_add(t, " (errno ");
    text_add(t, num);
    text_add(t, ")");
}

static void set_options(int fd)
{
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, (socklen_t)sizeof one);
#ifdef SO_NOSIGPIPE
    (void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, (socklen_t)sizeof one);
#endif
}

/* One address: non-blocking connect, wait for writability, read SO_ERROR. */
static hf_status_t try_addr(hf_posix_transport_t *t, const struct addrinfo *ai, uint32_t timeout_ms)
{
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol), rc, soerr = 0;
    socklen_t sl = (socklen_t)sizeof soerr;
    if (fd < 0) {
        t->last_errno = errno;
        return HF_ERR_IO;
    }
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK) != 0) {
        t->last_errno = errno;
        (void)close(fd);
        return HF_ERR_IO;
    }
    do {
        rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0 && errno != EINPROGRESS) {
        t->last_errno = errno;
        (void)close(fd);
        return HF_ERR_IO;
    }
    if (rc != 0) {
        rc = wait_fd(fd, POLLOUT, timeout_ms);
        if (rc <= 0) {
            t->last_errno = rc == 0 ? ETIMEDOUT : errno;
            (void)close(fd);
            return rc == 0 ? HF_ERR_TIMEOUT : HF_ERR_IO;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
            t->last_errno = soerr != 0 ? soerr : errno;
            (void)close(fd);
            return HF_ERR_IO;
        }
    }
    set_options(fd);
    t->fd = fd;
    return HF_OK;
}

static hf_status_t px_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    hf_posix_transport_t *t = (hf_posix_transport_t *)ctx;
    struct addrinfo hints, *res = NULL;
    char ps[6];
    hf_status_t st = HF_ERR_IO;
    uint32_t start = mono_ms();
    int rc;

    do_close(t);
    t->last_errno = 0;
    t->last_gai = 0;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    port_str(ps, port);
    rc = getaddrinfo(host, ps, &hints, &res);
    if (rc != 0) {
        t->last_errno = rc == EAI_SYSTEM ? errno : -rc;
        t->last_gai = rc;
        return HF_ERR_DNS;
    }
    /* Every address gets a try (IPv6 first when the resolver says so), all within one budget. */
    for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        uint32_t left = remaining(start, timeout_ms);
        if (left == 0u) {
            t->last_errno = ETIMEDOUT;
            st = HF_ERR_TIMEOUT;
            break;
        }
        st = try_addr(t, ai, left);
        if (st == HF_OK) {
            break;
        }
    }
    freeaddrinfo(res);
    return st;
}

static int px_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    hf_posix_transport_t *t = (hf_posix_transport_t *)ctx;
    size_t n = len > (size_t)INT_MAX ? (size_t)INT_MAX : len;
    if (t->fd < 0) {
        t->last_errno = ENOTCONN;
        return HF_ERR_IO;
    }
    for (;;) {
        ssize_t k = send(t->fd, buf, n, MSG_NOSIGNAL);
        int rc;
        if (k > 0) {
            return (int)k;
        }
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            t->last_errno = errno;
            return errno == EPIPE ? HF_ERR_CLOSED : HF_ERR_IO;
        }
        rc = wait_fd(t->fd, POLLOUT, timeout_ms);
        if (rc == 0) {
            return 0;
        }
        if (rc < 0) {
            t->last_errno = errno;
            return HF_ERR_IO;
        }
        timeout_ms = 0u; /* writable now: one more try, then report "nothing taken" */
    }
}

static int px_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    hf_posix_transport_t *t = (hf_posix_transport_t *)ctx;
    size_t n = cap > (size_t)INT_MAX ? (size_t)INT_MAX : cap;
    bool waited = false;
    if (t->fd < 0) {
        t->last_errno = ENOTCONN;
        return HF_ERR_IO;
    }
    for (;;) {
        ssize_t k = recv(t->fd, buf, n, 0);
        int rc;
        if (k > 0) {
            return (int)k;
        }
        if (k == 0) {
            return n == 0u ? 0 : HF_ERR_CLOSED;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            t->last_errno = errno;
            return HF_ERR_IO;
        }
        if (waited) {
            return 0; /* readable but nothing there (spurious wakeup) */
        }
        rc = wait_fd(t->fd, POLLIN, timeout_ms);
        if (rc == 0) {
            return 0;
        }
        if (rc < 0) {
            t->last_errno = errno;
            return HF_ERR_IO;
        }
        waited = true;
    }
}

static void px_close(void *ctx)
{
    do_close((hf_posix_transport_t *)ctx);
}

static int32_t px_native(void *ctx)
{
    return (int32_t)((hf_posix_transport_t *)ctx)->last_errno;
}

/* Built when asked, from the codes the failure left: nothing to keep in step on the hot path. */
static const char *px_describe(void *ctx)
{
    hf_posix_transport_t *t = (hf_posix_transport_t *)ctx;
    t->text[0] = '\0';
    if (t->last_gai != 0) {
        text_add(t, "name not resolved: ");
        if (t->last_gai == EAI_SYSTEM) {
            text_errno(t, t->last_errno);
        } else {
            text_add(t, gai_strerror(t->last_gai));
        }
    } else if (t->last_errno != 0) {
        text_errno(t, t->last_errno);
    }
    return t->text;
}

hf_transport_t hf_posix_transport(hf_posix_transport_t *t)
{
    hf_transport_t tr;
    t->fd = -1;
    t->last_errno = 0;
    t->last_gai = 0;
    t->text[0] = '\0';
    tr.connect = px_connect;
    tr.send = px_send;
    tr.recv = px_recv;
    tr.close = px_close;
    tr.native_error = px_native;
    tr.describe = px_describe;
    tr.ctx = t;
    return tr;
}

static uint32_t clk_now(void *user)
{
    (void)user;
    return mono_ms();
}

static void clk_sleep(void *user, uint32_t ms)
{
    struct timespec req, rem;
    (void)user;
    req.tv_sec = (time_t)(ms / 1000u);
    req.tv_nsec = (long)(ms % 1000u) * 1000000L;
    while (nanosleep(&req, &rem) != 0 && errno == EINTR) {
        req = rem;
    }
}

hf_clock_t hf_posix_clock(void)
{
    hf_clock_t c;
    c.now_ms = clk_now;
    c.sleep_ms = clk_sleep;
    c.user = NULL;
    return c;
}
