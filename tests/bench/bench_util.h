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

/* Replay every recorded 200 response of the implemented tasks; print the arena table. */
int bench_recorded(const char *fixtures_dir, size_t chat_arena_limit);

#endif
