/* HTTP/1.1 push-driven response parser (the request head writer is in http_write.c).
 * The server is hostile: every line, header block, chunk-size line and trailer
 * section is bounded, and no framing is guessed when the headers are ambiguous. */
#include <string.h>

#include "hf_priv.h"

/* Bounds on what a server may send before the body; they stop a server that
 * streams headers (or 1xx responses, or trailers) forever. */
#ifndef HF_HTTP_MAX_HEADER_BLOCK
#define HF_HTTP_MAX_HEADER_BLOCK 65536u
#endif
#ifndef HF_HTTP_MAX_HEADERS
#define HF_HTTP_MAX_HEADERS 128u
#endif
#ifndef HF_HTTP_MAX_CHUNK_LINE
#define HF_HTTP_MAX_CHUNK_LINE 1024u
#endif

enum { ST_STATUS = 0, ST_HEADERS, ST_BODY, ST_DONE, ST_FAILED };
enum { CH_SIZE = 0, CH_SIZE_WS, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF, CH_TRAILER };
enum {
    H_OTHER = 0,
    H_CONTENT_LENGTH,
    H_TRANSFER_ENCODING,
    H_CONTENT_TYPE,
    H_CONNECTION,
    H_RETRY_AFTER,
    H_REQUEST_ID
};

/* Headers we interpret; order matches H_* minus one. */
static const char *const k_used_headers[] = {
    "content-length", "transfer-encoding", "content-type", "connection", "retry-after", "x-request-id",
};

/* ------------------------------------------------------------------ small helpers */

static hf_status_t fail(hf_http_resp_t *r, hf_status_t st, const char *msg)
{
    (void)hf_priv_strlcpy(r->detail, sizeof r->detail, msg, strlen(msg));
    return st;
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(uint8_t c)
{
    uint8_t l = (uint8_t)(c | 0x20u); /* ASCII lower case */
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return (l >= 'a' && l <= 'f') ? l - 'a' + 10 : -1;
}

/* Decimal digits only: 0 ok, -1 not a number, 1 overflow. */
static int parse_dec(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0u) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t d;
        if (!is_digit(s[i])) {
            return -1;
        }
        d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10u) {
            return 1;
        }
        v = v * 10u + d;
    }
    *out = v;
    return 0;
}

static void finish(hf_http_resp_t *r)
{
    r->complete = true;
    r->state = ST_DONE;
}

/* Forget the header values of a previous (1xx) response; bounds stay cumulative. */
static void reset_response(hf_http_resp_t *r)
{
    r->status = 0;
    r->framing = HF_HTTP_FRAMING_NONE;
    r->content_length = 0u;
    r->body_received = 0u;
    r->keep_alive = false;
    r->saw_content_length = false;
    r->saw_transfer_encoding = false;
    r->retry_after_s = 0u;
    r->content_type[0] = '\0';
    r->request_id[0] = '\0';
    r->te_chunked_last = false;
    r->te_chunked_seen = false;
    r->te_unsupported = false;
    r->conn_close = false;
    r->conn_keep_alive = false;
}

void hf_priv_http_resp_init(hf_http_resp_t *r, bool head_request)
{
    memset(r, 0, sizeof *r); /* zero is HF_OK, ST_STATUS, FRAMING_NONE, empty strings */
    r->head_request = head_request;
}

/* ------------------------------------------------------------------ lines */

static int header_id(const char *name, size_t n)
{
    for (size_t k = 0; k < sizeof k_used_headers / sizeof k_used_headers[0]; k++) {
        if (strlen(k_used_headers[k]) == n && hf_priv_ieq(name, k_used_headers[k], n)) {
            return (int)k + 1;
        }
    }
    return H_OTHER;
}

/* A line outgrew r->line. Skipping is safe only for headers we never read. */
static hf_status_t line_overflow(hf_http_resp_t *r)
{
    const char *colon;
    if (r->state == ST_STATUS) {
        return fail(r, HF_ERR_PROTOCOL, "status line too long");
    }
    if (r->state != ST_HEADERS) {
        return HF_OK;
    }
    if (is_ows(r->line[0])) {
        return fail(r, HF_ERR_PROTOCOL, "obsolete line folding in response header");
    }
    colon = memchr(r->line, ':', r->line_len);
    if (colon != NULL && header_id(r->line, (size_t)(colon - r->line)) != H_OTHER) {
        return fail(r, HF_ERR_PROTOCOL, "response header too large");
    }
    return HF_OK;
}

