/* The lwIP port on a real lwIP (Debian's liblwip, tapif on a TAP device in a network namespace)
 * against the simulator on the kernel side of the TAP link. Run by tests/lwip/run_netns.sh, which
 * sets the environment below; without it the test skips (exit 77).
 *   PRECONFIGURED_TAPIF  TAP device for lwIP's tapif       HF_LWIP_IP  lwIP's address on the link
 *   HF_LWIP_SIM_HOST     the simulator's address           HF_LWIP_SIM_PORT  its port
 * Every expected text is computed here from the simulator's documented synthetic stream
 * (tests/sim/README.md): N content events of "tok ", then a finish event and [DONE]. */
#define _GNU_SOURCE /* memmem */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hf/hf_chat_completion.h"
#include "hf/hf_client.h"
#include "hf/hf_image_classification.h"
#include "hf/port/hf_lwip.h"
#include "hf/port/hf_posix.h"
#include "lwip_harness.h"
#if HF_LWIP_TEST_TLS
#include "hf/port/hf_mbedtls.h"
#endif

#define SKIP_CODE 77
#define CHAT_EVENTS 300
#define UPLOAD_BYTES (1024u * 1024u)
#define KEEPALIVE_REQUESTS 5

#ifndef HF_FIXTURES_DIR
#define HF_FIXTURES_DIR "../shared/fixtures/recorded"
#endif
/* The simulator answers an image upload to this model with this recording's five classes. */
#define IMAGE_MODEL "google/vit-base-patch16-224"
#define IMAGE_FIXTURE HF_FIXTURES_DIR "/image_classification__js-proxy-vit-base-patch16-224-a78a3c.json"

static const char *g_host;
static uint16_t g_port;
static char g_url[256];

static uint8_t g_io[2048];
static uint8_t g_mem[32768];
static hf_client_t g_client;
static hf_lwip_transport_t g_lw;
static hf_posix_transport_t g_px;

static char g_ctl[4096];
static char g_log[2][3u * 1024u * 1024u];
static char g_upload[UPLOAD_BYTES + 1];
static uint8_t g_image[UPLOAD_BYTES];
static uint8_t g_decoded[UPLOAD_BYTES + 4];

typedef struct {
    char text[CHAT_EVENTS * 4 + 64];
    size_t len;
    bool overflow;
} acc_t;

static hf_status_t on_chunk(void *user, const hf_chat_completion_stream_output_t *ch)
{
    acc_t *a = (acc_t *)user;
    const char *s;
    size_t n;
    if (ch->choices_count == 0 || ch->choices[0].delta == NULL || ch->choices[0].delta->content == NULL) {
        return HF_OK;
    }
    s = ch->choices[0].delta->content;
    n = strlen(s);
    if (a->len + n >= sizeof a->text) {
        a->overflow = true;
        return HF_OK;
    }
    memcpy(a->text + a->len, s, n + 1);
    a->len += n;
    return HF_OK;
}

static void use_lwip(const hf_lwip_config_t *lcfg)
{
    hf_client_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = g_url;
    cfg.transport = hf_lwip_transport(&g_lw, lcfg);
    cfg.clock = hf_lwip_clock();
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.connect_timeout_ms = 3000;
    cfg.first_byte_timeout_ms = 5000;
    cfg.idle_timeout_ms = 5000;
    cfg.total_timeout_ms = 60000;
    if (hf_client_init(&g_client, &cfg) != HF_OK) {
        fprintf(stderr, "client init failed\n");
        exit(1);
    }
}

static void use_posix(void)
{
    hf_client_config_t cfg = g_client.cfg;
    cfg.base_url = g_url;
    cfg.transport = hf_posix_transport(&g_px);
    cfg.clock = hf_posix_clock();
    if (hf_client_init(&g_client, &cfg) != HF_OK) {
        fprintf(stderr, "client init failed\n");
        exit(1);
    }
}

/* A streamed chat with one user message to the synthetic stream of `events` events. */
/* A streamed chat with one user message to the synthetic stream of `events` events at `origin`
 * (scheme://host:port). */
