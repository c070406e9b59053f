/* The unit tests' client rig: one hf_client_t over the scripted mock transport, an arena, a
 * response builder, what the client sent, and the loops that deliver one response in every
 * way a network can split it. Each test program has one rig (g_mock, g_client, g_arena).
 *
 * Every byte the client sends is also captured here without a size limit (the mock keeps
 * HF_MOCK_SENT_CAP; the 1 MB uploads need more): hf_rig_request() reads it back. */
#ifndef HF_TEST_RIG_H
#define HF_TEST_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_blob.h"
#include "hf_priv.h"
#include "mock_transport.h"

#define HF_RIG_ARENA_MAX (1u << 20) /* largest arena_size a setup takes */
#define HF_RIG_RESP_CAP (1u << 20)  /* largest response hf_rig_response() builds */

extern hf_mock_t g_mock;
extern hf_client_t g_client;
extern hf_arena_t g_arena;
extern char g_resp[HF_RIG_RESP_CAP];

typedef struct hf_rig_opts {
    size_t split;       /* most bytes per recv; 0 = as many as asked */
    uint32_t seed;      /* != 0: random piece sizes in 1..split */
    size_t arena_size;  /* bytes of g_arena (at most HF_RIG_ARENA_MAX) */
    size_t io_size;     /* the client's I/O buffer; 0 = 1024 */
    uint8_t attempts;   /* 0 = 1; more brings a clock that can sleep between retries */
} hf_rig_opts_t;

/** A fresh mock, client and arena. Exits the test when the client refuses the configuration. */
void hf_rig_start(const hf_rig_opts_t *o);
/** hf_rig_start() with one attempt and the default I/O buffer size (see hf_rig_io_size). */
void hf_rig_setup(size_t split, uint32_t seed, size_t arena_size);
/** The I/O buffer size hf_rig_setup() gives (1024 unless a test sets it, once, first). */
extern size_t hf_rig_io_size;
/** g_arena again, empty, over the rig's memory (pointer-aligned). */
void hf_rig_arena(size_t arena_size);
/** The memory under g_arena, and the client's I/O buffer (tests of where tokens land). */
const uint8_t *hf_rig_mem(void);
const uint8_t *hf_rig_io(void);

/** "HTTP/1.1 <status> ..." with Content-Type and Content-Length around `body`, in g_resp;
 *  returns its length. Exits the test when it does not fit. */
size_t hf_rig_response(int status, const char *ctype, const char *body, size_t blen);
/** hf_rig_response() as the next DATA step of the mock. g_resp is one buffer: one such step
 *  per script. */
void hf_rig_add_response(int status, const char *ctype, const char *body, size_t blen);
/** hf_rig_add_response() of a 200 application/json answer with the C string `body`. */
void hf_rig_add_json(const char *body);

/** A 200 response with Content-Type and Content-Length around the C string `body`, as a C
 *  string (a buffer of its own, overwritten by the next call). */
const char *hf_rig_resp_with(const char *ctype, const char *body);

/** Copies the C string `s` into dst[cap], cut to fit, NUL-terminated. */
void hf_test_strlcpy(char *dst, size_t cap, const char *s);

/** What the mock captured, as text (at most 8 KB). */
const char *hf_rig_sent_text(void);
/** The body of the first request captured (after its blank line), as text. */
const char *hf_rig_sent_body(void);
/** How many bytes the client has sent since the setup. */
size_t hf_rig_captured(void);
/** The n-th request captured (0-based): its head (up to the blank line) and its body
 *  (Content-Length bytes, or the rest). 0, or -1 when there is no such request. */
int hf_rig_request(size_t nth, const char **head, size_t *head_len, const uint8_t **body, size_t *body_len);
/** True when the request head has exactly this header line ("Name: value"). */
bool hf_rig_head_has(const char *head, size_t head_len, const char *line);

/* ------------------------------------------------------------------ media from a reader */

/** Media handed out by an hf_blob_t reader in pieces of at most `piece` bytes; rewindable. */
typedef struct hf_rig_reader {
    const uint8_t *src;
    size_t len, off, piece;
    int calls, rewinds;
} hf_rig_reader_t;

/** `b` (cleared) reads `src[len]` through `r`, with Content-Type `ctype`. */
void hf_rig_reader_blob(hf_blob_t *b, hf_rig_reader_t *r, const uint8_t *src, size_t len, size_t piece,
                        const char *ctype);

/* ------------------------------------------------------------------ deliveries */

/** How a response reaches the client. */
typedef enum hf_rig_delivery {
    HF_RIG_CASE_READS = 0, /* in the pieces given (a case file's own reads) */
    HF_RIG_TWO_READS,      /* two reads, split at byte `param` */
    HF_RIG_ONE_BYTE,       /* 1-byte reads */
    HF_RIG_RANDOM          /* random reads of up to 97 bytes, seed `param` */
} hf_rig_delivery_t;

/** A fresh rig (arena_size bytes) whose script delivers `resp` as `mode` says. `splits` are
 *  the ends of the case's reads (HF_RIG_CASE_READS; the rest is the last read). */
void hf_rig_script(const char *resp, size_t len, hf_rig_delivery_t mode, size_t param, const size_t *splits,
                   size_t nsplits, size_t arena_size);

/** Runs `check` once per delivery: the case's own reads, two reads split at every byte boundary
 *  (responses under 1200 bytes) or at 64 spread places, 1-byte reads, 8 random reads. Stops at
 *  the first delivery that fails, and says which. */
void hf_rig_every_delivery(const char *resp, size_t len, const size_t *splits, size_t nsplits, size_t arena_size,
                           void (*check)(void));

#endif /* HF_TEST_RIG_H */