/* Collect one line across feeds; *done once its LF arrived (CR stripped). */
static hf_status_t take_line(hf_http_resp_t *r, const uint8_t *d, size_t len, size_t *i, bool *done)
{
    const uint8_t *p = d + *i;
    const uint8_t *nl = memchr(p, '\n', len - *i);
    size_t seg = nl != NULL ? (size_t)(nl - p) : len - *i;
    size_t eat = seg + (nl != NULL ? 1u : 0u);
    size_t room = sizeof r->line - r->line_len;
    size_t k = seg < room ? seg : room;

    if (eat > HF_HTTP_MAX_HEADER_BLOCK - r->head_bytes) {
        return fail(r, HF_ERR_PROTOCOL, "response header block too large");
    }
    r->head_bytes += (uint32_t)eat;
    *i += eat;
    *done = nl != NULL;
    if (!r->line_overflow) {
        memcpy(r->line + r->line_len, p, k);
        r->line_len = (uint16_t)(r->line_len + k);
        if (k < seg) {
            hf_status_t st = line_overflow(r);
            if (st != HF_OK) {
                return st;
            }
            r->line_overflow = true;
        }
    }
    if (*done) {
        if (++r->head_lines > HF_HTTP_MAX_HEADERS) {
            return fail(r, HF_ERR_PROTOCOL, "too many response header lines");
        }
        if (!r->line_overflow && r->line_len > 0u && r->line[r->line_len - 1u] == '\r') {
            r->line_len--;
        }
    }
    return HF_OK;
}

static void next_line(hf_http_resp_t *r)
{
    r->line_len = 0u;
    r->line_overflow = false;
}

/* ------------------------------------------------------------------ status line */

static hf_status_t status_line(hf_http_resp_t *r)
{
    const char *s = r->line;
    size_t n = r->line_len;

    if (n < 12u || memcmp(s, "HTTP/1.", 7) != 0 || !is_digit(s[7]) || s[8] != ' ' || !is_digit(s[9]) ||
        !is_digit(s[10]) || !is_digit(s[11]) || (n > 12u && s[12] != ' ') || hf_priv_http_has_ctl(s, n) ||
        s[9] == '0') {
        return fail(r, HF_ERR_PROTOCOL, "malformed status line");
    }
    reset_response(r);
    r->version_minor = s[7] - '0';
    r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    if (r->status == 101) {
        return fail(r, HF_ERR_UNSUPPORTED, "101 Switching Protocols is not supported");
    }
    r->state = ST_HEADERS;
    return HF_OK;
}

/* ------------------------------------------------------------------ header values */

/* Next comma-separated list element, OWS trimmed, parameters (";...") cut off. */
static bool next_element(const char **s, const char *end, const char **tok, size_t *tn)
{
    const char *p = *s, *e;
    while (p < end && (is_ows(*p) || *p == ',')) {
        p++;
    }
    if (p == end) {
        return false;
    }
    e = p;
    while (e < end && *e != ',' && *e != ';' && !is_ows(*e)) {
        e++;
    }
    *tok = p;
    *tn = (size_t)(e - p);
    while (e < end && *e != ',') {
        e++;
    }
    *s = e;
    return true;
}

static bool token_is(const char *t, size_t n, const char *word)
{
    return strlen(word) == n && hf_priv_ieq(t, word, n);
}

static hf_status_t on_content_length(hf_http_resp_t *r, const char *v, size_t n)
{
    uint64_t cl = 0;
    int rc = parse_dec(v, n, &cl);
    if (rc < 0) {
        return fail(r, HF_ERR_PROTOCOL, "invalid Content-Length");
    }
    if (rc > 0) {
        return fail(r, HF_ERR_PROTOCOL, "Content-Length too large");
    }
    if (r->saw_content_length && cl != r->content_length) {
        return fail(r, HF_ERR_PROTOCOL, "conflicting Content-Length headers");
    }
    r->saw_content_length = true;
    r->content_length = cl;
    return HF_OK;
}

static void on_transfer_encoding(hf_http_resp_t *r, const char *v, size_t n)
{
    const char *p = v, *t;
    size_t tn;
    r->saw_transfer_encoding = true;
    while (next_element(&p, v + n, &t, &tn)) {
        r->te_chunked_last = token_is(t, tn, "chunked");
        if (r->te_chunked_last) {
            r->te_unsupported = r->te_unsupported || r->te_chunked_seen;
            r->te_chunked_seen = true;
        } else if (!token_is(t, tn, "identity")) {
            r->te_unsupported = true;
        }
    }
}