static hf_status_t chat_at(const char *origin, unsigned events, const char *content, acc_t *acc)
{
    static char model[256];
    hf_chat_completion_input_message_t msg;
    hf_chat_completion_input_t in;
    hf_arena_t arena;
    memset(&msg, 0, sizeof msg);
    memset(&in, 0, sizeof in);
    memset(acc, 0, sizeof *acc);
    msg.role = "user";
    msg.content = content;
    in.messages = &msg;
    in.messages_count = 1;
    snprintf(model, sizeof model, "%s/sim/v1/chat/completions?events=%u", origin, events);
    hf_arena_init(&arena, g_mem, sizeof g_mem);
    return hf_chat_completion_stream(&g_client, model, &in, &arena, on_chunk, acc, NULL);
}

static hf_status_t chat(const char *host, unsigned events, const char *content, acc_t *acc)
{
    char origin[128];
    snprintf(origin, sizeof origin, "http://%s:%u", host, (unsigned)g_port);
    return chat_at(origin, events, content, acc);
}

static void expected_text(acc_t *e, unsigned events)
{
    memset(e, 0, sizeof *e);
    for (unsigned i = 0; i < events; i++) {
        memcpy(e->text + e->len, "tok ", 5);
        e->len += 4;
    }
}

static int ctl(const char *method, const char *path, const char *body)
{
    return harness_sim_http(g_host, g_port, method, path, body, g_ctl, sizeof g_ctl, NULL);
}

static int fault(const char *spec)
{
    return ctl("POST", "/__sim/faults", spec);
}

/* ------------------------------------------------------------------ the transport on its own */

static bool parse_v4(const char *s, uint8_t b[4])
{
    unsigned v[4];
    char end;
    if (sscanf(s, "%u.%u.%u.%u%c", &v[0], &v[1], &v[2], &v[3], &end) != 4) {
        return false;
    }
    for (int i = 0; i < 4; i++) {
        if (v[i] > 255u) {
            return false;
        }
        b[i] = (uint8_t)v[i];
    }
    return true;
}

static int send_all(hf_transport_t *tr, const char *s)
{
    size_t off = 0, n = strlen(s);
    for (int spins = 0; off < n && spins < 100; spins++) {
        int k = tr->send(tr->ctx, (const uint8_t *)s + off, n - off, 1000);
        if (k < 0) {
            return k;
        }
        off += (size_t)k;
    }
    return off == n ? 0 : HF_ERR_TIMEOUT;
}

static hf_status_t table_resolver(void *user, const char *host, uint32_t timeout_ms, hf_lwip_addr_t *out)
{
    (void)user;
    (void)timeout_ms;
    if (strcmp(host, "sim.lan") != 0) {
        return HF_ERR_DNS;
    }
    out->family = 4;
    return parse_v4(g_host, out->bytes) ? HF_OK : HF_ERR_DNS;
}

/* recv bounds: 0 at once for a poll, 0 after about the timeout, bytes, then CLOSED (never 0). */
static void test_recv_contract(void)
{
    hf_lwip_transport_t t;
    hf_transport_t tr = hf_lwip_transport(&t, NULL);
    static uint8_t buf[8192];
    size_t got = 0;
    uint32_t t0;
    int r = 0, zeros = 0;

    CHECK_STATUS(tr.connect(tr.ctx, g_host, g_port, 3000), HF_OK);
    t0 = harness_now_ms();
    CHECK_INT(tr.recv(tr.ctx, buf, sizeof buf, 0), 0);
    CHECK(harness_now_ms() - t0 < 100u);
    t0 = harness_now_ms();
    CHECK_INT(tr.recv(tr.ctx, buf, sizeof buf, 300), 0);
    t0 = harness_now_ms() - t0;
    CHECK(t0 >= 280u && t0 < 1500u);

    CHECK_INT(send_all(&tr, "GET /__sim/health HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n"), 0);
    for (int i = 0; i < 1000 && got < sizeof buf; i++) {
        r = tr.recv(tr.ctx, buf + got, sizeof buf - got, 2000);
        if (r < 0) {
            break;
        }
        zeros += r == 0;
        got += (size_t)r;
    }
    CHECK_INT(zeros, 0); /* the sim answers at once: a 2 s wait that gives nothing is a failure */
    CHECK_STATUS(r, HF_ERR_CLOSED);
    CHECK(got > 12 && memcmp(buf, "HTTP/1.1 200", 12) == 0);
    CHECK_STATUS(tr.recv(tr.ctx, buf, sizeof buf, 0), HF_ERR_CLOSED);
    CHECK_STATUS(tr.recv(tr.ctx, buf, sizeof buf, 200), HF_ERR_CLOSED);
    tr.close(tr.ctx);
    tr.close(tr.ctx);
    CHECK_STATUS(tr.recv(tr.ctx, buf, sizeof buf, 0), HF_ERR_IO);
    CHECK_STATUS(tr.send(tr.ctx, buf, 1, 0), HF_ERR_IO);
}

