/* Text generation: request bodies, one-shot results (bare or list-wrapped), token streams
 * (case 02), hostile shapes, and every recorded text_generation exchange through the full
 * stack over the mock transport. Expected values come from the case files, the recordings
 * (read independently by JSON path) or are written by hand. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "rig.h"

#include "hf/hf_text_generation.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

#define ARENA HF_RIG_ARENA_MAX

/* ------------------------------------------------------------------ stream collector */

#define MAXEV 128
typedef struct collect {
    int n;
    int32_t ids[MAXEV];
    char texts[MAXEV][64];
    bool special[MAXEV];
    bool has_index[MAXEV];
    int32_t index[MAXEV];
    char plain[4096];
    size_t plain_len;
    int finals;                /* events with non-null generated_text */
    char final_text[4096];
    bool has_details;
    char finish[32];
    int32_t generated_tokens;
    bool has_seed, has_input_length;
    int32_t input_length;
    int stop_after;            /* > 0: return non-OK at that event */
} collect_t;

static hf_status_t on_event(void *user, const hf_text_generation_stream_output_t *ev)
{
    collect_t *c = (collect_t *)user;
    int k = c->n;
    if (k >= MAXEV) {
        return HF_ERR_INVALID_ARG;
    }
    c->ids[k] = ev->token->id;
    hf_test_strlcpy(c->texts[k], sizeof c->texts[k], ev->token->text);
    c->special[k] = ev->token->special;
    c->has_index[k] = ev->has_index;
    c->index[k] = ev->index;
    if (!ev->token->special && c->plain_len + strlen(ev->token->text) < sizeof c->plain) {
        memcpy(c->plain + c->plain_len, ev->token->text, strlen(ev->token->text) + 1u);
        c->plain_len += strlen(ev->token->text);
    }
    if (ev->generated_text != NULL) {
        c->finals++;
        hf_test_strlcpy(c->final_text, sizeof c->final_text, ev->generated_text);
    }
    if (ev->details != NULL) {
        c->has_details = true;
        hf_test_strlcpy(c->finish, sizeof c->finish, ev->details->finish_reason);
        c->generated_tokens = ev->details->generated_tokens;
        c->has_seed = ev->details->has_seed;
        c->has_input_length = ev->details->has_input_length;
        c->input_length = ev->details->input_length;
    }
    c->n++;
    return (c->stop_after > 0 && c->n >= c->stop_after) ? HF_ERR_ABORTED : HF_OK;
}

/* ------------------------------------------------------------------ case 02 */

#define EV1 "data:{\"index\":1,\"token\":{\"id\":3681,\"text\":\" Paris\",\"logprob\":-0.2,\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
#define EV2A "data:{\"index\":2,\"token\":{\"id\":29889,\"text\":\"."
#define EV2B "\",\"logprob\":-0.61,\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
#define EV3 "data:{\"index\":3,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":-0.05,\"special\":true},\"generated_text\":\" Paris.\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,\"seed\":null}}\n\n"
#define HEAD02 "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
#define PART1 "7a\r\n" EV1 "\r\n77\r\n" EV2A
#define PART2 EV2B "\r\nb4\r\n" EV3 "\r\n0\r\n\r\n"

static void check_case02(const collect_t *c)
{
    CHECK_INT(c->n, 3);
    CHECK_INT(c->ids[0], 3681);
    CHECK_STR(c->texts[0], " Paris");
    CHECK(!c->special[0]);
    CHECK_INT(c->ids[1], 29889);
    CHECK_STR(c->texts[1], ".");
    CHECK(!c->special[1]);
    CHECK_INT(c->ids[2], 2);
    CHECK_STR(c->texts[2], "</s>");
    CHECK(c->special[2]);
    CHECK_STR(c->plain, " Paris.");
    CHECK_INT(c->plain_len, 7);
    CHECK_INT(c->finals, 1);
    CHECK_STR(c->final_text, " Paris.");
    CHECK(c->has_details);
    CHECK_STR(c->finish, "eos_token");
    CHECK_INT(c->generated_tokens, 3);
    CHECK(!c->has_seed);
}

