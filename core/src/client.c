/* The client: one request's lifecycle (connect or reuse, send, parse, bounded retries, errors). */
#include "hf_priv.h"

/* State of one call; lives on the caller's stack for the duration of hf_priv_client_execute. */
typedef struct call {
    hf_client_t *c;
    const hf_request_t *req;
    uint32_t start;     /* clock at the start of the call: the total deadline counts from here */
    uint32_t last;      /* last progress (bytes sent or received) */
    long long body_len; /* from the counting pass; -1 = no body and no Content-Length */
    const char *path;
    uint16_t port;
    bool tls;
    bool got_byte; /* a response byte arrived on this connection for this request */
    bool is_2xx;
    bool leftover; /* bytes after the end of the response */
    uint8_t *ebuf; /* error body kept at the top of the arena */
    size_t ecap, elen;
    char host[HF_MAX_HOST];
} call_t;

static size_t cstrlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static bool streq(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] != '\0' && a[i] == b[i]) {
        i++;
    }
    return a[i] == b[i];
}

static uint32_t now(const call_t *k)
{
    return k->c->cfg.clock.now_ms(k->c->cfg.clock.user);
}

/* Milliseconds left of `budget` counted from `from` (unsigned differences survive the clock wrapping). */
static uint32_t left_of(uint32_t t, uint32_t from, uint32_t budget)
{
    uint32_t spent = t - from;
    return spent >= budget ? 0u : budget - spent;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static hf_status_t fail(call_t *k, hf_status_t st, const char *a, const char *b)
{
    hf_priv_error_set(&k->c->err, st, a, b, NULL);
    return st;
}

static void set_native(call_t *k)
{
    const hf_transport_t *t = &k->c->cfg.transport;
    if (t->native_error != NULL) {
        k->c->err.native = t->native_error(t->ctx);
    }
}

static void msg_add(hf_client_t *c, const char *s);

/* After a failed transport call: the port's own words (a TLS verify result, an alert) say more
 * than "connect to HOST" alone. */
static hf_status_t add_describe(call_t *k, hf_status_t st)
{
    const hf_transport_t *t = &k->c->cfg.transport;
    const char *d = t->describe != NULL ? t->describe(t->ctx) : NULL;
    if (d != NULL && d[0] != '\0') {
        msg_add(k->c, ": ");
        msg_add(k->c, d);
    }
    return st;
}

/* ------------------------------------------------------------------ lifecycle */

static void apply_defaults(hf_client_config_t *g)
{
    g->base_url = g->base_url ? g->base_url : HF_DEFAULT_BASE_URL;
    g->provider = g->provider ? g->provider : HF_DEFAULT_PROVIDER;
    g->user_agent = g->user_agent ? g->user_agent : HF_DEFAULT_USER_AGENT;
    g->connect_timeout_ms = g->connect_timeout_ms ? g->connect_timeout_ms : HF_DEFAULT_CONNECT_TIMEOUT_MS;
    g->first_byte_timeout_ms =
        g->first_byte_timeout_ms ? g->first_byte_timeout_ms : HF_DEFAULT_FIRST_BYTE_TIMEOUT_MS;
    g->idle_timeout_ms = g->idle_timeout_ms ? g->idle_timeout_ms : HF_DEFAULT_IDLE_TIMEOUT_MS;
    g->total_timeout_ms = g->total_timeout_ms ? g->total_timeout_ms : HF_DEFAULT_TOTAL_TIMEOUT_MS;
    g->max_attempts = g->max_attempts ? g->max_attempts : (uint8_t)HF_DEFAULT_MAX_ATTEMPTS;
    g->max_retry_wait_ms = g->max_retry_wait_ms ? g->max_retry_wait_ms : HF_DEFAULT_MAX_RETRY_WAIT_MS;
    g->max_total_retry_wait_ms =
        g->max_total_retry_wait_ms ? g->max_total_retry_wait_ms : HF_DEFAULT_MAX_TOTAL_RETRY_WAIT_MS;
}

hf_status_t hf_client_init(hf_client_t *c, const hf_client_config_t *cfg)
{
    const hf_transport_t *t;
    const char *path;
    bool tls;
    uint16_t port;

    if (c == NULL || cfg == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    hf_error_clear(&c->err);
    c->cfg = *cfg;
    c->connected = false;
    c->reusable = false;
    c->requests_on_conn = 0u;
    c->connects = 0u;
    c->port = 0u;
    c->url[0] = '\0';
    apply_defaults(&c->cfg);
    t = &c->cfg.transport;
    if (t->connect == NULL || t->send == NULL || t->recv == NULL || t->close == NULL ||
        c->cfg.clock.now_ms == NULL || c->cfg.io_buf == NULL || c->cfg.io_buf_size < 256u) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG,
                          "transport, clock.now_ms and io_buf (>= 256 bytes) are required", NULL, NULL);
        return HF_ERR_INVALID_ARG;
    }
    if (hf_priv_url_split(c->cfg.base_url, &tls, c->host, sizeof c->host, &port, &path) != HF_OK) {
        c->host[0] = '\0';
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "base_url is not an http(s) URL: ", c->cfg.base_url,
                          NULL);
        return HF_ERR_INVALID_ARG;
    }
    c->host[0] = '\0';
    return HF_OK;
}

