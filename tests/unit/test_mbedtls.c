/* mbedTLS port over the scripted mock transport: set-up refusals, verify-flag texts, how the
 * bio maps the inner transport's answers (0, closed, errors, deadlines), alerts, and a record
 * header announcing more than the input buffer (case 21). No network, no server process:
 * the real handshakes are in test_mbedtls_live.c.
 *
 * Expected values: flag values from mbedtls/x509.h, error codes from mbedtls/ssl.h, record
 * and alert bytes from RFC 5246 6.2.1 / 7.2, case 21 from shared/cases. */
#include <string.h>

#include "check.h"
#include "hf/port/hf_mbedtls.h"
#include "mock_transport.h"

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

static hf_mock_t m;
static hf_mbedtls_transport_t tls;
static hf_transport_t inner, tr;
static hf_mbedtls_config_t tc;

static hf_status_t setup(void)
{
    hf_mock_init(&m);
    inner = hf_mock_transport(&m);
    memset(&tc, 0, sizeof tc);
    tc.ca = (const uint8_t *)k_ca;
    tc.clock = hf_mock_clock(&m);
    return hf_mbedtls_init(&tls, &tc, &inner);
}

static void begin(void)
{
    CHECK_STATUS(setup(), HF_OK);
    tr = hf_mbedtls_transport(&tls);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ------------------------------------------------------------------ verify texts */

static void check_text(uint32_t flags, const char *name, const char *want)
{
    char buf[HF_MBEDTLS_DESCRIBE_MAX];
    CHECK_STR(hf_mbedtls_verify_text(flags, name, buf, sizeof buf), want);
}

static void test_verify_texts(void)
{
    /* mbedtls/x509.h: EXPIRED 0x01, CN_MISMATCH 0x04, NOT_TRUSTED 0x08, FUTURE 0x200. */
    check_text(0x01u, NULL, "certificate expired (verify flags 0x1)");
    check_text(0x200u, NULL, "certificate not yet valid: is the device clock set? (verify flags 0x200)");
    check_text(0x04u, "wrong.example",
               "name mismatch: the certificate's CN/SAN do not name \"wrong.example\" (verify flags 0x4)");
    check_text(0x04u, NULL,
               "name mismatch: the certificate's CN/SAN do not name the server (verify flags 0x4)");
    check_text(0x08u, NULL,
               "certificate not trusted (issuer not in the CA chain, or self-signed) (verify flags 0x8)");
    /* Several at once: clock first, then name, then trust. */
    check_text(
        0x20Cu, "h",
        "certificate not yet valid: is the device clock set?; name mismatch: the certificate's CN/SAN do "
        "not name \"h\"; certificate not trusted (issuer not in the CA chain, or self-signed) (verify "
        "flags 0x20C)");
    check_text(0x10000u, NULL, "certificate key too weak or curve not allowed (verify flags 0x10000)");
    check_text(0x100000u, NULL, "unknown verify flags (verify flags 0x100000)");
    check_text(0x100001u, NULL, "certificate expired; unknown verify flags (verify flags 0x100001)");
    check_text(0u, NULL, "certificate rejected (verify flags 0x0)");
    {
        char small[10];
        CHECK_STR(hf_mbedtls_verify_text(0x01u, NULL, small, sizeof small), "certifica");
    }
}

/* ------------------------------------------------------------------ set-up */

static void test_init_refusals(void)
{
    hf_mock_init(&m);
    inner = hf_mock_transport(&m);
    memset(&tc, 0, sizeof tc);
    tc.clock = hf_mock_clock(&m);
    CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_ERR_INVALID_ARG); /* no CA */
    CHECK_STR(tls.describe, "a CA chain and clock.now_ms are required");
    hf_mbedtls_free(&tls);

    tc.ca = (const uint8_t *)"not a certificate";
    CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_ERR_INVALID_ARG);
    CHECK(starts_with(tls.describe, "cannot parse the CA chain: "));
    CHECK(tls.native < 0);
    hf_mbedtls_free(&tls);

    tc.ca = (const uint8_t *)k_ca;
    tc.max_fragment_len = 1000u;
    CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_ERR_INVALID_ARG);
    CHECK_STR(tls.describe, "max_fragment_len must be 0, 512, 1024, 2048 or 4096");
    hf_mbedtls_free(&tls);

    tc.clock.now_ms = NULL;
    tc.max_fragment_len = 0u;
    CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_ERR_INVALID_ARG);
    hf_mbedtls_free(&tls);

    inner.recv = NULL;
    tc.clock = hf_mock_clock(&m);
    CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_ERR_INVALID_ARG);
    CHECK_STR(tls.describe, "inner transport incomplete");
    hf_mbedtls_free(&tls);
    CHECK_STATUS(hf_mbedtls_init(NULL, &tc, &inner), HF_ERR_INVALID_ARG);

    /* PEM with an explicit length (NUL included), and every max_fragment_len value. */
    inner = hf_mock_transport(&m);
    tc.ca_len = sizeof k_ca;
    for (unsigned v = 512u; v <= 4096u; v *= 2u) {
        tc.max_fragment_len = (uint16_t)v;
        CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_OK);
        hf_mbedtls_free(&tls);
    }
    hf_mbedtls_free(&tls); /* twice: harmless */
    {
        static hf_mbedtls_transport_t zeroed;
        hf_mbedtls_free(&zeroed);
        hf_mbedtls_forget_session(&zeroed);
    }
}

