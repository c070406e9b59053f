/* hfmicro command-line tool: shared declarations between main.c and tasks.c. */
#ifndef HF_CLI_H
#define HF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hf/hf.h"

typedef struct cli_opts {
    const char *task;       /* normalised: underscores */
    const char *model;
    const char *base_url;
    const char *provider;
    const char *input_path; /* NULL, a file, or "-" */
    const char *text;       /* TEXT shorthand */
    const char *ca_path;    /* --ca: PEM bundle for https (NULL: the system bundle) */
    bool stream;
    bool json;
    unsigned long timeout_ms;
} cli_opts_t;

typedef struct cli_ctx {
    cli_opts_t opt;
    hf_client_t *client;
    hf_arena_t *arena;
    char *body;             /* merged request body (JSON text, NUL-terminated, writable) */
    size_t body_len;
    bool stream;            /* --stream or "stream": true in the body */
} cli_ctx_t;

typedef struct cli_task {
    const char *name;           /* seed task name, underscores */
    const hf_type_t *in_type;   /* request body type */
    size_t in_size;
    const char *main_key;       /* key the TEXT shorthand fills */
    bool text_is_chat;          /* TEXT becomes [{"role":"user","content":TEXT}] */
    hf_status_t (*run)(cli_ctx_t *ctx, const void *in);
    hf_status_t (*run_stream)(cli_ctx_t *ctx, const void *in); /* NULL: no streaming */
    /* Binary-input tasks: builds the input from --input (the media file, or a JSON body with
     * base64 `inputs`) instead of the JSON-body path, and runs the task. NULL for JSON tasks. */
    int (*run_input)(cli_ctx_t *ctx, const struct cli_task *task, hf_status_t *st);
} cli_task_t;

const cli_task_t *cli_find_task(const char *name);
/* run_input of the binary-input tasks: 0 when the call ran (status in *st), else an exit code. */
int cli_binary_input(cli_ctx_t *ctx, const cli_task_t *task, hf_status_t *st);
void cli_list_tasks(FILE *f);

/* stdout helpers used by the task adapters */
hf_status_t cli_print_json(const hf_type_t *t, const void *obj);        /* + newline */
hf_status_t cli_print_json_inline(const hf_type_t *t, const void *obj); /* no newline */
void cli_print_float(float v);
void cli_print_text(const char *s);

#endif
