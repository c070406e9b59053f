/* POSIX port against a real loopback listener served by a forked child process. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "loopback.h"
#include "hf/port/hf_posix.h"

#define BIG (200u * 1024u)

static int read_n(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k <= 0) {
            return -1;
        }
        got += (size_t)k;
    }
    return 0;
}

/* The peer: "ping" -> wait for "go" -> "pong" -> BIG bytes in -> "ok" -> close. */
static void serve(int lfd)
{
    char buf[4096];
    size_t got = 0;
    int c = accept(lfd, NULL, NULL);
    if (c < 0 || read_n(c, buf, 4) != 0 || memcmp(buf, "ping", 4) != 0) {
        _exit(3);
    }
    if (read_n(c, buf, 2) != 0 || memcmp(buf, "go", 2) != 0 || write(c, "pong", 4) != 4) {
        _exit(4);
    }
    while (got < BIG) {
        ssize_t k = read(c, buf, sizeof buf);
        if (k <= 0) {
            _exit(5);
        }
        got += (size_t)k;
    }
    if (write(c, "ok", 2) != 2) {
        _exit(6);
    }
    close(c);
    _exit(0);
}

static int recv_all(hf_transport_t *t, uint8_t *buf, size_t n, uint32_t timeout_ms)
{
    size_t got = 0;
    int rounds = 0;
    while (got < n && rounds++ < 100) {
        int k = t->recv(t->ctx, buf + got, n - got, timeout_ms);
        if (k < 0) {
            return k;
        }
        got += (size_t)k;
    }
    return (int)got;
}

static void test_exchange(const char *host)
{
    static uint8_t big[BIG];
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    hf_clock_t clk = hf_posix_clock();
    uint16_t port;
    int lfd = hf_test_listen_loopback(&port), status = -1;
    uint8_t buf[16];
    pid_t pid = fork();
    uint32_t t0;
    size_t sent = 0;
    int zeros = 0;

    if (pid == 0) {
        serve(lfd);
    }
    close(lfd);
    CHECK_INT(px.fd, -1);
    CHECK_STATUS(t.connect(t.ctx, host, port, 2000), HF_OK);
    CHECK(px.fd >= 0);
    CHECK_INT(t.send(t.ctx, (const uint8_t *)"ping", 4, 1000), 4);
    /* nothing is sent back before "go": the recv times out with 0, after about 50 ms */
    t0 = clk.now_ms(NULL);
    CHECK_INT(t.recv(t.ctx, buf, sizeof buf, 50), 0);
    CHECK((uint32_t)(clk.now_ms(NULL) - t0) >= 45u);
    /* a zero timeout is a poll: returns at once */
    CHECK_INT(t.recv(t.ctx, buf, sizeof buf, 0), 0);
    CHECK_INT(t.send(t.ctx, (const uint8_t *)"go", 2, 1000), 2);
    CHECK_INT(recv_all(&t, buf, 4, 2000), 4);
    CHECK_MEM(buf, 4, "pong", 4);
    /* a large body: partial sends are allowed, 0 means "not writable yet" */
    memset(big, 'x', sizeof big);
    while (sent < BIG && zeros < 100) {
        int k = t.send(t.ctx, big + sent, BIG - sent, 1000);
        CHECK(k >= 0);
        if (k <= 0) {
            zeros++;
            if (k < 0) {
                break;
            }
            continue;
        }
        CHECK((size_t)k <= BIG - sent);
        sent += (size_t)k;
    }
    CHECK_INT(sent, BIG);
    CHECK_INT(recv_all(&t, buf, 2, 2000), 2);
    CHECK_MEM(buf, 2, "ok", 2);
    /* the peer closed after "ok": an orderly close is HF_ERR_CLOSED, never 0 */
    CHECK_INT(t.recv(t.ctx, buf, sizeof buf, 2000), HF_ERR_CLOSED);
    CHECK_INT(t.recv(t.ctx, buf, sizeof buf, 2000), HF_ERR_CLOSED);
    t.close(t.ctx);
    CHECK_INT(px.fd, -1);
    t.close(t.ctx); /* safe twice */
    CHECK(t.recv(t.ctx, buf, sizeof buf, 10) < 0);
    CHECK(t.send(t.ctx, buf, 1, 10) < 0);
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_refused(void)
{
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    uint16_t port;
    int lfd = hf_test_listen_loopback(&port);
    close(lfd); /* nothing listens there any more */
    CHECK_STATUS(t.connect(t.ctx, "127.0.0.1", port, 2000), HF_ERR_IO);
    CHECK_INT(t.native_error(t.ctx), ECONNREFUSED);
    CHECK_INT(px.fd, -1);
}

static void test_dns(void)
{
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    /* .invalid never resolves (RFC 6761), with or without a network */
    CHECK_STATUS(t.connect(t.ctx, "nonexistent.invalid", 80, 5000), HF_ERR_DNS);
    CHECK(t.native_error(t.ctx) != 0);
    CHECK_INT(px.fd, -1);
}

/* Writing to a peer that is gone must fail with a status, not kill us with SIGPIPE
 * (SIGPIPE is left at its default action in this test on purpose). */
static void test_peer_gone(void)
{
    hf_posix_transport_t px;
    hf_transport_t t = hf_posix_transport(&px);
    uint16_t port;
    int lfd = hf_test_listen_loopback(&port), status = -1, k = 1, tries = 0;
    uint8_t buf[512];
    pid_t pid = fork();
    if (pid == 0) {
        int c = accept(lfd, NULL, NULL);
        close(c);
        _exit(0);
    }
    close(lfd);
    CHECK_STATUS(t.connect(t.ctx, "127.0.0.1", port, 2000), HF_OK);
    waitpid(pid, &status, 0);
    memset(buf, 'y', sizeof buf);
    while (k >= 0 && tries++ < 1000) {
        k = t.send(t.ctx, buf, sizeof buf, 200);
    }
    CHECK(k == HF_ERR_CLOSED || k == HF_ERR_IO);
    CHECK(t.native_error(t.ctx) == EPIPE || t.native_error(t.ctx) == ECONNRESET);
    t.close(t.ctx);
}

static void test_clock(void)
{
    hf_clock_t c = hf_posix_clock();
    uint32_t a = c.now_ms(c.user), b;
    CHECK(c.sleep_ms != NULL);
    c.sleep_ms(c.user, 30);
    b = c.now_ms(c.user);
    CHECK((uint32_t)(b - a) >= 30u);
    CHECK((uint32_t)(b - a) < 2000u);
}

int main(void)
{
    test_exchange("127.0.0.1");
    /* by name: AF_UNSPEC may give ::1 first, which refuses; the next address must be tried */
    test_exchange("localhost");
    test_refused();
    test_dns();
    test_peer_gone();
    test_clock();
    return CHECK_DONE();
}