static void test_static_heap(void)
{
    static uint8_t heap[64];
#if defined(MBEDTLS_PLATFORM_MEMORY) && defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
    CHECK_STATUS(hf_mbedtls_static_heap(heap, sizeof heap), HF_ERR_INVALID_ARG); /* < 1 KiB */
    CHECK_STATUS(hf_mbedtls_static_heap(NULL, 4096u), HF_ERR_INVALID_ARG);
#else
    /* Debian's libmbedtls: no MBEDTLS_PLATFORM_MEMORY. */
    CHECK_STATUS(hf_mbedtls_static_heap(heap, sizeof heap), HF_ERR_UNSUPPORTED);
#endif
}

/* ------------------------------------------------------------------ not connected */

static void test_not_connected(void)
{
    uint8_t b[8];
    begin();
    CHECK_INT(tr.send(tr.ctx, b, sizeof b, 100u), HF_ERR_IO);
    CHECK_STR(tr.describe(tr.ctx), "TLS not connected");
    CHECK_INT(tr.recv(tr.ctx, b, sizeof b, 0u), HF_ERR_IO);
    tr.close(tr.ctx);
    tr.close(tr.ctx);
    CHECK_INT(m.closes, 0); /* never connected: the inner transport is not touched */
    CHECK_INT(tr.connect(tr.ctx, NULL, 443u, 100u), HF_ERR_INVALID_ARG);
    hf_mbedtls_free(&tls);
}

/* ------------------------------------------------------------------ handshake over the mock */

static void test_inner_connect_failure(void)
{
    begin();
    m.connect_status = HF_ERR_DNS;
    m.native = -2;
    CHECK_STATUS(tr.connect(tr.ctx, "nowhere.invalid", 443u, 1000u), HF_ERR_DNS);
    CHECK_INT(tr.native_error(tr.ctx), -2);
    CHECK_INT(m.sends, 0);
    hf_mbedtls_free(&tls);
}

/* The first bytes sent are a ClientHello: handshake record (22), handshake type 1 (RFC 5246). */
static void check_client_hello(void)
{
    CHECK(m.sent_len > 9u);
    CHECK_INT(m.sent[0], 22);
    CHECK_INT(m.sent[5], 1);
}

static void test_handshake_timeout(void)
{
    begin();
    /* Nothing answers: every read returns 0 and the fake clock moves by its timeout. */
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", 443u, 3000u), HF_ERR_TIMEOUT);
    CHECK_STR(tr.describe(tr.ctx), "TLS handshake timed out");
    check_client_hello();
    CHECK_INT(m.now, 1000u + 3000u); /* the fake clock starts at 1000: waited the budget, no more */
    CHECK(m.last_recv_timeout <= 3000u);
    CHECK_INT(m.closes, 1); /* the inner connection is not left open */
    hf_mbedtls_free(&tls);
}

static void test_closed_during_handshake(void)
{
    begin();
    hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0, 0);
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", 443u, 3000u), HF_ERR_TLS);
    /* mbedtls/ssl.h: MBEDTLS_ERR_SSL_CONN_EOF -0x7280 */
    CHECK_STR(tr.describe(tr.ctx),
              "the server closed the connection during the TLS handshake (mbedTLS -0x7280)");
    CHECK_INT(tr.native_error(tr.ctx), -0x7280);
    CHECK_INT(m.closes, 1);
    hf_mbedtls_free(&tls);
}

