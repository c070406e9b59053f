/* Recorded exchanges for the unit tests (see fixture.h). */
#define _POSIX_C_SOURCE 200809L
#include "fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hf_priv.h"

#ifndef HF_FIXTURES_DIR
#define HF_FIXTURES_DIR "../shared/fixtures/recorded"
#endif

#define FX_MAX_NAMES 256

static char g_file[1u << 20];
static uint8_t g_filemem[1u << 22]; /* tokens of the largest recording */
static uint8_t g_req_bytes[1u << 20];
static char g_indep_text[1u << 20];
static uint8_t g_indep_mem[1u << 22];

/* Value token of header `name` (case-insensitive) in headers object `h`, or -1. */
static int header(const hf_json_doc_t *d, int h, const char *name)
{
    size_t n = strlen(name);
    int k = h + 1;
    for (int i = 0; h >= 0 && d->tok[h].type == JSMN_OBJECT && i < d->tok[h].size; i++) {
        if ((size_t)(d->tok[k].end - d->tok[k].start) == n && hf_priv_ieq(d->text + d->tok[k].start, name, n)) {
            return k + 1;
        }
        k = hf_json_next(d, k + 1);
    }
    return -1;
}

/* request: URL path, Content-Length, body_text and body_base64 (each optional). */
static int load_request(hf_json_doc_t *d, int req, hf_fixture_t *fx)
{
    const char *url, *v;
    size_t n;
    int b64 = hf_json_get(d, req, "body_base64");
    int clen = header(d, hf_json_get(d, req, "headers"), "content-length");
    fx->req_clen = -1;
    if (hf_json_str(d, hf_json_get(d, req, "url"), &url, &n) == HF_OK && strstr(url, "://") != NULL) {
        const char *p = strchr(strstr(url, "://") + 3, '/');
        snprintf(fx->path, sizeof fx->path, "%s", p != NULL ? p : "/");
    }
    if (clen >= 0) {
        if (hf_json_str(d, clen, &v, &n) != HF_OK) {
            return -1;
        }
        fx->req_clen = atoll(v);
    }
    if (hf_json_str(d, hf_json_get(d, req, "body_text"), &fx->req_text, &fx->req_text_len) != HF_OK) {
        fx->req_text = NULL;
    }
    if (b64 >= 0) {
        long got;
        if (hf_json_str(d, b64, &fx->req_b64, &fx->req_b64_len) != HF_OK) {
            return -1;
        }
        got = hf_ref_b64_decode(fx->req_b64, fx->req_b64_len, g_req_bytes);
        if (got < 0) {
            return -1;
        }
        fx->req = g_req_bytes;
        fx->req_len = (size_t)got;
    }
    return 0;
}

static int load_response(hf_json_doc_t *d, int resp, hf_fixture_t *fx)
{
    int64_t status = 0;
    const char *v;
    size_t n;
    int ct = header(d, hf_json_get(d, resp, "headers"), "content-type");
    if (hf_json_i64(d, hf_json_get(d, resp, "status"), &status) != HF_OK) {
        return -1;
    }
    fx->status = (int)status;
    snprintf(fx->ctype, sizeof fx->ctype, "%s",
             ct >= 0 && hf_json_str(d, ct, &v, &n) == HF_OK ? v : "application/octet-stream");
    return hf_json_str(d, hf_json_get(d, resp, "body_text"), &fx->resp, &fx->resp_len) == HF_OK ? 0 : -1;
}

const char *hf_fixture_dir(void)
{
    return HF_FIXTURES_DIR;
}

int hf_fixture_load(const char *name, hf_fixture_t *fx)
{
    char path[1024];
    FILE *f;
    size_t n;
    hf_json_doc_t d;
    hf_arena_t a;
    memset(fx, 0, sizeof *fx);
    snprintf(fx->name, sizeof fx->name, "%s", name);
    snprintf(path, sizeof path, "%s/%s", HF_FIXTURES_DIR, name);
    f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    n = fread(g_file, 1u, sizeof g_file - 1u, f);
    fclose(f);
    g_file[n] = '\0';
    hf_arena_init(&a, g_filemem, sizeof g_filemem);
    if (n == sizeof g_file - 1u || hf_json_parse(&d, g_file, n, &a) != HF_OK) {
        return -1;
    }
    if (load_request(&d, hf_json_get(&d, 0, "request"), fx) != 0) {
        return -1;
    }
    return load_response(&d, hf_json_get(&d, 0, "response"), fx);
}