static hf_status_t run_stream(collect_t *c, const char *prompt)
{
    hf_text_generation_input_t in;
    memset(&in, 0, sizeof in);
    memset(c, 0, sizeof *c);
    in.inputs = prompt;
    return hf_text_generation_stream(&g_client, "gpt2", &in, &g_arena, on_event, c);
}

static void test_case02(void)
{
    static collect_t c;
    static char space[2048];
    size_t k, n;
    /* The case's chunk sizes are the event lengths: checks the transcription above. */
    CHECK_INT(strlen(EV1), 0x7a);
    CHECK_INT(strlen(EV2A EV2B), 0x77);
    CHECK_INT(strlen(EV3), 0xb4);
    /* The case's own read splits. */
    hf_rig_setup(0u, 0u, ARENA);
    hf_mock_add_str(&g_mock, HEAD02);
    hf_mock_add_str(&g_mock, PART1);
    hf_mock_add_str(&g_mock, PART2);
    CHECK_STATUS(run_stream(&c, "The capital of France is"), HF_OK);
    check_case02(&c);
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":\"The capital of France is\",\"parameters\":{},\"stream\":true}");
    CHECK(memcmp(g_mock.sent, "POST /hf-inference/models/gpt2 HTTP/1.1\r\n", 41u) == 0);
    /* Every read size from 1 byte up. */
    for (k = 1; k <= 40u; k++) {
        hf_rig_setup(k, 0u, ARENA);
        hf_mock_add_str(&g_mock, HEAD02 PART1 PART2);
        CHECK_STATUS(run_stream(&c, "p"), HF_OK);
        check_case02(&c);
    }
    /* "data: {" gives the same result as "data:{" (close-delimited body this time). */
    n = (size_t)snprintf(space, sizeof space, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n%s%s%s",
                         EV1, EV2A EV2B, EV3);
    for (k = 0; k < n; k++) {
        if (memcmp(space + k, "data:{", 6u) == 0) {
            memmove(space + k + 6u, space + k + 5u, n - k - 5u);
            space[k + 5u] = ' ';
            n++;
        }
    }
    hf_rig_setup(1u, 0u, ARENA);
    hf_mock_add(&g_mock, HF_MOCK_DATA, space, n, 0);
    hf_mock_add(&g_mock, HF_MOCK_CLOSE, NULL, 0u, 0);
    CHECK_STATUS(run_stream(&c, "p"), HF_OK);
    check_case02(&c);
    /* A callback that says stop ends the stream with HF_ERR_ABORTED after that event. */
    hf_rig_setup(0u, 0u, ARENA);
    hf_mock_add_str(&g_mock, HEAD02 PART1 PART2);
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    {
        hf_text_generation_input_t in;
        memset(&in, 0, sizeof in);
        in.inputs = "p";
        CHECK_STATUS(hf_text_generation_stream(&g_client, "gpt2", &in, &g_arena, on_event, &c), HF_ERR_ABORTED);
    }
    CHECK_INT(c.n, 2);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_ABORTED);
}

/* ------------------------------------------------------------------ case 13 and one-shot shapes */

static hf_status_t run_once(const char *body, size_t split, hf_text_generation_output_t *out)
{
    hf_text_generation_input_t in;
    hf_rig_setup(split, 0u, ARENA);
    hf_rig_add_json(body);
    memset(&in, 0, sizeof in);
    in.inputs = "a photo";
    return hf_text_generation(&g_client, "gpt2", &in, &g_arena, out);
}