static void on_connection(hf_http_resp_t *r, const char *v, size_t n)
{
    const char *p = v, *t;
    size_t tn;
    while (next_element(&p, v + n, &t, &tn)) {
        if (token_is(t, tn, "close")) {
            r->conn_close = true;
        } else if (token_is(t, tn, "keep-alive")) {
            r->conn_keep_alive = true;
        }
    }
}

static void on_retry_after(hf_http_resp_t *r, const char *v, size_t n)
{
    uint64_t s = 0;
    int rc = parse_dec(v, n, &s);
    /* An HTTP-date is not interpreted (no clock to compare with): 0 = unknown. */
    r->retry_after_s = rc < 0 ? 0u : ((rc > 0 || s > UINT32_MAX) ? UINT32_MAX : (uint32_t)s);
}

static hf_status_t header_value(hf_http_resp_t *r, int id, const char *v, size_t n)
{
    switch (id) {
    case H_CONTENT_LENGTH:
        return on_content_length(r, v, n);
    case H_TRANSFER_ENCODING:
        on_transfer_encoding(r, v, n);
        break;
    case H_CONTENT_TYPE:
        (void)hf_priv_strlcpy(r->content_type, sizeof r->content_type, v, n);
        break;
    case H_CONNECTION:
        on_connection(r, v, n);
        break;
    case H_RETRY_AFTER:
        on_retry_after(r, v, n);
        break;
    case H_REQUEST_ID:
        (void)hf_priv_strlcpy(r->request_id, sizeof r->request_id, v, n);
        break;
    default:
        break;
    }
    return HF_OK;
}

static hf_status_t header_line(hf_http_resp_t *r)
{
    const char *s = r->line, *colon, *v, *e;
    size_t n = r->line_len;

    if (is_ows(s[0])) {
        return fail(r, HF_ERR_PROTOCOL, "obsolete line folding in response header");
    }
    colon = memchr(s, ':', n);
    if (colon == NULL || colon == s || hf_priv_http_has_ctl(s, n) ||
        memchr(s, ' ', (size_t)(colon - s)) != NULL || memchr(s, '\t', (size_t)(colon - s)) != NULL) {
        return fail(r, HF_ERR_PROTOCOL, "malformed response header line");
    }
    v = colon + 1;
    e = s + n;
    while (v < e && is_ows(*v)) {
        v++;
    }
    while (e > v && is_ows(e[-1])) {
        e--;
    }
    return header_value(r, header_id(s, (size_t)(colon - s)), v, (size_t)(e - v));
}

/* ------------------------------------------------------------------ end of header block */

static void choose_framing(hf_http_resp_t *r)
{
    bool reusable = r->version_minor >= 1 ? !r->conn_close : (r->conn_keep_alive && !r->conn_close);
    if (r->head_request || r->status == 204 || r->status == 304) {
        r->framing = HF_HTTP_FRAMING_NONE;
    } else if (r->saw_transfer_encoding) {
        r->framing = r->te_chunked_last ? HF_HTTP_FRAMING_CHUNKED : HF_HTTP_FRAMING_CLOSE;
        /* CL next to TE is ambiguous framing (request smuggling): never reuse. */
        reusable = reusable && !r->saw_content_length;
    } else if (r->saw_content_length) {
        r->framing = HF_HTTP_FRAMING_LENGTH;
    } else {
        r->framing = HF_HTTP_FRAMING_CLOSE;
    }
    r->keep_alive = reusable && r->framing != HF_HTTP_FRAMING_CLOSE;
}

static hf_status_t end_of_head(hf_http_resp_t *r, const hf_http_cb_t *cb)
{
    if (r->status < 200) {
        r->state = ST_STATUS;
        return HF_OK;
    }
    choose_framing(r);
    if (r->framing != HF_HTTP_FRAMING_NONE && r->saw_transfer_encoding && r->te_unsupported) {
        return fail(r, HF_ERR_UNSUPPORTED, "unsupported Transfer-Encoding");
    }
    r->state = ST_BODY;
    r->chunk_state = CH_SIZE;
    if (cb != NULL && cb->on_headers != NULL) {
        hf_status_t st = cb->on_headers(cb->user, r);
        if (st != HF_OK) {
            return fail(r, st, "stopped by the headers callback");
        }
    }
    if (r->framing == HF_HTTP_FRAMING_NONE ||
        (r->framing == HF_HTTP_FRAMING_LENGTH && r->content_length == 0u)) {
        finish(r);
    }
    return HF_OK;
}