const hf_error_t *hf_client_error(const hf_client_t *c)
{
    return &c->err;
}

void hf_client_close(hf_client_t *c)
{
    if (c != NULL && c->connected) {
        c->cfg.transport.close(c->cfg.transport.ctx);
    }
    if (c != NULL) {
        c->connected = false;
        c->reusable = false;
        c->requests_on_conn = 0u;
    }
}

/* ------------------------------------------------------------------ connection */

static bool has_colon(const char *s)
{
    while (*s != '\0' && *s != ':') {
        s++;
    }
    return *s == ':';
}

static hf_status_t connect_new(call_t *k)
{
    hf_client_t *c = k->c;
    uint32_t left = left_of(now(k), k->start, c->cfg.total_timeout_ms);
    hf_status_t st;
    hf_client_close(c);
    if (left == 0u) {
        return fail(k, HF_ERR_TIMEOUT, "total timeout before connecting", NULL);
    }
    st = c->cfg.transport.connect(c->cfg.transport.ctx, k->host, k->port,
                                  min_u32(c->cfg.connect_timeout_ms, left));
    if (st != HF_OK) {
        /* host:port, as the URL would say it ([v6]:port), so a wrong port shows. */
        bool v6 = has_colon(k->host);
        set_native(k);
        st = fail(k, st < 0 ? st : HF_ERR_IO, v6 ? "connect to [" : "connect to ", k->host);
        msg_add(c, v6 ? "]:" : ":");
        hf_priv_append_u64(c->err.message, sizeof c->err.message, k->port);
        return add_describe(k, st);
    }
    (void)hf_priv_strlcpy(c->host, sizeof c->host, k->host, cstrlen(k->host));
    c->port = k->port;
    c->connected = true;
    c->reusable = false;
    c->connects++;
    return HF_OK;
}

/* An idle keep-alive connection may have been closed by the server (FIN, TLS close_notify, or
 * a TLS close without it: HF_ERR_TRUNCATED) or hold bytes nobody asked for: poll it once without
 * waiting before trusting it; anything but "nothing yet" means a fresh connection. */
static bool still_usable(call_t *k)
{
    hf_client_t *c = k->c;
    int r;
    if (!c->connected || !c->reusable || c->port != k->port || !streq(c->host, k->host)) {
        return false;
    }
    r = c->cfg.transport.recv(c->cfg.transport.ctx, c->cfg.io_buf, c->cfg.io_buf_size, 0u);
    return r == 0;
}

static hf_status_t open_conn(call_t *k, bool *reused)
{
    *reused = still_usable(k);
    if (*reused) {
        return HF_OK;
    }
    return connect_new(k);
}

/* ------------------------------------------------------------------ send */