static void test_inner_error_during_handshake(void)
{
    begin();
    m.native = 104; /* ECONNRESET, as the posix port would report it */
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_IO);
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", 443u, 3000u), HF_ERR_IO);
    CHECK_INT(tr.native_error(tr.ctx), 104);
    CHECK_STR(tr.describe(tr.ctx), "the transport failed during the TLS handshake");
    hf_mbedtls_free(&tls);
}

static void alert_case(uint8_t desc, const char *want)
{
    /* RFC 5246 7.2: alert record 21, version 3.3, length 2, level fatal (2), description. */
    const uint8_t alert[7] = {21, 3, 3, 0, 2, 2, desc};
    for (size_t split = 0; split <= 2u; split++) {
        begin();
        m.split = split; /* whole, 1 byte per read, 2 bytes per read */
        hf_mock_add(&m, HF_MOCK_DATA, alert, sizeof alert, 0);
        CHECK_STATUS(tr.connect(tr.ctx, "localhost", 443u, 3000u), HF_ERR_TLS);
        CHECK_STR(tr.describe(tr.ctx), want);
        CHECK_INT(tr.native_error(tr.ctx), -0x7780); /* MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE */
        hf_mbedtls_free(&tls);
    }
}

static void test_alerts(void)
{
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    alert_case(70u, "TLS handshake failed: the server sent alert protocol_version (70) (mbedTLS -0x7780)");
#else
    alert_case(70u,
               "TLS handshake failed: the server sent alert protocol_version (70): the server may accept "
               "only TLS 1.3, which this mbedTLS does not speak (mbedTLS -0x7780)");
#endif
    alert_case(40u, "TLS handshake failed: the server sent alert handshake_failure (40) (mbedTLS -0x7780)");
    alert_case(112u, "TLS handshake failed: the server sent alert unrecognized_name (112) (mbedTLS -0x7780)");
}

/* Case 21: a record header announcing more than the input buffer -> HF_ERR_TLS at once. */
static void too_large_case(const uint8_t hdr[5], size_t split)
{
    uint32_t announced = (uint32_t)hdr[3] << 8 | hdr[4];
    char want[HF_MBEDTLS_DESCRIBE_MAX];
    begin();
    m.split = split;
    hf_mock_add(&m, HF_MOCK_DATA, hdr, 5u, 0);
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", 443u, 3000u), HF_ERR_TLS);
    /* mbedTLS 2.28's ssl_msg.c refuses in mbedtls_ssl_fetch_input ("requesting more data than
     * fits"): MBEDTLS_ERR_SSL_BAD_INPUT_DATA -0x7100; older 2.x gave MBEDTLS_ERR_SSL_INVALID_RECORD
     * -0x7200 (case 21) and 3.x may too. Either way the text is the same. */
    CHECK(tr.native_error(tr.ctx) == -0x7100 || tr.native_error(tr.ctx) == -0x7200);
    snprintf(want, sizeof want,
             "TLS record larger than input buffer (MBEDTLS_SSL_IN_CONTENT_LEN): %u bytes announced, buffer "
             "holds %u (mbedTLS -0x%X)",
             (unsigned)announced, (unsigned)MBEDTLS_SSL_IN_CONTENT_LEN, (unsigned)-tr.native_error(tr.ctx));
    CHECK_STR(tr.describe(tr.ctx), want);
    CHECK_INT(m.now, 1000u); /* failed without waiting for the body */
    CHECK_INT(m.reads_past_end, 0);
    CHECK_INT(m.closes, 1);
    hf_mbedtls_free(&tls);
}

