/* HTTP/1.1 head writer and response parser.
 * Every response is fed whole, split at every byte boundary, 1 byte at a time
 * (and, when small, split at every pair of boundaries); all splits must give
 * the same result, and the whole-feed result is checked against the values
 * the case files (/work/shared/cases) and RFC 9112 give. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hf_priv.h"

#define MAX_IN 80000u
#define MAX_BODY 4096u
#define DETAIL_CAP sizeof(((hf_http_resp_t *)0)->detail)

typedef struct result {
    hf_status_t st; /* first failing feed, else the eof status (when asked), else HF_OK */
    size_t used;    /* bytes the parser consumed in total */
    size_t body_len;
    uint8_t body[MAX_BODY];
    int header_calls;
    int body_before_headers;
    int status;
    int version_minor;
    hf_http_framing_t framing;
    uint64_t content_length;
    uint64_t body_received;
    bool keep_alive;
    bool complete;
    uint32_t retry_after;
    char content_type[HF_HTTP_MAX_CONTENT_TYPE];
    char request_id[HF_REQUEST_ID_MAX];
    char detail[DETAIL_CAP];
} result_t;

static uint8_t g_in[MAX_IN];
static size_t g_sizes[MAX_IN];
static result_t g_whole, g_split;
static hf_http_resp_t g_resp;
static bool g_clean = true; /* the EOF run() reports: false = TLS close without close_notify */

static hf_status_t on_headers(void *user, const hf_http_resp_t *r)
{
    result_t *res = (result_t *)user;
    (void)r;
    res->header_calls++;
    return HF_OK;
}

static hf_status_t on_body(void *user, const uint8_t *data, size_t len)
{
    result_t *res = (result_t *)user;
    if (res->header_calls == 0) {
        res->body_before_headers++;
    }
    if (len <= MAX_BODY - res->body_len) {
        memcpy(res->body + res->body_len, data, len);
    }
    res->body_len += len;
    return HF_OK;
}

static void snapshot(result_t *res, const hf_http_resp_t *r)
{
    res->status = r->status;
    res->version_minor = r->version_minor;
    res->framing = r->framing;
    res->content_length = r->content_length;
    res->body_received = r->body_received;
    res->keep_alive = r->keep_alive;
    res->complete = r->complete;
    res->retry_after = r->retry_after_s;
    memcpy(res->content_type, r->content_type, sizeof res->content_type);
    memcpy(res->request_id, r->request_id, sizeof res->request_id);
    memcpy(res->detail, r->detail, sizeof res->detail);
}

/* Feed `in` as pieces of the given sizes; stop at an error or once the message is complete. */
static void run(const char *in, size_t len, const size_t *sizes, size_t n, bool eof, bool head, result_t *res)
{
    hf_http_cb_t cb = {on_headers, on_body, NULL};
    size_t off = 0;
    memset(res, 0, sizeof *res);
    cb.user = res;
    memcpy(g_in, in, len);
    hf_priv_http_resp_init(&g_resp, head);
    for (size_t k = 0; k < n && off < len; k++) {
        size_t used = 0;
        hf_status_t st = hf_priv_http_resp_feed(&g_resp, g_in + off, sizes[k], &used, &cb);
        res->used += used;
        off += sizes[k];
        if (st != HF_OK) {
            res->st = st;
            break;
        }
        if (g_resp.complete) {
            break;
        }
        if (used != sizes[k]) {
            res->st = HF_ERR_UNSUPPORTED; /* not complete yet must mean all bytes taken */
            break;
        }
    }
    if (res->st == HF_OK && eof) {
        res->st = hf_priv_http_resp_eof(&g_resp, g_clean);
    }
    snapshot(res, &g_resp);
}

static bool same(const result_t *a, const result_t *b)
{
    size_t blen = a->body_len < MAX_BODY ? a->body_len : MAX_BODY;
    return a->st == b->st && (a->st != HF_OK || a->used == b->used) && a->body_len == b->body_len &&
           memcmp(a->body, b->body, blen) == 0 && a->header_calls == b->header_calls &&
           a->body_before_headers == b->body_before_headers && a->status == b->status &&
           a->framing == b->framing && a->content_length == b->content_length &&
           a->keep_alive == b->keep_alive && a->complete == b->complete && a->retry_after == b->retry_after &&
           strcmp(a->content_type, b->content_type) == 0 && strcmp(a->request_id, b->request_id) == 0 &&
           strcmp(a->detail, b->detail) == 0;
}

