/* Scripted mock transport and fake clock for unit tests.
 *
 * A script is a list of steps consumed in order by recv (and, for send steps,
 * by send). The response bytes of a DATA step are handed out in pieces whose
 * size the test chooses: every byte boundary (split = 1), fixed split, or a
 * seeded pseudo-random split. Errors, zero-returns and closes are steps too.
 * Everything sent is captured so tests can assert on the request bytes.
 */
#ifndef HF_MOCK_TRANSPORT_H
#define HF_MOCK_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "hf/hf_transport.h"

typedef enum hf_mock_step_kind {
    HF_MOCK_DATA = 1,   /* deliver bytes (split as configured) */
    HF_MOCK_ZERO,       /* one recv returns 0 (nothing within the timeout); fake clock advances by timeout_ms
                           (or by `len` ms when len != 0: a read that came back early with nothing) */
    HF_MOCK_ERROR,      /* one recv returns `status` */
    HF_MOCK_CLOSE,      /* every further recv returns HF_ERR_CLOSED until the next connect */
    HF_MOCK_SEND_LIMIT, /* the next sends accept at most `len` bytes each (partial writes) */
    HF_MOCK_SEND_ERROR, /* the next send returns `status` */
    HF_MOCK_RECONNECT,  /* marks where a new connection's script starts (connect consumes it) */
    HF_MOCK_SEND_ZERO   /* the next send returns 0 (nothing taken); fake clock advances by timeout_ms
                           (or by `len` ms when len != 0) */
} hf_mock_step_kind_t;

/* Steps are consumed in order. A connect after the first skips to just after the next
 * RECONNECT marker (so a script lists each connection's traffic in turn); it also clears
 * the "closed" state. Past the end of the script recv behaves like a silent peer: it
 * returns 0 and advances the fake clock by timeout_ms (counted in reads_past_end).
 * A poll (recv with timeout_ms 0) models a real socket between requests: it sees a CLOSE
 * or ERROR step and DATA steps whose status is HF_MOCK_UNSOLICITED (bytes the server sent
 * unasked), but not ordinary DATA or ZERO steps, which answer a request. */
#define HF_MOCK_UNSOLICITED 1

typedef struct hf_mock_step {
    hf_mock_step_kind_t kind;
    const uint8_t *data;
    size_t len;
    int status;
} hf_mock_step_t;

#define HF_MOCK_MAX_STEPS 64
#define HF_MOCK_SENT_CAP (256u * 1024u)

typedef struct hf_mock {
    hf_mock_step_t steps[HF_MOCK_MAX_STEPS];
    size_t nsteps, cur, off;
    size_t split;          /* max bytes per recv (0 = as much as asked) */
    uint32_t seed;         /* != 0: random piece sizes in 1..split */
    size_t send_limit;
    int connect_status;    /* what connect returns (HF_OK by default) */
    int connects, closes;
    int closed;            /* close step reached */
    uint8_t sent[HF_MOCK_SENT_CAP];
    size_t sent_len;
    uint32_t now;          /* fake clock, ms */
    uint32_t slept;        /* total ms slept */
    char last_host[128];
    uint16_t last_port;
    /* additions */
    int recvs;             /* recv calls (polls included) */
    int polls;             /* recv calls with timeout_ms 0 */
    int reads_past_end;    /* recv calls after the script ran out */
    int sends;             /* send calls */
    int open;              /* connected and not closed by the client */
    int sent_truncated;    /* more than HF_MOCK_SENT_CAP bytes were sent */
    int32_t native;        /* what native_error returns */
    uint32_t last_connect_timeout; /* timeout_ms of the last connect */
    uint32_t last_recv_timeout;    /* timeout_ms of the last recv */
} hf_mock_t;

void hf_mock_init(hf_mock_t *m);
void hf_mock_add(hf_mock_t *m, hf_mock_step_kind_t kind, const void *data, size_t len, int status);
/* Shorthand: add a DATA step with a C string. */
void hf_mock_add_str(hf_mock_t *m, const char *s);
hf_transport_t hf_mock_transport(hf_mock_t *m);
hf_clock_t hf_mock_clock(hf_mock_t *m);
/* The same clock without sleep_ms (no retry waits possible). */
hf_clock_t hf_mock_clock_nosleep(hf_mock_t *m);

#endif
