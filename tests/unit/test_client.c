/* Client lifecycle against the scripted mock: request bytes, splits, keep-alive, cases 10, 11,
 * 14, 16, 20, retries with the fake clock, timeouts, send faults, error bodies. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hf_priv.h"
#include "mock_transport.h"

static hf_mock_t m;
static hf_client_t cl;
static hf_client_config_t cfg;
static uint8_t io[512];
static uint8_t arena_mem[8192];
static hf_arena_t arena;

/* What the sink saw. */
static struct {
    int starts, ends, datas;
    int status;
    char ct[HF_HTTP_MAX_CONTENT_TYPE];
    uint8_t body[64 * 1024];
    size_t len;
    hf_status_t fail_data; /* returned from on_data when set */
} rec;

static int body_calls;
static const char *k_body = "{\"inputs\":\"hi\"}"; /* 15 bytes */

static hf_status_t on_start(void *u, int status, const char *ct)
{
    (void)u;
    rec.starts++;
    rec.status = status;
    strncpy(rec.ct, ct, sizeof rec.ct - 1u);
    return HF_OK;
}

static hf_status_t on_data(void *u, const uint8_t *d, size_t n)
{
    (void)u;
    rec.datas++;
    if (rec.fail_data != HF_OK) {
        return rec.fail_data;
    }
    if (n > sizeof rec.body - rec.len) {
        abort();
    }
    memcpy(rec.body + rec.len, d, n);
    rec.len += n;
    return HF_OK;
}

static hf_status_t on_end(void *u)
{
    (void)u;
    rec.ends++;
    return HF_OK;
}

static hf_status_t write_body(void *u, hf_out_t *o)
{
    (void)u;
    body_calls++;
    return hf_out_puts(o, k_body);
}

static void setup_cfg(void)
{
    hf_mock_init(&m);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = "http://127.0.0.1:8080";
    cfg.token = "hf_test";
    cfg.transport = hf_mock_transport(&m);
    cfg.clock = hf_mock_clock(&m);
    cfg.io_buf = io;
    cfg.io_buf_size = sizeof io;
    cfg.first_byte_timeout_ms = 5000;
    cfg.idle_timeout_ms = 2000;
    hf_arena_init(&arena, arena_mem, sizeof arena_mem);
}

static void setup(void)
{
    setup_cfg();
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
}

static void reset_rec(void)
{
    memset(&rec, 0, sizeof rec);
    body_calls = 0;
}

static hf_status_t post(const char *url)
{
    hf_request_t q;
    memset(&q, 0, sizeof q);
    q.method = "POST";
    q.url = url;
    q.content_type = "application/json";
    q.write_body = write_body;
    q.sink.on_start = on_start;
    q.sink.on_data = on_data;
    q.sink.on_end = on_end;
    q.arena = &arena;
    reset_rec();
    return hf_priv_client_execute(&cl, &q);
}

#define URL "http://127.0.0.1:8080/hf-inference/models/a/b"
#define REQ                                                                                                  \
    "POST /hf-inference/models/a/b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: hfmicro/0.1.0\r\n"        \
    "Authorization: Bearer hf_test\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"              \
    "Connection: keep-alive\r\n\r\n{\"inputs\":\"hi\"}"