/* hf_out flush: hand everything to the transport, tolerating partial sends and "not now". */
static hf_status_t flush_send(void *user, const uint8_t *data, size_t len)
{
    call_t *k = (call_t *)user;
    hf_client_t *c = k->c;
    size_t off = 0;
    while (off < len) {
        uint32_t t = now(k);
        uint32_t left = min_u32(left_of(t, k->last, c->cfg.idle_timeout_ms),
                                left_of(t, k->start, c->cfg.total_timeout_ms));
        int r;
        if (left == 0u) {
            return fail(k, HF_ERR_TIMEOUT, "timed out sending the request", NULL);
        }
        r = c->cfg.transport.send(c->cfg.transport.ctx, data + off, len - off, left);
        if (r < 0) {
            set_native(k);
            return add_describe(k, fail(k, (hf_status_t)r, "send failed", NULL));
        }
        if ((size_t)r > len - off) {
            return fail(k, HF_ERR_IO, "transport reported more bytes sent than given", NULL);
        }
        if (r > 0) {
            off += (size_t)r;
            k->last = now(k);
        }
    }
    return HF_OK;
}

static HF_PRIV_NOINLINE hf_status_t send_request(call_t *k)
{
    hf_client_t *c = k->c;
    const hf_request_t *q = k->req;
    bool default_port = k->port == (k->tls ? 443u : 80u);
    size_t head_len;
    hf_out_t o;
    hf_status_t st;

    hf_out_init(&o, c->cfg.io_buf, c->cfg.io_buf_size, flush_send, k);
    k->last = now(k);
    st = hf_priv_http_write_head(&o, q->method, k->host, k->port, default_port, k->path, c->cfg.token,
                                 c->cfg.user_agent, q->content_type, q->accept, k->body_len);
    head_len = o.total;
    if (st == HF_OK && q->write_body != NULL) {
        st = q->write_body(q->body_user, &o);
    }
    if (st == HF_OK) {
        st = hf_out_flush(&o);
    }
    if (st == HF_OK && k->body_len >= 0 && (long long)(o.total - head_len) != k->body_len) {
        /* Sending a body that disagrees with its Content-Length would desynchronise the connection. */
        return fail(k, HF_ERR_INVALID_ARG, "request body changed between the counting pass and the send",
                    NULL);
    }
    if (st != HF_OK && c->err.status == HF_OK) {
        (void)fail(k, st, "could not write the request", NULL);
    }
    c->requests_on_conn++;
    return st;
}

/* ------------------------------------------------------------------ receive */

static bool is_json_type(const char *ct)
{
    size_t n = 0;
    while (ct[n] != '\0' && ct[n] != ';' && ct[n] != ' ' && ct[n] != '\t') {
        n++;
    }
    return (n == 16u && hf_priv_ieq(ct, "application/json", 16u)) ||
           (n >= 5u && hf_priv_ieq(ct + n - 5u, "+json", 5u));
}

static hf_status_t on_headers(void *user, const hf_http_resp_t *r)
{
    call_t *k = (call_t *)user;
    const hf_sink_t *s = &k->req->sink;
    k->is_2xx = r->status >= 200 && r->status <= 299;
    if (k->is_2xx) {
        return s->on_start != NULL ? s->on_start(s->user, r->status, r->content_type) : HF_OK;
    }
    k->ebuf = NULL;
    k->ecap = 0u;
    k->elen = 0u;
    if (k->req->arena != NULL) {
        size_t avail = 0;
        k->ebuf = hf_priv_arena_top(k->req->arena, &avail);
        /* One byte stays free: the JSON reader NUL-terminates in place. */
        k->ecap = avail > 0u ? avail - 1u : 0u;
        k->ecap = k->ecap > HF_ERROR_BODY_MAX ? HF_ERROR_BODY_MAX : k->ecap;
    }
    return HF_OK;
}

static hf_status_t on_body(void *user, const uint8_t *data, size_t len)
{
    call_t *k = (call_t *)user;
    const hf_sink_t *s = &k->req->sink;
    if (k->is_2xx) {
        return s->on_data != NULL ? s->on_data(s->user, data, len) : HF_OK;
    }
    /* Keep the head of an error body for its message; the rest is drained. */
    for (size_t i = 0; i < len && k->elen < k->ecap; i++) {
        k->ebuf[k->elen++] = data[i];
    }
    return HF_OK;
}

