/*
 * Stack benchmark (a measurement, not a test): the stack high-water mark of one call.
 *
 * Each call runs on its own 64 KiB stack (ucontext), painted with 0xAA before the call; after
 * it, the deepest byte that is no longer 0xAA says how far the call reached. The figure is
 * taken from the first frame on that stack, so it covers the whole call chain: core, the mock
 * transport's recv/send (a memcpy each) and the bench's chunk callback (a few bytes).
 *
 * Usage: bench_stack [fixtures_dir]   prints a Markdown table; exit 1 when a call failed.
 * BENCH_STACK_DEBUG=1 prints the deepest address, for a gdb `watch -l` that shows the deepest
 * chain (run under `setarch -R` so that addresses repeat).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "bench_util.h"

#define STACK_BYTES (64u * 1024u)
#define PAINT 0xAAu

static uint8_t g_stack[STACK_BYTES];
static ucontext_t g_main_ctx, g_call_ctx;
static uintptr_t g_entry; /* address of the first frame on the painted stack */
static void (*g_job)(void);
static hf_status_t g_status;

static void trampoline(void)
{
    volatile uint8_t anchor = 0;
    g_entry = (uintptr_t)&anchor;
    g_job();
}

/* The stack grows down on every host this runs on: the lowest overwritten byte is the deepest. */
static size_t depth_reached(void)
{
    size_t i = 0;
    while (i < sizeof g_stack && g_stack[i] == PAINT) {
        i++;
    }
    if (getenv("BENCH_STACK_DEBUG") != NULL) {
        fprintf(stderr, "deepest %p\n", (void *)(g_stack + i));
    }
    return (size_t)(g_entry - (uintptr_t)(g_stack + i));
}

/* Run g_job on the painted stack; returns the bytes of stack it used below its first frame. */
static size_t measure(void (*job)(void))
{
    memset(g_stack, PAINT, sizeof g_stack);
    g_job = job;
    if (getcontext(&g_call_ctx) != 0) {
        perror("getcontext");
        exit(2);
    }
    g_call_ctx.uc_stack.ss_sp = g_stack;
    g_call_ctx.uc_stack.ss_size = sizeof g_stack;
    g_call_ctx.uc_link = &g_main_ctx;
    makecontext(&g_call_ctx, trampoline, 0);
    if (swapcontext(&g_main_ctx, &g_call_ctx) != 0) {
        perror("swapcontext");
        exit(2);
    }
    return depth_reached();
}

/* ------------------------------------------------------------------ the calls */

#define STREAM_EVENTS 7600u
static char g_wire[2u * 1024u * 1024u];
static size_t g_wire_len;
static bench_rig_t g_rig;
static uint8_t g_arena_mem[1u << 20];
static size_t g_arena_cap;
static const char *g_fixture;

static hf_status_t drop_chunk(void *user, const hf_chat_completion_stream_output_t *chunk)
{
    (void)user;
    (void)chunk;
    return HF_OK;
}

static void chat_input(hf_chat_completion_input_t *in, hf_chat_completion_input_message_t *msg)
{
    memset(in, 0, sizeof *in);
    memset(msg, 0, sizeof *msg);
    msg->role = "user";
    msg->content = "Hello";
    in->messages = msg;
    in->messages_count = 1;
}

static void job_stream(void)
{
    hf_chat_completion_input_message_t msg;
    hf_chat_completion_input_t in;
    hf_arena_t a;
    chat_input(&in, &msg);
    hf_arena_init(&a, g_arena_mem, g_arena_cap);
    g_status = hf_chat_completion_stream(&g_rig.client, "sim/model", &in, &a, drop_chunk, NULL, NULL);
}

static void job_oneshot(void)
{
    hf_chat_completion_input_message_t msg;
    hf_chat_completion_input_t in;
    hf_chat_completion_output_t out;
    hf_arena_t a;
    chat_input(&in, &msg);
    hf_arena_init(&a, g_arena_mem, g_arena_cap);
    g_status = hf_chat_completion(&g_rig.client, "m/x", &in, &a, &out);
}

static void job_classify(void)
{
    hf_text_classification_input_t in;
    hf_text_classification_output_t out;
    hf_arena_t a;
    memset(&in, 0, sizeof in);
    in.inputs = "I like you";
    hf_arena_init(&a, g_arena_mem, g_arena_cap);
    g_status = hf_text_classification(&g_rig.client, "m/x", &in, &a, &out);
}

/* Load a recording's response as the rig's wire bytes; 0 when the fixture is absent. */
static int use_recording(const char *dir, const char *name)
{
    static char path[1024];
    bench_recording_t r;
    char *w;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (bench_load(path, &r) != 0) {
        return 0;
    }
    w = bench_wire(&r, &g_wire_len);
    memcpy(g_wire, w, g_wire_len);
    free(w);
    free(r.body);
    g_fixture = name;
    return 1;
}

static int row(const char *what, const char *buffers, void (*job)(void))
{
    size_t used;
    bench_rig_init(&g_rig, 1024, (const uint8_t *)g_wire, g_wire_len, 1460);
    used = measure(job);
    printf("| %s | %s | %zu |\n", what, buffers, used);
    if (g_status != HF_OK) {
        fprintf(stderr, "bench_stack: %s failed: %s (%s)\n", what, hf_status_str(g_status),
                hf_client_error(&g_rig.client)->message);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : HF_FIXTURES_DIR;
    char label[160];
    int bad = 0;

    printf("## Stack high-water mark per call\n\n");
    printf("Command: `build/tests/bench/bench_stack` (%s, x86-64 host). Each call runs on a 64 KiB stack "
           "painted with 0xAA; the figure is the depth of the deepest overwritten byte below the call's first "
           "frame (core + mock transport + the bench's callback).\n\n",
#if defined(__clang__)
           "clang " __clang_version__
#elif defined(__GNUC__)
           "gcc " __VERSION__
#else
           "unknown compiler"
#endif
    );
    printf("| call | I/O buffer, arena | stack bytes |\n|---|---|---:|\n");

    g_wire_len = bench_make_stream(g_wire, sizeof g_wire, STREAM_EVENTS, NULL);
    g_arena_cap = 2048;
    snprintf(label, sizeof label, "hf_chat_completion_stream, synthetic %zu-byte stream (%u events)", g_wire_len,
             STREAM_EVENTS);
    bad |= row(label, "1024 B, 2048 B", job_stream);

    if (use_recording(dir, "chat_completion__py-together-no-stream-ae22dd.json")) {
        g_arena_cap = 4096;
        snprintf(label, sizeof label, "hf_chat_completion, recorded %s", g_fixture);
        bad |= row(label, "1024 B, 4096 B", job_oneshot);
    } else {
        printf("| hf_chat_completion | SKIPPED: no fixtures at %s | |\n", dir);
    }
    if (use_recording(dir, "text_classification__py-hfinf-default-edf9c0.json")) {
        g_arena_cap = 4096;
        snprintf(label, sizeof label, "hf_text_classification, recorded %s", g_fixture);
        bad |= row(label, "1024 B, 4096 B", job_classify);
    } else {
        printf("| hf_text_classification | SKIPPED: no fixtures at %s | |\n", dir);
    }
    printf("\n");
    return bad;
}