/* Whole feed into g_whole, then every split must agree with it. */
static void run_all(const char *in, size_t len, bool eof, bool head)
{
    int bad = 0;
    g_sizes[0] = len;
    run(in, len, g_sizes, 1, eof, head, &g_whole);
    for (size_t k = 1; k < len; k++) {
        g_sizes[0] = k;
        g_sizes[1] = len - k;
        run(in, len, g_sizes, 2, eof, head, &g_split);
        bad += !same(&g_whole, &g_split);
    }
    for (size_t k = 0; k < len; k++) {
        g_sizes[k] = 1;
    }
    run(in, len, g_sizes, len, eof, head, &g_split);
    bad += !same(&g_whole, &g_split);
    for (size_t a = 1; len <= 200u && a < len; a++) {
        for (size_t b = a + 1; b < len; b++) {
            g_sizes[0] = a;
            g_sizes[1] = b - a;
            g_sizes[2] = len - b;
            run(in, len, g_sizes, 3, eof, head, &g_split);
            bad += !same(&g_whole, &g_split);
        }
    }
    CHECK_INT(bad, 0);
}

#define RUN(lit, eof) run_all((lit), sizeof(lit) - 1u, (eof), false)

/* Whole feed only (for large hostile inputs). */
static void run_once(const char *in, size_t len, bool eof)
{
    g_sizes[0] = len;
    run(in, len, g_sizes, 1, eof, false, &g_whole);
}

static void expect_fail(const char *in, hf_status_t st, const char *detail)
{
    run_all(in, strlen(in), true, false);
    CHECK_STATUS(g_whole.st, st);
    CHECK_STR(g_whole.detail, detail);
    CHECK(!g_whole.complete);
    CHECK(!g_whole.keep_alive);
}

/* ------------------------------------------------------------------ case files */

/* The inputs below are written line for line as the case files show them. */
/* clang-format off */

/* Case 14: chunk extension and trailer; keep-alive, nothing after the message. */
#define C14_HEAD "HTTP/1.1 200 OK\r\n" \
    "Content-Type: application/json\r\n" \
    "Transfer-Encoding: chunked\r\n" \
    "Connection: keep-alive\r\n" \
    "\r\n"
#define C14_CHUNKS "a\r\n" \
    "[{\"label\":\r\n" \
    "11;note=x\r\n" \
    "\"POSITIVE\",\"score\r\n" \
    "a\r\n" \
    "\":0.9998}]\r\n"
#define C14_END "0\r\n" \
    "X-Compute-Time: 0.021\r\n" \
    "\r\n"
#define C14_BODY "[{\"label\":\"POSITIVE\",\"score\":0.9998}]"

static void test_case14(void)
{
    static const char in[] = C14_HEAD C14_CHUNKS C14_END;
    static const char next[] = C14_HEAD C14_CHUNKS C14_END "HTTP/1.1 200 OK\r\n";
    const size_t case_split[3] = { sizeof C14_HEAD - 1u, sizeof C14_CHUNKS - 1u, sizeof C14_END - 1u };

    RUN(in, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete); /* without eof: no further read is needed */
    CHECK_INT(g_whole.used, sizeof in - 1u);
    CHECK_MEM(g_whole.body, g_whole.body_len, C14_BODY, 37u);
    CHECK_INT(g_whole.status, 200);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_CHUNKED);
    CHECK(g_whole.keep_alive);
    CHECK_STR(g_whole.content_type, "application/json");
    CHECK_INT(g_whole.header_calls, 1);
    CHECK_INT(g_whole.body_before_headers, 0);

    run(in, sizeof in - 1u, case_split, 3, false, false, &g_split);
    CHECK(same(&g_whole, &g_split));

    /* Bytes after the message belong to the next response: not consumed. */
    run_all(next, sizeof next - 1u, false, false);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.used, sizeof in - 1u);
    CHECK_INT(g_whole.body_len, 37u);

    /* Feeding after completion takes nothing. */
    {
        size_t used = 99;
        memcpy(g_in, "HTTP", 4);
        CHECK_STATUS(hf_priv_http_resp_feed(&g_resp, g_in, 4, &used, NULL), HF_OK);
        CHECK_INT(used, 0);
    }
}

/* Case 16: Transfer-Encoding matched case-insensitively; TE beats CL, connection not reused. */
#define C16_BODY "{\"label\":\"NEGATIVE\",\"score\":0.51}"

static void test_case16(void)
{
    static const char a[] = "HTTP/1.1 200 OK\r\n"
                            "content-type: application/json\r\n"
                            "transfer-encoding: Chunked\r\n"
                            "\r\n"
                            "21\r\n"
                            "{\"label\":\"NEGATIVE\",\"score\":0.51}\r\n"
                            "0\r\n"
                            "\r\n";
    static const char b[] = "HTTP/1.1 200 OK\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: 100\r\n"
                            "Transfer-Encoding: chunked\r\n"
                            "\r\n"
                            "21\r\n"
                            "{\"label\":\"NEGATIVE\",\"score\":0.51}\r\n"
                            "0\r\n"
                            "\r\n";
    RUN(a, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.used, sizeof a - 1u);
    CHECK_MEM(g_whole.body, g_whole.body_len, C16_BODY, 33u);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_CHUNKED);
    CHECK_STR(g_whole.content_type, "application/json");
    CHECK(g_whole.keep_alive);

    RUN(b, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.used, sizeof b - 1u);
    CHECK_MEM(g_whole.body, g_whole.body_len, C16_BODY, 33u);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_CHUNKED);
    CHECK(!g_whole.keep_alive);
}