static void test_connect_outcomes(void)
{
    hf_lwip_transport_t t;
    hf_lwip_config_t lc;
    hf_transport_t tr = hf_lwip_transport(&t, NULL);
    uint32_t t0;
    uint8_t peer[4];
    char absent[32];

    /* nobody listens on port 1: the kernel answers RST, which lwIP reports as ECONNRESET */
    CHECK_STATUS(tr.connect(tr.ctx, g_host, 1, 3000), HF_ERR_IO);
    CHECK_INT(tr.native_error(tr.ctx), ECONNRESET);
    CHECK_STR(tr.describe(tr.ctx), "connection refused or reset by the peer");

    /* an address on the link that nobody owns: ARP never answers, the wait is the timeout */
    CHECK(parse_v4(g_host, peer));
    snprintf(absent, sizeof absent, "%u.%u.%u.%u", peer[0], peer[1], peer[2], (unsigned)(peer[3] ^ 0x40u));
    t0 = harness_now_ms();
    CHECK_STATUS(tr.connect(tr.ctx, absent, 80, 400), HF_ERR_TIMEOUT);
    t0 = harness_now_ms() - t0;
    CHECK(t0 >= 380u && t0 < 1500u);
    CHECK_INT(tr.native_error(tr.ctx), ETIMEDOUT);

    /* Debian's lwIP has no DNS: a name needs the hook */
    CHECK_STATUS(tr.connect(tr.ctx, "sim.lan", g_port, 1000), HF_ERR_DNS);
    CHECK_STATUS(tr.connect(tr.ctx, "", g_port, 1000), HF_ERR_INVALID_ARG);
    memset(&lc, 0, sizeof lc);
    lc.resolve = table_resolver;
    tr = hf_lwip_transport(&t, &lc);
    CHECK_STATUS(tr.connect(tr.ctx, "other.lan", g_port, 1000), HF_ERR_DNS);
    CHECK_STATUS(tr.connect(tr.ctx, "sim.lan", g_port, 3000), HF_OK);
    tr.close(tr.ctx);
}

/* ------------------------------------------------------------------ the client over lwIP */

static void test_chat_same_as_posix(void)
{
    static acc_t lw, px, want;
    hf_lwip_config_t lc;
    expected_text(&want, CHAT_EVENTS);
    use_lwip(NULL);
    CHECK_STATUS(chat(g_host, CHAT_EVENTS, "Hello", &lw), HF_OK);
    use_posix();
    CHECK_STATUS(chat(g_host, CHAT_EVENTS, "Hello", &px), HF_OK);
    hf_client_close(&g_client);
    CHECK(!lw.overflow && !px.overflow);
    CHECK_INT(lw.len, CHAT_EVENTS * 4);
    CHECK_MEM(lw.text, lw.len, want.text, want.len);
    CHECK_MEM(lw.text, lw.len, px.text, px.len);

    /* the same through a host name and the resolver hook */
    memset(&lc, 0, sizeof lc);
    lc.resolve = table_resolver;
    use_lwip(&lc);
    CHECK_STATUS(chat("sim.lan", 3, "Hello", &lw), HF_OK);
    CHECK_STR(lw.text, "tok tok tok ");
    hf_client_close(&g_client);
}

static void test_keepalive(void)
{
    static acc_t a;
    int ok = 0;
    use_lwip(NULL);
    CHECK_INT(ctl("POST", "/__sim/reset", ""), 200);
    for (int i = 0; i < KEEPALIVE_REQUESTS; i++) {
        ok += chat(g_host, 4, "Hello", &a) == HF_OK && strcmp(a.text, "tok tok tok tok ") == 0;
    }
    CHECK_INT(ok, KEEPALIVE_REQUESTS);
    CHECK_INT(g_client.connects, 1);
    CHECK_INT(g_client.requests_on_conn, KEEPALIVE_REQUESTS);
    CHECK_INT(ctl("GET", "/__sim/stats", NULL), 200);
    CHECK_INT(harness_json_int(g_ctl, "requests"), KEEPALIVE_REQUESTS);
    /* one lwIP connection for the chats, one kernel connection for this stats request */
    CHECK_INT(harness_json_int(g_ctl, "connections"), 2);
    hf_client_close(&g_client);
}

