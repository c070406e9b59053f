/* TLS over any hf_transport_t through mbedTLS 2.28 or 3.x (contract: hf_transport.h; mapping
 * and RAM: hf_mbedtls.h). The inner transport is driven through mbedtls_ssl_set_bio(); every
 * call has one deadline (its timeout_ms) that the bio callbacks pass down as their wait. */
#include "hf/port/hf_mbedtls.h"

#include <string.h>

#include "hf_mbedtls_priv.h"
#include "mbedtls/version.h"

/* The values of MBEDTLS_ERR_NET_SEND_FAILED / _RECV_FAILED, without needing net_sockets.h
 * (absent from some SDK builds): mbedTLS hands a bio's negative return back unchanged. */
#define HF_TLS_BIO_SEND_FAILED (-0x004E)
#define HF_TLS_BIO_RECV_FAILED (-0x004C)

/* A "nothing yet" with time left means the inner transport came back early; this many in one
 * call and the call gives up as if its time were over (a frozen clock cannot spin forever). */
#define HF_TLS_MAX_IDLE_SPINS 1000u

#define HF_TLS_ALERT 21u
#define HF_TLS_CCS 20u

/* ------------------------------------------------------------------ small helpers */

static uint32_t now_ms(const hf_mbedtls_transport_t *t)
{
    return t->cfg.clock.now_ms(t->cfg.clock.user);
}

static void op_begin(hf_mbedtls_transport_t *t, uint32_t timeout_ms)
{
    t->op_start = now_ms(t);
    t->op_budget = timeout_ms;
    t->bio_status = HF_OK;
}

static uint32_t op_left(const hf_mbedtls_transport_t *t)
{
    uint32_t spent = now_ms(t) - t->op_start;
    return spent >= t->op_budget ? 0u : t->op_budget - spent;
}

static bool is_want(int ret)
{
    return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE
#if defined(MBEDTLS_ERR_SSL_CRYPTO_IN_PROGRESS)
           || ret == MBEDTLS_ERR_SSL_CRYPTO_IN_PROGRESS
#endif
#if defined(MBEDTLS_ERR_SSL_ASYNC_IN_PROGRESS)
           || ret == MBEDTLS_ERR_SSL_ASYNC_IN_PROGRESS
#endif
        ;
}

static bool is_ticket(int ret)
{
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
    return ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET;
#else
    (void)ret;
    return false;
#endif
}

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

hf_status_t hf_priv_tls_say(hf_mbedtls_transport_t *t, hf_status_t st, int32_t native, const char *text)
{
    t->native = native;
    t->describe[0] = '\0';
    hf_priv_tls_cat(t->describe, sizeof t->describe, text);
    return st;
}

/* " (mbedTLS -0x7100)" */
static void cat_mbed_code(hf_mbedtls_transport_t *t, int ret)
{
    hf_priv_tls_cat(t->describe, sizeof t->describe, " (mbedTLS ");
    hf_priv_tls_cat_code(t->describe, sizeof t->describe, (int32_t)ret);
    hf_priv_tls_cat(t->describe, sizeof t->describe, ")");
}

/* ------------------------------------------------------------------ record tracker */

/* Follows the server's record stream as the bio hands it to mbedTLS, so that a failure can be
 * told apart afterwards: a record that cannot fit the input buffer, or the alert the server
 * sent in clear. mbedTLS's own fields for these are private in 3.x. */
/* A TLS record starts with a content type 20..23 and a major version 3 (RFC 5246 6.2.1, the
 * same in 8446 5.1): a server that answers "HTTP/1.1 400" to the ClientHello fails both. */
static void check_first(hf_mbedtls_records_t *r)
{
    uint8_t b = r->hdr[r->hdr_have - 1u];
    bool bad = r->hdr_have == 1u ? (b < HF_TLS_CCS || b > 23u) : r->hdr_have == 2u && b != 3u;
    r->not_tls = (uint8_t)(r->not_tls | bad);
}