/* Case 18 A: the first read is 512 bytes and ends inside the Content-Length digits. */
#define C18A_READ1 "HTTP/1.1 200 OK\r\n" \
    "Date: Wed, 03 Dec 2026 10:00:00 GMT\r\n" \
    "Content-Type: application/json\r\n" \
    "x-request-id: rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr\r\n" \
    "x-compute-type: cpu\r\n" \
    "x-compute-time: 0.018\r\n" \
    "vary: origin, access-control-request-method, access-control-request-headers\r\n" \
    "access-control-allow-credentials: true\r\n" \
    "x-proxied-host: internal.example\r\n" \
    "x-proxied-path: /\r\n" \
    "x-padding: pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\r\n" \
    "Content-Length: 1"
#define C18A_READ2 "28\r\n" \
    "\r\n"
#define C18A_BODY "[{\"label\":\"joy\",\"score\":0.91},{\"label\":\"surprise\",\"score\":0.05}," \
    "{\"label\":\"neutral\",\"score\":0.03},{\"label\":\"anger\",\"score\":0.01}]"

/* Case 18 B: a 2126-byte set-cookie line we do not need. */
#define C18B_COOKIE "set-cookie: session=cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc; Path=/; Secure; HttpOnly"

static void test_case18(void)
{
    static const char a[] = C18A_READ1 C18A_READ2 C18A_BODY;
    static const char b[] = "HTTP/1.1 200 OK\r\n"
                            "Content-Type: application/json\r\n"
                            C18B_COOKIE "\r\n"
                            "Content-Length: 30\r\n"
                            "\r\n"
                            "[{\"label\":\"joy\",\"score\":0.91}]";
    const size_t case_split[3] = { sizeof C18A_READ1 - 1u, sizeof C18A_READ2 - 1u, sizeof C18A_BODY - 1u };

    CHECK_INT(sizeof C18A_READ1 - 1u, 512u); /* the literal matches the case */
    CHECK_INT(sizeof C18A_BODY - 1u, 128u);
    run(a, sizeof a - 1u, case_split, 3, false, false, &g_split);
    CHECK_STATUS(g_split.st, HF_OK);
    CHECK(g_split.complete);
    CHECK_INT(g_split.content_length, 128u);
    CHECK_MEM(g_split.body, g_split.body_len, C18A_BODY, 128u);
    CHECK_STR(g_split.request_id, "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr");
    RUN(a, false);
    CHECK(same(&g_whole, &g_split));

    CHECK_INT(sizeof C18B_COOKIE - 1u, 2126u);
    RUN(b, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.content_length, 30u);
    CHECK_MEM(g_whole.body, g_whole.body_len, "[{\"label\":\"joy\",\"score\":0.91}]", 30u);
    CHECK_INT(g_whole.used, sizeof b - 1u);
}

/* Case 20 A-D at the parser level: what EOF means for each framing. */
static void test_case20(void)
{
    static const char a[] = "HTTP/1.0 200 OK\r\n"
                            "Content-Type: application/json\r\n"
                            "\r\n"
                            "{\"score\":0.5}";
    static const char b[] = "HTTP/1.1 200 OK\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: 13\r\n"
                            "\r\n"
                            "{\"score\":0.5}";
    static const char c[] = "HTTP/1.1 200 OK\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: 50\r\n"
                            "\r\n"
                            "{\"score\":0.5}";
    static const char d[] = "HTTP/1.1 200 OK\r\n"
                            "Content-Type: text/event-stream\r\n"
                            "Cache-Control: no-cache\r\n"
                            "Transfer-Encoding: chunked\r\n"
                            "\r\n"
                            "3a\r\n"
                            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n"
                            "\n"
                            "\r\n";
    RUN(a, true);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_CLOSE);
    CHECK_INT(g_whole.version_minor, 0);
    CHECK(!g_whole.keep_alive);
    CHECK_MEM(g_whole.body, g_whole.body_len, "{\"score\":0.5}", 13u);

    RUN(b, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK(g_whole.keep_alive);
    CHECK_MEM(g_whole.body, g_whole.body_len, "{\"score\":0.5}", 13u);

    RUN(c, true);
    CHECK_STATUS(g_whole.st, HF_ERR_TRUNCATED);
    CHECK(!g_whole.complete);
    CHECK_STR(g_whole.detail, "connection closed before the body was complete (13 of 50 bytes)");
    CHECK_INT(g_whole.body_len, 13u);

    RUN(d, true);
    CHECK_STATUS(g_whole.st, HF_ERR_TRUNCATED);
    CHECK_STR(g_whole.detail, "connection closed before the last chunk");
    CHECK_MEM(g_whole.body, g_whole.body_len,
              "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n", 0x3au);
    CHECK_STR(g_whole.content_type, "text/event-stream");
}