/* ~1 MB request body: what the simulator logged from lwIP equals what it logged from POSIX. */
static const char *upload(int which, size_t *len)
{
    static acc_t a;
    size_t n = 0;
    CHECK_INT(ctl("DELETE", "/__sim/log", NULL), 200);
    CHECK_STATUS(chat(g_host, 2, g_upload, &a), HF_OK);
    CHECK_STR(a.text, "tok tok ");
    hf_client_close(&g_client);
    CHECK_INT(
        harness_sim_http(g_host, g_port, "GET", "/__sim/log", NULL, g_log[which], sizeof g_log[which], &n),
        200);
    CHECK(n > UPLOAD_BYTES && n < sizeof g_log[which] - 1);
    return harness_json_last_str(g_log[which], "body_text", len);
}

static void test_upload(void)
{
    const char *lb, *pb;
    size_t ll = 0, pl = 0;
    for (size_t i = 0; i < UPLOAD_BYTES; i++) {
        g_upload[i] = (char)('a' + (char)(i % 26u));
    }
    g_upload[UPLOAD_BYTES] = '\0';
    use_lwip(NULL);
    lb = upload(0, &ll);
    use_posix();
    pb = upload(1, &pl);
    CHECK(lb != NULL && pb != NULL);
    if (lb == NULL || pb == NULL) {
        return;
    }
    CHECK(ll > UPLOAD_BYTES);
    CHECK_MEM(lb, ll, pb, pl);
    /* the message sits in the body byte for byte (letters need no JSON escape) */
    CHECK(memmem(lb, ll, g_upload, UPLOAD_BYTES) != NULL);
}

/* ------------------------------------------------------------------ binary upload */

static int b64_value(char c)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c != '\0' ? strchr(abc, c) : NULL;
    return p != NULL ? (int)(p - abc) : -1;
}

/* Plain base64 decoder of the simulator's log (test-side, independent of hfmicro's codec). */
static size_t b64_decode(const char *s, size_t n, uint8_t *out, size_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        int v = b64_value(s[i]);
        if (v < 0) {
            return 0;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o == cap) {
                return 0;
            }
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return o;
}

typedef struct {
    char labels[5][64];
    float scores[5];
    size_t count;
} classes_t;

static hf_status_t classify(classes_t *r, int which, size_t *received)
{
    hf_image_classification_input_t in;
    hf_image_classification_output_t out;
    hf_arena_t arena;
    hf_status_t st;
    const char *b64;
    size_t n = 0;
    memset(&in, 0, sizeof in);
    memset(r, 0, sizeof *r);
    in.inputs.data = g_image;
    in.inputs.data_len = sizeof g_image;
    in.inputs.content_type = "image/jpeg";
    CHECK_INT(ctl("DELETE", "/__sim/log", NULL), 200);
    hf_arena_init(&arena, g_mem, sizeof g_mem);
    st = hf_image_classification(&g_client, IMAGE_MODEL, &in, &arena, &out);
    for (size_t i = 0; st == HF_OK && i < out.elements_count && i < 5; i++) {
        snprintf(r->labels[i], sizeof r->labels[i], "%s", out.elements[i].label);
        r->scores[i] = out.elements[i].score;
    }
    r->count = st == HF_OK ? out.elements_count : 0;
    hf_client_close(&g_client);
    CHECK_INT(
        harness_sim_http(g_host, g_port, "GET", "/__sim/log", NULL, g_log[which], sizeof g_log[which], &n),
        200);
    b64 = harness_json_last_str(g_log[which], "body_base64", &n);
    *received = b64 != NULL ? b64_decode(b64, n, g_decoded, sizeof g_decoded) : 0;
    return st;
}

/* A 1 MB binary image body (raw upload): the simulator received exactly these bytes, over lwIP
 * as over POSIX, and both decode the recording's classes. */
