/*
 * Task runner shared by every task family: one-shot JSON calls (body accumulated in the
 * arena, then tokenised) and SSE streams (one event at a time, arena rewound per event).
 * The families only describe bodies and decode documents; URL, body writing, content-type
 * checks, error events and memory bounds are handled once, here.
 */
#include <string.h>

#include "hf_priv.h"

/* ------------------------------------------------------------------ shared helpers */

static size_t cstrlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

/* Media type match, case-insensitive, ignoring parameters ("; charset=utf-8"). */
static bool media_is(const char *ct, const char *type)
{
    size_t n = cstrlen(type);
    if (cstrlen(ct) < n || !hf_priv_ieq(ct, type, n)) {
        return false;
    }
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t';
}

/* application/json, or any structured-syntax "+json" type (application/problem+json). */
static bool media_is_json(const char *ct)
{
    size_t i = 0;
    if (media_is(ct, "application/json")) {
        return true;
    }
    while (ct[i] != '\0' && ct[i] != ';' && ct[i] != ' ') {
        i++;
    }
    return i >= 5u && hf_priv_ieq(ct + i - 5u, "+json", 5u);
}

static hf_status_t write_body(void *user, hf_out_t *out)
{
    const hf_task_body_t *b = (const hf_task_body_t *)user;
    hf_jw_t w;
    if (b->write != NULL) {
        return b->write(b->user, out);
    }
    hf_jw_init(&w, out);
    return hf_codec_encode(&w, b->type, b->obj);
}

static HF_PRIV_NOINLINE hf_status_t start_call(hf_client_t *c, const char *model, hf_route_t route,
                                               const hf_task_body_t *body, hf_arena_t *a)
{
    hf_status_t st;
    if (c == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    hf_error_clear(&c->err);
    if (model == NULL || body == NULL || a == NULL ||
        (body->write == NULL && (body->type == NULL || body->obj == NULL))) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "missing model, body or arena", NULL, NULL);
        return HF_ERR_INVALID_ARG;
    }
    st = hf_priv_url_build(c->url, sizeof c->url, c->cfg.base_url, c->cfg.provider, model, route);
    if (st != HF_OK) {
        hf_priv_error_set(&c->err, st,
                          st == HF_ERR_NO_MEMORY ? "URL longer than HF_MAX_URL"
                                                  : "bad model, provider or base URL (a model id is [A-Za-z0-9._-], "
                                                    "one '/', optional ':provider'; a URL is http(s)://)",
                          NULL,
                          NULL);
    }
    return st;
}

static void init_request(hf_request_t *rq, hf_client_t *c, const hf_task_body_t *body, hf_arena_t *a)
{
    memset(rq, 0, sizeof *rq);
    rq->method = "POST";
    rq->url = c->url;
    rq->content_type = body->content_type != NULL ? body->content_type : "application/json";
    rq->write_body = write_body;
    rq->body_user = (void *)(uintptr_t)body;
    rq->arena = a;
}

/* ------------------------------------------------------------------ one-shot JSON */

typedef struct json_acc {
    hf_client_t *c;
    hf_arena_t *a;
    uint8_t *start;   /* first body byte, at the arena top */
    size_t len;       /* body bytes committed */
    hf_status_t fail; /* our own failure, reported after the client returns */
    const char *why;  /* its message */
    size_t needed;    /* HF_ERR_NO_MEMORY: arena bytes needed, at least */
} json_acc_t;

static hf_status_t acc_fail(json_acc_t *j, hf_status_t st, const char *why, size_t needed)
{
    j->fail = st;
    j->why = why;
    j->needed = needed;
    return st;
}

static hf_status_t json_on_start(void *user, int status, const char *content_type)
{
    json_acc_t *j = (json_acc_t *)user;
    const hf_http_resp_t *r = &j->c->resp;
    size_t avail;
    (void)status;
    if (!media_is_json(content_type != NULL ? content_type : "")) {
        return acc_fail(j, HF_ERR_JSON_SHAPE, "expected a JSON body, got content type ", 0u);
    }
    j->start = hf_priv_arena_top(j->a, &avail);
    j->len = 0u;
    if (r->framing == HF_HTTP_FRAMING_LENGTH && (j->start == NULL || r->content_length >= (uint64_t)avail)) {
        /* Fail before reading a body that cannot fit; +1 for the terminating NUL. */
        uint64_t need = (uint64_t)j->a->used + r->content_length + 1u;
        return acc_fail(j, HF_ERR_NO_MEMORY, "response body does not fit in the arena",
                        (size_t)need == need ? (size_t)need : (size_t)-1);
    }
    return HF_OK;
}

