/* Scripted mock transport and fake clock (see mock_transport.h for the script rules). */
#include "mock_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hf_mock_init(hf_mock_t *m)
{
    memset(m, 0, sizeof *m);
    m->connect_status = HF_OK;
    m->now = 1000u;
}

void hf_mock_add(hf_mock_t *m, hf_mock_step_kind_t kind, const void *data, size_t len, int status)
{
    hf_mock_step_t *s;
    if (m->nsteps >= HF_MOCK_MAX_STEPS) {
        fprintf(stderr, "mock: more than HF_MOCK_MAX_STEPS steps\n");
        abort(); /* a silently shortened script would make a test pass for the wrong reason */
    }
    s = &m->steps[m->nsteps++];
    s->kind = kind;
    s->data = (const uint8_t *)data;
    s->len = len;
    s->status = status;
}

void hf_mock_add_str(hf_mock_t *m, const char *s)
{
    hf_mock_add(m, HF_MOCK_DATA, s, strlen(s), 0);
}

static uint32_t next_rand(hf_mock_t *m)
{
    uint32_t x = m->seed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    m->seed = x ? x : 0x9e3779b9u;
    return x;
}

static hf_status_t mock_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    hf_mock_t *m = (hf_mock_t *)ctx;
    size_t n = strlen(host);
    if (n >= sizeof m->last_host) {
        n = sizeof m->last_host - 1u;
    }
    memcpy(m->last_host, host, n);
    m->last_host[n] = '\0';
    m->last_port = port;
    m->last_connect_timeout = timeout_ms;
    if (m->connect_status != HF_OK) {
        return (hf_status_t)m->connect_status;
    }
    if (m->connects > 0) {
        while (m->cur < m->nsteps && m->steps[m->cur].kind != HF_MOCK_RECONNECT) {
            m->cur++;
        }
    }
    if (m->cur < m->nsteps && m->steps[m->cur].kind == HF_MOCK_RECONNECT) {
        m->cur++;
    }
    m->off = 0;
    m->connects++;
    m->closed = 0;
    m->open = 1;
    return HF_OK;
}

/* Apply SEND_LIMIT steps at the head of the script (they configure, they do not answer). */
static void apply_limits(hf_mock_t *m)
{
    while (m->cur < m->nsteps && m->steps[m->cur].kind == HF_MOCK_SEND_LIMIT) {
        m->send_limit = m->steps[m->cur].len;
        m->cur++;
    }
}

static int mock_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    hf_mock_t *m = (hf_mock_t *)ctx;
    size_t n = len;
    m->sends++;
    apply_limits(m);
    if (m->cur < m->nsteps && m->steps[m->cur].kind == HF_MOCK_SEND_ERROR) {
        return m->steps[m->cur++].status;
    }
    if (m->cur < m->nsteps && m->steps[m->cur].kind == HF_MOCK_SEND_ZERO) {
        m->now += m->steps[m->cur].len != 0u ? (uint32_t)m->steps[m->cur].len : timeout_ms;
        m->cur++;
        return 0;
    }
    if (m->send_limit != 0u && n > m->send_limit) {
        n = m->send_limit;
    }
    if (n > HF_MOCK_SENT_CAP - m->sent_len) {
        m->sent_truncated = 1;
    } else {
        memcpy(m->sent + m->sent_len, buf, n);
        m->sent_len += n;
    }
    return (int)n;
}

static size_t piece_size(hf_mock_t *m, size_t left, size_t cap)
{
    size_t n = left < cap ? left : cap;
    if (m->split != 0u) {
        size_t lim = m->split;
        if (m->seed != 0u) {
            lim = 1u + (size_t)(next_rand(m) % (uint32_t)m->split);
        }
        if (n > lim) {
            n = lim;
        }
    }
    return n;
}