static const char k_ok13[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
                             "{\"score\":0.5}";

/* Case 14 as three reads. */
static const char k_c14_a[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
    "Connection: keep-alive\r\n\r\n";
static const char k_c14_b[] =
    "a\r\n[{\"label\":\r\n11;note=x\r\n\"POSITIVE\",\"score\r\na\r\n\":0.9998}]\r\n";
static const char k_c14_c[] = "0\r\nX-Compute-Time: 0.021\r\n\r\n";
static const char k_c14_body[] = "[{\"label\":\"POSITIVE\",\"score\":0.9998}]";

static const char k_c10_a[] =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 80\r\n"
    "Connection: keep-alive\r\n\r\n"
    "{\"error\":\"Model acme/tiny-sentiment is currently loading\",\"estimated_time\":20.0}";
static const char k_c10_b[] =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 86\r\n"
    "Connection: keep-alive\r\n\r\n"
    "{\"error\":\"Model acme/big-llm is currently loading\",\"estimated_time\":412.5271301269531}";

static size_t count_requests(void)
{
    size_t n = 0;
    for (size_t i = 0; i + 5u <= m.sent_len; i++) {
        n += memcmp(m.sent + i, "POST ", 5) == 0;
    }
    return n;
}

static void expect_body(const char *want)
{
    CHECK_MEM(rec.body, rec.len, want, strlen(want));
}

/* ------------------------------------------------------------------ request */

static void test_request_bytes(void)
{
    setup();
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_MEM(m.sent, m.sent_len, REQ, strlen(REQ));
    CHECK_INT(body_calls, 2); /* counting pass + the send */
    CHECK_STR(m.last_host, "127.0.0.1");
    CHECK_INT(m.last_port, 8080);
    CHECK_INT(m.last_connect_timeout, HF_DEFAULT_CONNECT_TIMEOUT_MS);
    CHECK_INT(rec.starts, 1);
    CHECK_INT(rec.status, 200);
    CHECK_STR(rec.ct, "application/json");
    CHECK_INT(rec.ends, 1);
    expect_body("{\"score\":0.5}");
    CHECK_INT(cl.err.status, HF_OK);
    CHECK_INT(cl.err.http_status, 200);

    /* default port: Host without it; https default 443 */
    setup();
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post("https://router.huggingface.co/hf-inference/models/gpt2"), HF_OK);
    CHECK_INT(m.last_port, 443);
    CHECK_STR(m.last_host, "router.huggingface.co");
    {
        const char *want = "POST /hf-inference/models/gpt2 HTTP/1.1\r\nHost: router.huggingface.co\r\n";
        CHECK(m.sent_len > strlen(want) && memcmp(m.sent, want, strlen(want)) == 0);
    }

    /* IPv6 literal base: connect to the bare address, Host bracketed (RFC 7230 5.4, RFC 3986 3.2.2) */
    setup();
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post("http://[::1]:8080/hf-inference/models/a/b"), HF_OK);
    CHECK_STR(m.last_host, "::1");
    CHECK_INT(m.last_port, 8080);
    {
        const char *want = "POST /hf-inference/models/a/b HTTP/1.1\r\nHost: [::1]:8080\r\n";
        CHECK(m.sent_len > strlen(want) && memcmp(m.sent, want, strlen(want)) == 0);
    }
    setup();
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post("https://[2001:db8::7]/x"), HF_OK);
    {
        const char *want = "POST /x HTTP/1.1\r\nHost: [2001:db8::7]\r\n";
        CHECK(m.sent_len > strlen(want) && memcmp(m.sent, want, strlen(want)) == 0);
    }

    /* no token: no Authorization header */
    setup_cfg();
    cfg.token = NULL;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    {
        static const char want[] =
            "POST /hf-inference/models/a/b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: hfmicro/0.1.0\r\n"
            "Content-Type: application/json\r\nContent-Length: 15\r\nConnection: keep-alive\r\n\r\n"
            "{\"inputs\":\"hi\"}";
        CHECK_MEM(m.sent, m.sent_len, want, strlen(want));
    }
}

/* A body larger than the I/O buffer goes out in several flushes; Content-Length still exact. */
static char big_req_body[3000];
static hf_status_t write_big(void *u, hf_out_t *o)
{
    (void)u;
    body_calls++;
    return hf_out_write(o, big_req_body, sizeof big_req_body);
}

static void test_large_request(void)
{
    hf_request_t q;
    const char *head = "Content-Length: 3000\r\nConnection: keep-alive\r\n\r\n";
    size_t hl = strlen(head);
    setup();
    memset(big_req_body, 'q', sizeof big_req_body);
    hf_mock_add(&m, HF_MOCK_SEND_LIMIT, NULL, 100, 0);
    hf_mock_add_str(&m, k_ok13);
    memset(&q, 0, sizeof q);
    q.method = "POST";
    q.url = URL;
    q.content_type = "application/octet-stream";
    q.write_body = write_big;
    q.sink.on_data = on_data;
    reset_rec();
    CHECK_STATUS(hf_priv_client_execute(&cl, &q), HF_OK);
    CHECK(m.sent_len > sizeof big_req_body + hl);
    {
        size_t head_len = m.sent_len - sizeof big_req_body;
        CHECK(memcmp(m.sent + head_len - hl, head, hl) == 0);
        CHECK(memcmp(m.sent + head_len, big_req_body, sizeof big_req_body) == 0);
        /* every send took at most 100 bytes */
        CHECK(m.sends >= (int)((m.sent_len + 99u) / 100u));
    }
    CHECK_INT(body_calls, 2);
}

/* ------------------------------------------------------------------ splits */

static void test_every_split(void)
{
    size_t n = strlen(k_ok13);
    for (size_t split = 1; split <= n; split++) {
        setup();
        m.split = split;
        hf_mock_add_str(&m, k_ok13);
        CHECK_STATUS(post(URL), HF_OK);
        expect_body("{\"score\":0.5}");
        CHECK_INT(rec.ends, 1);
        CHECK(cl.reusable);
    }
    /* case 14 at every boundary: complete at the trailer's CRLF, no further read */
    {
        static char all[512];
        strcpy(all, k_c14_a);
        strcat(all, k_c14_b);
        strcat(all, k_c14_c);
        for (size_t split = 1; split <= strlen(all); split++) {
            setup();
            m.split = split;
            hf_mock_add_str(&m, all);
            CHECK_STATUS(post(URL), HF_OK);
            expect_body(k_c14_body);
            CHECK_INT(m.reads_past_end, 0);
            CHECK(cl.reusable);
        }
    }
}