static hf_status_t json_on_data(void *user, const uint8_t *data, size_t len)
{
    json_acc_t *j = (json_acc_t *)user;
    size_t avail;
    uint8_t *top = hf_priv_arena_top(j->a, &avail);
    if (j->fail != HF_OK) {
        return j->fail;
    }
    if (top == NULL || top != j->start + j->len || len >= avail) {
        size_t used = j->a->used;
        size_t need = (len > (size_t)-1 - used - 1u) ? (size_t)-1 : used + len + 1u;
        return acc_fail(j, HF_ERR_NO_MEMORY, "response body does not fit in the arena", need);
    }
    memcpy(top, data, len);
    hf_priv_arena_commit(j->a, len);
    j->len += len;
    return HF_OK;
}

static hf_status_t json_on_end(void *user)
{
    json_acc_t *j = (json_acc_t *)user;
    return j->fail;
}

static void json_report(hf_client_t *c, const json_acc_t *j)
{
    hf_priv_error_set(
        &c->err, j->fail, j->why,
        j->fail == HF_ERR_JSON_SHAPE ? (c->resp.content_type[0] ? c->resp.content_type : "(none)") : NULL,
        NULL);
    c->err.needed = j->needed;
}

/* Tokenise the accumulated body (it sits at the arena top, a spare byte after it). The
 * response is complete, so the client's I/O buffer is idle until its next call: the tokens
 * go there when they fit (they are only read by the decode that follows), sparing the arena
 * their 16 bytes each; the arena takes them otherwise. */
static HF_PRIV_NOINLINE hf_status_t parse_body(hf_client_t *c, const json_acc_t *j, hf_arena_t *a,
                                               hf_json_doc_t *doc)
{
    hf_arena_t idle;
    size_t avail;
    hf_status_t st;
    (void)hf_priv_arena_top(a, &avail);
    if (j->start == NULL || avail < 1u) {
        hf_priv_error_set(&c->err, HF_ERR_NO_MEMORY, "response body does not fit in the arena", NULL, NULL);
        c->err.needed = a->used + 1u;
        return HF_ERR_NO_MEMORY;
    }
    hf_priv_arena_commit(a, 1u);
    j->start[j->len] = '\0';
    hf_arena_init(&idle, c->cfg.io_buf, c->cfg.io_buf_size);
    st = hf_priv_json_parse_spare(doc, (char *)j->start, j->len, a, &idle);
    if (st != HF_OK) {
        hf_priv_error_set(&c->err, st,
                          st == HF_ERR_NO_MEMORY    ? "JSON tokens do not fit in the arena"
                          : st == HF_ERR_JSON_SHAPE ? "JSON nested deeper than HF_JSON_MAX_DEPTH"
                                                    : "response body is not valid JSON",
                          NULL, NULL);
        hf_priv_json_explain(&c->err, st, (const char *)j->start, j->len);
        c->err.needed = st == HF_ERR_NO_MEMORY ? a->needed : 0u;
    }
    return st;
}

hf_status_t hf_priv_task_json(hf_client_t *c, const char *model, hf_route_t route, const hf_task_body_t *body,
                              hf_arena_t *a, hf_json_doc_t *doc)
{
    hf_request_t rq;
    json_acc_t j;
    hf_status_t st = start_call(c, model, route, body, a);
    if (st != HF_OK) {
        return st;
    }
    if (doc == NULL) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "missing document", NULL, NULL);
        return HF_ERR_INVALID_ARG;
    }
    memset(&j, 0, sizeof j);
    j.c = c;
    j.a = a;
    init_request(&rq, c, body, a);
    rq.sink.on_start = json_on_start;
    rq.sink.on_data = json_on_data;
    rq.sink.on_end = json_on_end;
    rq.sink.user = &j;
    st = hf_priv_client_execute(c, &rq);
    if (j.fail != HF_OK) {
        json_report(c, &j);
        return j.fail;
    }
    return st != HF_OK ? st : parse_body(c, &j, a, doc);
}

