/*
 * Memory benchmark (not a test): arena peak and buffer sizes per task, measured.
 *
 * 1. A streamed chat of a synthetic response of >= 1 MB (>= 4000 events) through a 1 KB I/O
 *    buffer and a 2 KB arena, against the same stream with one content event: the arena peaks
 *    must be identical (constant memory) and both calls must succeed.
 * 2. Every recorded 200 response of the implemented tasks (../shared/fixtures/recorded), replayed
 *    through the full stack over the scripted transport: the arena peak each needed, and whether
 *    every one-shot chat completion fits a 4 KB arena.
 * Prints a Markdown table for the README. Exit status 1 when a bound is not met.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define IO_BYTES 1024u
#define STREAM_ARENA 2048u
#define CHAT_ARENA 4096u

typedef struct counter {
    size_t events, bytes;
} counter_t;

static hf_status_t count_chunk(void *user, const hf_chat_completion_stream_output_t *chunk)
{
    counter_t *c = user;
    c->events++;
    for (size_t i = 0; i < chunk->choices_count; i++) {
        if (chunk->choices[i].delta && chunk->choices[i].delta->content)
            c->bytes += strlen(chunk->choices[i].delta->content);
    }
    return HF_OK;
}

static int stream_case(size_t n_events, size_t *peak, size_t *wire, counter_t *cnt)
{
    static char buf[2u * 1024u * 1024u];
    static uint8_t arena_mem[STREAM_ARENA];
    bench_rig_t rig;
    hf_chat_completion_input_message_t msg = {0};
    hf_chat_completion_input_t in = {0};
    hf_arena_t arena;
    hf_status_t st;

    *wire = bench_make_stream(buf, sizeof buf, n_events, NULL);
    bench_rig_init(&rig, IO_BYTES, (const uint8_t *)buf, *wire, 1460);
    msg.role = "user";
    msg.content = "Hello";
    in.messages = &msg;
    in.messages_count = 1;
    hf_arena_init(&arena, arena_mem, sizeof arena_mem);
    memset(cnt, 0, sizeof *cnt);
    st = hf_chat_completion_stream(&rig.client, "sim/model", &in, &arena, count_chunk, cnt, NULL);
    *peak = hf_arena_peak(&arena);
    if (st != HF_OK) {
        fprintf(stderr, "stream of %zu events: %s %s\n", n_events, hf_status_str(st),
                hf_client_error(&rig.client)->message);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    size_t peak1, peakn, wire1, wiren;
    counter_t c1, cn;
    int bad = 0;
    const size_t n_big = 7600;
    const char *fixtures = argc > 1 ? argv[1] : HF_FIXTURES_DIR;

    bad |= stream_case(1, &peak1, &wire1, &c1);
    bad |= stream_case(n_big, &peakn, &wiren, &cn);
    printf("## Streaming chat, constant memory (I/O buffer %u B, arena %u B, HF_SSE_MAX_EVENT %u)\n\n",
           IO_BYTES, STREAM_ARENA, (unsigned)HF_SSE_MAX_EVENT);
    printf("Command: `build/tests/bench/bench_memory` (ctest `bench.memory_bounds`). Synthetic TGI-style stream, "
           "one HTTP chunk per event, delivered in reads of at most 1460 bytes.\n\n");
    printf("| stream | wire bytes | events | text bytes | arena peak |\n|---|---:|---:|---:|---:|\n");
    printf("| 1 content event | %zu | %zu | %zu | %zu |\n", wire1, c1.events, c1.bytes, peak1);
    printf("| %zu content events | %zu | %zu | %zu | %zu |\n\n", n_big, wiren, cn.events, cn.bytes, peakn);
    if (wiren < 1000000u || cn.events < 4000u) {
        printf("FAIL: synthetic stream too small (need >= 1 MB and >= 4000 events)\n");
        bad = 1;
    }
    if (peak1 != peakn) {
        printf("FAIL: arena peak grows with the stream (%zu vs %zu)\n", peak1, peakn);
        bad = 1;
    }
    if (peakn > STREAM_ARENA || IO_BYTES > 1024u) {
        printf("FAIL: stream needs more than %u B of arena or %u B of I/O buffer\n", STREAM_ARENA, IO_BYTES);
        bad = 1;
    }
    if (!bad) {
        printf("Bounds met: %zu-byte stream in %zu events with arena peak %zu <= %u B and a %u-byte I/O buffer; "
               "identical to the 1-event stream.\n\n",
               wiren, cn.events, peakn, STREAM_ARENA, IO_BYTES);
    }
    bad |= bench_recorded(fixtures, CHAT_ARENA);
    printf("%s\n", bad ? "memory bounds: FAIL" : "memory bounds: ok");
    return bad;
}