static hf_status_t head(hf_http_resp_t *r, const uint8_t *d, size_t len, size_t *i, const hf_http_cb_t *cb)
{
    bool done = false;
    hf_status_t st = take_line(r, d, len, i, &done);
    if (st != HF_OK || !done) {
        return st;
    }
    if (r->state == ST_STATUS) {
        st = r->line_overflow ? HF_OK : status_line(r);
    } else if (!r->line_overflow) {
        st = r->line_len == 0u ? end_of_head(r, cb) : header_line(r);
    }
    next_line(r);
    return st;
}

/* ------------------------------------------------------------------ body */

/* Hand up to *left bytes of the input to on_body, as a pointer into the caller's buffer. */
static hf_status_t body_span(hf_http_resp_t *r, const uint8_t *d, size_t len, size_t *i, uint64_t *left,
                             const hf_http_cb_t *cb)
{
    const uint8_t *p = d + *i;
    size_t n = (uint64_t)(len - *i) > *left ? (size_t)*left : len - *i;
    hf_status_t st;
    *left -= n;
    *i += n;
    r->body_received += n;
    if (n == 0u || cb == NULL || cb->on_body == NULL) {
        return HF_OK;
    }
    st = cb->on_body(cb->user, p, n);
    return st == HF_OK ? HF_OK : fail(r, st, "stopped by the body callback");
}

static hf_status_t size_line_done(hf_http_resp_t *r)
{
    r->chunk_state = r->chunk_left == 0u ? CH_TRAILER : CH_DATA;
    next_line(r);
    return HF_OK;
}

static hf_status_t chunk_size_byte(hf_http_resp_t *r, uint8_t c)
{
    int h = hex_value(c);
    if (r->chunk_state == CH_SIZE && h >= 0) {
        if (r->chunk_left > (UINT64_MAX >> 4)) {
            return fail(r, HF_ERR_PROTOCOL, "chunk size too large");
        }
        r->chunk_left = (r->chunk_left << 4) | (uint64_t)h;
        r->chunk_digits = true;
        return HF_OK;
    }
    if (!r->chunk_digits || (c != ';' && c != ' ' && c != '\t' && c != '\r' && c != '\n')) {
        return fail(r, HF_ERR_PROTOCOL, "malformed chunk size");
    }
    if (c == '\n') {
        return size_line_done(r);
    }
    r->chunk_state = c == ';' ? CH_EXT : (c == '\r' ? CH_SIZE_LF : CH_SIZE_WS);
    return HF_OK;
}

/* After chunk data: CRLF, or a bare LF, then the next size line. */
static hf_status_t data_end(hf_http_resp_t *r, uint8_t c)
{
    if (c != '\n') {
        return fail(r, HF_ERR_PROTOCOL, "missing CRLF after chunk data");
    }
    r->chunk_state = CH_SIZE;
    r->chunk_line = 0u;
    r->chunk_digits = false;
    return HF_OK;
}

static hf_status_t chunk_byte(hf_http_resp_t *r, uint8_t c)
{
    if (r->chunk_state <= CH_EXT && ++r->chunk_line > HF_HTTP_MAX_CHUNK_LINE) {
        return fail(r, HF_ERR_PROTOCOL, "chunk size line too long");
    }
    switch (r->chunk_state) {
    case CH_SIZE:
    case CH_SIZE_WS:
        return chunk_size_byte(r, c);
    case CH_EXT:
        return c == '\n' ? size_line_done(r) : HF_OK;
    case CH_SIZE_LF:
        return c == '\n' ? size_line_done(r) : fail(r, HF_ERR_PROTOCOL, "malformed chunk size line");
    case CH_DATA_CR:
        if (c == '\r') {
            r->chunk_state = CH_DATA_LF;
            return HF_OK;
        }
        return data_end(r, c);
    default:
        return data_end(r, c);
    }
}

static hf_status_t trailer(hf_http_resp_t *r, const uint8_t *d, size_t len, size_t *i)
{
    bool done = false;
    hf_status_t st = take_line(r, d, len, i, &done);
    if (st == HF_OK && done) {
        if (!r->line_overflow && r->line_len == 0u) {
            finish(r);
        }
        next_line(r);
    }
    return st;
}

