/* mbedTLS port: a server that answers the ClientHello in plain HTTP (an https:// URL on a
 * plain port) is named as such, not as "TLS record larger than input buffer" (the bytes
 * "HTTP/" read as a record header announce 0x502F = 20527 bytes). Over the scripted mock at
 * every read split, and against a plain TCP server on loopback through the client.
 *
 * Expected values: a TLS record starts with content type 20..23 and major version 3
 * (RFC 5246 6.2.1, RFC 8446 5.1); the text is the one hf_mbedtls.c documents. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "loopback.h"
#include "hf/hf_client.h"
#include "hf/hf_text_classification.h"
#include "hf/port/hf_mbedtls.h"
#include "hf/port/hf_posix.h"
#include "mock_transport.h"

#define NOT_TLS "the server did not answer with TLS (plain HTTP on an https:// URL?)"

/* A self-signed P-256 CA (CN=hfmicro-unit-test-ca); only parsed here, never used to verify. */
static const char k_ca[] = "-----BEGIN CERTIFICATE-----\n"
                           "MIIBlTCCATugAwIBAgIUMA+/qtrMXgPlBVcaKURhMosYNpQwCgYIKoZIzj0EAwIw\n"
                           "HzEdMBsGA1UEAwwUaGZtaWNyby11bml0LXRlc3QtY2EwIBcNMjYxMjAzMTYwNzU1\n"
                           "WhgPMjEyNjExMDkxNjA3NTVaMB8xHTAbBgNVBAMMFGhmbWljcm8tdW5pdC10ZXN0\n"
                           "LWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+gRuBEuzSL6JDN+9AFsZvR1Z\n"
                           "H18eu3kc6ri13hkrrrbDQx3N1OrjSo+CkWDNKPc427Yh5SsFE/wyw1RIy1ejyqNT\n"
                           "MFEwHQYDVR0OBBYEFPrCpydhuQVAhVCSE3clWblCrAukMB8GA1UdIwQYMBaAFPrC\n"
                           "pydhuQVAhVCSE3clWblCrAukMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID\n"
                           "SAAwRQIgclwX4XQA999Clj6LazrkORcIMhaW+2VptD6+61tRREMCIQC7qaCHXfKt\n"
                           "8LdcABuWegOFDUQsGEQoUmzVjdbcSg3t3A==\n"
                           "-----END CERTIFICATE-----\n";

static const char k_http[] = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 11\r\n"
                             "Connection: close\r\n\r\nBad Request";

static hf_mock_t m;
static hf_mbedtls_transport_t tls;

static hf_status_t mock_connect(const uint8_t *answer, size_t len, size_t split, bool close_after)
{
    hf_transport_t inner, tr;
    hf_mbedtls_config_t tc;
    hf_status_t st;
    hf_mock_init(&m);
    m.split = split;
    inner = hf_mock_transport(&m);
    memset(&tc, 0, sizeof tc);
    tc.ca = (const uint8_t *)k_ca;
    tc.clock = hf_mock_clock(&m);
    if (hf_mbedtls_init(&tls, &tc, &inner) != HF_OK) {
        return HF_ERR_INVALID_ARG;
    }
    hf_mock_add(&m, HF_MOCK_DATA, answer, len, 0);
    if (close_after) {
        hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0u, 0);
    }
    tr = hf_mbedtls_transport(&tls);
    st = tr.connect(tr.ctx, "example.test", 443, 1000);
    CHECK_STR(tr.describe(tr.ctx), st == HF_ERR_TLS ? NOT_TLS : "(connected?)");
    tr.close(tr.ctx);
    hf_mbedtls_free(&tls);
    return st;
}

static void test_mock(void)
{
    /* A second byte that is not version 3 after a valid type, a type outside 20..23. */
    static const uint8_t bad_version[5] = {22, 0x48, 0x54, 0x54, 0x50};
    static const uint8_t bad_type[5] = {0x3C, 3, 3, 0, 2}; /* "<" of an HTML page */
    for (size_t split = 0; split <= 8u; split++) {
        CHECK_STATUS(mock_connect((const uint8_t *)k_http, sizeof k_http - 1u, split, false), HF_ERR_TLS);
        CHECK_STATUS(mock_connect((const uint8_t *)k_http, sizeof k_http - 1u, split, true), HF_ERR_TLS);
    }
    CHECK_STATUS(mock_connect(bad_version, sizeof bad_version, 0u, true), HF_ERR_TLS);
    CHECK_STATUS(mock_connect(bad_type, sizeof bad_type, 0u, true), HF_ERR_TLS);
    /* Only the first byte came, then the server closed: still not TLS. */
    CHECK_STATUS(mock_connect((const uint8_t *)"H", 1u, 0u, true), HF_ERR_TLS);
}

/* ------------------------------------------------------------------ a real plain server */

/* Like an HTTP server on its plain port: read what came (the ClientHello), answer 400, close. */
static void serve_plain(int lfd)
{
    char buf[2048];
    int c = accept(lfd, NULL, NULL);
    if (c < 0 || read(c, buf, sizeof buf) <= 0) {
        _exit(3);
    }
    if (write(c, k_http, sizeof k_http - 1u) != (ssize_t)(sizeof k_http - 1u)) {
        _exit(4);
    }
    close(c);
    _exit(0);
}

static void test_live(void)
{
    static hf_posix_transport_t px;
    static hf_client_t cl;
    static uint8_t io[2048];
    static uint8_t mem[4096];
    hf_transport_t inner;
    hf_mbedtls_config_t tc;
    hf_client_config_t cfg;
    hf_text_classification_input_t in;
    hf_text_classification_output_t out;
    hf_arena_t a;
    char url[64], want[192];
    uint16_t port;
    int status = -1, lfd = hf_test_listen_loopback(&port);
    pid_t pid = fork();
    if (pid == 0) {
        serve_plain(lfd);
    }
    close(lfd);
    inner = hf_posix_transport(&px);
    memset(&tc, 0, sizeof tc);
    tc.ca = (const uint8_t *)k_ca;
    tc.clock = hf_posix_clock();
    CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_OK);
    (void)snprintf(url, sizeof url, "https://127.0.0.1:%u", (unsigned)port);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = url;
    cfg.transport = hf_mbedtls_transport(&tls);
    cfg.clock = hf_posix_clock();
    cfg.io_buf = io;
    cfg.io_buf_size = sizeof io;
    cfg.connect_timeout_ms = 5000u;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_arena_init(&a, mem, sizeof mem);
    memset(&in, 0, sizeof in);
    in.inputs = "x";
    CHECK_STATUS(hf_text_classification(&cl, "m", &in, &a, &out), HF_ERR_TLS);
    (void)snprintf(want, sizeof want, "connect to 127.0.0.1:%u: " NOT_TLS, (unsigned)port);
    CHECK_STR(hf_client_error(&cl)->message, want);
    hf_client_close(&cl);
    hf_mbedtls_free(&tls);
    (void)waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
    test_mock();
    test_live();
    return CHECK_DONE();
}