static void track(hf_mbedtls_records_t *r, const uint8_t *p, size_t n)
{
    while (n > 0u) {
        size_t take;
        if (r->body_left == 0u) {
            r->hdr[r->hdr_have++] = *p++;
            n--;
            if (r->first_done == 0u) {
                check_first(r);
            }
            if (r->hdr_have == sizeof r->hdr) {
                r->first_done = 1u;
                r->hdr_have = 0u;
                r->type = r->hdr[0];
                r->len = (uint32_t)r->hdr[3] << 8 | r->hdr[4];
                r->body_left = r->len;
                r->ccs_seen = (uint8_t)(r->ccs_seen | (r->type == HF_TLS_CCS));
                if (r->type == HF_TLS_ALERT && r->ccs_seen == 0u) {
                    r->alert_have = 0u;
                }
            }
            continue;
        }
        take = n < r->body_left ? n : r->body_left;
        for (size_t i = 0; i < take && r->type == HF_TLS_ALERT && r->ccs_seen == 0u && r->alert_have < 2u;
             i++) {
            r->alert[r->alert_have++] = p[i];
        }
        p += take;
        n -= take;
        r->body_left -= (uint32_t)take;
    }
}

/* Content type 20..23, version 3.1..3.4 (RFC 5246 6.2.1, RFC 8446 5.1). */
static bool header_valid(const uint8_t h[5])
{
    return h[0] >= HF_TLS_CCS && h[0] <= 23u && h[1] == 3u && h[2] >= 1u && h[2] <= 4u;
}

/* The last record header is complete and no byte of its body was read: mbedTLS stopped on it. */
static bool stopped_at_header(const hf_mbedtls_transport_t *t)
{
    return t->rec.first_done != 0u && t->rec.hdr_have == 0u && t->rec.body_left == t->rec.len;
}

/* Only a well-formed header's length says anything about the buffer: random bytes announce
 * random lengths, and blaming MBEDTLS_SSL_IN_CONTENT_LEN for them would send users astray. */
static bool record_invalid(const hf_mbedtls_transport_t *t)
{
    return stopped_at_header(t) && !header_valid(t->rec.hdr);
}

/* mbedTLS stopped before reading the body of a record announced longer than its buffer. */
static bool record_too_large(const hf_mbedtls_transport_t *t)
{
    return t->rec.body_left > 0u && stopped_at_header(t) && header_valid(t->rec.hdr) &&
           t->rec.len > MBEDTLS_SSL_IN_CONTENT_LEN;
}

/* ------------------------------------------------------------------ bio */

static void bio_fail(hf_mbedtls_transport_t *t, int r)
{
    const hf_transport_t *in = &t->inner;
    const char *d = in->describe != NULL ? in->describe(in->ctx) : NULL;
    t->bio_status = (hf_status_t)r;
    t->native = in->native_error != NULL ? in->native_error(in->ctx) : 0;
    t->describe[0] = '\0';
    hf_priv_tls_cat(t->describe, sizeof t->describe, d != NULL ? d : "");
}

int hf_priv_tls_bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    hf_mbedtls_transport_t *t = (hf_mbedtls_transport_t *)ctx;
    int r = t->inner.send(t->inner.ctx, buf, len, op_left(t));
    if (r > 0 && (size_t)r <= len) {
        return r;
    }
    if (r == 0) {
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    bio_fail(t, r < 0 ? r : (int)HF_ERR_IO);
    return HF_TLS_BIO_SEND_FAILED;
}

int hf_priv_tls_bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    hf_mbedtls_transport_t *t = (hf_mbedtls_transport_t *)ctx;
    int r = t->inner.recv(t->inner.ctx, buf, len, op_left(t));
    if (r > 0 && (size_t)r <= len) {
        track(&t->rec, buf, (size_t)r);
        return r;
    }
    if (r == 0) {
        return MBEDTLS_ERR_SSL_WANT_READ;
    }
    if (r == (int)HF_ERR_CLOSED) {
        return 0; /* mbedTLS's EOF */
    }
    bio_fail(t, r < 0 ? r : (int)HF_ERR_IO);
    return HF_TLS_BIO_RECV_FAILED;
}

/* ------------------------------------------------------------------ failures */

static hf_status_t too_large(hf_mbedtls_transport_t *t, int ret)
{
    (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret,
                          "TLS record larger than input buffer (MBEDTLS_SSL_IN_CONTENT_LEN): ");
    hf_priv_tls_cat_u32(t->describe, sizeof t->describe, t->rec.len);
    hf_priv_tls_cat(t->describe, sizeof t->describe, " bytes announced, buffer holds ");
    hf_priv_tls_cat_u32(t->describe, sizeof t->describe, (uint32_t)MBEDTLS_SSL_IN_CONTENT_LEN);
    cat_mbed_code(t, ret);
    return HF_ERR_TLS;
}

