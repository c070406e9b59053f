/*
 * hfmicro — call the Hugging Face Inference API from a terminal, through the
 * same zero-malloc library a microcontroller links.
 *
 *   hfmicro <task> --model ID|URL [--base-url URL] [--provider NAME]
 *           [--input FILE|-] [--stream] [--json] [--timeout-ms N] [--ca FILE] [TEXT]
 *
 * The request body (--input, or the TEXT shorthand) is parsed into the task's
 * C input struct with the library's own codec, then encoded again by the
 * library: the CLI never forwards raw bytes. https:// URLs go through the mbedTLS port over
 * POSIX sockets, trusting --ca FILE (PEM) or else the system bundle.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hf/port/hf_posix.h"
#if HF_CLI_TLS
#include "hf/port/hf_mbedtls.h"
#endif

#define CLI_IO_BUF 16384u
#define CLI_ARENA (64u * 1024u * 1024u)
#define CLI_MAX_INPUT (32u * 1024u * 1024u)
#define CLI_SYSTEM_CA "/etc/ssl/certs/ca-certificates.crt"

static uint8_t g_io[CLI_IO_BUF];

static void usage(FILE *f)
{
    fputs("usage: hfmicro <task> --model ID|URL [--base-url URL] [--provider NAME]\n"
          "               [--input FILE|-] [--stream] [--json] [--timeout-ms N] [--ca FILE] [TEXT]\n"
          "tasks:", f);
    cli_list_tasks(f);
    fputs("\nHF_TOKEN from the environment is sent as the bearer token.\n"
          "https trusts --ca FILE (PEM), else " CLI_SYSTEM_CA ".\n", f);
}

static int fail(const char *what, const char *detail)
{
    fprintf(stderr, "hfmicro: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 2;
}

static int parse_args(int argc, char **argv, cli_opts_t *o, char *task_buf, size_t task_cap)
{
    memset(o, 0, sizeof *o);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 1;
    }
    if (strlen(argv[1]) >= task_cap) {
        return fail("unknown task", argv[1]);
    }
    for (size_t i = 0; argv[1][i] != '\0'; i++) {
        task_buf[i] = argv[1][i] == '-' ? '_' : argv[1][i];
        task_buf[i + 1] = '\0';
    }
    o->task = task_buf;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (strcmp(a, "--stream") == 0) {
            o->stream = true;
            continue;
        }
        if (strcmp(a, "--json") == 0) {
            o->json = true;
            continue;
        }
        if (strcmp(a, "--model") == 0) dst = &o->model;
        else if (strcmp(a, "--base-url") == 0) dst = &o->base_url;
        else if (strcmp(a, "--provider") == 0) dst = &o->provider;
        else if (strcmp(a, "--input") == 0) dst = &o->input_path;
        else if (strcmp(a, "--ca") == 0) dst = &o->ca_path;
        else if (strcmp(a, "--timeout-ms") == 0) {
            char *end = NULL;
            if (i + 1 >= argc) return fail("missing value for", a);
            errno = 0;
            o->timeout_ms = strtoul(argv[++i], &end, 10);
            if (errno != 0 || end == argv[i] || *end != '\0' || o->timeout_ms == 0 || o->timeout_ms > 0xFFFFFFFFul)
                return fail("bad --timeout-ms", argv[i]);
            continue;
        } else if (a[0] == '-' && a[1] == '-') {
            return fail("unknown option", a);
        }
        if (dst != NULL) {
            if (i + 1 >= argc) return fail("missing value for", a);
            *dst = argv[++i];
            continue;
        }
        if (o->text != NULL) return fail("more than one TEXT argument", a);
        o->text = a;
    }
    if (o->model == NULL) return fail("--model is required", NULL);
    return 0;
}

/* Read a whole file (or stdin) into a fresh buffer with one spare byte. The CLI is a host
 * program: it may use the heap; the library it calls does not. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 65536, n = 0;
    char *buf;
    if (f == NULL) return NULL;
    buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
        if (n + 1 == cap) {
            char *nb = cap >= CLI_MAX_INPUT ? NULL : realloc(buf, cap * 2);
            if (nb == NULL) {
                if (cap >= CLI_MAX_INPUT) errno = EFBIG; /* else realloc's ENOMEM */
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (f != stdin) fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