static void record_response(call_t *k)
{
    hf_client_t *c = k->c;
    c->err.http_status = c->resp.status;
    (void)hf_priv_strlcpy(c->err.request_id, sizeof c->err.request_id, c->resp.request_id,
                          cstrlen(c->resp.request_id));
}

static HF_PRIV_NOINLINE hf_status_t http_error(call_t *k)
{
    hf_client_t *c = k->c;
    hf_arena_t *a = k->req->arena;
    size_t mark = a != NULL ? hf_arena_mark(a) : 0u;
    bool loading;
    hf_status_t st;

    record_response(k); /* the empty-body message names the status */
    if (a != NULL && k->ebuf != NULL) {
        hf_priv_arena_commit(a, k->elen + 1u);
    }
    loading = hf_priv_error_from_body(&c->err, (char *)k->ebuf, k->ebuf != NULL ? k->elen : 0u,
                                      is_json_type(c->resp.content_type), a);
    if (a != NULL) {
        hf_arena_rewind(a, mark);
    }
    if (c->resp.status == 503 && loading) {
        st = HF_ERR_MODEL_LOADING;
    } else if (c->resp.status == 429) {
        st = HF_ERR_RATE_LIMITED;
        c->err.retry_after_s = c->resp.retry_after_s;
    } else {
        st = HF_ERR_HTTP_STATUS;
    }
    c->err.status = st;
    return st;
}

static hf_status_t complete(call_t *k)
{
    hf_client_t *c = k->c;
    const hf_sink_t *s = &k->req->sink;
    hf_status_t st;
    c->reusable = c->resp.keep_alive && !k->leftover;
    if (!k->is_2xx) {
        return http_error(k);
    }
    st = s->on_end != NULL ? s->on_end(s->user) : HF_OK;
    if (st != HF_OK) {
        return fail(k, st, "stopped by the response callback", NULL);
    }
    return HF_OK;
}

static void msg_add(hf_client_t *c, const char *s)
{
    size_t have = cstrlen(c->err.message);
    if (hf_priv_strlcpy(c->err.message + have, sizeof c->err.message - have, s, cstrlen(s))) {
        c->err.message_truncated = 1u;
    }
}

static HF_PRIV_NOINLINE hf_status_t parse_error(call_t *k, hf_status_t st)
{
    hf_client_t *c = k->c;
    if (c->err.status != HF_OK) {
        return st;
    }
    if (st == HF_ERR_TRUNCATED && c->resp.framing == HF_HTTP_FRAMING_LENGTH) {
        /* The parser's detail buffer is short; spell the counts out in full. */
        hf_priv_error_set(&c->err, st, "connection closed before the body was complete (", NULL, NULL);
        hf_priv_append_u64(c->err.message, sizeof c->err.message, c->resp.body_received);
        msg_add(c, " of ");
        hf_priv_append_u64(c->err.message, sizeof c->err.message, c->resp.content_length);
        msg_add(c, " bytes)");
        return st;
    }
    return fail(k, st, c->resp.detail[0] != '\0' ? c->resp.detail : hf_status_str(st), NULL);
}

static HF_PRIV_NOINLINE hf_status_t feed(call_t *k, uint8_t *data, size_t n)
{
    hf_client_t *c = k->c;
    hf_http_cb_t cb;
    size_t used = 0;
    hf_status_t st;
    cb.on_headers = on_headers;
    cb.on_body = on_body;
    cb.user = k;
    st = hf_priv_http_resp_feed(&c->resp, data, n, &used, &cb);
    if (st != HF_OK) {
        return parse_error(k, st);
    }
    if (!c->resp.complete && used < n) {
        return fail(k, HF_ERR_PROTOCOL, "response parser stopped early", NULL);
    }
    k->leftover = used < n;
    return HF_OK;
}