static int deliver(hf_mock_t *m, const hf_mock_step_t *s, uint8_t *buf, size_t cap)
{
    size_t n = piece_size(m, s->len - m->off, cap);
    memcpy(buf, s->data + m->off, n);
    m->off += n;
    if (m->off >= s->len) {
        m->cur++;
        m->off = 0;
    }
    return (int)n;
}

/* A zero-timeout poll only sees what a real socket would hold before the next request. */
static int poll_step(hf_mock_t *m, const hf_mock_step_t *s, uint8_t *buf, size_t cap)
{
    if (s->kind == HF_MOCK_CLOSE) {
        m->closed = 1;
        m->cur++;
        return HF_ERR_CLOSED;
    }
    if (s->kind == HF_MOCK_ERROR) {
        m->cur++;
        return s->status;
    }
    if (s->kind == HF_MOCK_DATA && s->status == HF_MOCK_UNSOLICITED) {
        return deliver(m, s, buf, cap);
    }
    return 0;
}

static int mock_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    hf_mock_t *m = (hf_mock_t *)ctx;
    const hf_mock_step_t *s;
    m->recvs++;
    m->last_recv_timeout = timeout_ms;
    if (timeout_ms == 0u) {
        m->polls++;
    }
    if (m->closed) {
        return HF_ERR_CLOSED;
    }
    apply_limits(m);
    /* Empty DATA steps are skipped so a script may hold them harmlessly. */
    while (m->cur < m->nsteps && m->steps[m->cur].kind == HF_MOCK_DATA && m->steps[m->cur].len == 0u) {
        m->cur++;
    }
    if (m->cur >= m->nsteps || m->steps[m->cur].kind == HF_MOCK_RECONNECT ||
        m->steps[m->cur].kind == HF_MOCK_SEND_ERROR || m->steps[m->cur].kind == HF_MOCK_SEND_ZERO) {
        m->reads_past_end += (m->cur >= m->nsteps || m->steps[m->cur].kind == HF_MOCK_RECONNECT);
        m->now += timeout_ms;
        return 0;
    }
    s = &m->steps[m->cur];
    if (timeout_ms == 0u) {
        return poll_step(m, s, buf, cap);
    }
    switch (s->kind) {
    case HF_MOCK_DATA:
        return deliver(m, s, buf, cap);
    case HF_MOCK_ZERO:
        m->cur++;
        m->now += s->len != 0u ? (uint32_t)s->len : timeout_ms;
        return 0;
    case HF_MOCK_ERROR:
        m->cur++;
        return s->status;
    case HF_MOCK_CLOSE:
        m->closed = 1;
        m->cur++;
        return HF_ERR_CLOSED;
    default:
        m->cur++;
        return 0;
    }
}

static void mock_close(void *ctx)
{
    hf_mock_t *m = (hf_mock_t *)ctx;
    if (m->open) {
        m->closes++;
    }
    m->open = 0;
}

static int32_t mock_native(void *ctx)
{
    return ((hf_mock_t *)ctx)->native;
}

hf_transport_t hf_mock_transport(hf_mock_t *m)
{
    hf_transport_t t;
    t.connect = mock_connect;
    t.send = mock_send;
    t.recv = mock_recv;
    t.close = mock_close;
    t.native_error = mock_native;
    t.describe = NULL;
    t.ctx = m;
    return t;
}

static uint32_t mock_now(void *user)
{
    return ((hf_mock_t *)user)->now;
}

static void mock_sleep(void *user, uint32_t ms)
{
    hf_mock_t *m = (hf_mock_t *)user;
    m->now += ms;
    m->slept += ms;
}

hf_clock_t hf_mock_clock(hf_mock_t *m)
{
    hf_clock_t c;
    c.now_ms = mock_now;
    c.sleep_ms = mock_sleep;
    c.user = m;
    return c;
}

hf_clock_t hf_mock_clock_nosleep(hf_mock_t *m)
{
    hf_clock_t c = hf_mock_clock(m);
    c.sleep_ms = NULL;
    return c;
}
