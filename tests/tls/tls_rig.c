/* The TLS test programs' client set-up (see tls_rig.h). Host code: stdio is fine here. */
#include "tls_rig.h"

#include <stdio.h>
#include <string.h>

/* A few CA certificates in PEM, NUL-terminated; the test roots are ~1.2 KiB each. */
static char g_ca[64u * 1024u];
static uint8_t g_io[4096];
static uint8_t g_arena_mem[16u * 1024u];

static hf_status_t load_ca(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL) {
        fprintf(stderr, "tls_rig: cannot open %s\n", path);
        return HF_ERR_INVALID_ARG;
    }
    n = fread(g_ca, 1, sizeof g_ca - 1u, f);
    if (!feof(f)) n = sizeof g_ca; /* larger than the buffer: refuse rather than cut */
    fclose(f);
    if (n == 0 || n >= sizeof g_ca) {
        fprintf(stderr, "tls_rig: %s is empty or larger than %zu bytes\n", path, sizeof g_ca - 1u);
        return HF_ERR_INVALID_ARG;
    }
    g_ca[n] = '\0';
    return HF_OK;
}

hf_status_t tls_rig_open(tls_rig_t *r, const char *base_url, const char *ca_path)
{
    hf_mbedtls_config_t tc;
    hf_client_config_t cfg;
    hf_status_t st = load_ca(ca_path);
    if (st != HF_OK) return st;
    memset(r, 0, sizeof *r);
    r->inner = hf_posix_transport(&r->tcp);
    memset(&tc, 0, sizeof tc);
    tc.ca = (const uint8_t *)g_ca;
    tc.clock = hf_posix_clock();
    st = hf_mbedtls_init(&r->tls, &tc, &r->inner);
    if (st != HF_OK) {
        fprintf(stderr, "tls_rig: hf_mbedtls_init: %s: %s\n", hf_status_str(st), r->tls.describe);
        return st;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = base_url;
    cfg.transport = hf_mbedtls_transport(&r->tls);
    cfg.clock = hf_posix_clock();
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.total_timeout_ms = 20000;
    st = hf_client_init(&r->client, &cfg);
    if (st != HF_OK) {
        fprintf(stderr, "tls_rig: hf_client_init: %s\n", hf_status_str(st));
        return st;
    }
    hf_arena_init(&r->arena, g_arena_mem, sizeof g_arena_mem);
    return HF_OK;
}

hf_status_t tls_rig_classify(tls_rig_t *r)
{
    hf_text_classification_input_t in;
    hf_text_classification_output_t out;
    hf_status_t st;
    memset(&in, 0, sizeof in);
    in.inputs = "I like you";
    hf_arena_reset(&r->arena);
    st = hf_text_classification(&r->client, "sim/demo-classify", &in, &r->arena, &out);
    if (st != HF_OK) return st;
    /* tests/sim/scenarios/demo-classify.json: POSITIVE 0.9998 first */
    if (out.elements_count != 2 || strcmp(out.elements[0].label, "POSITIVE") != 0) return HF_ERR_JSON_SHAPE;
    return HF_OK;
}

static hf_status_t count_chunk(void *user, const hf_chat_completion_stream_output_t *chunk)
{
    size_t *n = user;
    (void)chunk;
    (*n)++;
    return HF_OK;
}

hf_status_t tls_rig_stream(tls_rig_t *r, size_t *events)
{
    hf_chat_completion_input_message_t msg;
    hf_chat_completion_input_t in;
    memset(&msg, 0, sizeof msg);
    memset(&in, 0, sizeof in);
    msg.role = "user";
    msg.content = "Hello";
    in.messages = &msg;
    in.messages_count = 1;
    *events = 0;
    hf_arena_reset(&r->arena);
    return hf_chat_completion_stream(&r->client, "sim", &in, &r->arena, count_chunk, events, NULL);
}

int tls_rig_report(const tls_rig_t *r, const char *what, hf_status_t st)
{
    const hf_error_t *e = hf_client_error(&r->client);
    fprintf(stderr, "%s: %s (HTTP %d): %s\n", what, hf_status_str(st), e->http_status, e->message);
    return 1;
}

void tls_rig_close(tls_rig_t *r)
{
    hf_client_close(&r->client);
    hf_mbedtls_free(&r->tls);
}