hf_status_t hf_priv_unwrap_first(const hf_json_doc_t *doc, int i, int *out)
{
    if (doc == NULL || out == NULL || i < 0 || i >= doc->ntok) {
        return HF_ERR_INVALID_ARG;
    }
    if (doc->tok[i].type != JSMN_ARRAY) {
        *out = i;
        return HF_OK;
    }
    if (doc->tok[i].size <= 0 || i + 1 >= doc->ntok) {
        return HF_ERR_EMPTY_RESULT;
    }
    *out = i + 1;
    return HF_OK;
}

/* ------------------------------------------------------------------ SSE stream */

enum { MODE_NONE = 0, MODE_SSE, MODE_JSON };

/* Lives in the arena: the stream's whole state, so that the stack stays small. */
typedef struct stream_state {
    hf_client_t *c;
    hf_arena_t *a;
    hf_task_event_fn on_event;
    void *user;
    hf_sse_t sse;
    size_t mark;     /* arena level after this state and the event buffer */
    size_t json_len; /* MODE_JSON: bytes of the (non-stream) body in the event buffer */
    uint8_t mode;
    bool finished;    /* [DONE] or a terminal error event: the rest of the body is ignored */
    bool close_conn;  /* stopped mid-body: the connection cannot carry another request */
    hf_status_t fail; /* the outcome, when the stream failed on our side */
    /* An error event's detail points into the event buffer, which is never written again
     * once the stream is finished: no copy needed until the client has returned. */
    const char *ev_msg;
    size_t ev_msg_len;
    const char *ev_type;
    size_t ev_type_len;
    int ev_http;
} stream_state_t;

/* Our failures go straight into c->err with their status set: the client keeps a detail
 * that is already there when the sink's status comes back to it. */
static hf_status_t stream_fail(stream_state_t *s, hf_status_t st, const char *a, const char *b,
                               bool close_conn)
{
    hf_priv_error_set(&s->c->err, st, a, b, NULL);
    s->fail = st;
    s->close_conn = close_conn;
    return st;
}

static bool str_tok(const hf_json_doc_t *doc, int t)
{
    return t >= 0 && doc->tok[t].type == JSMN_STRING;
}

/* `error` as a string: legacy TGI, with an optional `error_type` beside it. */
static void error_from_string(stream_state_t *s, hf_json_doc_t *doc, int err_tok)
{
    int t = hf_json_get(doc, 0, "error_type");
    (void)hf_json_str(doc, err_tok, &s->ev_msg, &s->ev_msg_len);
    if (str_tok(doc, t)) {
        (void)hf_json_str(doc, t, &s->ev_type, &s->ev_type_len);
    }
}

/* `error` as an object: OpenAI style, `message` and TGI's `http_status_code`. Without a
 * string message the object's own text is the message (taken before anything inside it is
 * decoded in place, which would end its raw text). */
static void error_from_object(stream_state_t *s, hf_json_doc_t *doc, int err_tok)
{
    int64_t code;
    int m = hf_json_get(doc, err_tok, "message");
    int t = hf_json_get(doc, err_tok, "type");
    int h = hf_json_get(doc, err_tok, "http_status_code");
    if (str_tok(doc, m)) {
        (void)hf_json_str(doc, m, &s->ev_msg, &s->ev_msg_len);
    } else {
        (void)hf_json_raw(doc, err_tok, &s->ev_msg, &s->ev_msg_len);
    }
    if (h >= 0 && hf_json_i64(doc, h, &code) == HF_OK && code >= 0 && code <= 999) {
        s->ev_http = (int)code;
    }
    if (str_tok(doc, t)) {
        (void)hf_json_str(doc, t, &s->ev_type, &s->ev_type_len);
    }
}

/* An object with a non-null `error` key is an error event, whatever else it holds. */
static bool take_error_event(stream_state_t *s, hf_json_doc_t *doc)
{
    int et = hf_json_get(doc, 0, "error");
    if (et < 0 || hf_json_is_null(doc, et)) {
        return false;
    }
    if (doc->tok[et].type == JSMN_STRING) {
        error_from_string(s, doc, et);
    } else if (doc->tok[et].type == JSMN_OBJECT) {
        error_from_object(s, doc, et);
    } else {
        (void)hf_json_raw(doc, et, &s->ev_msg, &s->ev_msg_len);
    }
    s->fail = HF_ERR_SERVER_EVENT;
    s->finished = true;
    return true;
}

