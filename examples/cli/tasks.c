/* The tasks the CLI knows: how each runs, streams and prints. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* ------------------------------------------------------------------ chat completion */

static hf_status_t chat_run(cli_ctx_t *ctx, const void *in)
{
    hf_chat_completion_output_t out;
    hf_status_t st = hf_chat_completion(ctx->client, ctx->opt.model, in, ctx->arena, &out);
    if (st != HF_OK) return st;
    if (ctx->opt.json) return cli_print_json(&hf_chat_completion_output_type, &out);
    for (size_t i = 0; i < out.choices_count; i++) {
        const hf_chat_completion_output_message_t *m = out.choices[i].message;
        if (m == NULL) continue;
        cli_print_text(m->content);
        for (size_t k = 0; k < m->tool_calls_count; k++) {
            const hf_chat_completion_output_tool_call_t *tc = &m->tool_calls[k];
            printf("%s%s(%s)", k ? "\n" : "", tc->function ? tc->function->name : "",
                   tc->function && tc->function->arguments ? tc->function->arguments : "");
        }
    }
    putchar('\n');
    return HF_OK;
}

static hf_status_t chat_chunk(void *user, const hf_chat_completion_stream_output_t *chunk)
{
    const cli_ctx_t *ctx = user;
    if (ctx->opt.json) return cli_print_json(&hf_chat_completion_stream_output_type, chunk);
    for (size_t i = 0; i < chunk->choices_count; i++) {
        const hf_chat_completion_stream_output_delta_t *d = chunk->choices[i].delta;
        if (d != NULL) cli_print_text(d->content);
    }
    return HF_OK;
}

static hf_status_t chat_stream(cli_ctx_t *ctx, const void *in)
{
    static hf_chat_tool_call_t slots[8];
    static char args[8192];
    hf_chat_tool_calls_t tools;
    hf_status_t st;
    hf_chat_tool_calls_init(&tools, slots, 8, args, sizeof args);
    st = hf_chat_completion_stream(ctx->client, ctx->opt.model, in, ctx->arena, chat_chunk, ctx, &tools);
    if (!ctx->opt.json) {
        for (size_t k = 0; k < tools.count; k++) {
            printf("%s%s(%.*s)", k ? "\n" : "", slots[k].name ? slots[k].name : "", (int)slots[k].arguments_len,
                   slots[k].arguments);
        }
        putchar('\n');
    }
    return st;
}

/* ------------------------------------------------------------------ text generation */

static hf_status_t tg_run(cli_ctx_t *ctx, const void *in)
{
    hf_text_generation_output_t out;
    hf_status_t st = hf_text_generation(ctx->client, ctx->opt.model, in, ctx->arena, &out);
    if (st != HF_OK) return st;
    if (ctx->opt.json) return cli_print_json(&hf_text_generation_output_type, &out);
    cli_print_text(out.generated_text);
    putchar('\n');
    return HF_OK;
}

static hf_status_t tg_event(void *user, const hf_text_generation_stream_output_t *ev)
{
    const cli_ctx_t *ctx = user;
    if (ctx->opt.json) return cli_print_json(&hf_text_generation_stream_output_type, ev);
    if (ev->token != NULL && !ev->token->special) cli_print_text(ev->token->text);
    return HF_OK;
}

static hf_status_t tg_stream(cli_ctx_t *ctx, const void *in)
{
    hf_status_t st = hf_text_generation_stream(ctx->client, ctx->opt.model, in, ctx->arena, tg_event, ctx);
    if (!ctx->opt.json) putchar('\n');
    return st;
}

/* ------------------------------------------------------------------ text classification */

static hf_status_t tc_print_list(const hf_text_classification_output_list_t *l)
{
    hf_status_t st = HF_OK;
    fputs("[", stdout);
    for (size_t i = 0; i < l->elements_count && st == HF_OK; i++) {
        if (i) fputs(",", stdout);
        fflush(stdout);
        st = cli_print_json_inline(&hf_text_classification_output_element_type, &l->elements[i]);
    }
    fputs("]", stdout);
    return st;
}