static void test_case13(void)
{
    static const char *const bodies[] = {"[{\"generated_text\":\"a dog running on the beach\"}]",
                                         "{\"generated_text\":\"a dog running on the beach\"}"};
    hf_text_generation_output_t out;
    CHECK_INT(strlen(bodies[0]), 49);
    CHECK_INT(strlen(bodies[1]), 47);
    for (size_t b = 0; b < 2u; b++) {
        for (size_t k = 1; k <= strlen(bodies[b]) + 80u; k++) {
            CHECK_STATUS(run_once(bodies[b], k, &out), HF_OK);
            CHECK_STR(out.generated_text, "a dog running on the beach");
            CHECK_INT(strlen(out.generated_text), 26);
            CHECK(out.details == NULL);
        }
    }
    CHECK_STR(hf_rig_sent_body(), "{\"inputs\":\"a photo\",\"parameters\":{}}");
    CHECK_STATUS(run_once("[]", 1u, &out), HF_ERR_EMPTY_RESULT);
    CHECK_STATUS(hf_client_error(&g_client)->status, HF_ERR_EMPTY_RESULT);
}

static void test_hostile_shapes(void)
{
    static const char *const bad[] = {
        "{}", "{\"generated_text\":5}", "\"text\"", "[[]]", "[1]", "null", "{\"generated_text\":null}",
        "{\"generated_text\":\"a\",\"details\":{\"finish_reason\":\"length\"}}",
        "{\"generated_text\":\"a\",\"details\":{\"finish_reason\":\"length\",\"generated_tokens\":1,\"top_tokens\":[1]}}",
        "{\"generated_text\":\"a\",\"details\":{\"finish_reason\":\"length\",\"generated_tokens\":1,\"top_tokens\":[[1]]}}",
        "{\"generated_text\":\"a\",\"details\":{\"finish_reason\":\"length\",\"generated_tokens\":1,\"tokens\":[{\"id\":1}]}}",
        "{\"generated_text\":\"a\",\"details\":{\"finish_reason\":\"length\",\"generated_tokens\":1.5}}",
    };
    hf_text_generation_output_t out;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hf_status_t st = run_once(bad[i], 0u, &out);
        CHECK_STATUS(st, HF_ERR_JSON_SHAPE);
        if (st != HF_ERR_JSON_SHAPE) {
            fprintf(stderr, "  body: %s\n", bad[i]);
        }
    }
    CHECK_STATUS(run_once("[{\"generated_text\":\"a\"", 0u, &out), HF_ERR_JSON_SYNTAX);
}

/* top_tokens is [[token]]: one inner list per step, possibly empty. */
static void test_top_tokens(void)
{
    const char *body = "[{\"generated_text\":\"ab\",\"details\":{\"finish_reason\":\"length\",\"generated_tokens\":2,"
                       "\"prefill\":[],\"tokens\":[{\"id\":7,\"text\":\"a\",\"logprob\":-1.5,\"special\":false}],"
                       "\"top_tokens\":[[{\"id\":7,\"text\":\"a\",\"logprob\":-1.5,\"special\":false},"
                       "{\"id\":8,\"text\":\"b\",\"logprob\":null,\"special\":true}],[]]}}]";
    hf_text_generation_output_t out;
    const hf_text_generation_output_details_t *d;
    CHECK_STATUS(run_once(body, 7u, &out), HF_OK);
    d = out.details;
    CHECK(d != NULL);
    if (d == NULL) {
        return;
    }
    CHECK_STR(d->finish_reason, "length");
    CHECK_INT(d->generated_tokens, 2);
    CHECK(d->prefill != NULL);
    CHECK_INT(d->prefill_count, 0);
    CHECK_INT(d->tokens_count, 1);
    CHECK_NEAR(d->tokens[0].logprob, -1.5, 0.0);
    CHECK_INT(d->top_tokens_count, 2);
    CHECK_INT(d->top_tokens[0].tokens_count, 2);
    CHECK_INT(d->top_tokens[0].tokens[1].id, 8);
    CHECK_STR(d->top_tokens[0].tokens[1].text, "b");
    CHECK(!d->top_tokens[0].tokens[1].has_logprob);
    CHECK(d->top_tokens[0].tokens[1].special);
    CHECK_INT(d->top_tokens[1].tokens_count, 0);
    CHECK(!d->has_seed);
    CHECK(d->best_of_sequences == NULL);
}