static void test_binary_upload(void)
{
    static classes_t lw, px;
    size_t got = 0;
    uint32_t x = 12345u;
    FILE *f = fopen(IMAGE_FIXTURE, "rb");
    if (f == NULL) {
        printf("SKIP part: binary upload needs the recording %s\n", IMAGE_FIXTURE);
        return;
    }
    fclose(f);
    for (size_t i = 0; i < sizeof g_image; i++) {
        x = x * 1103515245u + 12345u; /* every byte value, invalid UTF-8 included */
        g_image[i] = (uint8_t)(x >> 23);
    }
    use_lwip(NULL);
    CHECK_STATUS(classify(&lw, 0, &got), HF_OK);
    CHECK_MEM(g_decoded, got, g_image, sizeof g_image);
    use_posix();
    CHECK_STATUS(classify(&px, 1, &got), HF_OK);
    CHECK_MEM(g_decoded, got, g_image, sizeof g_image);
    /* image_classification__js-proxy-vit-base-patch16-224-a78a3c.json: five classes, best first */
    CHECK_INT(lw.count, 5);
    CHECK_STR(lw.labels[0], "cheetah, chetah, Acinonyx jubatus");
    CHECK_NEAR(lw.scores[0], 0.9981813430786133, 1e-7);
    CHECK_STR(lw.labels[4], "tiger, Panthera tigris");
    CHECK_NEAR(lw.scores[4], 0.00005714595317840576, 1e-12);
    CHECK_INT(px.count, lw.count);
    for (size_t i = 0; i < 5; i++) {
        CHECK_STR(lw.labels[i], px.labels[i]);
        CHECK(lw.scores[i] == px.scores[i]);
    }
}

static void test_faults(void)
{
    static acc_t a;
    uint32_t t0;
    use_lwip(NULL);

    /* FIN part way through the stream: truncated, not success */
    CHECK_INT(fault("{\"truncate_at\":600}"), 200);
    CHECK_STATUS(chat(g_host, 50, "Hello", &a), HF_ERR_TRUNCATED);
    hf_client_close(&g_client);

    /* FIN before any byte, on a fresh connection: the transport's CLOSED reaches the caller */
    CHECK_INT(fault("{\"truncate_at\":0}"), 200);
    CHECK_STATUS(chat(g_host, 5, "Hello", &a), HF_ERR_CLOSED);
    hf_client_close(&g_client);

    /* RST part way: an I/O error carrying lwIP's errno, never an orderly end */
    CHECK_INT(fault("{\"reset_at\":300}"), 200);
    CHECK_STATUS(chat(g_host, 50, "Hello", &a), HF_ERR_IO);
    CHECK_INT(hf_client_error(&g_client)->native, ECONNRESET);
    hf_client_close(&g_client);

    /* a stall longer than the first-byte timeout: TIMEOUT, within that timeout */
    g_client.cfg.first_byte_timeout_ms = 600;
    CHECK_INT(fault("{\"stall_ms\":3000,\"stall_at\":0}"), 200);
    t0 = harness_now_ms();
    CHECK_STATUS(chat(g_host, 5, "Hello", &a), HF_ERR_TIMEOUT);
    t0 = harness_now_ms() - t0;
    CHECK(t0 >= 550u && t0 < 2000u);
    hf_client_close(&g_client);

    /* and the stack is fine afterwards */
    g_client.cfg.first_byte_timeout_ms = 5000;
    CHECK_STATUS(chat(g_host, 2, "Hello", &a), HF_OK);
    CHECK_STR(a.text, "tok tok ");
    hf_client_close(&g_client);
}

/* ------------------------------------------------------------------ TLS over lwIP */

#if HF_LWIP_TEST_TLS
static hf_mbedtls_transport_t g_tls;
static char g_ca[8192];

static bool read_ca(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(g_ca, 1, sizeof g_ca - 1, f) : 0;
    if (f) {
        fclose(f);
    }
    g_ca[n] = '\0';
    return n > 0 && n < sizeof g_ca - 1;
}

/* The same streamed chat through mbedTLS over lwIP (sim.lan through the resolver hook, the
 * certificate verified against the CA made by the harness), then keep-alive on one handshake. */