static char big_resp[40000];
static char big_body[30000];

static void test_random_splits(void)
{
    size_t hl;
    for (size_t i = 0; i < sizeof big_body; i++) {
        big_body[i] = (char)('a' + (int)(i * 7u % 26u));
    }
    strcpy(big_resp,
           "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 30000\r\n\r\n");
    hl = strlen(big_resp);
    memcpy(big_resp + hl, big_body, sizeof big_body);
    for (uint32_t seed = 1; seed <= 20; seed++) {
        setup();
        m.split = 700;
        m.seed = seed;
        hf_mock_add(&m, HF_MOCK_DATA, big_resp, hl + sizeof big_body, 0);
        CHECK_STATUS(post(URL), HF_OK);
        CHECK_MEM(rec.body, rec.len, big_body, sizeof big_body);
        CHECK_INT(rec.ends, 1);
    }
    /* the same body chunked in 1000-byte chunks (0x3e8) */
    {
        static char ch[40000];
        size_t o;
        strcpy(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        o = strlen(ch);
        for (size_t i = 0; i < sizeof big_body; i += 1000) {
            memcpy(ch + o, "3e8\r\n", 5);
            o += 5;
            memcpy(ch + o, big_body + i, 1000);
            o += 1000;
            memcpy(ch + o, "\r\n", 2);
            o += 2;
        }
        memcpy(ch + o, "0\r\n\r\n", 5);
        o += 5;
        for (uint32_t seed = 1; seed <= 20; seed++) {
            setup();
            m.split = 300;
            m.seed = seed * 977u;
            hf_mock_add(&m, HF_MOCK_DATA, ch, o, 0);
            CHECK_STATUS(post(URL), HF_OK);
            CHECK_MEM(rec.body, rec.len, big_body, sizeof big_body);
            CHECK(cl.reusable);
        }
    }
}

/* ------------------------------------------------------------------ keep-alive, cases 14 16 20 */

static void test_keep_alive(void)
{
    setup();
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 1);
    CHECK_INT(cl.connects, 1);
    CHECK_INT(cl.requests_on_conn, 2);
    CHECK_INT(m.polls, 1); /* the idle connection was probed once before reuse */
    CHECK_INT(count_requests(), 2);
    CHECK_INT(m.closes, 0);
    /* a different host: new connection */
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post("http://127.0.0.2:8080/x"), HF_OK);
    CHECK_INT(m.connects, 2);
    CHECK_STR(m.last_host, "127.0.0.2");
    hf_client_close(&cl);
    CHECK_INT(m.open, 0);
    CHECK(!cl.connected);
}

static void test_case14(void)
{
    setup();
    hf_mock_add_str(&m, k_c14_a);
    hf_mock_add_str(&m, k_c14_b);
    hf_mock_add_str(&m, k_c14_c);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(rec.len, 37);
    expect_body(k_c14_body);
    CHECK_INT(m.reads_past_end, 0); /* no read after the trailer's CRLF */
    CHECK(cl.reusable);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 1);
    expect_body("{\"score\":0.5}");
}

static void test_case16(void)
{
    static const char a[] =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: Chunked\r\n\r\n"
        "21\r\n{\"label\":\"NEGATIVE\",\"score\":0.51}\r\n0\r\n\r\n";
    static const char b[] =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
        "Transfer-Encoding: chunked\r\n\r\n21\r\n{\"label\":\"NEGATIVE\",\"score\":0.51}\r\n0\r\n\r\n";
    setup();
    hf_mock_add_str(&m, a);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(rec.len, 33);
    expect_body("{\"label\":\"NEGATIVE\",\"score\":0.51}");
    CHECK(cl.reusable);

    setup();
    hf_mock_add_str(&m, b);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(rec.len, 33);
    expect_body("{\"label\":\"NEGATIVE\",\"score\":0.51}");
    CHECK_INT(m.reads_past_end, 0); /* did not wait for 100 bytes */
    CHECK(!cl.connected);           /* ambiguous framing: closed afterwards */
    CHECK_INT(m.closes, 1);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
}