/* ------------------------------------------------------------------ request encoding and tables */

static hf_status_t flush_to(void *user, const uint8_t *data, size_t len)
{
    char *dst = (char *)user;
    size_t have = strlen(dst);
    memcpy(dst + have, data, len);
    dst[have + len] = '\0';
    return HF_OK;
}

static void encode(const hf_type_t *t, const void *obj, char *dst, size_t cap)
{
    static uint8_t buf[64];
    hf_out_t o;
    hf_jw_t w;
    (void)cap;
    dst[0] = '\0';
    hf_out_init(&o, buf, sizeof buf, flush_to, dst);
    hf_jw_init(&w, &o);
    CHECK_STATUS(hf_codec_encode(&w, t, obj), HF_OK);
    CHECK_STATUS(hf_out_flush(&o), HF_OK);
}

static void test_encode_all_parameters(void)
{
    static const char *stop[] = {"\n", "END"};
    static char got[1024], again[1024], text[1024];
    hf_text_generation_input_generate_parameters_t p;
    hf_text_generation_input_t in, back;
    hf_json_doc_t doc;
    memset(&p, 0, sizeof p);
    memset(&in, 0, sizeof in);
    p.adapter_id = "lora1";
    p.has_best_of = true, p.best_of = 2;
    p.has_decoder_input_details = true, p.decoder_input_details = false;
    p.has_details = true, p.details = true;
    p.has_do_sample = true, p.do_sample = true;
    p.has_frequency_penalty = true, p.frequency_penalty = 0.5f;
    p.grammar = "{\"type\":\"regex\",\"value\":\"[0-9]+\"}";
    p.has_max_new_tokens = true, p.max_new_tokens = 20;
    p.has_repetition_penalty = true, p.repetition_penalty = 1.25f;
    p.has_return_full_text = true, p.return_full_text = false;
    p.has_seed = true, p.seed = 2835381823020158940;
    p.stop = stop, p.stop_count = 2u;
    p.has_temperature = true, p.temperature = 0.75f;
    p.has_top_k = true, p.top_k = 10;
    p.has_top_n_tokens = true, p.top_n_tokens = 5;
    p.has_top_p = true, p.top_p = 0.875f;
    p.has_truncate = true, p.truncate = 100;
    p.has_typical_p = true, p.typical_p = 0.5f;
    p.has_watermark = true, p.watermark = true;
    in.inputs = "Hi \"you\"";
    in.parameters = &p;
    in.has_stream = true;
    encode(&hf_text_generation_input_type, &in, got, sizeof got);
    CHECK_STR(got, "{\"inputs\":\"Hi \\\"you\\\"\",\"parameters\":{\"adapter_id\":\"lora1\",\"best_of\":2,"
                   "\"decoder_input_details\":false,\"details\":true,\"do_sample\":true,\"frequency_penalty\":0.5,"
                   "\"grammar\":{\"type\":\"regex\",\"value\":\"[0-9]+\"},\"max_new_tokens\":20,"
                   "\"repetition_penalty\":1.25,\"return_full_text\":false,\"seed\":2835381823020158940,"
                   "\"stop\":[\"\\n\",\"END\"],\"temperature\":0.75,\"top_k\":10,\"top_n_tokens\":5,\"top_p\":0.875,"
                   "\"truncate\":100,\"typical_p\":0.5,\"watermark\":true},\"stream\":false}");
    /* The CLI path: decode the same JSON with the same table and encode it again. */
    hf_test_strlcpy(text, sizeof text, got);
    hf_rig_arena(ARENA);
    CHECK_STATUS(hf_json_parse(&doc, text, strlen(text), &g_arena), HF_OK);
    CHECK_STATUS(hf_codec_decode(&doc, 0, &hf_text_generation_input_type, &back, &g_arena, &g_client.err), HF_OK);
    encode(&hf_text_generation_input_type, &back, again, sizeof again);
    CHECK_STR(again, got);
}