static void cat_hex2(char *buf, size_t cap, uint8_t b)
{
    if (b < 16u) {
        hf_priv_tls_cat(buf, cap, "0");
    }
    hf_priv_tls_cat_hex(buf, cap, b);
}

static hf_status_t invalid_record(hf_mbedtls_transport_t *t, int ret)
{
    (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, "invalid TLS record (type 0x");
    cat_hex2(t->describe, sizeof t->describe, t->rec.hdr[0]);
    hf_priv_tls_cat(t->describe, sizeof t->describe, ", version 0x");
    cat_hex2(t->describe, sizeof t->describe, t->rec.hdr[1]);
    cat_hex2(t->describe, sizeof t->describe, t->rec.hdr[2]);
    hf_priv_tls_cat(t->describe, sizeof t->describe, ")");
    cat_mbed_code(t, ret);
    return HF_ERR_TLS;
}

/* A failed read or write on an open connection. */
static hf_status_t io_error(hf_mbedtls_transport_t *t, int ret, const char *what)
{
    t->state = HF_MBEDTLS_FAILED;
    if (t->bio_status != HF_OK) {
        if (t->describe[0] == '\0') {
            hf_priv_tls_cat(t->describe, sizeof t->describe, "the transport under TLS failed");
        }
        return t->bio_status;
    }
    if (record_too_large(t)) {
        return too_large(t, ret);
    }
    if (record_invalid(t)) {
        return invalid_record(t, ret);
    }
    (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, what);
    hf_priv_tls_cat_strerror(t->describe, sizeof t->describe, ret);
    cat_mbed_code(t, ret);
    return HF_ERR_TLS;
}

static hf_status_t alert_error(hf_mbedtls_transport_t *t, int ret)
{
    uint8_t desc = t->rec.alert[1];
    (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, "TLS handshake failed: the server sent alert ");
    hf_priv_tls_cat(t->describe, sizeof t->describe, hf_priv_tls_alert_name(desc));
    hf_priv_tls_cat(t->describe, sizeof t->describe, " (");
    hf_priv_tls_cat_u32(t->describe, sizeof t->describe, desc);
    hf_priv_tls_cat(t->describe, sizeof t->describe, ")");
#if !defined(MBEDTLS_SSL_PROTO_TLS1_3)
    if (desc == 70u) {
        hf_priv_tls_cat(t->describe, sizeof t->describe,
                        ": the server may accept only TLS 1.3, which this mbedTLS does not speak");
    }
#endif
    cat_mbed_code(t, ret);
    return HF_ERR_TLS;
}

static hf_status_t handshake_error(hf_mbedtls_transport_t *t, int ret)
{
    uint32_t flags = mbedtls_ssl_get_verify_result(&t->ssl);
    /* First: a plain server may also reset the connection after its answer. */
    if (t->rec.not_tls != 0u) {
        return hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret,
                               "the server did not answer with TLS (plain HTTP on an https:// URL?)");
    }
    if (t->bio_status != HF_OK) {
        if (t->describe[0] == '\0') {
            hf_priv_tls_cat(t->describe, sizeof t->describe, "the transport failed during the TLS handshake");
        }
        return t->bio_status;
    }
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || (flags != 0u && flags != 0xFFFFFFFFu)) {
        t->native = (int32_t)flags;
        (void)hf_mbedtls_verify_text(flags, t->name, t->describe, sizeof t->describe);
        return HF_ERR_CERTIFICATE;
    }
    if (record_too_large(t)) {
        return too_large(t, ret);
    }
    if (record_invalid(t)) {
        return invalid_record(t, ret);
    }
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && t->rec.alert_have == 2u) {
        return alert_error(t, ret);
    }
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF || ret == 0) {
        (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret,
                              "the server closed the connection during the TLS handshake");
        cat_mbed_code(t, ret);
        return HF_ERR_TLS;
    }
    (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, "TLS handshake failed: ");
    hf_priv_tls_cat_strerror(t->describe, sizeof t->describe, ret);
    cat_mbed_code(t, ret);
    return HF_ERR_TLS;
}

/* ------------------------------------------------------------------ sessions */