/* RFC 2818 2.2.2: a TLS close without close_notify may be a truncation attack when the close is
 * the framing. HTTP/1.1 close-delimited: refused; HTTP/1.0 (case 20 A): the only framing, accepted;
 * framed bodies: the same answers whatever the close was. */
static void test_bare_eof(void)
{
    static const char v10[] = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"score\":0.5}";
    static const char v11[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: x\n\n";
    static const char len13[] = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"score\":0.5}";
    static const char len50[] = "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"score\":0.5}";
    static const char chunk[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n";

    for (int clean = 0; clean <= 1; clean++) {
        g_clean = clean != 0;
        RUN(v10, true);
        CHECK_STATUS(g_whole.st, HF_OK);
        CHECK(g_whole.complete);
        CHECK_MEM(g_whole.body, g_whole.body_len, "{\"score\":0.5}", 13u);

        RUN(v11, true);
        CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_CLOSE);
        CHECK_MEM(g_whole.body, g_whole.body_len, "data: x\n\n", 9u);
        if (g_clean) {
            CHECK_STATUS(g_whole.st, HF_OK);
            CHECK(g_whole.complete);
        } else {
            CHECK_STATUS(g_whole.st, HF_ERR_TRUNCATED);
            CHECK(!g_whole.complete);
            CHECK_STR(g_whole.detail, "connection closed without TLS close_notify: a body delimited by the "
                                      "close may be cut short");
        }

        RUN(len13, false); /* complete before any EOF: the kind of close never matters */
        CHECK_STATUS(g_whole.st, HF_OK);
        CHECK(g_whole.complete);
        RUN(len50, true);
        CHECK_STATUS(g_whole.st, HF_ERR_TRUNCATED);
        CHECK_STR(g_whole.detail, "connection closed before the body was complete (13 of 50 bytes)");
        RUN(chunk, true);
        CHECK_STATUS(g_whole.st, HF_ERR_TRUNCATED);
        CHECK_STR(g_whole.detail, "connection closed before the last chunk");
    }
    g_clean = true;
}

/* Case 10 A: 503 with a Content-Length body; the connection stays usable for the retry. */
static void test_case10(void)
{
    static const char a[] = "HTTP/1.1 503 Service Unavailable\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: 80\r\n"
                            "Connection: keep-alive\r\n"
                            "\r\n"
                            "{\"error\":\"Model acme/tiny-sentiment is currently loading\",\"estimated_time\":20.0}";
    RUN(a, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.status, 503);
    CHECK_INT(g_whole.content_length, 80u);
    CHECK(g_whole.keep_alive);
    CHECK_MEM(g_whole.body, g_whole.body_len,
              "{\"error\":\"Model acme/tiny-sentiment is currently loading\",\"estimated_time\":20.0}", 80u);
    CHECK_INT(g_whole.used, sizeof a - 1u);
}

/* Case 12: a 500 JSON error, and a binary body whose 0D 0A bytes are data. */
static void test_case12(void)
{
    static const char a[] = "HTTP/1.1 500 Internal Server Error\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: 64\r\n"
                            "\r\n"
                            "{\"error\":\"pipeline failed: unexpected keyword argument 'scale'\"}";
    static const char b[] = "HTTP/1.1 200 OK\r\n"
                            "Content-Type: image/png\r\n"
                            "Content-Length: 16\r\n"
                            "\r\n"
                            "\x89\x50\x4E\x47\x0D\x0A\x1A\x0A\x00\x00\x00\x0D\x49\x48\x44\x52";
    static const uint8_t png[16] = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
                                     0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52 };
    RUN(a, false);
    CHECK_INT(g_whole.status, 500);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.body_len, 64u);

    RUN(b, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_STR(g_whole.content_type, "image/png");
    CHECK_MEM(g_whole.body, g_whole.body_len, png, 16u);
    CHECK_INT(g_whole.used, sizeof b - 1u);
}

/* clang-format on */

static void test_cases(void)
{
    test_case14();
    test_case16();
    test_case18();
    test_case20();
    test_case10();
    test_case12();
}

/* ------------------------------------------------------------------ hostile and edge inputs */

#define OK_HEAD "HTTP/1.1 200 OK\r\n"

static void test_status_lines(void)
{
    static const char *const bad[] = {
        "HTP/1.1 200 OK\r\n\r\n",    "HTTP/1.1 20 OK\r\n\r\n",   "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",    "HTTP/1.1 099 Low\r\n\r\n", "\r\nHTTP/1.1 200 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",        "HTTP/1.1 2x0 OK\r\n\r\n",  "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200 O\rK\r\n\r\n", "http/1.1 200 OK\r\n\r\n",
    };
    static const char no_reason[] = "HTTP/1.1 204\r\n\r\n";
    static const char empty_reason[] = "HTTP/1.1 204 \r\n\r\n";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_fail(bad[i], HF_ERR_PROTOCOL, "malformed status line");
    }
    RUN(no_reason, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK_INT(g_whole.status, 204);
    CHECK(g_whole.complete);
    RUN(empty_reason, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_NONE);
    CHECK(g_whole.keep_alive);
}