static void test_case20(void)
{
    static const char a[] = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"score\":0.5}";
    static const char c[] =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"score\":0.5}";
    /* A: close-delimited body ends at EOF: success, never reused */
    setup();
    hf_mock_add_str(&m, a);
    hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0, 0);
    CHECK_STATUS(post(URL), HF_OK);
    expect_body("{\"score\":0.5}");
    CHECK_INT(rec.ends, 1);
    CHECK(!cl.connected);
    CHECK_INT(m.closes, 1);

    /* B: complete after the 13th byte without another read; the close seen before reuse -> reconnect */
    setup();
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0, 0);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.recvs, 1);
    CHECK(cl.reusable);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
    CHECK_INT(m.closes, 1);
    CHECK_INT(count_requests(), 2);
    expect_body("{\"score\":0.5}");

    /* C: CL 50, 13 bytes, then closed */
    setup();
    hf_mock_add_str(&m, c);
    hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0, 0);
    CHECK_STATUS(post(URL), HF_ERR_TRUNCATED);
    CHECK_STR(cl.err.message, "connection closed before the body was complete (13 of 50 bytes)");
    CHECK_INT(cl.err.status, HF_ERR_TRUNCATED);
    CHECK_INT(cl.err.http_status, 200);
    CHECK_INT(rec.ends, 0);
    CHECK(!cl.connected);

    /* stale bytes on the idle connection: not reused */
    setup();
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add(&m, HF_MOCK_DATA, "HTTP/1.1 408", 12, HF_MOCK_UNSOLICITED);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
    expect_body("{\"score\":0.5}");

    /* a reused connection that the server closes after our request, before any byte: resent once */
    setup();
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 1, 0);
    hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0, 0);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
    CHECK_INT(count_requests(), 3);
    CHECK_INT(body_calls, 3); /* counting pass + two sends */

    /* the same on a fresh connection is an error (no resend) */
    setup();
    hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0, 0);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_CLOSED);
    CHECK_INT(m.connects, 1);
    CHECK_STR(cl.err.message, "connection closed before any byte of the response");
}

/* A TLS close without close_notify (recv -> HF_ERR_TRUNCATED; RFC 2818 2.2.2): it cannot end an
 * HTTP/1.1 body delimited by the close, it ends an HTTP/1.0 one (case 20 A), and it is a close like
 * any other for framed bodies, the keep-alive probe and the stale-connection resend. */
static void test_bare_tls_eof(void)
{
    static const char v10[] = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"score\":0.5}";
    static const char v11[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"score\":0.5}";
    static const char len50[] = "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"score\":0.5}";
    static const char chunk[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n";

    setup(); /* HTTP/1.1 close-delimited, bare EOF: refused */
    hf_mock_add_str(&m, v11);
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_TRUNCATED);
    CHECK_STATUS(post(URL), HF_ERR_TRUNCATED);
    CHECK_STR(cl.err.message,
              "connection closed without TLS close_notify: a body delimited by the close may be cut short");
    CHECK_INT(cl.err.http_status, 200);
    CHECK_INT(rec.ends, 0);
    CHECK(!cl.connected);

    setup(); /* HTTP/1.1 close-delimited, clean close (FIN / close_notify): complete */
    hf_mock_add_str(&m, v11);
    hf_mock_add(&m, HF_MOCK_CLOSE, NULL, 0, 0);
    CHECK_STATUS(post(URL), HF_OK);
    expect_body("{\"score\":0.5}");
    CHECK_INT(rec.ends, 1);

    setup(); /* HTTP/1.0 close-delimited, bare EOF: the only framing it has (case 20 A) */
    hf_mock_add_str(&m, v10);
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_TRUNCATED);
    CHECK_STATUS(post(URL), HF_OK);
    expect_body("{\"score\":0.5}");
    CHECK_INT(rec.ends, 1);
    CHECK(!cl.connected);

    setup(); /* Content-Length cut by a bare EOF: same message as case 20 C */
    hf_mock_add_str(&m, len50);
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_TRUNCATED);
    CHECK_STATUS(post(URL), HF_ERR_TRUNCATED);
    CHECK_STR(cl.err.message, "connection closed before the body was complete (13 of 50 bytes)");

    setup(); /* chunked cut by a bare EOF */
    hf_mock_add_str(&m, chunk);
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_TRUNCATED);
    CHECK_STATUS(post(URL), HF_ERR_TRUNCATED);
    CHECK_STR(cl.err.message, "connection closed before the last chunk");

    setup(); /* keep-alive probe sees the bare EOF: reconnect, no error */
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_TRUNCATED);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
    CHECK_INT(count_requests(), 2);

    setup(); /* reused connection cut without close_notify before any byte: resent once */
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 1, 0);
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_TRUNCATED);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
    CHECK_INT(count_requests(), 3);
}

/* ------------------------------------------------------------------ errors and retries */