typedef struct membuf {
    char *p;
    size_t len, cap;
} membuf_t;

static hf_status_t membuf_flush(void *user, const uint8_t *data, size_t len)
{
    membuf_t *m = user;
    if (m->len + len + 1 > m->cap) {
        size_t ncap = (m->len + len + 1) * 2;
        char *np = realloc(m->p, ncap);
        if (np == NULL) return HF_ERR_NO_MEMORY;
        m->p = np;
        m->cap = ncap;
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    m->p[m->len] = '\0';
    return HF_OK;
}

/* Token i's JSON text (strings with their quotes). */
static void raw_span(const hf_json_doc_t *d, int i, const char **s, size_t *n)
{
    int a = d->tok[i].start, b = d->tok[i].end;
    if (d->tok[i].type == JSMN_STRING) {
        a--;
        b++;
    }
    *s = d->text + a;
    *n = (size_t)(b - a);
}

/* Build the request body: the --input JSON object with the TEXT shorthand put in as the
 * task's main input. Also decides whether the call streams. */
static hf_status_t cli_prepare_body(cli_ctx_t *ctx, const cli_task_t *task)
{
    static uint8_t obuf[4096];
    membuf_t mb = {NULL, 0, 0};
    char *src;
    size_t src_len = 2;
    hf_json_doc_t doc;
    hf_out_t out;
    hf_jw_t w;
    hf_status_t st;
    size_t mark = hf_arena_mark(ctx->arena);

    if (ctx->opt.input_path != NULL) {
        src = read_all(ctx->opt.input_path, &src_len);
        if (src == NULL) {
            if (errno == EFBIG)
                fprintf(stderr, "hfmicro: cannot read --input %s: too large (limit %u MiB)\n", ctx->opt.input_path,
                        CLI_MAX_INPUT >> 20);
            else
                fprintf(stderr, "hfmicro: cannot read --input %s: %s\n", ctx->opt.input_path, strerror(errno));
            return HF_ERR_INVALID_ARG;
        }
    } else if (ctx->opt.text != NULL) {
        src = malloc(3);
        if (src == NULL) return HF_ERR_NO_MEMORY;
        memcpy(src, "{}", 3);
    } else {
        fprintf(stderr, "hfmicro: give the request as --input FILE|- or as TEXT\n");
        return HF_ERR_INVALID_ARG;
    }
    st = hf_json_parse(&doc, src, src_len, ctx->arena);
    if (st == HF_OK && doc.tok[0].type != JSMN_OBJECT) st = HF_ERR_JSON_SHAPE;
    if (st != HF_OK) {
        fprintf(stderr, "hfmicro: %s: --input must be one JSON object (the request body)\n", hf_status_str(st));
        free(src);
        return st;
    }
    hf_out_init(&out, obuf, sizeof obuf, membuf_flush, &mb);
    hf_jw_init(&w, &out);
    hf_jw_begin_object(&w);
    ctx->stream = ctx->opt.stream;
    for (int i = 1; i < doc.ntok; i = hf_json_next(&doc, i + 1)) {
        const char *v;
        size_t vn;
        char key[64];
        size_t kn = (size_t)(doc.tok[i].end - doc.tok[i].start);
        if (kn >= sizeof key) kn = sizeof key - 1;
        memcpy(key, doc.text + doc.tok[i].start, kn);
        key[kn] = '\0';
        if (strcmp(key, "stream") == 0) {
            bool b = false;
            if (hf_json_bool(&doc, i + 1, &b) == HF_OK && b) ctx->stream = true;
        }
        if (ctx->opt.text != NULL && strcmp(key, task->main_key) == 0) {
            /* Two main inputs: refuse rather than silently pick one. */
            fprintf(stderr, "hfmicro: the request body already has \"%s\"; give the main input either in "
                            "--input or as TEXT, not both\n", task->main_key);
            free(src);
            free(mb.p);
            hf_arena_rewind(ctx->arena, mark);
            return HF_ERR_INVALID_ARG;
        }
        raw_span(&doc, i + 1, &v, &vn);
        hf_jw_key(&w, key);
        hf_jw_raw(&w, v, vn);
    }
    if (ctx->opt.text != NULL) {
        hf_jw_key(&w, task->main_key);
        if (task->text_is_chat) {
            hf_jw_begin_array(&w);
            hf_jw_begin_object(&w);
            hf_jw_key(&w, "role");
            hf_jw_cstring(&w, "user");
            hf_jw_key(&w, "content");
            hf_jw_cstring(&w, ctx->opt.text);
            hf_jw_end_object(&w);
            hf_jw_end_array(&w);
        } else {
            hf_jw_cstring(&w, ctx->opt.text);
        }
    }
    hf_jw_end_object(&w);
    st = hf_out_flush(&out);
    free(src);
    hf_arena_rewind(ctx->arena, mark);
    if (st != HF_OK || mb.p == NULL) {
        free(mb.p);
        return st != HF_OK ? st : HF_ERR_NO_MEMORY;
    }
    ctx->body = mb.p;
    ctx->body_len = mb.len;
    return HF_OK;
}

/* Schemes are case-insensitive (RFC 3986 3.1): HTTPS://host is https. */
static bool has_prefix_ci(const char *s, const char *prefix)
{
    for (size_t i = 0; prefix[i] != '\0'; i++) {
        if (tolower((unsigned char)s[i]) != prefix[i]) return false;
    }
    return true;
}

static bool is_url(const char *s)
{
    return has_prefix_ci(s, "http://") || has_prefix_ci(s, "https://");
}

/* --base-url replaces scheme and host, also of a model given as a full URL, so that recorded
 * URLs can be replayed against a local server. */
static const char *rebase_model_url(const char *model, const char *base, char *dst, size_t cap)
{
    const char *p;
    size_t blen;
    if (base == NULL || !is_url(model))
        return model;
    p = strstr(model, "://") + 3;
    p = strchr(p, '/');
    if (p == NULL) p = "";
    blen = strlen(base);
    while (blen > 0 && base[blen - 1] == '/') blen--;
    if (blen + strlen(p) + 1 > cap) return NULL;
    memcpy(dst, base, blen);
    strcpy(dst + blen, p);
    return dst;
}

static hf_status_t flush_stdout(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    fflush(stdout);
    return fwrite(data, 1, len, stdout) == len ? HF_OK : HF_ERR_IO;
}

static hf_status_t print_json(const hf_type_t *t, const void *obj, bool newline)
{
    static uint8_t buf[4096];
    hf_out_t out;
    hf_jw_t w;
    hf_status_t st;
    hf_out_init(&out, buf, sizeof buf, flush_stdout, NULL);
    hf_jw_init(&w, &out);
    st = hf_codec_encode(&w, t, obj);
    if (st == HF_OK && newline) st = hf_out_write(&out, "\n", 1);
    if (st == HF_OK) st = hf_out_flush(&out);
    fflush(stdout);
    return st;
}

hf_status_t cli_print_json(const hf_type_t *t, const void *obj) { return print_json(t, obj, true); }

hf_status_t cli_print_json_inline(const hf_type_t *t, const void *obj) { return print_json(t, obj, false); }

void cli_print_float(float v)
{
    uint8_t buf[32];
    hf_out_t out;
    hf_jw_t w;
    hf_out_init(&out, buf, sizeof buf, flush_stdout, NULL);
    hf_jw_init(&w, &out);
    if (hf_jw_float(&w, v) == HF_OK) (void)hf_out_flush(&out);
}

void cli_print_text(const char *s)
{
    if (s != NULL) {
        fputs(s, stdout);
        fflush(stdout);
    }
}

static int report(const hf_client_t *c, hf_status_t st)
{
    const hf_error_t *e = hf_client_error(c);
    fprintf(stderr, "hfmicro: %s", hf_status_str(st));
    if (e->http_status != 0) fprintf(stderr, " (HTTP %d)", e->http_status);
    if (e->error_type[0] != '\0') fprintf(stderr, " [%s]", e->error_type);
    if (e->message[0] != '\0') fprintf(stderr, ": %s%s", e->message, e->message_truncated ? "..." : "");
    if (e->estimated_time_s > 0.0) fprintf(stderr, " (estimated_time %g s)", e->estimated_time_s);
    if (e->needed != 0) fprintf(stderr, " (needed %zu bytes)", e->needed);
    if (e->request_id[0] != '\0') fprintf(stderr, " request-id=%s", e->request_id);
    fputc('\n', stderr);
    return 1;
}

/* The scheme of the URL the call goes to: a full model URL's own, else the base URL's. */
static bool wants_tls(const char *base_url, const char *model)
{
    if (is_url(model))
        return has_prefix_ci(model, "https://");
    return has_prefix_ci(base_url, "https://");
}

#if HF_CLI_TLS
static hf_mbedtls_transport_t g_tls;

/* TLS over the TCP transport, trusting --ca or the system bundle. 0, or the exit code. */
static int setup_tls(hf_client_config_t *cfg, const hf_transport_t *tcp, const char *ca_path)
{
    const char *path = ca_path != NULL ? ca_path : CLI_SYSTEM_CA;
    hf_mbedtls_config_t tc;
    hf_status_t st;
    size_t n = 0;
    char *pem = read_all(path, &n);
    if (pem == NULL) {
        fprintf(stderr, "hfmicro: cannot read the CA bundle %s: %s%s\n", path, strerror(errno),
                ca_path != NULL ? "" : " (give trusted CA certificates with --ca FILE)");
        return 2;
    }
    memset(&tc, 0, sizeof tc);
    tc.ca = (const uint8_t *)pem;
    tc.ca_len = n + 1; /* PEM: the NUL read_all appends is part of it */
    tc.clock = hf_posix_clock();
    st = hf_mbedtls_init(&g_tls, &tc, tcp);
    free(pem); /* mbedTLS keeps its own parsed copy */
    if (st != HF_OK) {
        fprintf(stderr, "hfmicro: %s: %s: %s\n", hf_status_str(st), path, g_tls.describe);
        hf_mbedtls_free(&g_tls);
        return 2;
    }
    cfg->transport = hf_mbedtls_transport(&g_tls);
    return 0;
}
#else
static int setup_tls(hf_client_config_t *cfg, const hf_transport_t *tcp, const char *ca_path)
{
    (void)cfg;
    (void)tcp;
    (void)ca_path;
    fprintf(stderr, "hfmicro: %s: this build has no TLS (mbedTLS was not found when it was configured); "
                    "use --base-url http://HOST:PORT with a local server or the simulator\n",
            hf_status_str(HF_ERR_UNSUPPORTED));
    return 1;
}
#endif

static void teardown_tls(void)
{
#if HF_CLI_TLS
    hf_mbedtls_free(&g_tls);
#endif
}

/* Build the body, parse it into the task's input struct, run the call. Returns 0 when the
 * call ran (its status in *st), or the exit code of a local refusal. */
static int run_task(cli_ctx_t *ctx, const cli_task_t *task, hf_status_t *st)
{
    void *in;
    hf_json_doc_t doc;
    hf_error_t derr;

    if (task->run_input != NULL) return task->run_input(ctx, task, st); /* media files, not JSON */
    *st = cli_prepare_body(ctx, task);
    if (*st != HF_OK) return 2;
    hf_error_clear(&derr);
    in = hf_arena_alloc(ctx->arena, task->in_size, 0);
    *st = in == NULL ? HF_ERR_NO_MEMORY : hf_json_parse(&doc, ctx->body, ctx->body_len, ctx->arena);
    if (*st == HF_OK) *st = hf_codec_decode(&doc, 0, task->in_type, in, ctx->arena, &derr);
    if (*st != HF_OK) {
        fprintf(stderr, "hfmicro: %s: the request body does not fit %s%s%s\n", hf_status_str(*st),
                task->in_type->name, derr.message[0] ? ": " : "", derr.message);
        return 2;
    }
    if (ctx->stream && task->run_stream == NULL) return fail("this task does not stream", task->name);
    *st = ctx->stream ? task->run_stream(ctx, in) : task->run(ctx, in);
    return 0;
}

int main(int argc, char **argv)
{
    static char task_buf[64], model_buf[HF_MAX_URL];
    static hf_client_t client;
    static hf_posix_transport_t tcp;
    static hf_arena_t arena;
    cli_ctx_t ctx;
    hf_client_config_t cfg;
    const cli_task_t *task;
    hf_status_t st;
    int rc;
    uint8_t *arena_mem;

    memset(&ctx, 0, sizeof ctx);
    rc = parse_args(argc, argv, &ctx.opt, task_buf, sizeof task_buf);
    if (rc != 0) return rc == 1 ? 0 : rc;
    task = cli_find_task(ctx.opt.task);
    if (task == NULL) {
        fail("unknown task", argv[1]);
        usage(stderr);
        return 2;
    }
    ctx.opt.model = rebase_model_url(ctx.opt.model, ctx.opt.base_url, model_buf, sizeof model_buf);
    if (ctx.opt.model == NULL) return fail("model URL too long", NULL);

    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = ctx.opt.base_url ? ctx.opt.base_url : HF_DEFAULT_BASE_URL;
    cfg.provider = ctx.opt.provider;
    cfg.token = getenv("HF_TOKEN");
    if (cfg.token != NULL && cfg.token[0] == '\0') cfg.token = NULL;
    cfg.transport = hf_posix_transport(&tcp);
    cfg.clock = hf_posix_clock();
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    if (ctx.opt.timeout_ms != 0) {
        cfg.total_timeout_ms = (uint32_t)ctx.opt.timeout_ms;
        cfg.first_byte_timeout_ms = (uint32_t)ctx.opt.timeout_ms;
        cfg.idle_timeout_ms = (uint32_t)ctx.opt.timeout_ms;
        cfg.connect_timeout_ms = (uint32_t)ctx.opt.timeout_ms;
    }
    if (wants_tls(cfg.base_url, ctx.opt.model)) {
        hf_transport_t tcp_tr = cfg.transport;
        rc = setup_tls(&cfg, &tcp_tr, ctx.opt.ca_path);
        if (rc != 0) return rc;
    }
    st = hf_client_init(&client, &cfg);
    if (st != HF_OK) {
        teardown_tls();
        return fail(hf_status_str(st), "bad client configuration (--base-url?)");
    }

    arena_mem = malloc(CLI_ARENA);
    if (arena_mem == NULL) {
        teardown_tls();
        return fail("out of memory", NULL);
    }
    hf_arena_init(&arena, arena_mem, CLI_ARENA);
    ctx.client = &client;
    ctx.arena = &arena;

    rc = run_task(&ctx, task, &st);
    hf_client_close(&client);
    teardown_tls();
    free(arena_mem);
    free(ctx.body);
    if (rc != 0) return rc;
    if (st != HF_OK) return report(&client, st);
    return 0;
}