static void test_content_length(void)
{
    static const char *const bad[] = {
        OK_HEAD "Content-Length: -1\r\n\r\n",   OK_HEAD "Content-Length: \r\n\r\n",
        OK_HEAD "Content-Length: 12a\r\n\r\n",  OK_HEAD "Content-Length: 1 2\r\n\r\n",
        OK_HEAD "Content-Length: +5\r\n\r\n",   OK_HEAD "Content-Length: 0x10\r\n\r\n",
        OK_HEAD "Content-Length: 5, 5\r\n\r\n",
    };
    /* 2^64 = 18446744073709551616 does not fit; 2^64-1 does. */
    static const char max[] = OK_HEAD "Content-Length: 18446744073709551615\r\n\r\nab";
    static const char same_twice[] = OK_HEAD "Content-Length: 2\r\ncontent-length:  2 \r\n\r\nab";
    static const char zero[] = OK_HEAD "Content-Length: 0\r\n\r\n";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_fail(bad[i], HF_ERR_PROTOCOL, "invalid Content-Length");
    }
    expect_fail(OK_HEAD "Content-Length: 18446744073709551616\r\n\r\n", HF_ERR_PROTOCOL,
                "Content-Length too large");
    expect_fail(OK_HEAD "Content-Length: 99999999999999999999999\r\n\r\n", HF_ERR_PROTOCOL,
                "Content-Length too large");
    expect_fail(OK_HEAD "Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcde", HF_ERR_PROTOCOL,
                "conflicting Content-Length headers");
    RUN(max, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.content_length == UINT64_MAX);
    CHECK_INT(g_whole.body_len, 2u);
    CHECK(!g_whole.complete);
    RUN(same_twice, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK(g_whole.complete);
    CHECK_MEM(g_whole.body, g_whole.body_len, "ab", 2u);
    RUN(zero, false);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.header_calls, 1);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_LENGTH);
}

#define TE_HEAD OK_HEAD "Transfer-Encoding: chunked\r\n\r\n"

static void test_chunked(void)
{
    static const char zeros[] = TE_HEAD "0000000000000000000000003\r\nabc\r\n0\r\n\r\n";
    static const char bare_lf[] =
        "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\nA\n0123456789\n0\n\n";
    static const char upper[] =
        TE_HEAD "1A;x=\"y\"\r\nabcdefghijklmnopqrstuvwxyz\r\n0 ; end\r\nA: b\r\nC: d\r\n\r\n";
    char big[2600];
    expect_fail(TE_HEAD "ffffffffffffffffff\r\n", HF_ERR_PROTOCOL, "chunk size too large");
    expect_fail(TE_HEAD "3\r\nabcX\r\n0\r\n\r\n", HF_ERR_PROTOCOL, "missing CRLF after chunk data");
    CHECK_MEM(g_whole.body, g_whole.body_len, "abc", 3u);
    expect_fail(TE_HEAD "3\r\nabc\rX0\r\n\r\n", HF_ERR_PROTOCOL, "missing CRLF after chunk data");
    CHECK_MEM(g_whole.body, g_whole.body_len, "abc", 3u);
    expect_fail(TE_HEAD "\r\n", HF_ERR_PROTOCOL, "malformed chunk size");
    expect_fail(TE_HEAD "g\r\n", HF_ERR_PROTOCOL, "malformed chunk size");
    expect_fail(TE_HEAD "1 2\r\n", HF_ERR_PROTOCOL, "malformed chunk size");
    expect_fail(TE_HEAD "-1\r\n", HF_ERR_PROTOCOL, "malformed chunk size");
    expect_fail(TE_HEAD "1\rX", HF_ERR_PROTOCOL, "malformed chunk size line");
    RUN(zeros, false);
    CHECK(g_whole.complete);
    CHECK_MEM(g_whole.body, g_whole.body_len, "abc", 3u);
    RUN(bare_lf, false);
    CHECK(g_whole.complete);
    CHECK_MEM(g_whole.body, g_whole.body_len, "abc0123456789", 13u);
    RUN(upper, false);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.used, sizeof upper - 1u);
    CHECK_MEM(g_whole.body, g_whole.body_len, "abcdefghijklmnopqrstuvwxyz", 26u);

    /* An endless chunk extension is cut off at 1024 bytes of size line. */
    memset(big, 'x', sizeof big);
    memcpy(big, TE_HEAD "1;", sizeof TE_HEAD + 1u);
    run_once(big, sizeof big, false);
    CHECK_STATUS(g_whole.st, HF_ERR_PROTOCOL);
    CHECK_STR(g_whole.detail, "chunk size line too long");
}

/* Inputs built in g_big: a server that never stops sending header or trailer lines. */
static char g_big[MAX_IN];