static void test_case10_11(void)
{
    static const char c11a[] =
        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 74\r\n\r\n"
        "Bad Request: request body must be JSON with Content-Type: application/json";
    static const char c11b[] =
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 122\r\n"
        "Connection: keep-alive\r\n\r\n<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
        "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    setup_cfg();
    cfg.max_attempts = 1;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add_str(&m, k_c10_a);
    hf_mock_add_str(&m, k_c10_b);
    hf_mock_add_str(&m, c11a);
    hf_mock_add_str(&m, c11b);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_MODEL_LOADING);
    CHECK_INT(cl.err.http_status, 503);
    CHECK_STR(cl.err.message, "Model acme/tiny-sentiment is currently loading");
    CHECK_NEAR(cl.err.estimated_time_s, 20.0, 0.0);
    CHECK_INT(rec.starts + rec.datas + rec.ends, 0);
    CHECK_STATUS(post(URL), HF_ERR_MODEL_LOADING);
    CHECK_STR(cl.err.message, "Model acme/big-llm is currently loading");
    CHECK_NEAR(cl.err.estimated_time_s, 412.5271301269531, 0.0);
    CHECK_STATUS(post(URL), HF_ERR_HTTP_STATUS);
    CHECK_INT(cl.err.http_status, 400);
    CHECK_STR(cl.err.message, "Bad Request: request body must be JSON with Content-Type: application/json");
    CHECK_STATUS(post(URL), HF_ERR_HTTP_STATUS);
    CHECK_INT(cl.err.http_status, 502);
    CHECK_STR(cl.err.message, "502 Bad Gateway");
    CHECK_INT(rec.starts + rec.datas + rec.ends, 0);
    /* every body was consumed: all five on one connection */
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 1);
    CHECK_INT(m.slept, 0);
    CHECK_INT(hf_arena_mark(&arena), 0);
}

static void test_retry_loading(void)
{
    /* 503 loading (20 s) then 200: one wait of min(20 s, 30 s cap) */
    setup();
    hf_mock_add_str(&m, k_c10_a);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.slept, 20000);
    CHECK_INT(m.connects, 1);
    CHECK_INT(count_requests(), 2);
    CHECK_INT(body_calls, 3);
    CHECK_INT(rec.starts, 1); /* the 503 never reached the sink */
    expect_body("{\"score\":0.5}");
    CHECK_INT(cl.err.status, HF_OK);

    /* 412.5 s estimate: capped at max_retry_wait_ms */
    setup();
    hf_mock_add_str(&m, k_c10_b);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.slept, HF_DEFAULT_MAX_RETRY_WAIT_MS);
    setup_cfg();
    cfg.max_retry_wait_ms = 1234;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add_str(&m, k_c10_b);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.slept, 1234);

    /* no sleep function: no retry */
    setup_cfg();
    cfg.clock = hf_mock_clock_nosleep(&m);
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add_str(&m, k_c10_a);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_MODEL_LOADING);
    CHECK_INT(count_requests(), 1);
}

static void test_retry_rate_limit(void)
{
    static const char r429[] =
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Type: application/json\r\n"
        "x-request-id: req-429\r\nContent-Length: 36\r\n\r\n{\"error\":\"Rate limit reached\",\"x\":1}";
    static const char r429b[] = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n";
    setup();
    hf_mock_add_str(&m, r429);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.slept, 7000);
    CHECK_INT(count_requests(), 2);

    /* without Retry-After: 1 s then 2 s backoff, then the attempts (3) are used up */
    setup();
    hf_mock_add_str(&m, r429b);
    hf_mock_add_str(&m, r429b);
    hf_mock_add_str(&m, r429b);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_RATE_LIMITED);
    CHECK_INT(m.slept, 1000 + 2000);
    CHECK_INT(count_requests(), 3);
    CHECK_INT(cl.err.http_status, 429);
    CHECK_STR(cl.err.message, "HTTP 429");

    /* the error detail of a 429 that is not retried */
    setup_cfg();
    cfg.max_attempts = 1;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add_str(&m, r429);
    CHECK_STATUS(post(URL), HF_ERR_RATE_LIMITED);
    CHECK_INT(cl.err.retry_after_s, 7);
    CHECK_STR(cl.err.request_id, "req-429");
    CHECK_STR(cl.err.message, "Rate limit reached");
}