static bool is_tls13(const hf_mbedtls_transport_t *t)
{
#if defined(MBEDTLS_SSL_PROTO_TLS1_3) && MBEDTLS_VERSION_NUMBER >= 0x03020000
    return mbedtls_ssl_get_version_number(&t->ssl) == MBEDTLS_SSL_VERSION_TLS1_3;
#else
    (void)t;
    return false;
#endif
}

static void save_session(hf_mbedtls_transport_t *t)
{
    mbedtls_ssl_session_free(&t->session);
    mbedtls_ssl_session_init(&t->session);
    t->have_session = mbedtls_ssl_get_session(&t->ssl, &t->session) == 0;
    if (t->have_session) {
        memcpy(t->session_host, t->name, slen(t->name) + 1u);
        t->session_port = t->port;
    }
}

void hf_mbedtls_forget_session(hf_mbedtls_transport_t *t)
{
    if (t != NULL && t->inited) {
        mbedtls_ssl_session_free(&t->session);
        mbedtls_ssl_session_init(&t->session);
        t->have_session = false;
        t->session_host[0] = '\0';
    }
}

/* ------------------------------------------------------------------ transport */

void hf_priv_tls_close(void *ctx)
{
    hf_mbedtls_transport_t *t = (hf_mbedtls_transport_t *)ctx;
    if (!t->ready) {
        return;
    }
    if (t->state == HF_MBEDTLS_OPEN || t->state == HF_MBEDTLS_PEER_CLOSED || t->state == HF_MBEDTLS_PEER_CUT) {
        int32_t native = t->native;
        op_begin(t, HF_MBEDTLS_CLOSE_TIMEOUT_MS);
        /* Best effort: the peer may be gone already; the last failure's detail stays. */
        for (unsigned i = 0; i < HF_TLS_MAX_IDLE_SPINS; i++) {
            int ret = mbedtls_ssl_close_notify(&t->ssl);
            if (!is_want(ret) || op_left(t) == 0u) {
                break;
            }
        }
        t->native = native;
    }
    if (t->state != HF_MBEDTLS_IDLE) {
        t->inner.close(t->inner.ctx);
    }
    t->state = HF_MBEDTLS_IDLE;
}

static hf_status_t handshake(hf_mbedtls_transport_t *t)
{
    for (unsigned spins = 0;;) {
        int ret = mbedtls_ssl_handshake(&t->ssl);
        if (ret == 0) {
            return HF_OK;
        }
        if (!is_want(ret)) {
            return handshake_error(t, ret);
        }
        if (op_left(t) == 0u || ++spins >= HF_TLS_MAX_IDLE_SPINS) {
            return hf_priv_tls_say(t, HF_ERR_TIMEOUT, 0, "TLS handshake timed out");
        }
    }
}

static hf_status_t start_session(hf_mbedtls_transport_t *t)
{
    int ret = mbedtls_ssl_session_reset(&t->ssl);
    if (ret == 0) {
        ret = mbedtls_ssl_set_hostname(&t->ssl, t->name);
    }
    if (ret != 0) {
        (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, "TLS setup failed: ");
        hf_priv_tls_cat_strerror(t->describe, sizeof t->describe, ret);
        return HF_ERR_TLS;
    }
    if (t->have_session && t->session_port == t->port && strcmp(t->session_host, t->name) == 0) {
        /* A session the server no longer knows just costs a full handshake. */
        (void)mbedtls_ssl_set_session(&t->ssl, &t->session);
    }
    return HF_OK;
}

static hf_status_t tls_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    hf_mbedtls_transport_t *t = (hf_mbedtls_transport_t *)ctx;
    const char *name;
    hf_status_t st;
    if (!t->ready || host == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    hf_priv_tls_close(t);
    op_begin(t, timeout_ms);
    (void)hf_priv_tls_say(t, HF_OK, 0, "");
    memset(&t->rec, 0, sizeof t->rec);
    name = t->cfg.server_name != NULL ? t->cfg.server_name : host;
    if (slen(name) >= sizeof t->name) {
        return hf_priv_tls_say(t, HF_ERR_INVALID_ARG, 0, "server name longer than HF_MBEDTLS_HOST_MAX");
    }
    memcpy(t->name, name, slen(name) + 1u);
    t->port = port;
    st = t->inner.connect(t->inner.ctx, host, port, timeout_ms);
    if (st != HF_OK) {
        bio_fail(t, (int)st);
        return st;
    }
    t->state = HF_MBEDTLS_FAILED; /* until the handshake is done, close() sends nothing */
    st = start_session(t);
    if (st == HF_OK) {
        st = handshake(t);
    }
    if (st != HF_OK) {
        if (st == HF_ERR_TLS || st == HF_ERR_CERTIFICATE) {
            hf_mbedtls_forget_session(t); /* the session may be what the server refused */
        }
        hf_priv_tls_close(t);
        return st;
    }
    t->state = HF_MBEDTLS_OPEN;
    t->handshakes++;
    if (!is_tls13(t)) {
        save_session(t); /* TLS 1.3 tickets arrive after the handshake: saved in recv */
    }
    return HF_OK;
}