static void test_tls_over_lwip(const char *tls_port, const char *ca_path)
{
    static acc_t tls, want;
    hf_lwip_config_t lc;
    hf_mbedtls_config_t tc;
    hf_transport_t inner;
    hf_client_config_t cfg;
    char origin[128];
    int ok = 0;

    CHECK(read_ca(ca_path));
    memset(&lc, 0, sizeof lc);
    lc.resolve = table_resolver;
    inner = hf_lwip_transport(&g_lw, &lc);
    memset(&tc, 0, sizeof tc);
    tc.ca = (const uint8_t *)g_ca;
    tc.clock = hf_lwip_clock();
    CHECK_STATUS(hf_mbedtls_init(&g_tls, &tc, &inner), HF_OK);
    snprintf(origin, sizeof origin, "https://sim.lan:%s", tls_port);
    memset(&cfg, 0, sizeof cfg);
    cfg = g_client.cfg;
    cfg.base_url = origin;
    cfg.transport = hf_mbedtls_transport(&g_tls);
    cfg.clock = hf_lwip_clock();
    CHECK_STATUS(hf_client_init(&g_client, &cfg), HF_OK);

    expected_text(&want, CHAT_EVENTS);
    CHECK_STATUS(chat_at(origin, CHAT_EVENTS, "Hello", &tls), HF_OK);
    CHECK_MEM(tls.text, tls.len, want.text, want.len);

    CHECK_INT(ctl("POST", "/__sim/reset", ""), 200);
    for (int i = 0; i < KEEPALIVE_REQUESTS; i++) {
        ok += chat_at(origin, 4, "Hello", &tls) == HF_OK && strcmp(tls.text, "tok tok tok tok ") == 0;
    }
    CHECK_INT(ok, KEEPALIVE_REQUESTS);
    CHECK_INT(g_tls.handshakes, 1);
    CHECK_INT(g_client.connects, 1);
    CHECK_INT(ctl("GET", "/__sim/stats", NULL), 200);
    CHECK_INT(harness_json_int(g_ctl, "requests"), KEEPALIVE_REQUESTS);
    /* the first chat and these five share one TLS connection (the proxy keeps one simulator
     * connection per TLS connection), opened before the reset: only this stats request is new */
    CHECK_INT(g_client.requests_on_conn, KEEPALIVE_REQUESTS + 1);
    CHECK_INT(harness_json_int(g_ctl, "connections"), 1);
    hf_client_close(&g_client);
    hf_mbedtls_free(&g_tls);
}
#endif

int main(void)
{
    const char *port = getenv("HF_LWIP_SIM_PORT"), *ip = getenv("HF_LWIP_IP");
    g_host = getenv("HF_LWIP_SIM_HOST");
    if (g_host == NULL || port == NULL || ip == NULL || getenv("PRECONFIGURED_TAPIF") == NULL) {
        printf("SKIP: needs the netns/TAP set-up of tests/lwip/run_netns.sh "
               "(PRECONFIGURED_TAPIF, HF_LWIP_IP, HF_LWIP_SIM_HOST, HF_LWIP_SIM_PORT)\n");
        return SKIP_CODE;
    }
    g_port = (uint16_t)atoi(port);
    snprintf(g_url, sizeof g_url, "http://%s:%u", g_host, (unsigned)g_port);
    if (harness_lwip_up(ip, "255.255.255.0", g_host) != 0) {
        fprintf(stderr, "lwIP bring-up failed\n");
        return 1;
    }
    CHECK_INT(ctl("POST", "/__sim/reset", ""), 200);
    test_recv_contract();
    test_connect_outcomes();
    test_chat_same_as_posix();
    test_keepalive();
    test_upload();
    test_binary_upload();
    test_faults();
    if (getenv("HF_LWIP_TLS_PORT") == NULL || getenv("HF_LWIP_TLS_CA") == NULL) {
        printf("SKIP part: TLS over lwIP needs the harness's TLS proxy (openssl missing?)\n");
    } else {
#if HF_LWIP_TEST_TLS
        test_tls_over_lwip(getenv("HF_LWIP_TLS_PORT"), getenv("HF_LWIP_TLS_CA"));
#else
        printf("SKIP part: TLS over lwIP: hfmicro::port_mbedtls was not built (libmbedtls-dev)\n");
#endif
    }
    return CHECK_DONE();
}
