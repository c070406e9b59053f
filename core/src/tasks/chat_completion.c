/* Chat completion calls (one-shot and streamed) and the streamed tool-call accumulator. */
#include <string.h>

#include "hf/hf_chat_completion.h"
#include "tasks_priv.h"

static bool starts_with(const char *s, const char *p)
{
    size_t n = strlen(p);
    return strncmp(s, p, n) == 0;
}

static bool is_url(const char *m)
{
    return starts_with(m, "http://") || starts_with(m, "https://");
}

/* hf-inference and custom URLs are TGI, which wants its own grammar form (PROTOCOL 6.3). */
static bool targets_tgi(const hf_client_t *c, const char *model)
{
    const char *colon = strrchr(model, ':');
    if (is_url(model)) {
        return true;
    }
    if (colon != NULL) {
        return strcmp(colon + 1, "hf-inference") == 0;
    }
    return strcmp(c->cfg.provider != NULL ? c->cfg.provider : HF_DEFAULT_PROVIDER, "hf-inference") == 0;
}

/* The request as sent: the caller's input plus what the call overrides. Nothing is copied
 * into the arena (a copy there would cost every stream its bytes for the whole call); the
 * body writer applies the overrides to a copy on its own stack, once per pass. */
typedef struct chat_body {
    const hf_chat_completion_input_t *in;
    const char *model;                               /* body model when in->model is NULL */
    hf_chat_completion_input_grammar_type_t grammar; /* TGI form of a json_schema response_format */
    bool stream;
    bool rewrite_grammar;
} chat_body_t;

/* OpenAI json_schema -> {"type":"json_object","value":<schema>} (what Python does for TGI). */
static void plan_grammar(chat_body_t *b, bool tgi)
{
    const hf_chat_completion_input_grammar_type_t *rf = b->in->response_format;
    memset(&b->grammar, 0, sizeof b->grammar);
    b->rewrite_grammar = tgi && rf != NULL && rf->type != NULL && strcmp(rf->type, "json_schema") == 0;
    if (b->rewrite_grammar) {
        b->grammar.type = "json_object";
        b->grammar.value = rf->json_schema != NULL ? rf->json_schema->schema : rf->value;
    }
}

static void plan_body(chat_body_t *b, hf_client_t *c, const char *model, const hf_chat_completion_input_t *in,
                      bool stream)
{
    b->in = in;
    /* TGI treats "tgi" as "the served model". */
    b->model = is_url(model) ? "tgi" : model;
    b->stream = stream;
    plan_grammar(b, targets_tgi(c, model));
}

/* Frame: one input struct (192 B on LP64) and a writer; kept out of line so it stays alone. */
static hf_status_t write_chat_body(void *user, hf_out_t *out)
{
    chat_body_t *b = (chat_body_t *)user;
    hf_chat_completion_input_t cp = *b->in;
    hf_jw_t w;
    if (cp.model == NULL) {
        cp.model = b->model;
    }
    if (b->stream) {
        cp.has_stream = true;
        cp.stream = true;
    } else if (cp.has_stream && cp.stream) {
        cp.has_stream = false;
    }
    if (b->rewrite_grammar) {
        cp.response_format = &b->grammar;
    }
    hf_jw_init(&w, out);
    return hf_codec_encode(&w, &hf_chat_completion_input_type, &cp);
}

static void body_of(hf_task_body_t *body, chat_body_t *b)
{
    memset(body, 0, sizeof *body);
    body->write = write_chat_body;
    body->user = b;
}

static hf_status_t check_args(hf_client_t *c, const char *model, const hf_chat_completion_input_t *in,
                              const hf_arena_t *a)
{
    if (c == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    hf_error_clear(&c->err);
    if (model == NULL || model[0] == '\0' || in == NULL || a == NULL || in->messages == NULL) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "missing model, input, messages or arena", NULL, NULL);
        return HF_ERR_INVALID_ARG;
    }
    return HF_OK;
}

static hf_status_t decode_root(hf_json_doc_t *doc, const hf_type_t *t, void *obj, hf_arena_t *a,
                               hf_error_t *err)
{
    if (doc->ntok < 1 || doc->tok[0].type != JSMN_OBJECT) {
        memset(obj, 0, t->size);
        if (err != NULL) {
            hf_priv_error_set(err, HF_ERR_JSON_SHAPE, t->name, ": expected a JSON object", NULL);
        }
        return HF_ERR_JSON_SHAPE;
    }
    return hf_codec_decode(doc, 0, t, obj, a, err);
}