static int not_open(hf_mbedtls_transport_t *t)
{
    if (t->state == HF_MBEDTLS_PEER_CLOSED || t->state == HF_MBEDTLS_PEER_CUT) {
        return t->state == HF_MBEDTLS_PEER_CLOSED ? (int)HF_ERR_CLOSED : (int)HF_ERR_TRUNCATED;
    }
    return (int)hf_priv_tls_say(t, HF_ERR_IO, 0,
                                t->state == HF_MBEDTLS_FAILED ? "TLS connection failed earlier"
                                                              : "TLS not connected");
}

static int tls_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    hf_mbedtls_transport_t *t = (hf_mbedtls_transport_t *)ctx;
    size_t n = len > 0x7FFFFFFFu ? 0x7FFFFFFFu : len;
    if (t->state != HF_MBEDTLS_OPEN) {
        return not_open(t);
    }
    if (len == 0u) {
        return 0;
    }
    op_begin(t, timeout_ms);
    for (unsigned spins = 0;;) {
        int ret = mbedtls_ssl_write(&t->ssl, buf, n);
        if (ret > 0) {
            return ret;
        }
        if (is_ticket(ret)) {
            save_session(t);
            continue;
        }
        if (!is_want(ret)) {
            return (int)io_error(t, ret, "TLS write failed: ");
        }
        if (op_left(t) == 0u || ++spins >= HF_TLS_MAX_IDLE_SPINS) {
            return 0;
        }
    }
}

/* Without close_notify the end cannot be told from a cut (RFC 2818 2.2.2): say so with
 * HF_ERR_TRUNCATED and let the HTTP layer judge whether the framing makes that harmless. */
static int peer_closed(hf_mbedtls_transport_t *t, int ret)
{
    if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
        t->state = HF_MBEDTLS_PEER_CLOSED;
        return (int)hf_priv_tls_say(t, HF_ERR_CLOSED, (int32_t)ret, "the server sent close_notify");
    }
    t->state = HF_MBEDTLS_PEER_CUT;
    return (int)hf_priv_tls_say(t, HF_ERR_TRUNCATED, (int32_t)ret,
                                "the server closed TCP without close_notify");
}

static int tls_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    hf_mbedtls_transport_t *t = (hf_mbedtls_transport_t *)ctx;
    size_t n = cap > 0x7FFFFFFFu ? 0x7FFFFFFFu : cap;
    if (t->state != HF_MBEDTLS_OPEN) {
        return not_open(t);
    }
    if (cap == 0u) {
        return 0;
    }
    op_begin(t, timeout_ms);
    for (unsigned spins = 0;;) {
        int ret = mbedtls_ssl_read(&t->ssl, buf, n);
        if (ret > 0) {
            return ret;
        }
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == MBEDTLS_ERR_SSL_CONN_EOF) {
            return peer_closed(t, ret);
        }
        if (is_ticket(ret)) {
            save_session(t);
            continue;
        }
        if (!is_want(ret)) {
            return (int)io_error(t, ret, "TLS read failed: ");
        }
        if (op_left(t) == 0u || ++spins >= HF_TLS_MAX_IDLE_SPINS) {
            return 0;
        }
    }
}

static int32_t tls_native(void *ctx)
{
    return ((hf_mbedtls_transport_t *)ctx)->native;
}

static const char *tls_describe(void *ctx)
{
    return ((hf_mbedtls_transport_t *)ctx)->describe;
}

hf_transport_t hf_mbedtls_transport(hf_mbedtls_transport_t *t)
{
    hf_transport_t tr;
    tr.connect = tls_connect;
    tr.send = tls_send;
    tr.recv = tls_recv;
    tr.close = hf_priv_tls_close;
    tr.native_error = tls_native;
    tr.describe = tls_describe;
    tr.ctx = t;
    return tr;
}