static void test_no_retry(void)
{
    static const char r503[] =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 43\r\n\r\n"
        "{\"error\":\"unhealthy\",\"error_type\":\"health\"}";
    static const char r422[] =
        "HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/json\r\nContent-Length: 47\r\n\r\n"
        "{\"error\":\"Input validation error\",\"error_type\"}";
    setup();
    hf_mock_add_str(&m, r503);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_HTTP_STATUS);
    CHECK_INT(m.slept, 0);
    CHECK_INT(count_requests(), 1);
    CHECK_STR(cl.err.message, "unhealthy");
    CHECK_STR(cl.err.error_type, "health");
    /* a 422 whose JSON is broken: text of the body, never retried */
    setup();
    hf_mock_add_str(&m, r422);
    CHECK_STATUS(post(URL), HF_ERR_HTTP_STATUS);
    CHECK_INT(cl.err.http_status, 422);
    CHECK_STR(cl.err.message, "{\"error\":\"Input validation error\",\"error_type\"}");
    CHECK_INT(count_requests(), 1);
}

static char loading1[256];

static void test_attempt_caps(void)
{
    strcpy(loading1,
           "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
           "{\"error\":\"loading\",\"estimated_time\":1.0}");
    /* three attempts, two waits of 1 s */
    setup();
    for (int i = 0; i < 4; i++) {
        hf_mock_add_str(&m, loading1);
    }
    CHECK_STATUS(post(URL), HF_ERR_MODEL_LOADING);
    CHECK_INT(count_requests(), 3);
    CHECK_INT(m.slept, 2000);
    CHECK_STR(cl.err.message, "loading");
    /* the sum of waits: 20 s fits in 30 s once, not twice */
    setup_cfg();
    cfg.max_total_retry_wait_ms = 30000;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add_str(&m, k_c10_a);
    hf_mock_add_str(&m, k_c10_a);
    hf_mock_add_str(&m, k_c10_a);
    CHECK_STATUS(post(URL), HF_ERR_MODEL_LOADING);
    CHECK_INT(count_requests(), 2);
    CHECK_INT(m.slept, 20000);
    /* the total deadline: a 20 s wait does not fit into 15 s */
    setup_cfg();
    cfg.total_timeout_ms = 15000;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add_str(&m, k_c10_a);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_MODEL_LOADING);
    CHECK_INT(m.slept, 0);
}

/* ------------------------------------------------------------------ timeouts */

static void test_timeouts(void)
{
    uint32_t t0;
    /* first byte: nothing within first_byte_timeout (5 s) */
    setup();
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    t0 = m.now;
    CHECK_STATUS(post(URL), HF_ERR_TIMEOUT);
    CHECK_STR(cl.err.message, "timed out waiting for the first byte");
    CHECK_INT(m.now - t0, 5000);
    CHECK_INT(m.last_recv_timeout, 5000);
    CHECK(!cl.connected);
    /* several short silences add up to the same deadline */
    setup();
    for (int i = 0; i < 5; i++) {
        hf_mock_add(&m, HF_MOCK_ZERO, NULL, 1000, 0);
    }
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_TIMEOUT);
    CHECK_STR(cl.err.message, "timed out waiting for the first byte");
    /* four of them are fine */
    setup();
    for (int i = 0; i < 4; i++) {
        hf_mock_add(&m, HF_MOCK_ZERO, NULL, 1000, 0);
    }
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.last_recv_timeout, 1000); /* what was left of the 5 s */
    /* idle: the head started, then 2 s of silence */
    setup();
    hf_mock_add_str(&m, "HTTP/1.1 200 OK\r\n");
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 0, 0);
    hf_mock_add_str(&m, "Content-Length: 0\r\n\r\n");
    CHECK_STATUS(post(URL), HF_ERR_TIMEOUT);
    CHECK_STR(cl.err.message, "timed out: the server went silent");
    CHECK_INT(m.last_recv_timeout, 2000);
    /* total: 3 s for the whole call */
    setup_cfg();
    cfg.total_timeout_ms = 3000;
    CHECK_STATUS(hf_client_init(&cl, &cfg), HF_OK);
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 0, 0);
    CHECK_STATUS(post(URL), HF_ERR_TIMEOUT);
    CHECK_STR(cl.err.message, "total timeout of the call");
    CHECK_INT(m.last_recv_timeout, 3000);
    CHECK_INT(m.last_connect_timeout, 3000);
    /* a body that stalls half way */
    setup();
    hf_mock_add_str(&m, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345");
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 0, 0);
    CHECK_STATUS(post(URL), HF_ERR_TIMEOUT);
    CHECK_INT(rec.len, 5);
    CHECK_INT(rec.ends, 0);
}

/* ------------------------------------------------------------------ send faults */