static size_t fill_lines(size_t off, const char *line, size_t count)
{
    for (size_t i = 0; i < count && off + strlen(line) < MAX_IN; i++) {
        memcpy(g_big + off, line, strlen(line));
        off += strlen(line);
    }
    return off;
}

static void test_endless(void)
{
    size_t n;
    n = fill_lines(0, OK_HEAD, 1);
    n = fill_lines(n, "X-A: a\r\n", 2000);
    run_once(g_big, n, false);
    CHECK_STATUS(g_whole.st, HF_ERR_PROTOCOL);
    CHECK_STR(g_whole.detail, "too many response header lines");

    /* one unneeded header line that never ends: skipped, but only up to 64 KiB */
    n = fill_lines(0, OK_HEAD "X-Pad: ", 1);
    memset(g_big + n, 'p', MAX_IN - n);
    run_once(g_big, MAX_IN, false);
    CHECK_STATUS(g_whole.st, HF_ERR_PROTOCOL);
    CHECK_STR(g_whole.detail, "response header block too large");

    n = fill_lines(0, TE_HEAD "1\r\na\r\n0\r\n", 1);
    n = fill_lines(n, "X-Trailer: t\r\n", 2000);
    run_once(g_big, n, false);
    CHECK_STATUS(g_whole.st, HF_ERR_PROTOCOL);
    CHECK_STR(g_whole.detail, "too many response header lines");
    CHECK_MEM(g_whole.body, g_whole.body_len, "a", 1u);

    n = fill_lines(0, TE_HEAD "0\r\nX-T: ", 1);
    memset(g_big + n, 't', MAX_IN - n);
    run_once(g_big, MAX_IN, false);
    CHECK_STATUS(g_whole.st, HF_ERR_PROTOCOL);
    CHECK_STR(g_whole.detail, "response header block too large");

    /* endless 1xx responses are bounded too */
    n = fill_lines(0, "HTTP/1.1 100 Continue\r\n\r\n", 2000);
    run_once(g_big, n, false);
    CHECK_STATUS(g_whole.st, HF_ERR_PROTOCOL);
    CHECK_STR(g_whole.detail, "too many response header lines");
}

static void test_interim(void)
{
    static const char cont[] = "HTTP/1.1 100 Continue\r\n"
                               "\r\n"
                               "HTTP/1.1 200 OK\r\n"
                               "Content-Length: 2\r\n"
                               "\r\n"
                               "ok";
    static const char hints[] = "HTTP/1.1 103 Early Hints\r\n"
                                "Link: </style.css>; rel=preload\r\n"
                                "Content-Type: text/html\r\n"
                                "Content-Length: 9\r\n"
                                "\r\n"
                                "HTTP/1.1 100 Continue\r\n"
                                "\r\n"
                                "HTTP/1.1 201 Created\r\n"
                                "Content-Length: 3\r\n"
                                "\r\n"
                                "xyz";
    RUN(cont, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK_INT(g_whole.status, 200);
    CHECK_INT(g_whole.header_calls, 1);
    CHECK(g_whole.complete);
    CHECK_MEM(g_whole.body, g_whole.body_len, "ok", 2u);
    RUN(hints, false);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK_INT(g_whole.status, 201);
    CHECK_INT(g_whole.header_calls, 1);
    CHECK_STR(g_whole.content_type, "");
    CHECK_INT(g_whole.content_length, 3u);
    CHECK_MEM(g_whole.body, g_whole.body_len, "xyz", 3u);
    expect_fail("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", HF_ERR_UNSUPPORTED,
                "101 Switching Protocols is not supported");
}

static void test_headers(void)
{
    static const char vals[] = "HTTP/1.1 429 Too Many Requests\r\n"
                               "RETRY-AFTER: 120\r\n"
                               "X-Request-Id:\tabc-123 \r\n"
                               "Content-Type:application/json; charset=utf-8\r\n"
                               "Connection: Keep-Alive, Close\r\n"
                               "Content-Length: 0\r\n"
                               "\r\n";
    static const char date[] =
        OK_HEAD "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\nContent-Length: 0\r\n\r\n";
    static const char http10[] = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nz";
    static const char http10_close[] = "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nz";
    static const char head[] = OK_HEAD "Content-Length: 100\r\n\r\n";
    static const char not_modified[] = "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n";
    static const char identity[] = OK_HEAD "Transfer-Encoding: identity\r\n\r\nabc";
    char long_ct[400];

    RUN(vals, false);
    CHECK_INT(g_whole.status, 429);
    CHECK_INT(g_whole.retry_after, 120);
    CHECK_STR(g_whole.request_id, "abc-123");
    CHECK_STR(g_whole.content_type, "application/json; charset=utf-8");
    CHECK(!g_whole.keep_alive);
    CHECK(g_whole.complete);
    RUN(date, false);
    CHECK_INT(g_whole.retry_after, 0);
    RUN(http10, false);
    CHECK(g_whole.keep_alive);
    RUN(http10_close, false);
    CHECK(g_whole.complete);
    CHECK(!g_whole.keep_alive);
    run_all(head, sizeof head - 1u, false, true);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_NONE);
    CHECK_INT(g_whole.used, sizeof head - 1u);
    RUN(not_modified, false);
    CHECK(g_whole.complete);
    CHECK_INT(g_whole.body_len, 0);
    RUN(identity, true);
    CHECK_STATUS(g_whole.st, HF_OK);
    CHECK_INT(g_whole.framing, HF_HTTP_FRAMING_CLOSE);
    CHECK_MEM(g_whole.body, g_whole.body_len, "abc", 3u);

    expect_fail(OK_HEAD "Transfer-Encoding: gzip, chunked\r\n\r\n", HF_ERR_UNSUPPORTED,
                "unsupported Transfer-Encoding");
    expect_fail(OK_HEAD "X-A: 1\r\n folded\r\n\r\n", HF_ERR_PROTOCOL,
                "obsolete line folding in response header");
    expect_fail(OK_HEAD "X-A 1\r\n\r\n", HF_ERR_PROTOCOL, "malformed response header line");
    expect_fail(OK_HEAD "Content-Length : 1\r\n\r\n", HF_ERR_PROTOCOL, "malformed response header line");
    expect_fail(OK_HEAD ": 1\r\n\r\n", HF_ERR_PROTOCOL, "malformed response header line");
    expect_fail(OK_HEAD "X-A: a\rb\r\n\r\n", HF_ERR_PROTOCOL, "malformed response header line");
    {
        static const char nul[] = OK_HEAD "X-A: a\0b\r\n\r\n";
        RUN(nul, true);
        CHECK_STATUS(g_whole.st, HF_ERR_PROTOCOL);
        CHECK_STR(g_whole.detail, "malformed response header line");
    }
    /* an over-long header that we need is an error, never a truncated value */
    memset(long_ct, 'a', sizeof long_ct);
    memcpy(long_ct, OK_HEAD "Content-Type: ", sizeof OK_HEAD + 13u);
    memcpy(long_ct + sizeof long_ct - 5u, "\r\n\r\n", 5u);
    expect_fail(long_ct, HF_ERR_PROTOCOL, "response header too large");
    memcpy(long_ct, OK_HEAD "X-REQUEST-ID: ", sizeof OK_HEAD + 13u);
    expect_fail(long_ct, HF_ERR_PROTOCOL, "response header too large");
}