/* How long the next read may wait: first-byte or idle budget, never past the total deadline. */
static hf_status_t read_budget(call_t *k, uint32_t *tmo)
{
    const hf_client_config_t *g = &k->c->cfg;
    uint32_t t = now(k);
    uint32_t total = left_of(t, k->start, g->total_timeout_ms);
    uint32_t phase =
        k->got_byte ? left_of(t, k->last, g->idle_timeout_ms) : left_of(t, k->last, g->first_byte_timeout_ms);
    if (total == 0u) {
        return fail(k, HF_ERR_TIMEOUT, "total timeout of the call", NULL);
    }
    if (phase == 0u) {
        return fail(
            k, HF_ERR_TIMEOUT,
            k->got_byte ? "timed out: the server went silent" : "timed out waiting for the first byte", NULL);
    }
    *tmo = min_u32(total, phase);
    return HF_OK;
}

/* `clean`: FIN or close_notify; false for a TLS close without close_notify (HF_ERR_TRUNCATED). */
static hf_status_t on_closed(call_t *k, bool clean)
{
    hf_status_t st;
    if (!k->got_byte) {
        /* CLOSED either way: a stale keep-alive connection earns its one resend */
        return fail(k, HF_ERR_CLOSED, "connection closed before any byte of the response", NULL);
    }
    st = hf_priv_http_resp_eof(&k->c->resp, clean);
    if (st != HF_OK) {
        return parse_error(k, st);
    }
    k->leftover = true; /* the peer is gone: never reuse */
    return complete(k);
}

static hf_status_t receive(call_t *k)
{
    hf_client_t *c = k->c;
    hf_status_t st = HF_OK;
    k->last = now(k);
    while (!c->resp.complete) {
        uint32_t tmo = 0;
        int r;
        st = read_budget(k, &tmo);
        if (st != HF_OK) {
            return st;
        }
        r = c->cfg.transport.recv(c->cfg.transport.ctx, c->cfg.io_buf, c->cfg.io_buf_size, tmo);
        if (r == HF_ERR_CLOSED || r == HF_ERR_TRUNCATED) {
            return on_closed(k, r == HF_ERR_CLOSED);
        }
        if (r < 0 || (size_t)r > c->cfg.io_buf_size) {
            set_native(k);
            return r < 0 ? add_describe(k, fail(k, (hf_status_t)r, "receive failed", NULL))
                         : fail(k, HF_ERR_IO, "receive failed", NULL);
        }
        if (r > 0) {
            k->got_byte = true;
            k->last = now(k);
            st = feed(k, c->cfg.io_buf, (size_t)r);
            if (st != HF_OK) {
                return st;
            }
        }
    }
    return complete(k);
}

/* ------------------------------------------------------------------ one attempt, retries */

static bool worth_a_fresh_connection(hf_status_t st)
{
    return st == HF_ERR_CLOSED || st == HF_ERR_IO;
}

/* One attempt; a reused connection that dies before answering gets one fresh connection. */
static HF_PRIV_NOINLINE hf_status_t attempt(call_t *k)
{
    hf_client_t *c = k->c;
    hf_status_t st = HF_OK;
    for (int pass = 0; pass < 2; pass++) {
        bool reused = false;
        hf_error_clear(&c->err);
        hf_priv_http_resp_init(&c->resp, streq(k->req->method, "HEAD"));
        k->got_byte = false;
        st = open_conn(k, &reused);
        if (st != HF_OK) {
            return st;
        }
        st = send_request(k);
        if (st == HF_OK) {
            st = receive(k);
        }
        record_response(k);
        if (st == HF_OK || st == HF_ERR_HTTP_STATUS || st == HF_ERR_MODEL_LOADING ||
            st == HF_ERR_RATE_LIMITED) {
            if (!c->reusable) {
                hf_client_close(c);
            }
            return st;
        }
        hf_client_close(c);
        if (!reused || k->got_byte || !worth_a_fresh_connection(st)) {
            return st;
        }
    }
    return st;
}