static void test_send_faults(void)
{
    /* partial sends of 7 bytes: the same bytes arrive */
    setup();
    hf_mock_add(&m, HF_MOCK_SEND_LIMIT, NULL, 7, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_MEM(m.sent, m.sent_len, REQ, strlen(REQ));
    CHECK_INT(m.sends, (int)((strlen(REQ) + 6u) / 7u));
    /* 1-byte sends */
    setup();
    hf_mock_add(&m, HF_MOCK_SEND_LIMIT, NULL, 1, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_MEM(m.sent, m.sent_len, REQ, strlen(REQ));
    /* a send that takes nothing for a moment is retried */
    setup();
    hf_mock_add(&m, HF_MOCK_SEND_ZERO, NULL, 10, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_MEM(m.sent, m.sent_len, REQ, strlen(REQ));
    /* ... but not beyond the idle timeout */
    setup();
    hf_mock_add(&m, HF_MOCK_SEND_ZERO, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_TIMEOUT);
    CHECK_STR(cl.err.message, "timed out sending the request");
    CHECK(!cl.connected);
    /* a send error: status and native code, no resend on a fresh connection */
    setup();
    m.native = 104;
    hf_mock_add(&m, HF_MOCK_SEND_ERROR, NULL, 0, HF_ERR_IO);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_IO);
    CHECK_INT(cl.err.native, 104);
    CHECK_STR(cl.err.message, "send failed");
    CHECK_INT(m.connects, 1);
    CHECK(!cl.connected);
    /* a send error on a reused connection: one fresh connection, request sent again */
    setup();
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add(&m, HF_MOCK_SEND_ERROR, NULL, 0, HF_ERR_CLOSED);
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
    CHECK_INT(cl.err.status, HF_OK);
    /* a recv error: HF_ERR_IO with native */
    setup();
    m.native = 110;
    hf_mock_add(&m, HF_MOCK_ERROR, NULL, 0, HF_ERR_IO);
    CHECK_STATUS(post(URL), HF_ERR_IO);
    CHECK_INT(cl.err.native, 110);
    /* connect failure */
    setup();
    m.connect_status = HF_ERR_DNS;
    CHECK_STATUS(post(URL), HF_ERR_DNS);
    CHECK_STR(cl.err.message, "connect to 127.0.0.1:8080"); /* host:port of cfg.base_url */
    CHECK(!cl.connected);
}

/* ------------------------------------------------------------------ bodies, sink, parser errors */

static char long_err[4000];

static void test_error_body_drained(void)
{
    size_t hl;
    strcpy(long_err, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nx-request-id: r-1\r\n"
                     "Content-Length: 3000\r\n\r\n");
    hl = strlen(long_err);
    for (size_t i = 0; i < 3000; i++) {
        long_err[hl + i] = (char)('A' + (int)(i % 26u));
    }
    long_err[hl + 3000] = '\0';
    setup();
    m.split = 333;
    hf_mock_add_str(&m, long_err);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_ERR_HTTP_STATUS);
    CHECK_INT(cl.err.http_status, 500);
    CHECK_STR(cl.err.request_id, "r-1");
    CHECK_INT(strlen(cl.err.message), HF_ERROR_MESSAGE_MAX - 1);
    CHECK(memcmp(cl.err.message, "ABCDEFGHIJKLMNOPQRSTUVWXYZABC", 29) == 0);
    CHECK_INT(cl.err.message_truncated, 1);
    CHECK_INT(rec.starts + rec.datas + rec.ends, 0);
    CHECK(cl.reusable);
    CHECK_INT(hf_arena_mark(&arena), 0);
    CHECK(hf_arena_peak(&arena) >= HF_ERROR_BODY_MAX); /* the kept head of the body */
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 1);
    /* no arena: only the status */
    {
        hf_request_t q;
        setup();
        hf_mock_add_str(&m, long_err);
        memset(&q, 0, sizeof q);
        q.method = "POST";
        q.url = URL;
        q.write_body = write_body;
        q.content_type = "application/json";
        CHECK_STATUS(hf_priv_client_execute(&cl, &q), HF_ERR_HTTP_STATUS);
        CHECK_STR(cl.err.message, "HTTP 500");
        CHECK(cl.reusable);
    }
}

