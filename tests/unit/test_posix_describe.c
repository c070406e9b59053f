/* The POSIX port's describe(): the reason of each failure in a few words, against real
 * loopback sockets (refused, reset, used after close), a name that never resolves, and
 * through the client, whose connect message then names host, port and reason. Expected texts
 * are the ones hf_posix.h documents, with the errno values of <errno.h>. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "loopback.h"
#include "hf/hf_client.h"
#include "hf/hf_text_classification.h"
#include "hf/port/hf_posix.h"

/* A loopback port where nothing listens (bound, then closed). */
static uint16_t closed_port(void)
{
    uint16_t port;
    close(hf_test_listen_loopback(&port));
    return port;
}

static const char *expect_errno(const char *what, int e)
{
    static char buf[96];
    (void)snprintf(buf, sizeof buf, "%s (errno %d)", what, e);
    return buf;
}

static void test_fresh(void)
{
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    CHECK(t.describe != NULL);
    CHECK_STR(t.describe(t.ctx), ""); /* nothing failed yet */
}

static void test_refused(void)
{
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    CHECK_STATUS(t.connect(t.ctx, "127.0.0.1", closed_port(), 2000), HF_ERR_IO);
    CHECK_STR(t.describe(t.ctx), expect_errno("connection refused", ECONNREFUSED));
}

/* The peer aborts (SO_LINGER 0 sends RST instead of FIN): recv fails, it is not an orderly end. */
static void test_reset(void)
{
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    struct linger lg;
    uint8_t buf[16];
    uint16_t port;
    int lfd = hf_test_listen_loopback(&port), c, r;
    CHECK_STATUS(t.connect(t.ctx, "127.0.0.1", port, 2000), HF_OK);
    c = accept(lfd, NULL, NULL);
    lg.l_onoff = 1;
    lg.l_linger = 0;
    (void)setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, (socklen_t)sizeof lg);
    close(c);
    close(lfd);
    r = t.recv(t.ctx, buf, sizeof buf, 2000);
    CHECK_INT(r, HF_ERR_IO);
    CHECK_STR(t.describe(t.ctx), expect_errno("connection reset by peer", ECONNRESET));
    t.close(t.ctx);
    /* Used after close: not connected. */
    CHECK_INT(t.send(t.ctx, buf, 1u, 100), HF_ERR_IO);
    CHECK_STR(t.describe(t.ctx), expect_errno("not connected", ENOTCONN));
    CHECK_INT(t.recv(t.ctx, buf, sizeof buf, 100), HF_ERR_IO);
    CHECK_STR(t.describe(t.ctx), expect_errno("not connected", ENOTCONN));
    /* A new connect starts with a clean slate. */
    lfd = hf_test_listen_loopback(&port);
    CHECK_STATUS(t.connect(t.ctx, "127.0.0.1", port, 2000), HF_OK);
    CHECK_STR(t.describe(t.ctx), "");
    t.close(t.ctx);
    close(lfd);
}

static void test_dns(void)
{
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    const char *d;
    /* .invalid never resolves (RFC 6761); the resolver's own words follow the prefix. */
    CHECK_STATUS(t.connect(t.ctx, "nonexistent.invalid", 80, 5000), HF_ERR_DNS);
    d = t.describe(t.ctx);
    CHECK(strncmp(d, "name not resolved: ", 19u) == 0);
    CHECK(strlen(d) > 19u);
    CHECK(px.last_gai != 0);
    if (px.last_gai != EAI_SYSTEM) {
        char want[96];
        (void)snprintf(want, sizeof want, "name not resolved: %s", gai_strerror(px.last_gai));
        CHECK_STR(d, want);
    }
}

/* Each errno the port names, as a failure would leave it (the fields are the port's public
 * state); one the table does not know keeps its number. */
static void test_texts(void)
{
    static const struct {
        int e;
        const char *text;
    } k[] = {
        {ECONNREFUSED, "connection refused"},
        {ECONNRESET, "connection reset by peer"},
        {ECONNABORTED, "connection aborted"},
        {EPIPE, "connection closed by peer"},
        {ETIMEDOUT, "timed out"},
        {EHOSTUNREACH, "no route to host"},
        {ENETUNREACH, "network unreachable"},
        {ENETDOWN, "network is down"},
        {EADDRNOTAVAIL, "address not available"},
        {EMFILE, "too many open files"},
        {ENOTCONN, "not connected"},
        {EDOM, "socket error"},
    };
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        px.last_errno = k[i].e;
        CHECK_STR(t.describe(t.ctx), expect_errno(k[i].text, k[i].e));
    }
}

/* Through the client: "connect to HOST:PORT: reason". */
static void test_client_message(void)
{
    static hf_posix_transport_t px;
    static hf_client_t cl;
    static uint8_t io[1024];
    static uint8_t mem[4096];
    hf_client_config_t cfg;
    hf_text_classification_input_t in;
    hf_text_classification_output_t out;
    hf_arena_t a;
    char url[64], want[128];
    uint16_t port = closed_port();
    (void)snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)port);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = url;
    cfg.transport = hf_posix_transport(&px);
    cfg.clock = hf_posix_clock();
    cfg.io_buf = io;
    cfg.io_buf_size = sizeof io;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_arena_init(&a, mem, sizeof mem);
    memset(&in, 0, sizeof in);
    in.inputs = "x";
    CHECK_STATUS(hf_text_classification(&cl, "m", &in, &a, &out), HF_ERR_IO);
    (void)snprintf(want, sizeof want, "connect to 127.0.0.1:%u: connection refused (errno %d)",
                   (unsigned)port, ECONNREFUSED);
    CHECK_STR(hf_client_error(&cl)->message, want);
    CHECK_INT(hf_client_error(&cl)->native, ECONNREFUSED);
    /* An IPv6 literal keeps its brackets, as in the URL (the reason depends on whether the
     * host has ::1 at all, so only the part before it is fixed). */
    (void)snprintf(url, sizeof url, "http://[::1]:%u", (unsigned)port);
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_arena_init(&a, mem, sizeof mem);
    CHECK(hf_text_classification(&cl, "m", &in, &a, &out) < 0);
    (void)snprintf(want, sizeof want, "connect to [::1]:%u: ", (unsigned)port);
    CHECK(strncmp(hf_client_error(&cl)->message, want, strlen(want)) == 0);
}

int main(void)
{
    test_fresh();
    test_refused();
    test_reset();
    test_dns();
    test_texts();
    test_client_message();
    return CHECK_DONE();
}
