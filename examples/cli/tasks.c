/* The tasks the CLI knows: how each runs, streams and prints. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ------------------------------------------------------------------ binary --input */

#define CLI_MAX_MEDIA (64u * 1024u * 1024u)

/* The media type from the first bytes; NULL when unknown. */
static const char *sniff_magic(const uint8_t *p, size_t n)
{
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return "image/jpeg";
    if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0)) return "image/gif";
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) return "image/webp";
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WAVE", 4) == 0) return "audio/wav";
    if (n >= 14 && p[0] == 'B' && p[1] == 'M') return "image/bmp";
    if (n >= 4 && memcmp(p, "fLaC", 4) == 0) return "audio/flac";
    if (n >= 4 && memcmp(p, "OggS", 4) == 0) return "audio/ogg";
    if (n >= 3 && memcmp(p, "ID3", 3) == 0) return "audio/mpeg";
    if (n >= 2 && p[0] == 0xFF && (p[1] & 0xE0) == 0xE0) return "audio/mpeg"; /* MPEG frame sync */
    return NULL;
}

/* The media type from the file name's extension; NULL when unknown. */
static const char *sniff_extension(const char *path)
{
    static const char *const map[][2] = {
        {".png", "image/png"},   {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
        {".webp", "image/webp"}, {".bmp", "image/bmp"},  {".tif", "image/tiff"},  {".tiff", "image/tiff"},
        {".flac", "audio/flac"}, {".wav", "audio/wav"},  {".mp3", "audio/mpeg"},  {".ogg", "audio/ogg"},
        {".oga", "audio/ogg"},   {".webm", "audio/webm"}, {".m4a", "audio/m4a"},  {".amr", "audio/amr"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot != NULL && i < sizeof map / sizeof map[0]; i++) {
        size_t k = 0;
        while (map[i][0][k] != '\0' && dot[k] != '\0' &&
               (dot[k] | 0x20) == map[i][0][k]) /* ASCII lower case; '.' and digits unchanged */
            k++;
        if (map[i][0][k] == '\0' && dot[k] == '\0') return map[i][1];
    }
    return NULL;
}

/* The whole file (or stdin) in a fresh buffer with a spare NUL. Host program: heap is fine. */
static uint8_t *read_media(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 65536, n = 0;
    uint8_t *buf = f != NULL ? malloc(cap) : NULL;
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
        if (n + 1 == cap) {
            uint8_t *nb = cap >= CLI_MAX_MEDIA ? NULL : realloc(buf, cap * 2);
            if (nb == NULL) {
                if (cap >= CLI_MAX_MEDIA) errno = EFBIG; /* else realloc's ENOMEM */
                free(buf);
                buf = NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (f != NULL && f != stdin) fclose(f);
    if (buf != NULL) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

static bool looks_like_json(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    return i < n && p[i] == '{';
}

/* {"inputs":"<base64>","parameters":{...}} through the task's input table (base64 decoded in place). */
static int binary_from_json(cli_ctx_t *ctx, const cli_task_t *task, void *in, bool *has_params)
{
    hf_json_doc_t doc;
    hf_error_t derr;
    hf_blob_t *media = in; /* every binary input struct starts with its hf_blob_t `inputs` */
    hf_status_t st = hf_json_parse(&doc, ctx->body, ctx->body_len, ctx->arena);
    hf_error_clear(&derr);
    if (st == HF_OK && doc.tok[0].type != JSMN_OBJECT) st = HF_ERR_JSON_SHAPE;
    if (st == HF_OK) {
        int p = hf_json_get(&doc, 0, "parameters");
        *has_params = p >= 0 && !hf_json_is_null(&doc, p);
        st = hf_codec_decode(&doc, 0, task->in_type, in, ctx->arena, &derr);
    }
    if (st != HF_OK) {
        fprintf(stderr, "hfmicro: %s: the request body does not fit %s%s%s\n", hf_status_str(st), task->in_type->name,
                derr.message[0] ? ": " : "", derr.message);
        return 2;
    }
    media->content_type = sniff_magic(media->data, media->data_len);
    return 0;
}

/* --input is the media file itself, or a JSON request body with the media in base64. Builds
 * the task's input struct and runs the task: 0 when the call ran (status in *st), else the
 * exit code of a local refusal. */
int cli_binary_input(cli_ctx_t *ctx, const cli_task_t *task, hf_status_t *st)
{
    hf_blob_t *media;
    size_t len = 0;
    uint8_t *bytes;
    bool has_params = false;
    *st = HF_ERR_INVALID_ARG;
    if (ctx->opt.input_path == NULL || ctx->opt.text != NULL) {
        fprintf(stderr, "hfmicro: %s takes --input FILE: the media file, or a JSON body "
                        "{\"inputs\":\"<base64>\",\"parameters\":{...}}\n", task->name);
        return 2;
    }
    if (ctx->opt.stream) {
        fprintf(stderr, "hfmicro: this task does not stream: %s\n", task->name);
        return 2;
    }
    bytes = read_media(ctx->opt.input_path, &len);
    if (bytes == NULL) {
        if (errno == EFBIG)
            fprintf(stderr, "hfmicro: cannot read --input %s: too large (limit %u MiB)\n", ctx->opt.input_path,
                    CLI_MAX_MEDIA >> 20);
        else
            fprintf(stderr, "hfmicro: cannot read --input %s: %s\n", ctx->opt.input_path, strerror(errno));
        return 2;
    }
    ctx->body = (char *)bytes; /* main frees it */
    ctx->body_len = len;
    media = hf_arena_alloc(ctx->arena, task->in_size, 0);
    if (media == NULL) return 2;
    memset(media, 0, task->in_size);
    if (sniff_magic(bytes, len) == NULL && looks_like_json(bytes, len)) {
        if (binary_from_json(ctx, task, media, &has_params) != 0) return 2;
    } else {
        media->data = bytes;
        media->data_len = len;
        media->content_type = sniff_magic(bytes, len);
        if (media->content_type == NULL) media->content_type = sniff_extension(ctx->opt.input_path);
    }
    if (media->content_type == NULL && !has_params) {
        fprintf(stderr, "hfmicro: cannot tell the media type of %s (PNG, JPEG, GIF, WebP, BMP, FLAC, WAV, MP3, OGG "
                        "are recognised); give a JSON body with \"parameters\" to send it as base64\n",
                ctx->opt.input_path);
        return 2;
    }
    *st = task->run(ctx, media);
    return 0;
}

/* ------------------------------------------------------------------ binary-input tasks */

/* --json prints the element list; plain output one element per line, tab-separated. */
static hf_status_t print_elements(const cli_ctx_t *ctx, const hf_type_t *t, const void *els, size_t n, size_t stride)
{
    hf_status_t st = HF_OK;
    if (!ctx->opt.json) return HF_OK;
    fputs("[", stdout);
    for (size_t i = 0; i < n && st == HF_OK; i++) {
        if (i) fputs(",", stdout);
        fflush(stdout);
        st = cli_print_json_inline(t, (const char *)els + i * stride);
    }
    fputs("]\n", stdout);
    return st;
}

static hf_status_t ic_run(cli_ctx_t *ctx, const void *in)
{
    hf_image_classification_output_t out;
    hf_status_t st = hf_image_classification(ctx->client, ctx->opt.model, in, ctx->arena, &out);
    if (st != HF_OK) return st;
    for (size_t i = 0; i < out.elements_count && !ctx->opt.json; i++)
        printf("%s\t%.6g\n", out.elements[i].label, (double)out.elements[i].score);
    return print_elements(ctx, &hf_image_classification_output_element_type, out.elements, out.elements_count,
                          sizeof out.elements[0]);
}

static hf_status_t ac_run(cli_ctx_t *ctx, const void *in)
{
    hf_audio_classification_output_t out;
    hf_status_t st = hf_audio_classification(ctx->client, ctx->opt.model, in, ctx->arena, &out);
    if (st != HF_OK) return st;
    for (size_t i = 0; i < out.elements_count && !ctx->opt.json; i++)
        printf("%s\t%.6g\n", out.elements[i].label, (double)out.elements[i].score);
    return print_elements(ctx, &hf_audio_classification_output_element_type, out.elements, out.elements_count,
                          sizeof out.elements[0]);
}

/* Plain: label, score, xmin, ymin, xmax, ymax. */
static hf_status_t od_run(cli_ctx_t *ctx, const void *in)
{
    hf_object_detection_output_t out;
    hf_status_t st = hf_object_detection(ctx->client, ctx->opt.model, in, ctx->arena, &out);
    if (st != HF_OK) return st;
    for (size_t i = 0; i < out.elements_count && !ctx->opt.json; i++) {
        const hf_object_detection_bounding_box_t *b = out.elements[i].box;
        printf("%s\t%.6g\t%ld\t%ld\t%ld\t%ld\n", out.elements[i].label, (double)out.elements[i].score, (long)b->xmin,
               (long)b->ymin, (long)b->xmax, (long)b->ymax);
    }
    return print_elements(ctx, &hf_object_detection_output_element_type, out.elements, out.elements_count,
                          sizeof out.elements[0]);
}

/* ------------------------------------------------------------------ table */

static const cli_task_t g_tasks[] = {
    {"chat_completion", &hf_chat_completion_input_type, sizeof(hf_chat_completion_input_t), "messages", true,
     chat_run, chat_stream, NULL},
    {"text_generation", &hf_text_generation_input_type, sizeof(hf_text_generation_input_t), "inputs", false,
     tg_run, tg_stream, NULL},
    {"text_classification", &hf_text_classification_input_type, sizeof(hf_text_classification_input_t),
     "inputs", false, tc_run, NULL, NULL},
    {"feature_extraction", &hf_feature_extraction_input_type, sizeof(hf_feature_extraction_input_t), "inputs",
     false, fe_run, NULL, NULL},
    {"image_classification", &hf_image_classification_input_type, sizeof(hf_image_classification_input_t),
     "inputs", false, ic_run, NULL, cli_binary_input},
    {"audio_classification", &hf_audio_classification_input_type, sizeof(hf_audio_classification_input_t),
     "inputs", false, ac_run, NULL, cli_binary_input},
    {"object_detection", &hf_object_detection_input_type, sizeof(hf_object_detection_input_t), "inputs", false,
     od_run, NULL, cli_binary_input},
};

const cli_task_t *cli_find_task(const char *name)
{
    for (size_t i = 0; i < sizeof g_tasks / sizeof g_tasks[0]; i++) {
        if (strcmp(g_tasks[i].name, name) == 0) return &g_tasks[i];
    }
    return NULL;
}

void cli_list_tasks(FILE *f)
{
    for (size_t i = 0; i < sizeof g_tasks / sizeof g_tasks[0]; i++) {
        char name[64];
        size_t k;
        for (k = 0; g_tasks[i].name[k] != '\0' && k + 1 < sizeof name; k++)
            name[k] = g_tasks[i].name[k] == '_' ? '-' : g_tasks[i].name[k];
        name[k] = '\0';
        fprintf(f, " %s", name);
    }
}