/* ------------------------------------------------------------------ recorded exchanges */


static void cmp_logprob(const hf_json_doc_t *d, int el, bool has, float got)
{
    if (hf_fx_is_null(d, el, "logprob")) {
        CHECK(!has);
    } else {
        double want = hf_fx_num(d, el, "logprob");
        CHECK(has);
        CHECK_NEAR(got, want, (want < 0 ? -want : want) * 1.2e-7);
    }
}

static void cmp_tokens(hf_json_doc_t *d, int arr, const hf_text_generation_output_token_t *t, size_t n)
{
    CHECK_INT(n, arr >= 0 ? d->tok[arr].size : 0);
    for (size_t i = 0; arr >= 0 && i < n && (int)i < d->tok[arr].size; i++) {
        int el = hf_json_at(d, arr, (int)i);
        CHECK_INT(t[i].id, hf_fx_int(d, el, "id", -999));
        CHECK_STR(t[i].text, hf_fx_str(d, el, "text"));
        CHECK_INT(t[i].special, hf_fx_bool(d, el, "special"));
        cmp_logprob(d, el, t[i].has_logprob, t[i].logprob);
    }
}

static void cmp_prefill(hf_json_doc_t *d, int arr, const hf_text_generation_output_prefill_token_t *t, size_t n)
{
    CHECK_INT(n, arr >= 0 ? d->tok[arr].size : 0);
    for (size_t i = 0; arr >= 0 && i < n && (int)i < d->tok[arr].size; i++) {
        int el = hf_json_at(d, arr, (int)i);
        CHECK_INT(t[i].id, hf_fx_int(d, el, "id", -999));
        CHECK_STR(t[i].text, hf_fx_str(d, el, "text"));
        cmp_logprob(d, el, t[i].has_logprob, t[i].logprob);
    }
}

/* `obj` is a details or best-of object of the recording. */
static void cmp_sequence(hf_json_doc_t *d, int obj, const char *finish, int32_t gen, bool has_seed, int64_t seed,
                         const hf_text_generation_output_prefill_token_t *pre, size_t npre,
                         const hf_text_generation_output_token_t *tok, size_t ntok)
{
    CHECK_STR(finish, hf_fx_str(d, obj, "finish_reason"));
    CHECK_INT(gen, hf_fx_int(d, obj, "generated_tokens", -999));
    CHECK_INT(has_seed, !hf_fx_is_null(d, obj, "seed"));
    if (has_seed) {
        CHECK(seed == hf_fx_int(d, obj, "seed", -999));
    }
    cmp_prefill(d, hf_fx_at(d, obj, "prefill"), pre, npre);
    cmp_tokens(d, hf_fx_at(d, obj, "tokens"), tok, ntok);
}

static void cmp_oneshot(hf_json_doc_t *d, const hf_text_generation_output_t *out)
{
    int root = d->tok[0].type == JSMN_ARRAY ? 1 : 0;
    int det = hf_fx_at(d, root, "details");
    CHECK_STR(out->generated_text, hf_fx_str(d, root, "generated_text"));
    CHECK_INT(out->details != NULL, det >= 0 && !hf_json_is_null(d, det));
    if (out->details != NULL && det >= 0) {
        const hf_text_generation_output_details_t *x = out->details;
        int bos = hf_fx_at(d, det, "best_of_sequences");
        cmp_sequence(d, det, x->finish_reason, x->generated_tokens, x->has_seed, x->seed, x->prefill,
                     x->prefill_count, x->tokens, x->tokens_count);
        CHECK_INT(x->best_of_sequences_count, bos >= 0 ? d->tok[bos].size : 0);
        for (size_t i = 0; bos >= 0 && i < x->best_of_sequences_count; i++) {
            const hf_text_generation_output_best_of_sequence_t *b = &x->best_of_sequences[i];
            int el = hf_json_at(d, bos, (int)i);
            CHECK_STR(b->generated_text, hf_fx_str(d, el, "generated_text"));
            cmp_sequence(d, el, b->finish_reason, b->generated_tokens, b->has_seed, b->seed, b->prefill,
                         b->prefill_count, b->tokens, b->tokens_count);
        }
    }
}