/* Wait before retry `n` (1-based): the server's hint, else 1 s, 2 s, 4 s ...; capped. */
static uint32_t retry_wait(const hf_client_t *c, hf_status_t st, unsigned n)
{
    uint32_t cap = c->cfg.max_retry_wait_ms;
    uint32_t backoff = 1000u << (n > 15u ? 15u : n - 1u);
    double ms = 0.0;
    if (st == HF_ERR_MODEL_LOADING) {
        ms = c->err.estimated_time_s * 1000.0;
    } else if (c->err.retry_after_s != 0u) {
        ms = (double)c->err.retry_after_s * 1000.0;
    }
    if (!(ms > 0.0)) {
        return min_u32(backoff, cap);
    }
    if (ms >= (double)cap) {
        return cap;
    }
    return (uint32_t)ms + ((double)(uint32_t)ms < ms ? 1u : 0u);
}

static hf_status_t check_request(hf_client_t *c, const hf_request_t *q)
{
    if (c == NULL || q == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    hf_error_clear(&c->err);
    if (q->method == NULL || q->url == NULL || c->cfg.clock.now_ms == NULL || c->cfg.io_buf == NULL) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG,
                          "request without method or URL (or client not initialised)", NULL, NULL);
        return HF_ERR_INVALID_ARG;
    }
    return HF_OK;
}

/* Counting pass: the body's exact size, for Content-Length. */
static HF_PRIV_NOINLINE hf_status_t count_body(call_t *k)
{
    const hf_request_t *q = k->req;
    hf_out_t o;
    hf_status_t st;
    if (q->write_body == NULL) {
        k->body_len = streq(q->method, "GET") || streq(q->method, "HEAD") ? -1 : 0;
        return HF_OK;
    }
    hf_out_init_counting(&o);
    st = q->write_body(q->body_user, &o);
    if (st == HF_OK && o.err != HF_OK) {
        st = o.err;
    }
    if (st != HF_OK) {
        return fail(k, st, "could not encode the request body", NULL);
    }
    k->body_len = (long long)o.total;
    return HF_OK;
}

static HF_PRIV_NOINLINE hf_status_t prepare(call_t *k)
{
    hf_status_t st = hf_priv_url_split(k->req->url, &k->tls, k->host, sizeof k->host, &k->port, &k->path);
    if (st != HF_OK) {
        return fail(k, st, "bad request URL: ", k->req->url);
    }
    return count_body(k);
}

static bool may_retry(call_t *k, hf_status_t st, unsigned n, uint32_t waited, uint32_t *wait)
{
    hf_client_t *c = k->c;
    if ((st != HF_ERR_MODEL_LOADING && st != HF_ERR_RATE_LIMITED) || n >= c->cfg.max_attempts ||
        c->cfg.clock.sleep_ms == NULL) {
        return false;
    }
    *wait = retry_wait(c, st, n);
    if (*wait > c->cfg.max_total_retry_wait_ms - waited || waited > c->cfg.max_total_retry_wait_ms) {
        return false;
    }
    /* A wait that would use up the rest of the call's time cannot lead to an answer. */
    return *wait < left_of(now(k), k->start, c->cfg.total_timeout_ms);
}

hf_status_t hf_priv_client_execute(hf_client_t *c, const hf_request_t *req)
{
    call_t k;
    hf_status_t st = check_request(c, req);
    uint32_t waited = 0, wait = 0;
    if (st != HF_OK) {
        return st;
    }
    k.c = c;
    k.req = req;
    k.start = c->cfg.clock.now_ms(c->cfg.clock.user);
    k.last = k.start;
    k.got_byte = false;
    k.is_2xx = false;
    k.leftover = false;
    k.ebuf = NULL;
    k.ecap = 0u;
    k.elen = 0u;
    st = prepare(&k);
    for (unsigned n = 1u; st == HF_OK; n++) {
        st = attempt(&k);
        if (!may_retry(&k, st, n, waited, &wait)) {
            break;
        }
        c->cfg.clock.sleep_ms(c->cfg.clock.user, wait);
        waited += wait;
        st = HF_OK;
    }
    c->err.status = st;
    return st;
}
