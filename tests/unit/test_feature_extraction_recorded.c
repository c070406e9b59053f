/* Feature extraction against every recorded feature_extraction exchange, through the full
 * stack (mock transport, client, runner, decoder). Expected values are read from the
 * recordings independently of the library's JSON reader: a small recursive scanner in this
 * file walks the body text, takes every number with strtof and every array's length in
 * pre-order. The ragged 2-input bart-base batch (e6b5e4) is also checked against the
 * structure stated for it by hand: [2][1][3 or 7][768]. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "rig.h"

#include "hf/hf_feature_extraction.h"
#include "hf_priv.h"

/* ------------------------------------------------------------------ independent scanner */

#define MAX_VALS 16384u
#define MAX_LENS 64u

typedef struct expect {
    float vals[MAX_VALS];
    size_t nvals;
    uint32_t lens[MAX_LENS];
    size_t nlens;
    int leaf_depth;             /* depth of the numbers; -1 until the first one */
    size_t level_len[8];        /* common length per level, 0 when they differ */
    bool level_seen[8];
    bool ragged, ok;
} expect_t;

static expect_t g_want;

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
        p++;
    }
    return p;
}

static void note_level(expect_t *e, int depth, uint32_t n)
{
    if (!e->level_seen[depth]) {
        e->level_seen[depth] = true;
        e->level_len[depth] = n;
    } else if (e->level_len[depth] != n) {
        e->level_len[depth] = 0u;
        e->ragged = true;
    }
}

/* One array at `p` (pointing at '['); returns the text after it, or NULL. */
static const char *scan_array(expect_t *e, const char *p, int depth)
{
    size_t slot = e->nlens++;
    uint32_t n = 0u;
    if (*p != '[' || slot >= MAX_LENS || depth >= 8) {
        return NULL;
    }
    p = skip_ws(p + 1);
    while (*p != ']') {
        if (*p == '[') {
            p = scan_array(e, p, depth + 1);
        } else {
            char *end;
            float v = strtof(p, &end);
            if (end == p || e->nvals >= MAX_VALS || (e->leaf_depth >= 0 && e->leaf_depth != depth + 1)) {
                return NULL;
            }
            e->leaf_depth = depth + 1;
            e->vals[e->nvals++] = v;
            p = end;
        }
        if (p == NULL) {
            return NULL;
        }
        n++;
        p = skip_ws(p);
        if (*p == ',') {
            p = skip_ws(p + 1);
        } else if (*p != ']') {
            return NULL;
        }
    }
    e->lens[slot] = n;
    note_level(e, depth, n);
    return p + 1;
}

static void scan_body(expect_t *e, const char *body)
{
    const char *p;
    memset(e, 0, sizeof *e);
    e->leaf_depth = -1;
    p = scan_array(e, skip_ws(body), 0);
    e->ok = p != NULL && *skip_ws(p) == '\0';
}

/* ------------------------------------------------------------------ recordings */

static char g_body[1u << 19]; /* the recorded body, NUL-terminated for the scanner */

static void check_against_scan(const char *name, const expect_t *e, const hf_feature_extraction_output_t *o)
{
    size_t bad = 0u;
    CHECK(e->ok);
    CHECK_INT(o->count, e->nvals);
    CHECK_INT(o->ndim, e->leaf_depth);
    CHECK(o->ragged == e->ragged);
    for (size_t d = 0; d < HF_FEATURE_EXTRACTION_MAX_DIMS; d++) {
        CHECK_INT(o->shape[d], e->level_len[d]);
    }
    CHECK_INT(o->lengths_count, e->nlens);
    for (size_t i = 0; i < o->lengths_count && i < e->nlens; i++) {
        bad += o->lengths[i] != e->lens[i];
    }
    for (size_t i = 0; i < o->count && i < e->nvals; i++) {
        bad += o->data[i] != e->vals[i];
    }
    CHECK_INT(bad, 0);
    if (bad != 0u) {
        fprintf(stderr, "  %s: %zu values or lengths differ\n", name, bad);
    }
}

/* The README-stated structure of the ragged batch, written out by hand: 2 inputs, each one
 * sequence, of 3 ("hello" with its special tokens) and 7 token vectors of 768. */