hf_status_t hf_priv_chat_completion_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                           hf_chat_completion_output_t *out, hf_error_t *err)
{
    return decode_root(doc, &hf_chat_completion_output_type, out, a, err);
}

hf_status_t hf_priv_chat_completion_stream_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                  hf_chat_completion_stream_output_t *chunk, hf_error_t *err)
{
    return decode_root(doc, &hf_chat_completion_stream_output_type, chunk, a, err);
}

static hf_status_t finish(hf_client_t *c, hf_status_t st)
{
    if (st != HF_OK) {
        c->err.status = st;
    }
    return st;
}

hf_status_t hf_chat_completion(hf_client_t *c, const char *model, const hf_chat_completion_input_t *in,
                               hf_arena_t *arena, hf_chat_completion_output_t *out)
{
    chat_body_t cb;
    hf_task_body_t body;
    hf_json_doc_t doc;
    hf_status_t st = check_args(c, model, in, arena);
    if (st == HF_OK && out == NULL) {
        hf_priv_error_set(&c->err, HF_ERR_INVALID_ARG, "missing output", NULL, NULL);
        st = HF_ERR_INVALID_ARG;
    }
    if (st != HF_OK) {
        return c == NULL ? st : finish(c, st);
    }
    plan_body(&cb, c, model, in, false);
    body_of(&body, &cb);
    st = hf_priv_task_json(c, model, HF_ROUTE_CHAT, &body, arena, &doc);
    if (st == HF_OK) {
        st = hf_priv_chat_completion_decode(&doc, arena, out, &c->err);
    }
    return finish(c, st);
}

/* ------------------------------------------------------------------ stream */

typedef struct chat_stream {
    hf_client_t *c;
    hf_arena_t *a;
    hf_chat_completion_chunk_fn on_chunk;
    void *user;
    hf_chat_tool_calls_t *tools;
} chat_stream_t;

/* Chunk memory comes from the arena, which the runner rewinds after every event. */
static hf_status_t on_event(void *user, hf_json_doc_t *doc)
{
    chat_stream_t *s = (chat_stream_t *)user;
    hf_chat_completion_stream_output_t *ch;
    hf_status_t st;
    ch = (hf_chat_completion_stream_output_t *)hf_arena_alloc(s->a, sizeof *ch, 0);
    if (ch == NULL) {
        hf_priv_error_set(&s->c->err, HF_ERR_NO_MEMORY, "arena too small for a stream chunk", NULL, NULL);
        s->c->err.needed = s->a->needed;
        return HF_ERR_NO_MEMORY;
    }
    st = hf_priv_chat_completion_stream_decode(doc, s->a, ch, &s->c->err);
    if (st == HF_OK && s->tools != NULL) {
        st = hf_chat_tool_calls_feed(s->tools, ch, &s->c->err);
    }
    if (st == HF_OK && s->on_chunk != NULL && s->on_chunk(s->user, ch) != HF_OK) {
        hf_priv_error_set(&s->c->err, HF_ERR_ABORTED, "the chunk callback stopped the stream", NULL, NULL);
        st = HF_ERR_ABORTED;
    }
    if (st != HF_OK) {
        s->c->err.status = st;
    }
    return st;
}

hf_status_t hf_chat_completion_stream(hf_client_t *c, const char *model, const hf_chat_completion_input_t *in,
                                      hf_arena_t *arena, hf_chat_completion_chunk_fn on_chunk, void *user,
                                      hf_chat_tool_calls_t *tools)
{
    chat_body_t cb;
    hf_task_body_t body;
    chat_stream_t s;
    hf_status_t st = check_args(c, model, in, arena);
    if (st != HF_OK) {
        return c == NULL ? st : finish(c, st);
    }
    if (tools != NULL) {
        hf_chat_tool_calls_reset(tools);
    }
    plan_body(&cb, c, model, in, true);
    body_of(&body, &cb);
    s.c = c;
    s.a = arena;
    s.on_chunk = on_chunk;
    s.user = user;
    s.tools = tools;
    st = hf_priv_task_stream(c, model, HF_ROUTE_CHAT, &body, arena, on_event, &s);
    return finish(c, st);
}

/* ------------------------------------------------------------------ tool-call accumulator */

void hf_chat_tool_calls_init(hf_chat_tool_calls_t *t, hf_chat_tool_call_t *slots, size_t nslots, char *buf,
                             size_t buf_size)
{
    t->calls = slots;
    t->cap = slots != NULL ? nslots : 0u;
    t->count = 0u;
    t->buf = buf;
    t->buf_size = buf != NULL ? buf_size : 0u;
}