/* The error event's detail, once the client is done with c->err. */
static void report_event(hf_error_t *e, const stream_state_t *s)
{
    static const char k_none[] = "error event without a message";
    e->status = HF_ERR_SERVER_EVENT;
    e->message_truncated = 0u;
    if (s->ev_msg == NULL || s->ev_msg_len == 0u) {
        (void)hf_priv_strlcpy(e->message, sizeof e->message, k_none, sizeof k_none - 1u);
    } else if (hf_priv_strlcpy(e->message, sizeof e->message, s->ev_msg, s->ev_msg_len)) {
        e->message_truncated = 1u;
    }
    (void)hf_priv_strlcpy(e->error_type, sizeof e->error_type, s->ev_type != NULL ? s->ev_type : "",
                          s->ev_type != NULL ? s->ev_type_len : 0u);
    e->http_status = s->ev_http;
    e->needed = 0u;
}

static bool is_done(const char *d, size_t n)
{
    while (n > 0u && (d[n - 1u] == ' ' || d[n - 1u] == '\t')) {
        n--;
    }
    while (n > 0u && (*d == ' ' || *d == '\t')) {
        d++;
        n--;
    }
    return n == 6u && memcmp(d, "[DONE]", 6u) == 0;
}

static bool is_blank(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (d[i] != ' ' && d[i] != '\t' && d[i] != '\n') {
            return false;
        }
    }
    return true;
}

static hf_status_t handle_event(stream_state_t *s, char *data, size_t len)
{
    hf_json_doc_t doc;
    hf_status_t st = hf_json_parse(&doc, data, len, s->a);
    if (st != HF_OK) {
        (void)stream_fail(s, st,
                          st == HF_ERR_NO_MEMORY    ? "stream event tokens do not fit in the arena"
                          : st == HF_ERR_JSON_SHAPE ? "stream event nested deeper than HF_JSON_MAX_DEPTH"
                                                    : "stream event is not valid JSON",
                          NULL, true);
        hf_priv_json_explain(&s->c->err, st, data, len);
        s->c->err.needed = st == HF_ERR_NO_MEMORY ? s->a->needed : 0u;
        return st;
    }
    if (take_error_event(s, &doc)) {
        return HF_OK; /* terminal, but the body is drained so the connection stays usable */
    }
    st = s->on_event(s->user, &doc);
    if (st != HF_OK) {
        /* A task that says why has put it in c->err with this status. */
        if (s->c->err.status != st) {
            hf_priv_error_set(&s->c->err, st,
                              st == HF_ERR_ABORTED ? "stream stopped by the callback"
                                                   : "stream event rejected",
                              NULL, NULL);
        }
        s->fail = st;
        s->close_conn = true;
    }
    return st;
}

static hf_status_t on_sse_event(void *user, char *data, size_t len)
{
    stream_state_t *s = (stream_state_t *)user;
    hf_status_t st;
    if (s->finished || is_blank(data, len)) {
        return HF_OK;
    }
    if (is_done(data, len)) {
        s->finished = true;
        return HF_OK;
    }
    st = handle_event(s, data, len);
    hf_arena_rewind(s->a, s->mark);
    return st;
}

static hf_status_t stream_on_start(void *user, int status, const char *content_type)
{
    stream_state_t *s = (stream_state_t *)user;
    const char *ct = content_type != NULL ? content_type : "";
    (void)status;
    if (media_is(ct, "text/event-stream")) {
        s->mode = MODE_SSE;
    } else if (media_is_json(ct)) {
        s->mode = MODE_JSON;
    } else {
        return stream_fail(s, HF_ERR_JSON_SHAPE, "expected text/event-stream, got content type ",
                           ct[0] != '\0' ? ct : "(none)", true);
    }
    return HF_OK;
}

/* A JSON answer to a stream request: kept (bounded by the event buffer) to look for `error`. */
static hf_status_t json_body_data(stream_state_t *s, const uint8_t *data, size_t len)
{
    if (len >= s->sse.cap - s->json_len) {
        return stream_fail(s, HF_ERR_JSON_SHAPE, "expected text/event-stream, got a JSON body", NULL, true);
    }
    memcpy(s->sse.buf + s->json_len, data, len);
    s->json_len += len;
    return HF_OK;
}

