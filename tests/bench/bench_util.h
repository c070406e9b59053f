/* Shared rig of the benchmarks: a client over the scripted transport, and the recorded-response sweep. */
#ifndef HF_BENCH_UTIL_H
#define HF_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "hf/hf.h"
#include "mock_transport.h"

typedef struct bench_rig {
    hf_mock_t mock;
    hf_client_t client;
    uint8_t io[16384];
} bench_rig_t;

/* A client with an I/O buffer of io_bytes whose transport answers `wire` in reads of at most `split` bytes. */
void bench_rig_init(bench_rig_t *rig, size_t io_bytes, const uint8_t *wire, size_t len, size_t split);

/* A recorded exchange: task, response status and content type, body (malloc'd). */
typedef struct bench_recording {
    char task[40];
    bool chat_route; /* chat recordings: the request went to .../chat/completions */
    int status;
    char ctype[96];
    char *body;
    size_t body_len;
} bench_recording_t;

/* Load one recording (0 ok, -1 unreadable); bench_wire() makes its HTTP response (malloc'd). */
int bench_load(const char *path, bench_recording_t *r);
char *bench_wire(const bench_recording_t *r, size_t *len);

/* The wire bytes of a chunked SSE chat stream: n content events of 4 text bytes, a finish event,
 * [DONE]. *sse_len (optional) gets the length of the SSE body alone (without HTTP framing). */
size_t bench_make_stream(char *dst, size_t cap, size_t n, size_t *sse_len);
/* The same stream's SSE body without HTTP framing (what a baseline parser gets). */
size_t bench_make_sse_body(char *dst, size_t cap, size_t n);

/* Replay every recorded 200 response of the implemented tasks; print the arena table. */
int bench_recorded(const char *fixtures_dir, size_t chat_arena_limit);

#endif