static void check_e6b5e4(const hf_feature_extraction_output_t *o)
{
    uint32_t want[15] = {2, 1, 3, 768, 768, 768, 1, 7, 768, 768, 768, 768, 768, 768, 768};
    CHECK_INT(o->ndim, 4);
    CHECK(o->ragged);
    CHECK(o->shape[0] == 2u && o->shape[1] == 1u && o->shape[2] == 0u && o->shape[3] == 768u);
    CHECK_INT(o->count, 10u * 768u);
    CHECK_INT(o->lengths_count, 15);
    for (size_t i = 0; i < 15u && o->lengths_count == 15u; i++) {
        CHECK_INT(o->lengths[i], want[i]);
    }
    /* First and last numbers of the body, copied from the recording's text. */
    CHECK(o->count > 0u && o->data[0] == strtof("2.672325611114502", NULL));
    CHECK(o->count > 0u && o->data[o->count - 1u] == strtof("0.12179253250360489", NULL));
}

/* The arena is sized with HF_FEATURE_EXTRACTION_ARENA_BYTES from the scanned counts (less
 * what the caller buffers hold), so the documented sizing is tested too. */
static void run_recording(const char *name, size_t len, size_t split, uint32_t seed, bool own_buf)
{
    static float fbuf[MAX_VALS];
    static uint32_t lbuf[MAX_LENS];
    hf_feature_extraction_input_t in;
    hf_feature_extraction_output_t o;
    size_t arena = HF_FEATURE_EXTRACTION_ARENA_BYTES(len, g_want.nvals, g_want.nlens);
    if (own_buf) {
        arena -= g_want.nvals * sizeof(float) + g_want.nlens * sizeof(uint32_t);
    }
    if (arena > HF_RIG_ARENA_MAX) {
        CHECK(0);
        return;
    }
    hf_rig_setup(split, seed, arena);
    hf_rig_add_response(200, "application/json", g_body, len);
    memset(&in, 0, sizeof in);
    in.inputs = "That is a happy person";
    memset(&o, 0, sizeof o);
    if (own_buf) {
        o.data = fbuf;
        o.capacity = MAX_VALS;
        o.lengths = lbuf;
        o.lengths_capacity = MAX_LENS;
    }
    CHECK_STATUS(hf_feature_extraction(&g_client, "facebook/bart-base", &in, &g_arena, &o), HF_OK);
    if (o.count == 0u) {
        fprintf(stderr, "  %s failed: %s (needed %zu, arena %zu)\n", name, g_client.err.message,
                g_client.err.needed, arena);
        return;
    }
    CHECK(!own_buf || (o.data == fbuf && o.lengths == lbuf));
    check_against_scan(name, &g_want, &o);
    if (strstr(name, "-e6b5e4.json") != NULL) {
        check_e6b5e4(&o);
    } else {
        /* Token-level bart-base answers are [1][tokens][768]; the sentence-transformers ones [768]. */
        bool bart = strstr(name, "bart-base") != NULL || strstr(name, "with-transformers") != NULL;
        CHECK_INT(o.ndim, bart ? 3 : 1);
        CHECK(!o.ragged);
    }
}

static int g_seen, g_ragged;

static void one_recording(const hf_fixture_t *fx)
{
    size_t len = fx->resp_len;
    if (fx->status != 200 || len >= sizeof g_body) {
        fprintf(stderr, "cannot read fixture %s\n", fx->name);
        CHECK(0);
        return;
    }
    memcpy(g_body, fx->resp, len);
    g_body[len] = '\0';
    g_seen++;
    scan_body(&g_want, g_body);
    g_ragged += g_want.ragged;
    run_recording(fx->name, len, 1500u, 0x9e37u + (uint32_t)g_seen, false);
    run_recording(fx->name, len, 0u, 0u, true);
    if (len < 20000u) {
        run_recording(fx->name, len, 1u, 0u, false);
    }
}

static void test_recordings(void)
{
    if (hf_fixture_each("feature_extraction__", one_recording) >= 0) {
        CHECK_INT(g_seen, 13);
        CHECK_INT(g_ragged, 1); /* feature_extraction__js-hfinf-bart-base-e6b5e4 */
    }
}

int main(void)
{
    test_recordings();
    return CHECK_DONE();
}
