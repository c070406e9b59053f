/* Benchmark rig and the sweep over the recorded responses. Host-only code: it may use the heap. */
#include "bench_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bench_rig_init(bench_rig_t *rig, size_t io_bytes, const uint8_t *wire, size_t len, size_t split)
{
    hf_client_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    hf_mock_init(&rig->mock);
    rig->mock.split = split;
    hf_mock_add(&rig->mock, HF_MOCK_DATA, wire, len, 0);
    hf_mock_add(&rig->mock, HF_MOCK_CLOSE, NULL, 0, 0);
    cfg.base_url = "http://bench.invalid";
    cfg.transport = hf_mock_transport(&rig->mock);
    cfg.clock = hf_mock_clock(&rig->mock);
    cfg.io_buf = rig->io;
    cfg.io_buf_size = io_bytes < sizeof rig->io ? io_bytes : sizeof rig->io;
    if (hf_client_init(&rig->client, &cfg) != HF_OK) {
        fprintf(stderr, "bench: client init failed\n");
        exit(2);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

typedef bench_recording_t recorded_t;

/* Read task, route, response status, content type and body of one recording with the library's
 * own reader (the text stays in the caller's scratch arena only while it is read). */
static int read_fields(hf_json_doc_t *doc, recorded_t *r)
{
    int resp, hdrs, tok;
    const char *s;
    size_t n;
    int64_t v = 0;
    tok = hf_json_get(doc, 0, "task");
    if (tok < 0 || hf_json_str(doc, tok, &s, &n) != HF_OK) return -1;
    snprintf(r->task, sizeof r->task, "%s", s);
    tok = hf_json_get(doc, hf_json_get(doc, 0, "request"), "url");
    if (tok < 0 || hf_json_str(doc, tok, &s, &n) != HF_OK) return -1;
    r->chat_route = strstr(s, "/chat/completions") != NULL;
    resp = hf_json_get(doc, 0, "response");
    tok = hf_json_get(doc, resp, "status");
    if (tok < 0 || hf_json_i64(doc, tok, &v) != HF_OK) return -1;
    r->status = (int)v;
    hdrs = hf_json_get(doc, resp, "headers");
    for (int i = hdrs + 1; hdrs >= 0 && i < hf_json_next(doc, hdrs); i = hf_json_next(doc, i + 1)) {
        if (doc->tok[i].end - doc->tok[i].start == 12 &&
            strncasecmp(doc->text + doc->tok[i].start, "content-type", 12) == 0 &&
            hf_json_str(doc, i + 1, &s, &n) == HF_OK)
            snprintf(r->ctype, sizeof r->ctype, "%s", s);
    }
    tok = hf_json_get(doc, resp, "body_text");
    if (tok < 0 || hf_json_str(doc, tok, &s, &n) != HF_OK) return -1;
    r->body = malloc(n + 1);
    memcpy(r->body, s, n + 1);
    r->body_len = n;
    return 0;
}

static int load_recorded(const char *path, recorded_t *r, hf_arena_t *a)
{
    size_t len;
    char *text = slurp(path, &len);
    hf_json_doc_t doc;
    int rc = -1;
    memset(r, 0, sizeof *r);
    if (text != NULL && hf_json_parse(&doc, text, len, a) == HF_OK) rc = read_fields(&doc, r);
    free(text);
    return rc;
}

char *bench_wire(const recorded_t *r, size_t *len)
{
    size_t cap = r->body_len + 256;
    char *w = malloc(cap);
    int h = snprintf(w, cap, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n", r->ctype,
                     r->body_len);
    memcpy(w + h, r->body, r->body_len);
    *len = (size_t)h + r->body_len;
    return w;
}

static hf_status_t drop_chat(void *u, const hf_chat_completion_stream_output_t *c) { (void)u; (void)c; return HF_OK; }
static hf_status_t drop_tg(void *u, const hf_text_generation_stream_output_t *e) { (void)u; (void)e; return HF_OK; }

int bench_load(const char *path, bench_recording_t *r)
{
    static uint8_t scratch[1u << 20];
    hf_arena_t sa;
    hf_arena_init(&sa, scratch, sizeof scratch);
    return load_recorded(path, r, &sa);
}

static const char k_head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";
static const char k_event[] = "data: {\"id\":\"sim\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                              "\"model\":\"sim\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},"
                              "\"finish_reason\":null}]}\n\n";
static const char k_last[] = "data: {\"id\":\"sim\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                             "\"model\":\"sim\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
                             "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

/* One chunk per event, as TGI sends them. */
size_t bench_make_stream(char *dst, size_t cap, size_t n, size_t *sse_len)
{
    size_t len = 0;
    len += (size_t)snprintf(dst + len, cap - len, "%s", k_head);
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(dst + len, cap - len, "%zx\r\n%s\r\n", strlen(k_event), k_event);
    }
    len += (size_t)snprintf(dst + len, cap - len, "%zx\r\n%s\r\n0\r\n\r\n", strlen(k_last), k_last);
    if (len >= cap) {
        fprintf(stderr, "bench: stream buffer too small\n");
        exit(2);
    }
    if (sse_len != NULL) *sse_len = n * strlen(k_event) + strlen(k_last);
    return len;
}

size_t bench_make_sse_body(char *dst, size_t cap, size_t n)
{
    size_t len = 0, ev = strlen(k_event), last = strlen(k_last);
    if (n * ev + last >= cap) {
        fprintf(stderr, "bench: SSE buffer too small\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++, len += ev) memcpy(dst + len, k_event, ev);
    memcpy(dst + len, k_last, last);
    return len + last;
}

/* Run one recorded response through its task with an arena of `cap` bytes. */
static hf_status_t replay(const recorded_t *r, size_t cap, size_t *peak, bool *streamed)
{
    static bench_rig_t rig;
    size_t wlen;
    char *wire = bench_wire(r, &wlen);
    uint8_t *mem = malloc(cap);
    hf_arena_t a;
    hf_status_t st = HF_ERR_UNSUPPORTED;
    bool sse = strstr(r->ctype, "event-stream") != NULL;
    bench_rig_init(&rig, 1024, (const uint8_t *)wire, wlen, 1460);
    hf_arena_init(&a, mem, cap);
    *streamed = sse;
    if (strcmp(r->task, "chat_completion") == 0) {
        hf_chat_completion_input_message_t m = {0};
        hf_chat_completion_input_t in = {0};
        m.role = "user";
        m.content = "Hello";
        in.messages = &m;
        in.messages_count = 1;
        if (sse) {
            st = hf_chat_completion_stream(&rig.client, "m/x", &in, &a, drop_chat, NULL, NULL);
        } else {
            hf_chat_completion_output_t out;
            st = hf_chat_completion(&rig.client, "m/x", &in, &a, &out);
        }
    } else if (strcmp(r->task, "text_generation") == 0) {
        hf_text_generation_input_t in = {0};
        in.inputs = "Hello";
        if (sse) {
            st = hf_text_generation_stream(&rig.client, "m/x", &in, &a, drop_tg, NULL);
        } else {
            hf_text_generation_output_t out;
            st = hf_text_generation(&rig.client, "m/x", &in, &a, &out);
        }
    } else if (strcmp(r->task, "text_classification") == 0) {
        hf_text_classification_input_t in = {0};
        hf_text_classification_output_t out;
        in.inputs = "Hello";
        st = hf_text_classification(&rig.client, "m/x", &in, &a, &out);
    } else if (strcmp(r->task, "feature_extraction") == 0) {
        hf_feature_extraction_input_t in = {0};
        hf_feature_extraction_output_t out;
        memset(&out, 0, sizeof out);
        in.inputs = "Hello";
        st = hf_feature_extraction(&rig.client, "m/x", &in, &a, &out);
    }
    *peak = hf_arena_peak(&a);
    free(mem);
    free(wire);
    return st;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Arena peaks of one task and response kind, over the recordings that succeeded. */
typedef struct span {
    const char *task;
    bool sse;
    int n;
    size_t min_peak, max_peak, min_body, max_body;
} span_t;

static void span_add(span_t *sp, size_t *nsp, const char *task, bool sse, size_t body, size_t peak)
{
    size_t i = 0;
    while (i < *nsp && !(strcmp(sp[i].task, task) == 0 && sp[i].sse == sse)) i++;
    if (i == *nsp) {
        sp[i].task = strcmp(task, "chat_completion") == 0 ? "chat_completion"
                     : strcmp(task, "text_generation") == 0 ? "text_generation"
                     : strcmp(task, "text_classification") == 0 ? "text_classification"
                                                                : "feature_extraction";
        sp[i].sse = sse;
        sp[i].n = 0;
        sp[i].min_peak = sp[i].min_body = (size_t)-1;
        sp[i].max_peak = sp[i].max_body = 0;
        (*nsp)++;
    }
    sp[i].n++;
    if (peak < sp[i].min_peak) sp[i].min_peak = peak;
    if (peak > sp[i].max_peak) sp[i].max_peak = peak;
    if (body < sp[i].min_body) sp[i].min_body = body;
    if (body > sp[i].max_body) sp[i].max_body = body;
}

static void print_summary(const span_t *sp, size_t nsp)
{
    printf("\n### Summary per task (successful 200 responses)\n\n");
    printf("| task | response | recordings | body bytes min-max | arena peak min | arena peak max |\n");
    printf("|---|---|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < nsp; i++) {
        printf("| %s | %s | %d | %zu-%zu | %zu | %zu |\n", sp[i].task, sp[i].sse ? "stream" : "json", sp[i].n,
               sp[i].min_body, sp[i].max_body, sp[i].min_peak, sp[i].max_peak);
    }
}

static bool implemented(const char *task)
{
    return strcmp(task, "chat_completion") == 0 || strcmp(task, "text_generation") == 0 ||
           strcmp(task, "text_classification") == 0 || strcmp(task, "feature_extraction") == 0;
}

int bench_recorded(const char *dir, size_t chat_limit)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[512];
    size_t n = 0, nsp = 0;
    span_t spans[8];
    int bad = 0, chat_ok = 0, chat_total = 0;
    static uint8_t scratch[1u << 20];
    if (d == NULL) {
        printf("recorded responses: SKIPPED (no fixtures at %s)\n", dir);
        return 0;
    }
    while ((e = readdir(d)) != NULL && n < 512) {
        if (strstr(e->d_name, ".json")) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    printf("## Arena peak per recorded response (I/O buffer 1024 B, arena 4 MiB, tokens in the idle I/O buffer when they fit)\n\n");
    printf("| recording | task | response | body bytes | arena peak |\n|---|---|---|---:|---:|\n");
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        recorded_t r;
        hf_arena_t sa;
        size_t peak = 0;
        bool sse;
        hf_status_t st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        hf_arena_init(&sa, scratch, sizeof scratch);
        if (load_recorded(path, &r, &sa) != 0 || r.status != 200) {
            free(r.body);
            continue;
        }
        if (!implemented(r.task) || (strstr(r.ctype, "json") == NULL && strstr(r.ctype, "event-stream") == NULL)) {
            free(r.body);
            continue;
        }
        if (strcmp(r.task, "chat_completion") == 0 && !r.chat_route) {
            /* Old clients fell back to text generation on the model URL; hfmicro always uses the chat route. */
            printf("| %.48s | %s | (not the chat route: skipped) | %zu | |\n", names[i], r.task, r.body_len);
            free(r.body);
            continue;
        }
        st = replay(&r, 4u << 20, &peak, &sse);
        printf("| %.48s | %s | %s | %zu | %zu%s |\n", names[i], r.task, sse ? "stream" : "json", r.body_len, peak,
               st == HF_OK ? "" : " (error)");
        if (st == HF_OK) {
            span_add(spans, &nsp, r.task, sse, r.body_len, peak);
        } else if (strstr(r.body, "\"error\"") == NULL) {
            fprintf(stderr, "bench: %s failed: %s\n", names[i], hf_status_str(st));
            bad = 1;
        }
        if (strcmp(r.task, "chat_completion") == 0 && !sse && st == HF_OK) {
            size_t p2;
            chat_total++;
            if (replay(&r, chat_limit, &p2, &sse) == HF_OK) chat_ok++;
        }
        free(r.body);
    }
    print_summary(spans, nsp);
    printf("\nOne-shot chat completions that complete in a %zu-byte arena: %d of %d\n\n", chat_limit, chat_ok,
           chat_total);
    if (chat_ok != chat_total || chat_total == 0) bad = 1;
    for (size_t i = 0; i < n; i++) free(names[i]);
    return bad;
}
