/* The mbedTLS port against real TLS servers it did not write, all started here on loopback:
 * openssl s_server (handshake, resumption, max_fragment_len, every certificate refusal, a
 * TLS 1.3-only server), Python peers (tests/unit/mbedtls_peer.py: a record header larger than
 * the input buffer, shared case 20's close_notify / bare EOF variants, a TLS front for the
 * simulator) and the CLI over https. Certificates are made at run time with openssl.
 * Exits 77 (skipped) without openssl or python3.
 *
 * Expected values: verify flags from mbedtls/x509.h, alert numbers from RFC 5246 7.2, the
 * s_server -www status page ("New," / "Reused,") from OpenSSL's s_server documentation, case
 * 20 from shared/cases, the simulator's replies from tests/sim/scenarios. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "hf/hf.h"
#include "hf/port/hf_mbedtls.h"
#include "hf/port/hf_posix.h"
#include "hf_priv.h"

#ifndef HF_SOURCE_DIR
#define HF_SOURCE_DIR "."
#endif

static char g_dir[64];
static hf_posix_transport_t tcp;
static hf_mbedtls_transport_t tls;
static hf_transport_t inner, tr;
static char g_ca_buf[64 * 1024];

/* ------------------------------------------------------------------ process helpers */

static const char *in_dir(const char *name)
{
    static char buf[4][512];
    static unsigned n;
    char *p = buf[n++ % 4u];
    snprintf(p, sizeof buf[0], "%s/%s", g_dir, name);
    return p;
}