void hf_chat_tool_calls_reset(hf_chat_tool_calls_t *t)
{
    t->count = 0u;
}

static hf_status_t overflow(hf_error_t *err, const char *what)
{
    if (err != NULL) {
        hf_priv_error_set(err, HF_ERR_NO_MEMORY, what, NULL, NULL);
    }
    return HF_ERR_NO_MEMORY;
}

/* Bytes still free between the arguments (plus their NUL) and the names stored at the back. */
static size_t slot_free(const hf_chat_tool_call_t *k)
{
    return k->region_size - k->names_used - k->arguments_len - 1u;
}

static hf_status_t find_or_start(hf_chat_tool_calls_t *t, int32_t index, hf_chat_tool_call_t **out,
                                 hf_error_t *err)
{
    hf_chat_tool_call_t *k;
    size_t share;
    for (size_t i = 0; i < t->count; i++) {
        if (t->calls[i].index == index) {
            *out = &t->calls[i];
            return HF_OK;
        }
    }
    if (t->count >= t->cap) {
        return overflow(err, "more streamed tool calls than accumulator slots");
    }
    share = t->buf_size / t->cap;
    if (share == 0u) {
        return overflow(err, "tool-call buffer too small for its slots");
    }
    k = &t->calls[t->count];
    memset(k, 0, sizeof *k);
    k->index = index;
    k->region = t->buf + t->count * share;
    k->region_size = share;
    k->region[0] = '\0';
    k->arguments = k->region;
    t->count++;
    *out = k;
    return HF_OK;
}

/* id, type and name are kept from the first fragment that has them, never reset. */
static hf_status_t keep_name(hf_chat_tool_call_t *k, const char **dst, const char *s, hf_error_t *err)
{
    size_t n;
    char *p;
    if (*dst != NULL || s == NULL) {
        return HF_OK;
    }
    n = strlen(s);
    if (n >= slot_free(k)) {
        return overflow(err, "tool-call id/type/name does not fit in its share of the buffer");
    }
    k->names_used += n + 1u;
    p = k->region + k->region_size - k->names_used;
    memcpy(p, s, n);
    p[n] = '\0';
    *dst = p;
    return HF_OK;
}

static hf_status_t append_args(hf_chat_tool_call_t *k, const char *s, hf_error_t *err)
{
    size_t n = s != NULL ? strlen(s) : 0u;
    if (n > slot_free(k)) {
        return overflow(err, "tool-call arguments do not fit in their share of the buffer");
    }
    memcpy(k->region + k->arguments_len, s, n);
    k->arguments_len += n;
    k->region[k->arguments_len] = '\0';
    return HF_OK;
}

static hf_status_t feed_fragment(hf_chat_tool_calls_t *t,
                                 const hf_chat_completion_stream_output_delta_tool_call_t *f, int32_t pos,
                                 hf_error_t *err)
{
    hf_chat_tool_call_t *k = NULL;
    const hf_chat_completion_stream_output_function_t *fn = f->function;
    hf_status_t st = find_or_start(t, f->has_index ? f->index : pos, &k, err);
    if (st == HF_OK) {
        st = keep_name(k, &k->id, f->id, err);
    }
    if (st == HF_OK) {
        st = keep_name(k, &k->type, f->type, err);
    }
    if (st == HF_OK && fn != NULL) {
        st = keep_name(k, &k->name, fn->name, err);
    }
    if (st == HF_OK && fn != NULL && fn->arguments != NULL) {
        st = append_args(k, fn->arguments, err);
    }
    return st;
}

hf_status_t hf_chat_tool_calls_feed(hf_chat_tool_calls_t *t, const hf_chat_completion_stream_output_t *chunk,
                                    hf_error_t *err)
{
    if (t == NULL || chunk == NULL || (t->count > 0u && t->calls == NULL)) {
        return HF_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < chunk->choices_count; i++) {
        const hf_chat_completion_stream_output_delta_t *d = chunk->choices[i].delta;
        size_t n = d != NULL ? d->tool_calls_count : 0u;
        for (size_t j = 0; j < n && j <= (size_t)INT32_MAX; j++) {
            hf_status_t st = feed_fragment(t, &d->tool_calls[j], (int32_t)j, err);
            if (st != HF_OK) {
                return st;
            }
        }
    }
    return HF_OK;
}