static void test_eof(void)
{
    static const char partial_head[] = OK_HEAD "Content-Le";
    static const char partial_trailer[] = TE_HEAD "0\r\nX-T: 1\r\n";
    run_all("", 0, true, false);
    CHECK_STATUS(g_whole.st, HF_ERR_CLOSED);
    RUN(partial_head, true);
    CHECK_STATUS(g_whole.st, HF_ERR_TRUNCATED);
    CHECK_STR(g_whole.detail, "connection closed before the response header was complete");
    RUN(partial_trailer, true);
    CHECK_STATUS(g_whole.st, HF_ERR_TRUNCATED);
    CHECK_STR(g_whole.detail, "connection closed before the end of the chunked trailer");
}

static hf_status_t abort_body(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return HF_ERR_ABORTED;
}

static void test_callback_abort(void)
{
    static const char in[] = OK_HEAD "Content-Length: 3\r\n\r\nabc";
    hf_http_cb_t cb = {NULL, abort_body, NULL};
    size_t used = 0;
    memcpy(g_in, in, sizeof in - 1u);
    hf_priv_http_resp_init(&g_resp, false);
    CHECK_STATUS(hf_priv_http_resp_feed(&g_resp, g_in, sizeof in - 1u, &used, &cb), HF_ERR_ABORTED);
    CHECK(!g_resp.complete);
    CHECK(!g_resp.keep_alive);
    CHECK_STATUS(hf_priv_http_resp_feed(&g_resp, g_in, 1, &used, &cb), HF_ERR_ABORTED);
    CHECK_INT(used, 0);
}

static void test_hostile(void)
{
    test_status_lines();
    test_content_length();
    test_chunked();
    test_endless();
    test_interim();
    test_headers();
    test_eof();
    test_callback_abort();
}

/* ------------------------------------------------------------------ request head */

#define CHECK_OUT(b, n, lit) CHECK_MEM((b), (n), (lit), sizeof(lit) - 1u)