static void test_sink_and_protocol(void)
{
    /* a sink that aborts */
    setup();
    hf_mock_add_str(&m, k_ok13);
    hf_mock_add_str(&m, k_ok13);
    rec.fail_data = HF_ERR_ABORTED;
    {
        hf_request_t q;
        memset(&q, 0, sizeof q);
        q.method = "POST";
        q.url = URL;
        q.write_body = write_body;
        q.sink.on_data = on_data;
        body_calls = 0;
        CHECK_STATUS(hf_priv_client_execute(&cl, &q), HF_ERR_ABORTED);
        CHECK(!cl.connected);
    }
    /* malformed status line */
    setup();
    hf_mock_add_str(&m, "HTTP/1.1 2x0 OK\r\n\r\n");
    CHECK_STATUS(post(URL), HF_ERR_PROTOCOL);
    CHECK(cl.err.message[0] != '\0');
    CHECK(!cl.connected);
    /* bytes after a complete response: not reused */
    setup();
    {
        static char two[256];
        strcpy(two, k_ok13);
        strcat(two, "HTTP/1.1 200 OK\r\n");
        hf_mock_add_str(&m, two);
    }
    hf_mock_add(&m, HF_MOCK_RECONNECT, NULL, 0, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK(!cl.connected);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK_INT(m.connects, 2);
    /* GET: no body, no Content-Length */
    setup();
    hf_mock_add_str(&m, k_ok13);
    {
        hf_request_t q;
        static const char want[] =
            "GET /info HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: hfmicro/0.1.0\r\n"
            "Authorization: Bearer hf_test\r\nConnection: keep-alive\r\n\r\n";
        memset(&q, 0, sizeof q);
        q.method = "GET";
        q.url = "http://127.0.0.1:8080/info";
        CHECK_STATUS(hf_priv_client_execute(&cl, &q), HF_OK);
        CHECK_MEM(m.sent, m.sent_len, want, strlen(want));
    }
    /* a bad URL */
    setup();
    CHECK_STATUS(post("ftp://x/"), HF_ERR_INVALID_ARG);
    CHECK_INT(m.connects, 0);
}

static void test_init(void)
{
    hf_client_config_t g;
    setup_cfg();
    g = cfg;
    CHECK_STATUS(hf_client_init(&cl, &g), HF_OK);
    CHECK_INT(cl.cfg.connect_timeout_ms, HF_DEFAULT_CONNECT_TIMEOUT_MS);
    CHECK_INT(cl.cfg.total_timeout_ms, HF_DEFAULT_TOTAL_TIMEOUT_MS);
    CHECK_INT(cl.cfg.max_attempts, HF_DEFAULT_MAX_ATTEMPTS);
    CHECK_STR(cl.cfg.provider, HF_DEFAULT_PROVIDER);
    CHECK_STR(cl.cfg.user_agent, HF_DEFAULT_USER_AGENT);
    CHECK_INT(cl.cfg.first_byte_timeout_ms, 5000);
    CHECK(!cl.connected);
    CHECK(hf_client_error(&cl) == &cl.err);
    g.base_url = NULL;
    CHECK_STATUS(hf_client_init(&cl, &g), HF_OK);
    CHECK_STR(cl.cfg.base_url, HF_DEFAULT_BASE_URL);
    g.base_url = "ftp://x";
    CHECK_STATUS(hf_client_init(&cl, &g), HF_ERR_INVALID_ARG);
    g.base_url = "http://user@x";
    CHECK_STATUS(hf_client_init(&cl, &g), HF_ERR_INVALID_ARG);
    g = cfg;
    g.io_buf_size = 255;
    CHECK_STATUS(hf_client_init(&cl, &g), HF_ERR_INVALID_ARG);
    g = cfg;
    g.io_buf = NULL;
    CHECK_STATUS(hf_client_init(&cl, &g), HF_ERR_INVALID_ARG);
    g = cfg;
    g.transport.recv = NULL;
    CHECK_STATUS(hf_client_init(&cl, &g), HF_ERR_INVALID_ARG);
    g = cfg;
    g.clock.now_ms = NULL;
    CHECK_STATUS(hf_client_init(&cl, &g), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_client_init(NULL, &cfg), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_client_init(&cl, NULL), HF_ERR_INVALID_ARG);
    hf_client_close(&cl); /* harmless when never connected */
}

/* The fake clock wraps during a call: deadlines still work. */
static void test_clock_wrap(void)
{
    setup();
    m.now = 0xFFFFFFFFu - 1500u;
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 1000, 0);
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 1000, 0);
    hf_mock_add_str(&m, k_ok13);
    CHECK_STATUS(post(URL), HF_OK);
    CHECK(m.now < 1000u);
    setup();
    m.now = 0xFFFFFFFFu - 1500u;
    hf_mock_add(&m, HF_MOCK_ZERO, NULL, 0, 0);
    CHECK_STATUS(post(URL), HF_ERR_TIMEOUT);
    CHECK_INT(m.now, 5000u - 1501u);
}

int main(void)
{
    test_init();
    test_request_bytes();
    test_large_request();
    test_every_split();
    test_random_splits();
    test_keep_alive();
    test_case14();
    test_case16();
    test_case20();
    test_bare_tls_eof();
    test_case10_11();
    test_retry_loading();
    test_retry_rate_limit();
    test_no_retry();
    test_attempt_caps();
    test_timeouts();
    test_send_faults();
    test_error_body_drained();
    test_sink_and_protocol();
    test_clock_wrap();
    return CHECK_DONE();
}