/* Splits the recorded SSE body into events and checks each against what was collected. */
static void cmp_stream(const hf_fixture_t *fx, const collect_t *c, hf_status_t st)
{
    static char ev[4096];
    static uint8_t mem[1u << 16];
    const char *p = fx->resp, *end = fx->resp + fx->resp_len;
    int k = 0;
    bool error_event = false;
    while (p < end) {
        const char *e = strstr(p, "\n\n");
        size_t n = (size_t)((e != NULL ? e : end) - p);
        hf_json_doc_t d;
        hf_arena_t a;
        const char *data = p + 5;
        if (n < 5u || memcmp(p, "data:", 5u) != 0 || n >= sizeof ev) {
            CHECK(0);
            return;
        }
        n -= 5u;
        if (*data == ' ') {
            data++, n--;
        }
        memcpy(ev, data, n);
        ev[n] = '\0';
        hf_arena_init(&a, mem, sizeof mem);
        CHECK_STATUS(hf_json_parse(&d, ev, n, &a), HF_OK);
        if (hf_fx_at(&d, 0, "error") >= 0) {
            error_event = true;
            CHECK_STATUS(st, HF_ERR_SERVER_EVENT);
            CHECK_STR(g_client.err.message, hf_fx_str(&d, 0, "error"));
            CHECK_STR(g_client.err.error_type, hf_fx_str(&d, 0, "error_type"));
            break;
        }
        CHECK(k < c->n);
        CHECK_INT(c->ids[k], hf_fx_int(&d, 0, "token.id", -999));
        CHECK_STR(c->texts[k], hf_fx_str(&d, 0, "token.text"));
        CHECK_INT(c->special[k], hf_fx_bool(&d, 0, "token.special"));
        CHECK_INT(c->has_index[k], hf_fx_at(&d, 0, "index") >= 0);
        if (!hf_fx_is_null(&d, 0, "generated_text")) {
            CHECK_STR(c->final_text, hf_fx_str(&d, 0, "generated_text"));
        }
        if (!hf_fx_is_null(&d, 0, "details")) {
            CHECK_STR(c->finish, hf_fx_str(&d, 0, "details.finish_reason"));
            CHECK_INT(c->generated_tokens, hf_fx_int(&d, 0, "details.generated_tokens", -999));
            CHECK_INT(c->has_input_length, hf_fx_at(&d, 0, "details.input_length") >= 0);
        }
        k++;
        p = (e != NULL ? e + 2 : end);
    }
    if (!error_event) {
        CHECK_STATUS(st, HF_OK);
        CHECK_INT(c->n, k);
    }
}

static void cmp_http_error(hf_json_doc_t *d, const hf_fixture_t *fx, hf_status_t st)
{
    const char *want = hf_fx_str(d, 0, "error");
    const hf_error_t *e = hf_client_error(&g_client);
    CHECK_STATUS(st, HF_ERR_HTTP_STATUS);
    CHECK_INT(e->http_status, fx->status);
    if (want != NULL && strlen(want) < sizeof e->message) {
        CHECK_STR(e->message, want);
        CHECK_INT(e->message_truncated, 0);
    } else if (want != NULL) {
        CHECK_INT(e->message_truncated, 1);
        CHECK(strlen(e->message) > sizeof e->message / 2u && strncmp(e->message, want, strlen(e->message)) == 0);
    }
    if (hf_fx_at(d, 0, "error_type") >= 0) {
        CHECK_STR(e->error_type, hf_fx_str(d, 0, "error_type"));
    }
}