int hf_fixture_each(const char *prefix, void (*fn)(const hf_fixture_t *fx))
{
    static char names[FX_MAX_NAMES][256];
    static hf_fixture_t fx;
    DIR *dir = opendir(HF_FIXTURES_DIR);
    struct dirent *de;
    int count = 0;
    if (dir == NULL) {
        printf("SKIP recorded exchanges: %s not found (set HF_FIXTURES_DIR)\n", HF_FIXTURES_DIR);
        return -1;
    }
    while ((de = readdir(dir)) != NULL) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0) {
            continue;
        }
        if (count == FX_MAX_NAMES) {
            fprintf(stderr, "more than %d recordings named %s*\n", FX_MAX_NAMES, prefix);
            CHECK(0); /* a silently shortened list would pass for the wrong reason */
            break;
        }
        snprintf(names[count++], sizeof names[0], "%s", de->d_name);
    }
    closedir(dir);
    for (int i = 0; i < count; i++) {
        if (hf_fixture_load(names[i], &fx) != 0) {
            fprintf(stderr, "cannot read fixture %s\n", names[i]);
            CHECK(0);
            continue;
        }
        fn(&fx);
    }
    return count;
}

int hf_fixture_indep(const hf_fixture_t *fx, hf_json_doc_t *d)
{
    hf_arena_t a;
    if (fx->resp_len >= sizeof g_indep_text) {
        return -1;
    }
    memcpy(g_indep_text, fx->resp, fx->resp_len);
    g_indep_text[fx->resp_len] = '\0';
    hf_arena_init(&a, g_indep_mem, sizeof g_indep_mem);
    return hf_json_parse(d, g_indep_text, fx->resp_len, &a) == HF_OK ? 0 : -1;
}

/* ------------------------------------------------------------------ reference base64 */

static int ref_val(int c)
{
    const char *al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(al, c);
    return c != 0 && p != NULL ? (int)(p - al) : -1;
}

long hf_ref_b64_decode(const char *s, size_t n, uint8_t *out)
{
    unsigned long acc = 0u;
    int bits = 0;
    long w = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        int v = ref_val((unsigned char)s[i]);
        if (v < 0) {
            return -1;
        }
        acc = (acc << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[w++] = (uint8_t)((acc >> bits) & 0xFFu);
        }
    }
    return w;
}

/* ------------------------------------------------------------------ values by key path */

int hf_fx_at(const hf_json_doc_t *d, int tok, const char *path)
{
    char part[64];
    while (*path != '\0' && tok >= 0) {
        size_t n = strcspn(path, ".");
        size_t m = n < sizeof part ? n : sizeof part - 1u;
        memcpy(part, path, m);
        part[m] = '\0';
        tok = (part[0] >= '0' && part[0] <= '9') ? hf_json_at(d, tok, atoi(part)) : hf_json_get(d, tok, part);
        path += n + (path[n] == '.');
    }
    return tok;
}

const char *hf_fx_str(hf_json_doc_t *d, int tok, const char *path)
{
    const char *s = NULL;
    size_t n;
    int i = hf_fx_at(d, tok, path);
    return (i >= 0 && hf_json_str(d, i, &s, &n) == HF_OK) ? s : NULL;
}

const char *hf_fx_text(hf_json_doc_t *d, int tok, const char *path)
{
    const char *s = NULL;
    size_t n;
    int i = hf_fx_at(d, tok, path);
    if (i < 0 || hf_json_is_null(d, i)) {
        return NULL;
    }
    if (d->tok[i].type == JSMN_STRING || d->tok[i].type == JSMN_UNDEFINED) {
        (void)hf_json_str(d, i, &s, &n); /* UNDEFINED: already decoded in place */
    } else {
        (void)hf_json_raw(d, i, &s, &n);
    }
    return s;
}

int64_t hf_fx_int(const hf_json_doc_t *d, int tok, const char *path, int64_t fallback)
{
    int64_t v = fallback;
    int i = hf_fx_at(d, tok, path);
    if (i < 0 || hf_json_i64(d, i, &v) != HF_OK) {
        return fallback;
    }
    return v;
}

double hf_fx_num(const hf_json_doc_t *d, int tok, const char *path)
{
    double v = -999.0;
    int i = hf_fx_at(d, tok, path);
    if (i < 0 || hf_json_f64(d, i, &v) != HF_OK) {
        return -999.0;
    }
    return v;
}

int hf_fx_bool(const hf_json_doc_t *d, int tok, const char *path)
{
    bool v = false;
    int i = hf_fx_at(d, tok, path);
    return (i >= 0 && hf_json_bool(d, i, &v) == HF_OK) ? (int)v : -1;
}

bool hf_fx_is_null(const hf_json_doc_t *d, int tok, const char *path)
{
    int i = hf_fx_at(d, tok, path);
    return i < 0 || hf_json_is_null(d, i);
}

void hf_fx_check_label(hf_json_doc_t *d, int el, const char *label, float score)
{
    int sc = hf_json_get(d, el, "score");
    const char *want = NULL;
    size_t n;
    CHECK_STATUS(hf_json_str(d, hf_json_get(d, el, "label"), &want, &n), HF_OK);
    CHECK_STR(label, want);
    CHECK(sc >= 0 && score == strtof(d->text + d->tok[sc].start, NULL));
}