static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    int rc;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static pid_t spawn(char *const argv[], const char *log)
{
    pid_t pid;
    fflush(NULL); /* the child must not inherit unwritten output */
    pid = fork();
    if (pid == 0) {
        if (freopen(log, "w", stdout) == NULL || freopen(log, "a", stderr) == NULL) {
            _exit(127);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static void stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

static void nap_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

/* The first number after `key` in the file, waiting up to 10 s for it to appear. */
static uint16_t wait_number(const char *path, const char *key)
{
    for (int i = 0; i < 200; i++) {
        char buf[4096];
        FILE *f = fopen(path, "r");
        size_t n = f != NULL ? fread(buf, 1, sizeof buf - 1u, f) : 0u;
        const char *p;
        if (f != NULL) {
            fclose(f);
        }
        buf[n] = '\0';
        p = key[0] != '\0' ? strstr(buf, key) : buf;
        if (p != NULL && n > 0u) {
            p += strlen(key);
            if (key[0] != '\0') {
                const char *colon = strchr(p, '\n');
                const char *q = p;
                while (q != colon && *q != '\0') {
                    if (*q == ':') {
                        p = q + 1;
                    }
                    q++;
                }
            }
            if (*p >= '0' && *p <= '9') {
                return (uint16_t)atoi(p);
            }
        }
        nap_ms(50);
    }
    return 0;
}

static pid_t s_server(const char *cert, const char *key, const char *extra, uint16_t *port)
{
    static unsigned n;
    char log[64];
    char *argv[16];
    int a = 0;
    snprintf(log, sizeof log, "s_server%u.log", n++);
    argv[a++] = "openssl";
    argv[a++] = "s_server";
    argv[a++] = "-accept";
    argv[a++] = "0";
    argv[a++] = "-cert";
    argv[a++] = (char *)cert;
    argv[a++] = "-key";
    argv[a++] = (char *)key;
    argv[a++] = "-www";
    if (extra != NULL) {
        argv[a++] = (char *)extra;
    }
    argv[a] = NULL;
    {
        const char *lp = in_dir(log);
        pid_t pid = spawn(argv, lp);
        *port = wait_number(lp, "ACCEPT");
        return pid;
    }
}

static pid_t peer(const char *mode, const char *a1, const char *a2, const char *a3, uint16_t *port)
{
    static unsigned n;
    char pf[64], log[64];
    char *argv[10];
    int a = 0;
    pid_t pid;
    snprintf(pf, sizeof pf, "peer%u.port", n);
    snprintf(log, sizeof log, "peer%u.log", n++);
    argv[a++] = "python3";
    argv[a++] = HF_SOURCE_DIR "/tests/unit/mbedtls_peer.py";
    argv[a++] = (char *)mode;
    if (a1 != NULL)
        argv[a++] = (char *)a1;
    if (a2 != NULL)
        argv[a++] = (char *)a2;
    argv[a++] = (char *)in_dir(pf);
    if (a3 != NULL)
        argv[a++] = (char *)a3;
    argv[a] = NULL;
    pid = spawn(argv, in_dir(log));
    *port = wait_number(in_dir(pf), "");
    return pid;
}

/* ------------------------------------------------------------------ certificates */

static int make_certs(void)
{
    FILE *f = fopen(in_dir("ca.cnf"), "w");
    if (f == NULL) {
        return -1;
    }
    fprintf(f,
            "[ca]\ndefault_ca = hf\n[hf]\ndir = %s\ndatabase = $dir/index.txt\nnew_certs_dir = $dir\n"
            "serial = $dir/serial\ndefault_md = sha256\npolicy = pol\ncopy_extensions = copy\n"
            "unique_subject = no\n[pol]\ncommonName = supplied\n",
            g_dir);
    fclose(f);
    return sh(
        "cd %s && : > index.txt && echo 01 > serial && {"
        " openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem"
        "  -days 30 -subj /CN=hfmicro-test-ca -addext basicConstraints=critical,CA:TRUE"
        "  -addext keyUsage=critical,keyCertSign,cRLSign &&"
        " openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr"
        "  -subj /CN=localhost -addext subjectAltName=DNS:localhost &&"
        " openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30"
        "  -copy_extensions copy -out leaf.pem &&"
        " openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in leaf.csr -notext"
        "  -startdate 20200101000000Z -enddate 20200201000000Z -out expired.pem &&"
        " openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in leaf.csr -notext"
        "  -startdate 20990101000000Z -enddate 20991231000000Z -out future.pem &&"
        " openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout oca.key -out oca.pem"
        "  -days 30 -subj /CN=other-ca -addext basicConstraints=critical,CA:TRUE &&"
        " openssl x509 -req -in leaf.csr -CA oca.pem -CAkey oca.key -CAcreateserial -days 30"
        "  -copy_extensions copy -out untrusted.pem &&"
        " openssl req -x509 -key leaf.key -out self.pem -days 30 -subj /CN=localhost"
        "  -addext subjectAltName=DNS:localhost; } >setup.log 2>&1",
        g_dir);
}

/* ------------------------------------------------------------------ transport helpers */

static hf_status_t tls_open(const char *ca_file, const char *server_name, uint16_t mfl)
{
    hf_mbedtls_config_t tc;
    FILE *f = fopen(ca_file, "rb");
    size_t n = f != NULL ? fread(g_ca_buf, 1, sizeof g_ca_buf - 1u, f) : 0u;
    if (f != NULL) {
        fclose(f);
    }
    g_ca_buf[n] = '\0';
    inner = hf_posix_transport(&tcp);
    memset(&tc, 0, sizeof tc);
    tc.ca = (const uint8_t *)g_ca_buf;
    tc.server_name = server_name;
    tc.clock = hf_posix_clock();
    tc.max_fragment_len = mfl;
    tr = hf_mbedtls_transport(&tls);
    return hf_mbedtls_init(&tls, &tc, &inner);
}

/* "GET / HTTP/1.0" to s_server -www: the whole answer (up to cap-1 bytes) and how it ended. */
static int www_get(char *out, size_t cap)
{
    static const char req[] = "GET / HTTP/1.0\r\n\r\n";
    size_t off = 0, len = 0;
    int r;
    while (off < sizeof req - 1u) {
        r = tr.send(tr.ctx, (const uint8_t *)req + off, sizeof req - 1u - off, 5000u);
        if (r <= 0) {
            return r;
        }
        off += (size_t)r;
    }
    for (int i = 0; i < 1000; i++) {
        r = tr.recv(tr.ctx, (uint8_t *)out + len, cap - 1u - len, 5000u);
        if (r <= 0) {
            break;
        }
        len += (size_t)r;
        if (len + 1u >= cap) {
            break;
        }
    }
    out[len] = '\0';
    return r;
}

static void check_www_page(const char *how)
{
    static char page[32 * 1024];
    CHECK_INT(www_get(page, sizeof page), HF_ERR_CLOSED);
    CHECK(strncmp(page, "HTTP/1.0 200 ok\r\n", 17) == 0);
    CHECK(strstr(page, how) != NULL);
    if (strstr(page, how) == NULL) {
        fprintf(stderr, "expected \"%s\" in the s_server page\n", how);
    }
}

/* ------------------------------------------------------------------ s_server tests */

/* mbedTLS 3.x speaks TLS 1.3 with OpenSSL; 2.28 only 1.2. */
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
#define TLS_VER "TLSv1.3"
#else
#define TLS_VER "TLSv1.2"
#endif

static void test_handshake_resumption_mfl(void)
{
    uint16_t port = 0;
    pid_t pid = s_server(in_dir("leaf.pem"), in_dir("leaf.key"), NULL, &port);
    uint8_t b[16];
    CHECK(port != 0u);
    CHECK_STATUS(tls_open(in_dir("ca.pem"), NULL, 0u), HF_OK);
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", port, 5000u), HF_OK);
    CHECK_INT(tls.handshakes, 1);
    /* The keep-alive poll on an idle, healthy connection: nothing, at once. */
    CHECK_INT(tr.recv(tr.ctx, b, sizeof b, 0u), 0);
    check_www_page("New, " TLS_VER);
    CHECK_STR(tr.describe(tr.ctx), "the server sent close_notify");
    CHECK_INT(tr.recv(tr.ctx, b, sizeof b, 0u), HF_ERR_CLOSED); /* stays closed */
    CHECK_INT(tr.send(tr.ctx, b, 1u, 100u), HF_ERR_CLOSED);
    tr.close(tr.ctx);

    /* Reconnect: the saved session is offered and s_server reports it reused. */
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", port, 5000u), HF_OK);
    check_www_page("Reused, " TLS_VER);
    tr.close(tr.ctx);
    CHECK_INT(tls.handshakes, 2);

    hf_mbedtls_forget_session(&tls);
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", port, 5000u), HF_OK);
    check_www_page("New, " TLS_VER);
    tr.close(tr.ctx);
    hf_mbedtls_free(&tls);

    /* max_fragment_len requested (a TLS 1.2 extension, see hf_mbedtls.h): the handshake and a
     * whole page still go through. */
    CHECK_STATUS(tls_open(in_dir("ca.pem"), NULL, 512u), HF_OK);
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", port, 5000u), HF_OK);
    check_www_page("New, TLSv1.2");
    hf_mbedtls_free(&tls);
    stop(pid);
}

static void refused(const char *cert, const char *key, const char *ca, const char *name, const char *host,
                    hf_status_t want, int32_t native, const char *describe)
{
    uint16_t port = 0;
    pid_t pid = s_server(in_dir(cert), in_dir(key), NULL, &port);
    CHECK(port != 0u);
    CHECK_STATUS(tls_open(in_dir(ca), name, 0u), HF_OK);
    CHECK_STATUS(tr.connect(tr.ctx, host, port, 5000u), want);
    CHECK_INT(tr.native_error(tr.ctx), native);
    CHECK_STR(tr.describe(tr.ctx), describe);
    CHECK(tcp.fd < 0); /* nothing left open */
    hf_mbedtls_free(&tls);
    stop(pid);
}

static void test_certificate_refusals(void)
{
    /* mbedtls/x509.h: CN_MISMATCH 0x04, EXPIRED 0x01, FUTURE 0x200, NOT_TRUSTED 0x08 */
    refused("leaf.pem", "leaf.key", "ca.pem", "wrong.example", "localhost", HF_ERR_CERTIFICATE, 0x04,
            "name mismatch: the certificate's CN/SAN do not name \"wrong.example\" (verify flags 0x4)");
    refused("leaf.pem", "leaf.key", "ca.pem", NULL, "127.0.0.1", HF_ERR_CERTIFICATE, 0x04,
            "name mismatch: the certificate's CN/SAN do not name \"127.0.0.1\" (verify flags 0x4)");
    refused("expired.pem", "leaf.key", "ca.pem", NULL, "localhost", HF_ERR_CERTIFICATE, 0x01,
            "certificate expired (verify flags 0x1)");
    refused("future.pem", "leaf.key", "ca.pem", NULL, "localhost", HF_ERR_CERTIFICATE, 0x200,
            "certificate not yet valid: is the device clock set? (verify flags 0x200)");
    refused("untrusted.pem", "leaf.key", "ca.pem", NULL, "localhost", HF_ERR_CERTIFICATE, 0x08,
            "certificate not trusted (issuer not in the CA chain, or self-signed) (verify flags 0x8)");
    refused("self.pem", "leaf.key", "ca.pem", NULL, "localhost", HF_ERR_CERTIFICATE, 0x08,
            "certificate not trusted (issuer not in the CA chain, or self-signed) (verify flags 0x8)");
}

static void test_tls13_only_server(void)
{
    uint16_t port = 0;
    pid_t pid = s_server(in_dir("leaf.pem"), in_dir("leaf.key"), "-tls1_3", &port);
    CHECK_STATUS(tls_open(in_dir("ca.pem"), NULL, 0u), HF_OK);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", port, 5000u), HF_OK);
    check_www_page("TLSv1.3");
#else
    /* RFC 8446 4.2.1 / D.2: a 1.3-only server answers a 1.2 ClientHello with protocol_version (70). */
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", port, 5000u), HF_ERR_TLS);
    CHECK_INT(tr.native_error(tr.ctx), -0x7780);
    CHECK_STR(tr.describe(tr.ctx),
              "TLS handshake failed: the server sent alert protocol_version (70): the server "
              "may accept only TLS 1.3, which this mbedTLS does not speak (mbedTLS -0x7780)");
#endif
    hf_mbedtls_free(&tls);
    stop(pid);
}

/* ------------------------------------------------------------------ Python peers */

static void test_record_larger_than_buffer(void)
{
    uint16_t port = 0;
    /* Handshake record, TLS 1.2, 0xFFFF bytes announced, then silence. */
    pid_t pid = peer("raw", "160303FFFF", NULL, NULL, &port);
    hf_clock_t clk = hf_posix_clock();
    uint32_t t0;
    CHECK(port != 0u);
    CHECK_STATUS(tls_open(in_dir("ca.pem"), NULL, 0u), HF_OK);
    t0 = clk.now_ms(NULL);
    CHECK_STATUS(tr.connect(tr.ctx, "127.0.0.1", port, 5000u), HF_ERR_TLS);
    CHECK(clk.now_ms(NULL) - t0 < 2000u); /* at once, not at the deadline */
    {
        static const char want[] =
            "TLS record larger than input buffer (MBEDTLS_SSL_IN_CONTENT_LEN): 65535 bytes";
        CHECK(strncmp(tr.describe(tr.ctx), want, sizeof want - 1u) == 0);
    }
    CHECK(tr.native_error(tr.ctx) == -0x7100 || tr.native_error(tr.ctx) == -0x7200);
    hf_mbedtls_free(&tls);
    stop(pid);
}

static hf_client_t cl;
static uint8_t g_io[4096];
static uint8_t g_arena_mem[16 * 1024];
static hf_arena_t g_arena;
static char g_body[256];
static size_t g_body_len;

static hf_status_t on_data(void *u, const uint8_t *d, size_t n)
{
    (void)u;
    if (n < sizeof g_body - g_body_len) {
        memcpy(g_body + g_body_len, d, n);
        g_body_len += n;
        g_body[g_body_len] = '\0';
    }
    return HF_OK;
}

static hf_status_t client_open(uint16_t port)
{
    hf_client_config_t cfg;
    static char base[64];
    hf_status_t st = tls_open(in_dir("ca.pem"), NULL, 0u);
    if (st != HF_OK) {
        return st;
    }
    snprintf(base, sizeof base, "https://localhost:%u", (unsigned)port);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = base;
    cfg.transport = tr;
    cfg.clock = hf_posix_clock();
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.total_timeout_ms = 10000u;
    hf_arena_init(&g_arena, g_arena_mem, sizeof g_arena_mem);
    return hf_client_init(&cl, &cfg);
}

static hf_status_t get(uint16_t port)
{
    hf_request_t q;
    char url[96];
    snprintf(url, sizeof url, "https://localhost:%u/x", (unsigned)port);
    memset(&q, 0, sizeof q);
    q.method = "GET";
    q.url = url;
    q.sink.on_data = on_data;
    q.arena = &g_arena;
    g_body_len = 0;
    g_body[0] = '\0';
    return hf_priv_client_execute(&cl, &q);
}

static hf_status_t count_chunk(void *user, const hf_chat_completion_stream_output_t *chunk)
{
    (void)user;
    for (size_t i = 0; i < chunk->choices_count; i++) {
        const char *c = chunk->choices[i].delta != NULL ? chunk->choices[i].delta->content : NULL;
        if (c != NULL && strlen(c) < sizeof g_body - g_body_len) {
            memcpy(g_body + g_body_len, c, strlen(c) + 1u);
            g_body_len += strlen(c);
        }
    }
    return HF_OK;
}

static hf_status_t chat_stream_hello(void)
{
    hf_chat_completion_input_message_t msg;
    hf_chat_completion_input_t in;
    memset(&msg, 0, sizeof msg);
    memset(&in, 0, sizeof in);
    msg.role = "user";
    msg.content = "Hello";
    in.messages = &msg;
    in.messages_count = 1;
    return hf_chat_completion_stream(&cl, "m", &in, &g_arena, count_chunk, NULL, NULL);
}

static void test_case20(void)
{
    uint16_t port = 0;
    pid_t pid;
    /* A: HTTP/1.0 close-delimited body, bare EOF -> success (closing is all 1.0 has). */
    pid = peer("case20", in_dir("leaf.pem"), in_dir("leaf.key"), "A", &port);
    CHECK_STATUS(client_open(port), HF_OK);
    CHECK_STATUS(get(port), HF_OK);
    CHECK_STR(g_body, "{\"score\":0.5}");
    CHECK(!cl.connected);
    hf_client_close(&cl);
    hf_mbedtls_free(&tls);
    stop(pid);

    /* B: Content-Length body, then close_notify: success; the next call reconnects. */
    pid = peer("case20", in_dir("leaf.pem"), in_dir("leaf.key"), "B", &port);
    CHECK_STATUS(client_open(port), HF_OK);
    CHECK_STATUS(get(port), HF_OK);
    CHECK_STR(g_body, "{\"score\":0.5}");
    nap_ms(200); /* let the close_notify arrive before the keep-alive check */
    CHECK_STATUS(get(port), HF_OK);
    CHECK_STR(g_body, "{\"score\":0.5}");
    CHECK_INT(cl.connects, 2);
    CHECK_INT(tls.handshakes, 2);
    hf_client_close(&cl);
    hf_mbedtls_free(&tls);
    stop(pid);

    /* C: Content-Length 50, 13 bytes, bare EOF -> truncated. */
    pid = peer("case20", in_dir("leaf.pem"), in_dir("leaf.key"), "C", &port);
    CHECK_STATUS(client_open(port), HF_OK);
    CHECK_STATUS(get(port), HF_ERR_TRUNCATED);
    CHECK_STR(cl.err.message, "connection closed before the body was complete (13 of 50 bytes)");
    hf_client_close(&cl);
    hf_mbedtls_free(&tls);
    stop(pid);

    /* D: SSE cut before the 0-chunk, then close_notify: "Hi" delivered, then truncated. */
    pid = peer("case20", in_dir("leaf.pem"), in_dir("leaf.key"), "D", &port);
    CHECK_STATUS(client_open(port), HF_OK);
    {
        hf_chat_completion_input_message_t msg;
        hf_chat_completion_input_t in;
        memset(&msg, 0, sizeof msg);
        memset(&in, 0, sizeof in);
        msg.role = "user";
        msg.content = "Hello";
        in.messages = &msg;
        in.messages_count = 1;
        g_body_len = 0;
        g_body[0] = '\0';
        CHECK_STATUS(hf_chat_completion_stream(&cl, "m", &in, &g_arena, count_chunk, NULL, NULL),
                     HF_ERR_TRUNCATED);
        CHECK_STR(g_body, "Hi");
    }
    hf_client_close(&cl);
    hf_mbedtls_free(&tls);
    stop(pid);

    /* E, F: HTTP/1.1 close-delimited SSE. A bare EOF may be a truncation attack (RFC 2818 2.2.2):
     * "Hi" delivered, then truncated, even after [DONE]; close_notify ends it normally. */
    for (int v = 0; v < 2; v++) {
        pid = peer("case20", in_dir("leaf.pem"), in_dir("leaf.key"), v == 0 ? "E" : "F", &port);
        CHECK_STATUS(client_open(port), HF_OK);
        g_body_len = 0;
        g_body[0] = '\0';
        CHECK_STATUS(chat_stream_hello(), v == 0 ? HF_ERR_TRUNCATED : HF_OK);
        CHECK_STR(g_body, "Hi");
        if (v == 0) {
            CHECK_STR(cl.err.message, "connection closed without TLS close_notify: a body delimited by the "
                                      "close may be cut short");
        }
        hf_client_close(&cl);
        hf_mbedtls_free(&tls);
        stop(pid);
    }
}

/* ------------------------------------------------------------------ the simulator over TLS */

static int cli(const char *args, const char *out, const char *err)
{
    const char *hf = getenv("HFMICRO");
    return sh("\"%s\" %s >%s 2>%s", hf, args, out, err);
}

static size_t slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = f != NULL ? fread(buf, 1, cap - 1u, f) : 0u;
    if (f != NULL) {
        fclose(f);
    }
    buf[n] = '\0';
    return n;
}

static void test_sim_over_tls(void)
{
    static char a[64 * 1024], b[64 * 1024];
    char args[1024];
    uint16_t sim_port, port = 0;
    char sim_s[16];
    char *argv[] = {"python3",     HF_SOURCE_DIR "/tests/sim/hfsim.py",
                    "--fixtures",  "none",
                    "--port",      "0",
                    "--port-file", NULL,
                    NULL};
    pid_t sim, px;
    argv[7] = (char *)in_dir("sim.port");
    sim = spawn(argv, in_dir("sim.log"));
    sim_port = wait_number(in_dir("sim.port"), "");
    snprintf(sim_s, sizeof sim_s, "%u", (unsigned)sim_port);
    px = peer("proxy", in_dir("leaf.pem"), in_dir("leaf.key"), sim_s, &port);
    CHECK(sim_port != 0u && port != 0u);

    /* Keep-alive through TLS: five calls, one connection, one handshake. */
    CHECK_STATUS(client_open(port), HF_OK);
    for (int i = 0; i < 5; i++) {
        hf_text_classification_input_t in;
        hf_text_classification_output_t out;
        memset(&in, 0, sizeof in);
        in.inputs = "I like you";
        hf_arena_reset(&g_arena);
        CHECK_STATUS(hf_text_classification(&cl, "sim/demo-classify", &in, &g_arena, &out), HF_OK);
        /* tests/sim/scenarios/demo-classify.json: POSITIVE first */
        CHECK(out.elements_count == 2u && strcmp(out.elements[0].label, "POSITIVE") == 0);
    }
    CHECK_INT(cl.connects, 1);
    CHECK_INT(tls.handshakes, 1);
    hf_client_close(&cl);
    hf_mbedtls_free(&tls);

    if (getenv("HFMICRO") != NULL) {
        /* One full chat stream through the CLI over https, the same as over plain http. */
        snprintf(args, sizeof args,
                 "chat-completion --model sim --stream Hello --base-url https://localhost:%u --ca %s "
                 "--timeout-ms 10000",
                 (unsigned)port, in_dir("ca.pem"));
        CHECK_INT(cli(args, in_dir("tls.out"), in_dir("tls.err")), 0);
        snprintf(
            args, sizeof args,
            "chat-completion --model sim --stream Hello --base-url http://127.0.0.1:%u --timeout-ms 10000",
            (unsigned)sim_port);
        CHECK_INT(cli(args, in_dir("plain.out"), in_dir("plain.err")), 0);
        CHECK(slurp(in_dir("tls.out"), a, sizeof a) > 1u);
        slurp(in_dir("plain.out"), b, sizeof b);
        CHECK_STR(a, b);

        /* tests/sim/scenarios/demo-chat.json */
        snprintf(args, sizeof args,
                 "chat-completion --model sim/demo-chat Hello --base-url https://localhost:%u --ca %s",
                 (unsigned)port, in_dir("ca.pem"));
        CHECK_INT(cli(args, in_dir("demo.out"), in_dir("demo.err")), 0);
        slurp(in_dir("demo.out"), a, sizeof a);
        CHECK(strstr(a, "The capital of France is Paris.") != NULL);

        /* Refusals: an unreadable --ca, and a CA that did not issue the server's certificate. */
        snprintf(args, sizeof args,
                 "chat-completion --model sim Hello --base-url https://localhost:%u --ca %s", (unsigned)port,
                 in_dir("missing.pem"));
        CHECK_INT(cli(args, in_dir("e1.out"), in_dir("e1.err")), 2);
        slurp(in_dir("e1.err"), a, sizeof a);
        CHECK(strstr(a, "hfmicro: cannot read the CA bundle ") != NULL);
        snprintf(args, sizeof args,
                 "chat-completion --model sim Hello --base-url https://localhost:%u --ca %s", (unsigned)port,
                 in_dir("oca.pem"));
        CHECK_INT(cli(args, in_dir("e2.out"), in_dir("e2.err")), 1);
        slurp(in_dir("e2.err"), a, sizeof a);
        snprintf(args, sizeof args, "hfmicro: HF_ERR_CERTIFICATE: connect to localhost:%u: certificate not trusted",
                 (unsigned)port);
        CHECK(strstr(a, args) != NULL);
    } else {
        fprintf(stderr, "HFMICRO not set: the CLI part is skipped\n");
    }
    stop(px);
    stop(sim);
}

#include "mbedtls_heap.h"

static void timed(const char *what, void (*fn)(void))
{
    hf_clock_t clk = hf_posix_clock();
    uint32_t t0 = clk.now_ms(NULL);
    fn();
    printf("%-50s %5u ms\n", what, (unsigned)(clk.now_ms(NULL) - t0));
}

int main(void)
{
    if (sh("openssl version >/dev/null 2>&1") != 0 || sh("python3 -c 'import ssl' >/dev/null 2>&1") != 0) {
        printf("SKIP: needs openssl and python3\n");
        return 77;
    }
    signal(SIGPIPE, SIG_IGN);
    static_heap_begin();
    snprintf(g_dir, sizeof g_dir, "/tmp/hf-mbedtls-XXXXXX");
    if (mkdtemp(g_dir) == NULL || make_certs() != 0) {
        fprintf(stderr, "could not make the test certificates (see %s/setup.log)\n", g_dir);
        return 1;
    }
    timed("s_server: handshake, resumption, max_fragment_len", test_handshake_resumption_mfl);
    timed("s_server: certificate refusals", test_certificate_refusals);
    timed("s_server: TLS 1.3 only", test_tls13_only_server);
    timed("raw peer: record larger than the input buffer", test_record_larger_than_buffer);
    timed("ssl peer: case 20 A-D", test_case20);
    timed("simulator behind TLS: keep-alive, CLI", test_sim_over_tls);
    static_heap_end();
    if (hf_check_fail == 0) {
        sh("rm -rf %s", g_dir);
    }
    return CHECK_DONE();
}