static void run_fixture(const hf_fixture_t *fx, size_t split, uint32_t seed)
{
    static collect_t c;
    hf_text_generation_output_t out;
    hf_text_generation_input_t in;
    hf_json_doc_t d;
    bool stream = strncmp(fx->ctype, "text/event-stream", 17u) == 0;
    hf_status_t st;
    hf_rig_setup(split, seed, ARENA);
    hf_rig_add_response(fx->status, fx->ctype, fx->resp, fx->resp_len);
    memset(&in, 0, sizeof in);
    in.inputs = "test";
    st = stream ? run_stream(&c, "test") : hf_text_generation(&g_client, "google/flan-t5-xxl", &in, &g_arena, &out);
    if (stream && fx->status == 200) {
        cmp_stream(fx, &c, st);
    } else if (hf_fixture_indep(fx, &d) != 0) {
        CHECK(0);
    } else if (fx->status >= 400) {
        cmp_http_error(&d, fx, st);
    } else {
        CHECK_STATUS(st, HF_OK);
        if (st == HF_OK) {
            cmp_oneshot(&d, &out);
        }
    }
    if (hf_check_fail != 0 && split == 1u) {
        fprintf(stderr, "  (after fixture %s)\n", fx->name);
    }
}

static int g_seen;

static void one_fixture(const hf_fixture_t *fx)
{
    g_seen++;
    run_fixture(fx, 1u, 0u);
    run_fixture(fx, 97u, 0x1234u + (uint32_t)g_seen);
    run_fixture(fx, 0u, 0u);
}

static void test_fixtures(void)
{
    if (hf_fixture_each("text_generation__", one_fixture) >= 0) {
        CHECK_INT(g_seen, 23);
    }
}

/* The best-of recording, spot-checked by hand against its text. */
static void test_best_of_by_hand(void)
{
    hf_fixture_t fx;
    hf_text_generation_output_t out;
    hf_text_generation_input_t in;
    const hf_text_generation_output_details_t *d;
    if (hf_fixture_load("text_generation__py-hfinf-generate-best-of-207eb8.json", &fx) != 0) {
        printf("SKIP best-of recording: not found in %s\n", hf_fixture_dir());
        return;
    }
    hf_rig_setup(0u, 0u, ARENA);
    hf_rig_add_response(200, fx.ctype, fx.resp, fx.resp_len);
    memset(&in, 0, sizeof in);
    in.inputs = "test";
    CHECK_STATUS(hf_text_generation(&g_client, "google/flan-t5-xxl", &in, &g_arena, &out), HF_OK);
    d = out.details;
    CHECK(d != NULL);
    if (d == NULL || d->best_of_sequences_count != 1u || d->tokens_count != 1u || d->prefill_count != 1u) {
        CHECK(0);
        return;
    }
    CHECK_STR(out.generated_text, "5");
    CHECK_STR(d->finish_reason, "length");
    CHECK(d->has_seed && d->seed == 2835381823020158940);
    CHECK_STR(d->prefill[0].text, "<pad>");
    CHECK(!d->prefill[0].has_logprob);
    CHECK_INT(d->tokens[0].id, 305);
    CHECK_NEAR(d->tokens[0].logprob, -6.0976562, 1e-6);
    CHECK_STR(d->best_of_sequences[0].generated_text, "10-");
    CHECK(d->best_of_sequences[0].seed == 1621834340256795699);
    CHECK(d->best_of_sequences[0].top_tokens == NULL);
}

int main(void)
{
    test_encode_all_parameters();
    test_case02();
    test_case13();
    test_hostile_shapes();
    test_top_tokens();
    test_best_of_by_hand();
    test_fixtures();
    return CHECK_DONE();
}
