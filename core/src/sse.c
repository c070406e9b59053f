/*
 * Server-sent events framer (PROTOCOL.md 4.1, 4.4): bytes pushed in any split
 * become joined `data` values handed to a callback, one event at a time, in a
 * caller buffer. There is no line buffer: data values are copied straight into
 * the event buffer and every other line is discarded as it streams past, so a
 * comment or an unknown field of any length costs nothing.
 */
#include <string.h>

#include "hf_priv.h"

enum {
    ST_LINE_START = 0, /* nothing of the current line seen yet */
    ST_FIELD,          /* in a field name that may still turn out to be "data" */
    ST_DATA_SPACE,     /* right after "data:": the one optional space */
    ST_DATA,           /* in a data value: copied in bulk */
    ST_SKIP            /* comment or ignored field: discarded in bulk */
};

#define DATA_NAME_LEN 4u
static const uint8_t k_data_name[DATA_NAME_LEN] = {'d', 'a', 't', 'a'};

#define NOT_SEARCHED SIZE_MAX

/* Next CR and next LF of the current push. Each is searched again only once the
 * position has passed it, so a push costs one linear memchr pass per byte value
 * however its lines end (a CR-only stream must not rescan for an LF per line). */
typedef struct {
    const uint8_t *data;
    size_t len;
    size_t lf;
    size_t cr;
} eol_scan_t;

static size_t find_byte(const eol_scan_t *sc, size_t from, int c)
{
    const uint8_t *hit = (const uint8_t *)memchr(sc->data + from, c, sc->len - from);

    return hit ? (size_t)(hit - sc->data) : sc->len;
}

static size_t next_eol(eol_scan_t *sc, size_t from)
{
    if (sc->lf == NOT_SEARCHED || sc->lf < from) {
        sc->lf = find_byte(sc, from, '\n');
    }
    if (sc->cr == NOT_SEARCHED || sc->cr < from) {
        sc->cr = find_byte(sc, from, '\r');
    }
    return sc->lf < sc->cr ? sc->lf : sc->cr;
}

static bool is_eol(uint8_t b)
{
    return b == '\n' || b == '\r';
}

static hf_status_t append(hf_sse_t *s, const uint8_t *p, size_t n)
{
    if (n == 0u) {
        return HF_OK;
    }
    /* One byte of cap is kept for the NUL the in-place JSON decoder needs; an
     * event that does not fit fails whole rather than arriving truncated. */
    if (n >= s->cap - s->len) {
        return HF_ERR_SSE_EVENT_TOO_LARGE;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return HF_OK;
}

static hf_status_t begin_data_line(hf_sse_t *s)
{
    static const uint8_t nl = '\n';
    hf_status_t st = HF_OK;

    if (s->has_data) {
        st = append(s, &nl, 1u);
    }
    s->has_data = true;
    return st;
}

static hf_status_t dispatch(hf_sse_t *s)
{
    size_t n = s->len;

    s->len = 0u;
    s->has_data = false;
    /* Comment-only, meta-only and empty-data blocks are not events (case 05). */
    if (n == 0u) {
        return HF_OK;
    }
    s->buf[n] = '\0';
    s->events++;
    return s->on_event ? s->on_event(s->user, s->buf, n) : HF_OK;
}

static hf_status_t line_end(hf_sse_t *s, uint8_t b)
{
    uint8_t was = s->state;

    s->state = ST_LINE_START;
    s->pending_cr = (b == '\r');
    if (was == ST_LINE_START) {
        return dispatch(s);
    }
    if (was == ST_FIELD && s->matched == DATA_NAME_LEN) {
        return begin_data_line(s); /* a bare "data" line: field with an empty value */
    }
    return HF_OK;
}

static hf_status_t field_byte(hf_sse_t *s, uint8_t b)
{
    if (b == ':') {
        if (s->matched != DATA_NAME_LEN) {
            s->state = ST_SKIP;
            return HF_OK;
        }
        s->state = ST_DATA_SPACE;
        return begin_data_line(s);
    }
    if (s->matched < DATA_NAME_LEN && b == k_data_name[s->matched]) {
        s->matched = (uint8_t)(s->matched + 1u);
        return HF_OK;
    }
    /* Any other name is ignored whole, however long it grows. */
    s->state = ST_SKIP;
    return HF_OK;
}

static hf_status_t line_start(hf_sse_t *s, uint8_t b)
{
    if (s->pending_cr) {
        s->pending_cr = false;
        if (b == '\n') {
            return HF_OK; /* second half of a CRLF, possibly from the next push */
        }
    }
    if (is_eol(b)) {
        return line_end(s, b);
    }
    if (b == ':') {
        s->state = ST_SKIP;
        return HF_OK;
    }
    s->state = ST_FIELD;
    s->matched = 0u;
    return field_byte(s, b);
}

/* The short, per-byte part of a line: its start, the field name, the space after ':'. */
static hf_status_t byte_step(hf_sse_t *s, uint8_t b)
{
    if (s->state == ST_LINE_START) {
        return line_start(s, b);
    }
    if (is_eol(b)) {
        return line_end(s, b);
    }
    if (s->state == ST_FIELD) {
        return field_byte(s, b);
    }
    s->state = ST_DATA;
    return b == ' ' ? HF_OK : append(s, &b, 1u);
}

/* The long part of a line (data value or discarded text), up to and including its end. */
static size_t run(hf_sse_t *s, eol_scan_t *sc, size_t i, hf_status_t *st)
{
    size_t e = next_eol(sc, i);

    if (s->state == ST_DATA) {
        *st = append(s, sc->data + i, e - i);
        if (*st != HF_OK) {
            return e;
        }
    }
    if (e == sc->len) {
        return e;
    }
    *st = line_end(s, sc->data[e]);
    return e + 1u;
}

void hf_priv_sse_init(hf_sse_t *s, char *buf, size_t cap, hf_sse_event_fn on_event, void *user)
{
    if (s == NULL) {
        return;
    }
    memset(s, 0, sizeof *s);
    s->buf = buf;
    s->cap = buf ? cap : 0u;
    s->on_event = on_event;
    s->user = user;
    s->status = HF_OK;
    s->state = ST_LINE_START;
}

hf_status_t hf_priv_sse_feed(hf_sse_t *s, const uint8_t *data, size_t len)
{
    eol_scan_t sc;
    size_t i = 0u;
    hf_status_t st = HF_OK;

    if (s == NULL || (data == NULL && len > 0u)) {
        return HF_ERR_INVALID_ARG;
    }
    if (s->status != HF_OK) {
        return s->status;
    }
    sc.data = data;
    sc.len = len;
    sc.lf = NOT_SEARCHED;
    sc.cr = NOT_SEARCHED;
    while (i < len && st == HF_OK) {
        if (s->state >= ST_DATA) {
            i = run(s, &sc, i, &st);
        } else {
            st = byte_step(s, data[i]);
            i++;
        }
    }
    /* After a failure the position inside the stream is lost: stay failed. */
    s->status = st;
    return st;
}

hf_status_t hf_priv_sse_finish(hf_sse_t *s)
{
    hf_status_t st = HF_OK;

    if (s == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    if (s->status != HF_OK) {
        return s->status;
    }
    /* A last line without its line end still counts, and so does an event
     * without its blank line: Python's client delivers both. */
    if (s->state != ST_LINE_START) {
        st = line_end(s, '\n');
    }
    if (st == HF_OK) {
        st = dispatch(s);
    }
    s->state = ST_LINE_START;
    s->pending_cr = false;
    s->len = 0u;
    s->has_data = false;
    s->status = st;
    return st;
}