static void test_record_too_large(void)
{
    /* Handshake record (22), TLS 1.2, 65535 bytes: more than any input buffer holds. */
    static const uint8_t big[5] = {22, 3, 3, 0xFF, 0xFF};
    /* Case 21's header: application data (23), 0x4018 = 16408 bytes. */
    static const uint8_t case21[5] = {0x17, 0x03, 0x03, 0x40, 0x18};
    for (size_t split = 0; split <= 5u; split++) {
        too_large_case(big, split);
    }
#if MBEDTLS_SSL_IN_CONTENT_LEN <= 8192
    for (size_t split = 0; split <= 5u; split++) {
        too_large_case(case21, split);
    }
#elif MBEDTLS_SSL_IN_CONTENT_LEN >= 16384
    /* A 16 KiB input buffer holds 16384 plaintext + the record overhead: 16408 fits, so mbedTLS
     * waits for the body; with none coming the handshake ends at its deadline, never hangs. */
    begin();
    hf_mock_add(&m, HF_MOCK_DATA, case21, sizeof case21, 0);
    CHECK_STATUS(tr.connect(tr.ctx, "localhost", 443u, 3000u), HF_ERR_TIMEOUT);
    CHECK_STR(tr.describe(tr.ctx), "TLS handshake timed out");
    CHECK_INT(m.now, 1000u + 3000u);
    hf_mbedtls_free(&tls);
#endif
}

/* Bytes after a first, well-formed record that are not a TLS header (the reviewer's 0xF7 0x02 ...
 * announced "63234 bytes", 0xF702): an invalid record, not a buffer too small. The first record
 * is a warning alert (RFC 5246 7.2: level 1, user_canceled 90), which mbedTLS skips during the
 * handshake, so the garbage is the header it stops on. */
static void invalid_case(const uint8_t hdr[5], const char *what)
{
    static const uint8_t warn[7] = {21, 3, 3, 0, 2, 1, 90};
    uint8_t in[12];
    char want[HF_MBEDTLS_DESCRIBE_MAX];
    memcpy(in, warn, sizeof warn);
    memcpy(in + sizeof warn, hdr, 5u);
    for (size_t split = 0; split <= 5u; split++) {
        begin();
        m.split = split;
        hf_mock_add(&m, HF_MOCK_DATA, in, sizeof in, 0);
        CHECK_STATUS(tr.connect(tr.ctx, "localhost", 443u, 3000u), HF_ERR_TLS);
        snprintf(want, sizeof want, "%s (mbedTLS -0x%X)", what, (unsigned)-tr.native_error(tr.ctx));
        CHECK_STR(tr.describe(tr.ctx), want);
        CHECK(tr.native_error(tr.ctx) < 0);
        CHECK_INT(m.closes, 1);
        hf_mbedtls_free(&tls);
    }
}

static void test_invalid_record(void)
{
    static const uint8_t garbage[5] = {0xF7, 0x02, 0x01, 0xF7, 0x02}; /* type 0xF7: not 20..23 */
    static const uint8_t major2[5] = {0x16, 0x02, 0x01, 0xF7, 0x02};  /* version major 2 */
    static const uint8_t minor9[5] = {0x17, 0x03, 0x09, 0xF7, 0x02};  /* version 3.9 */
    invalid_case(garbage, "invalid TLS record (type 0xF7, version 0x0201)");
    invalid_case(major2, "invalid TLS record (type 0x16, version 0x0201)");
    invalid_case(minor9, "invalid TLS record (type 0x17, version 0x0309)");
}

/* A server name override is what SNI carries (RFC 6066 3: host_name in the ClientHello). */
static void test_server_name_in_client_hello(void)
{
    static const char name[] = "api.example.test";
    bool found = false;
    CHECK_STATUS(setup(), HF_OK);
    hf_mbedtls_free(&tls);
    tc.server_name = name;
    CHECK_STATUS(hf_mbedtls_init(&tls, &tc, &inner), HF_OK);
    tr = hf_mbedtls_transport(&tls);
    CHECK_STATUS(tr.connect(tr.ctx, "127.0.0.1", 443u, 100u), HF_ERR_TIMEOUT);
    for (size_t i = 0; i + sizeof name - 1u <= m.sent_len && !found; i++) {
        found = memcmp(m.sent + i, name, sizeof name - 1u) == 0;
    }
    CHECK(found);
    CHECK_STR(m.last_host, "127.0.0.1"); /* the inner transport still goes to the host */
    hf_mbedtls_free(&tls);
}

#include "mbedtls_heap.h"

int main(void)
{
    static_heap_begin();
    test_verify_texts();
    test_init_refusals();
    test_static_heap();
    test_not_connected();
    test_inner_connect_failure();
    test_handshake_timeout();
    test_closed_during_handshake();
    test_inner_error_during_handshake();
    test_alerts();
    test_record_too_large();
    test_invalid_record();
    test_server_name_in_client_hello();
    static_heap_end();
    return CHECK_DONE();
}
