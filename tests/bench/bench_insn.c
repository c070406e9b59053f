/*
 * Instruction-count driver for callgrind (a measurement, not a test). Each mode does its setup,
 * then makes exactly one call inside bench_measured(); tests/bench/run.sh runs it under
 * `valgrind --tool=callgrind --toggle-collect=bench_measured` so only that call is counted.
 *
 *   bench_insn stream N          streamed chat of the synthetic N-event stream (1 KB I/O, 2 KB arena)
 *   bench_insn oneshot FILE      one-shot chat completion of a recorded response (4 KB arena)
 *   bench_insn classify FILE     text classification of a recorded response (4 KB arena)
 *   bench_insn sse N             print the SSE body of the N-event stream (input of the baselines)
 *   bench_insn wire N            print the HTTP wire size of the N-event stream and its SSE body size
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

static char g_wire[2u * 1024u * 1024u];
static uint8_t g_arena_mem[4096];
static bench_rig_t g_rig;

static hf_status_t drop_chunk(void *user, const hf_chat_completion_stream_output_t *chunk)
{
    size_t *n = user;
    (void)chunk;
    (*n)++;
    return HF_OK;
}

typedef enum { M_STREAM, M_ONESHOT, M_CLASSIFY } mode_t_;

/* The one call that is counted. */
__attribute__((noinline)) static hf_status_t bench_measured(mode_t_ m, hf_arena_t *a, size_t *events)
{
    hf_chat_completion_input_message_t msg;
    hf_chat_completion_input_t in;
    memset(&msg, 0, sizeof msg);
    memset(&in, 0, sizeof in);
    msg.role = "user";
    msg.content = "Hello";
    in.messages = &msg;
    in.messages_count = 1;
    if (m == M_STREAM) {
        return hf_chat_completion_stream(&g_rig.client, "sim/model", &in, a, drop_chunk, events, NULL);
    }
    if (m == M_ONESHOT) {
        hf_chat_completion_output_t out;
        return hf_chat_completion(&g_rig.client, "m/x", &in, a, &out);
    } else {
        hf_text_classification_input_t tin;
        hf_text_classification_output_t tout;
        memset(&tin, 0, sizeof tin);
        tin.inputs = "I like you";
        return hf_text_classification(&g_rig.client, "m/x", &tin, a, &tout);
    }
}

static size_t load_wire(const char *path)
{
    bench_recording_t r;
    size_t len;
    char *w;
    if (bench_load(path, &r) != 0) {
        fprintf(stderr, "bench_insn: cannot read %s\n", path);
        exit(2);
    }
    w = bench_wire(&r, &len);
    memcpy(g_wire, w, len);
    free(w);
    free(r.body);
    return len;
}

int main(int argc, char **argv)
{
    hf_arena_t a;
    size_t len, events = 0, sse_len = 0;
    mode_t_ m;
    hf_status_t st;
    if (argc != 3) {
        fprintf(stderr, "usage: bench_insn stream N | oneshot FILE | classify FILE | sse N | wire N\n");
        return 2;
    }
    if (strcmp(argv[1], "sse") == 0) {
        len = bench_make_sse_body(g_wire, sizeof g_wire, (size_t)atol(argv[2]));
        return fwrite(g_wire, 1, len, stdout) == len ? 0 : 1;
    }
    if (strcmp(argv[1], "wire") == 0) {
        len = bench_make_stream(g_wire, sizeof g_wire, (size_t)atol(argv[2]), &sse_len);
        printf("%zu %zu\n", len, sse_len);
        return 0;
    }
    if (strcmp(argv[1], "stream") == 0) {
        m = M_STREAM;
        len = bench_make_stream(g_wire, sizeof g_wire, (size_t)atol(argv[2]), NULL);
        hf_arena_init(&a, g_arena_mem, 2048);
    } else {
        m = strcmp(argv[1], "oneshot") == 0 ? M_ONESHOT : M_CLASSIFY;
        len = load_wire(argv[2]);
        hf_arena_init(&a, g_arena_mem, sizeof g_arena_mem);
    }
    bench_rig_init(&g_rig, 1024, (const uint8_t *)g_wire, len, 1460);
    st = bench_measured(m, &a, &events);
    if (st != HF_OK) {
        fprintf(stderr, "bench_insn: %s\n", hf_status_str(st));
        return 1;
    }
    printf("ok %zu wire bytes, %zu events, arena peak %zu\n", len, events, hf_arena_peak(&a));
    return 0;
}