static hf_status_t chunked(hf_http_resp_t *r, const uint8_t *d, size_t len, size_t *i, const hf_http_cb_t *cb)
{
    hf_status_t st = HF_OK;
    while (st == HF_OK && *i < len && r->state == ST_BODY) {
        if (r->chunk_state == CH_DATA) {
            st = body_span(r, d, len, i, &r->chunk_left, cb);
            if (r->chunk_left == 0u) {
                r->chunk_state = CH_DATA_CR;
            }
        } else if (r->chunk_state == CH_TRAILER) {
            st = trailer(r, d, len, i);
        } else {
            st = chunk_byte(r, d[(*i)++]);
        }
    }
    return st;
}

static hf_status_t body(hf_http_resp_t *r, const uint8_t *d, size_t len, size_t *i, const hf_http_cb_t *cb)
{
    hf_status_t st;
    uint64_t left;
    switch (r->framing) {
    case HF_HTTP_FRAMING_CHUNKED:
        return chunked(r, d, len, i, cb);
    case HF_HTTP_FRAMING_LENGTH:
        left = r->content_length - r->body_received;
        st = body_span(r, d, len, i, &left, cb);
        if (st == HF_OK && r->body_received == r->content_length) {
            finish(r);
        }
        return st;
    default:
        left = UINT64_MAX;
        return body_span(r, d, len, i, &left, cb);
    }
}

/* ------------------------------------------------------------------ entry points */

hf_status_t hf_priv_http_resp_feed(hf_http_resp_t *r, uint8_t *data, size_t len, size_t *used,
                                   const hf_http_cb_t *cb)
{
    size_t i = 0;
    hf_status_t st = r->failed;

    if (len > 0u && st == HF_OK) {
        r->started = true;
    }
    while (st == HF_OK && i < len && r->state != ST_DONE) {
        if (r->state == ST_BODY) {
            st = body(r, data, len, &i, cb);
        } else {
            st = head(r, data, len, &i, cb);
        }
    }
    if (st != HF_OK) {
        r->failed = st;
        r->state = ST_FAILED;
        r->keep_alive = false;
    }
    if (used != NULL) {
        *used = i;
    }
    return st;
}

static void detail_add(hf_http_resp_t *r, const char *s)
{
    size_t have = strlen(r->detail);
    (void)hf_priv_strlcpy(r->detail + have, sizeof r->detail - have, s, strlen(s));
}

static hf_status_t truncated(hf_http_resp_t *r, const char *what)
{
    r->failed = fail(r, HF_ERR_TRUNCATED, "connection closed before ");
    detail_add(r, what);
    return HF_ERR_TRUNCATED;
}

/* A close without TLS close_notify cannot be told from a truncation attack when the close is the
 * framing (RFC 2818 2.2.2). HTTP/1.1 servers have Content-Length and chunked, so a cut there is
 * refused; an HTTP/1.0 server has nothing but the close, so it is accepted (case 20 A). */
static hf_status_t close_delimited_end(hf_http_resp_t *r, bool clean)
{
    if (!clean && r->version_minor >= 1) {
        r->failed = fail(r, HF_ERR_TRUNCATED,
                         "connection closed without TLS close_notify: a body delimited by the close may "
                         "be cut short");
        return HF_ERR_TRUNCATED;
    }
    finish(r);
    return HF_OK;
}

/* The peer closed: only a close-delimited body ends that way (TRUNCATED is sticky). */
hf_status_t hf_priv_http_resp_eof(hf_http_resp_t *r, bool clean)
{
    if (r->failed != HF_OK || r->complete) {
        return r->failed;
    }
    r->keep_alive = false;
    if (!r->started) {
        r->failed = fail(r, HF_ERR_CLOSED, "connection closed before any byte of the response");
        return r->failed;
    }
    if (r->state != ST_BODY) {
        return truncated(r, "the response header was complete");
    }
    switch (r->framing) {
    case HF_HTTP_FRAMING_LENGTH:
        (void)truncated(r, "the body was complete (");
        hf_priv_append_u64(r->detail, sizeof r->detail, r->body_received);
        detail_add(r, " of ");
        hf_priv_append_u64(r->detail, sizeof r->detail, r->content_length);
        detail_add(r, " bytes)");
        return HF_ERR_TRUNCATED;
    case HF_HTTP_FRAMING_CHUNKED:
        return truncated(r,
                         r->chunk_state == CH_TRAILER ? "the end of the chunked trailer" : "the last chunk");
    case HF_HTTP_FRAMING_CLOSE:
        return close_delimited_end(r, clean);
    default:
        finish(r);
        return HF_OK;
    }
}