/* --json prints the shape the server sent: one list for a text, a list of lists for a batch. */
static hf_status_t tc_run(cli_ctx_t *ctx, const void *in)
{
    hf_text_classification_output_t out;
    bool batch = ((const hf_text_classification_input_t *)in)->inputs_batch != NULL;
    hf_status_t st = hf_text_classification(ctx->client, ctx->opt.model, in, ctx->arena, &out);
    if (st != HF_OK) return st;
    if (ctx->opt.json) {
        if (batch) fputs("[", stdout);
        for (size_t k = 0; k < (batch ? out.lists_count : 1) && st == HF_OK; k++) {
            if (k) fputs(",", stdout);
            st = tc_print_list(&out.lists[k]);
        }
        fputs(batch ? "]\n" : "\n", stdout);
        return st;
    }
    for (size_t k = 0; k < out.lists_count; k++) {
        if (k) putchar('\n');
        for (size_t i = 0; i < out.lists[k].elements_count; i++) {
            printf("%s\t%.6g\n", out.lists[k].elements[i].label, (double)out.lists[k].elements[i].score);
        }
    }
    return HF_OK;
}

/* ------------------------------------------------------------------ feature extraction */

/* The nesting is rebuilt from the array lengths in pre-order, so dense and ragged results
 * print with the shape the server sent. Plain output: one innermost vector per line. */
static void fe_print(const hf_feature_extraction_output_t *o, bool json)
{
    size_t left[HF_FEATURE_EXTRACTION_MAX_DIMS];
    size_t k = 1, v = 0;
    int depth = 0;
    bool first = true;
    if (o->lengths_count == 0 || o->ndim == 0) return;
    left[0] = o->lengths[0];
    if (json) putchar('[');
    while (depth >= 0) {
        if (left[depth] == 0) {
            if (json) putchar(']');
            else if (depth + 1 == o->ndim) putchar('\n');
            depth--;
            first = !json; /* plain: a new line starts without a separator */
            continue;
        }
        if (!first) putchar(json ? ',' : ' ');
        left[depth]--;
        if (depth + 1 < o->ndim && k < o->lengths_count) {
            left[++depth] = o->lengths[k++];
            if (json) putchar('[');
            first = true;
        } else if (v < o->count) {
            cli_print_float(o->data[v++]);
            first = false;
        } else {
            break; /* the library guarantees the counts; never read past them */
        }
    }
    if (json) putchar('\n');
    fflush(stdout);
}

static hf_status_t fe_run(cli_ctx_t *ctx, const void *in)
{
    hf_feature_extraction_output_t out;
    hf_status_t st;
    memset(&out, 0, sizeof out);
    st = hf_feature_extraction(ctx->client, ctx->opt.model, in, ctx->arena, &out);
    if (st != HF_OK) return st;
    fe_print(&out, ctx->opt.json);
    return HF_OK;
}

/* ------------------------------------------------------------------ table */

static const cli_task_t g_tasks[] = {
    {"chat_completion", &hf_chat_completion_input_type, sizeof(hf_chat_completion_input_t), "messages", true,
     chat_run, chat_stream},
    {"text_generation", &hf_text_generation_input_type, sizeof(hf_text_generation_input_t), "inputs", false,
     tg_run, tg_stream},
    {"text_classification", &hf_text_classification_input_type, sizeof(hf_text_classification_input_t),
     "inputs", false, tc_run, NULL},
    {"feature_extraction", &hf_feature_extraction_input_type, sizeof(hf_feature_extraction_input_t), "inputs",
     false, fe_run, NULL},
};

const cli_task_t *cli_find_task(const char *name)
{
    for (size_t i = 0; i < sizeof g_tasks / sizeof g_tasks[0]; i++) {
        if (strcmp(g_tasks[i].name, name) == 0) return &g_tasks[i];
    }
    return NULL;
}

void cli_list_tasks(void)
{
    for (size_t i = 0; i < sizeof g_tasks / sizeof g_tasks[0]; i++) {
        char name[64];
        size_t k;
        for (k = 0; g_tasks[i].name[k] != '\0' && k + 1 < sizeof name; k++)
            name[k] = g_tasks[i].name[k] == '_' ? '-' : g_tasks[i].name[k];
        name[k] = '\0';
        fprintf(stderr, " %s", name);
    }
}