static hf_status_t stream_on_data(void *user, const uint8_t *data, size_t len)
{
    stream_state_t *s = (stream_state_t *)user;
    hf_status_t st;
    if (s->finished) {
        return HF_OK;
    }
    if (s->fail != HF_OK) {
        return s->fail;
    }
    if (s->mode == MODE_JSON) {
        return json_body_data(s, data, len);
    }
    st = hf_priv_sse_feed(&s->sse, data, len);
    if (s->finished) {
        return HF_OK; /* whatever follows [DONE] or an error event does not matter */
    }
    if (st != HF_OK && s->fail == HF_OK) {
        (void)stream_fail(s, st,
                          st == HF_ERR_SSE_EVENT_TOO_LARGE ? "stream event larger than HF_SSE_MAX_EVENT"
                                                           : "stream framing failed",
                          NULL, true);
    }
    return st;
}

static hf_status_t json_body_end(stream_state_t *s)
{
    hf_json_doc_t doc;
    s->sse.buf[s->json_len] = '\0';
    if (hf_json_parse(&doc, s->sse.buf, s->json_len, s->a) == HF_OK && doc.ntok > 0 &&
        doc.tok[0].type == JSMN_OBJECT && take_error_event(s, &doc)) {
        return HF_OK;
    }
    (void)stream_fail(s, HF_ERR_JSON_SHAPE, "expected text/event-stream, got a JSON body", NULL, false);
    return HF_OK;
}

static hf_status_t stream_on_end(void *user)
{
    stream_state_t *s = (stream_state_t *)user;
    hf_status_t st;
    if (s->finished || s->fail != HF_OK) {
        return HF_OK;
    }
    if (s->mode == MODE_JSON) {
        return json_body_end(s);
    }
    /* The body ended where its framing said: a last event without its blank line still counts. */
    st = hf_priv_sse_finish(&s->sse);
    if (st != HF_OK && s->fail == HF_OK) {
        (void)stream_fail(s, st, "stream event larger than HF_SSE_MAX_EVENT", NULL, false);
    }
    return HF_OK;
}

static stream_state_t *stream_state_new(hf_client_t *c, hf_arena_t *a, hf_task_event_fn on_event, void *user)
{
    stream_state_t *s = (stream_state_t *)hf_arena_alloc(a, sizeof *s, 0);
    char *buf = s != NULL ? (char *)hf_arena_alloc(a, HF_SSE_MAX_EVENT, 1) : NULL;
    if (buf == NULL) {
        hf_priv_error_set(&c->err, HF_ERR_NO_MEMORY,
                          "arena too small for the stream state and HF_SSE_MAX_EVENT", NULL, NULL);
        c->err.needed = a->needed;
        return NULL;
    }
    memset(s, 0, sizeof *s);
    s->c = c;
    s->a = a;
    s->on_event = on_event;
    s->user = user;
    s->mark = hf_arena_mark(a);
    hf_priv_sse_init(&s->sse, buf, HF_SSE_MAX_EVENT, on_sse_event, s);
    return s;
}

hf_status_t hf_priv_task_stream(hf_client_t *c, const char *model, hf_route_t route,
                                const hf_task_body_t *body, hf_arena_t *a, hf_task_event_fn on_event,
                                void *user)
{
    hf_request_t rq;
    stream_state_t *s;
    size_t entry;
    hf_status_t st = start_call(c, model, route, body, a);
    if (st != HF_OK) {
        return st;
    }
    if (on_event == NULL) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "missing event callback", NULL, NULL);
        return HF_ERR_INVALID_ARG;
    }
    entry = hf_arena_mark(a);
    s = stream_state_new(c, a, on_event, user);
    if (s == NULL) {
        return HF_ERR_NO_MEMORY;
    }
    init_request(&rq, c, body, a);
    rq.sink.on_start = stream_on_start;
    rq.sink.on_data = stream_on_data;
    rq.sink.on_end = stream_on_end;
    rq.sink.user = s;
    st = hf_priv_client_execute(c, &rq);
    if (s->fail == HF_ERR_SERVER_EVENT) {
        report_event(&c->err, s);
    }
    if (s->fail != HF_OK) {
        c->err.status = s->fail;
        st = s->fail;
        if (s->close_conn) {
            hf_client_close(c);
        }
    }
    hf_arena_rewind(a, entry);
    return st;
}