static void test_write_head(void)
{
    static uint8_t buf[512];
    hf_out_t o;

    hf_out_init(&o, buf, sizeof buf, NULL, NULL);
    CHECK_STATUS(hf_priv_http_write_head(&o, "POST", "router.huggingface.co", 443, true,
                                         "/hf-inference/models/acme/tiny", "hf_abc", "hfmicro/0.1.0",
                                         "application/json", "image/png", 42),
                 HF_OK);
    CHECK_OUT(buf, o.len,
              "POST /hf-inference/models/acme/tiny HTTP/1.1\r\n"
              "Host: router.huggingface.co\r\n"
              "User-Agent: hfmicro/0.1.0\r\n"
              "Authorization: Bearer hf_abc\r\n"
              "Content-Type: application/json\r\n"
              "Accept: image/png\r\n"
              "Content-Length: 42\r\n"
              "Connection: keep-alive\r\n"
              "\r\n");

    hf_out_init(&o, buf, sizeof buf, NULL, NULL);
    CHECK_STATUS(
        hf_priv_http_write_head(&o, "GET", "localhost", 8080, false, "/health", NULL, "ua/1", NULL, NULL, -1),
        HF_OK);
    CHECK_OUT(buf, o.len,
              "GET /health HTTP/1.1\r\n"
              "Host: localhost:8080\r\n"
              "User-Agent: ua/1\r\n"
              "Connection: keep-alive\r\n"
              "\r\n");

    /* RFC 7230 5.4 + RFC 3986 3.2.2: an IPv6 literal is bracketed, the port follows the bracket */
    hf_out_init(&o, buf, sizeof buf, NULL, NULL);
    CHECK_STATUS(hf_priv_http_write_head(&o, "GET", "::1", 8080, false, "/", NULL, "u", NULL, NULL, -1), HF_OK);
    CHECK_OUT(buf, o.len, "GET / HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: u\r\nConnection: keep-alive\r\n\r\n");
    hf_out_init(&o, buf, sizeof buf, NULL, NULL);
    CHECK_STATUS(hf_priv_http_write_head(&o, "GET", "fe80::1:2", 443, true, "/", NULL, "u", NULL, NULL, -1),
                 HF_OK);
    CHECK_OUT(buf, o.len, "GET / HTTP/1.1\r\nHost: [fe80::1:2]\r\nUser-Agent: u\r\nConnection: keep-alive\r\n\r\n");

    hf_out_init(&o, buf, sizeof buf, NULL, NULL);
    CHECK_STATUS(hf_priv_http_write_head(&o, "POST", "h", 80, true, "/", "", NULL, "", "", 0), HF_OK);
    CHECK_OUT(buf, o.len,
              "POST / HTTP/1.1\r\nHost: h\r\nUser-Agent: " HF_DEFAULT_USER_AGENT "\r\n"
              "Content-Length: 0\r\nConnection: keep-alive\r\n\r\n");

    /* header injection: nothing is written */
    {
        static const char *const evil[] = {"a\r\nX-Evil: 1", "a\nb", "a\rb", "a b"};
        for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
            hf_out_init(&o, buf, sizeof buf, NULL, NULL);
            CHECK_STATUS(
                hf_priv_http_write_head(&o, "POST", "h", 80, true, "/", evil[i], NULL, NULL, NULL, 1),
                HF_ERR_INVALID_ARG);
            CHECK_STATUS(
                hf_priv_http_write_head(&o, "POST", evil[i], 80, true, "/", NULL, NULL, NULL, NULL, 1),
                HF_ERR_INVALID_ARG);
            CHECK_STATUS(
                hf_priv_http_write_head(&o, "POST", "h", 80, true, evil[i], NULL, NULL, NULL, NULL, 1),
                HF_ERR_INVALID_ARG);
            CHECK_STATUS(hf_priv_http_write_head(&o, evil[i], "h", 80, true, "/", NULL, NULL, NULL, NULL, 1),
                         HF_ERR_INVALID_ARG);
            CHECK_INT(o.len, 0);
        }
        CHECK_STATUS(
            hf_priv_http_write_head(&o, "POST", "h", 80, true, "/", NULL, "ua\r\nX: 1", NULL, NULL, 1),
            HF_ERR_INVALID_ARG);
        CHECK_STATUS(hf_priv_http_write_head(&o, "POST", "h", 80, true, "/", NULL, NULL, "a/b\n", NULL, 1),
                     HF_ERR_INVALID_ARG);
        CHECK_STATUS(hf_priv_http_write_head(&o, "POST", "h", 80, true, "/", NULL, NULL, NULL, "x\r", 1),
                     HF_ERR_INVALID_ARG);
        CHECK_STATUS(hf_priv_http_write_head(&o, "POST", "", 80, true, "/", NULL, NULL, NULL, NULL, 1),
                     HF_ERR_INVALID_ARG);
        CHECK_STATUS(hf_priv_http_write_head(&o, "POST", "h", 80, true, NULL, NULL, NULL, NULL, NULL, 1),
                     HF_ERR_INVALID_ARG);
        CHECK_INT(o.len, 0);
    }

    /* a buffer too small without a flush callback is an error, not a cut request */
    hf_out_init(&o, buf, 20, NULL, NULL);
    CHECK_STATUS(
        hf_priv_http_write_head(&o, "GET", "localhost", 80, true, "/health", NULL, NULL, NULL, NULL, -1),
        HF_ERR_NO_MEMORY);
}

int main(void)
{
    test_cases();
    test_bare_eof();
    test_hostile();
    test_write_head();
    return CHECK_DONE();
}
