/* Stream a chat completion with a 1 KB I/O buffer and a 2 KB arena: all the memory hfmicro uses.
 * usage: stream_chat BASE_URL MODEL "your message"   (HF_TOKEN from the environment) */
#include <stdio.h>
#include <stdlib.h>

#include "hf/hf.h"
#include "hf/port/hf_posix.h"

static uint8_t io[1024];        /* request and response bytes pass through here */
static uint8_t arena_mem[2048]; /* the stream's event buffer and one decoded chunk at a time */
static hf_client_t client;
static hf_posix_transport_t tcp;

static hf_status_t on_chunk(void *user, const hf_chat_completion_stream_output_t *chunk)
{
    (void)user;
    for (size_t i = 0; i < chunk->choices_count; i++) {
        if (chunk->choices[i].delta != NULL && chunk->choices[i].delta->content != NULL) {
            fputs(chunk->choices[i].delta->content, stdout);
        }
    }
    fflush(stdout);
    return HF_OK; /* anything else stops the stream with HF_ERR_ABORTED */
}

int main(int argc, char **argv)
{
    hf_client_config_t cfg = {0};
    hf_chat_completion_input_message_t msg = {0};
    hf_chat_completion_input_t in = {0};
    hf_arena_t arena;
    hf_status_t st;

    if (argc != 4) {
        fprintf(stderr, "usage: %s BASE_URL MODEL MESSAGE\n", argv[0]);
        return 2;
    }
    cfg.base_url = argv[1];
    cfg.token = getenv("HF_TOKEN");
    cfg.transport = hf_posix_transport(&tcp);
    cfg.clock = hf_posix_clock();
    cfg.io_buf = io;
    cfg.io_buf_size = sizeof io;
    if (hf_client_init(&client, &cfg) != HF_OK) {
        return 1;
    }

    msg.role = "user";
    msg.content = argv[3];
    in.messages = &msg;
    in.messages_count = 1;

    hf_arena_init(&arena, arena_mem, sizeof arena_mem);
    st = hf_chat_completion_stream(&client, argv[2], &in, &arena, on_chunk, NULL, NULL);
    putchar('\n');
    if (st != HF_OK) {
        const hf_error_t *e = hf_client_error(&client);
        fprintf(stderr, "%s (HTTP %d): %s\n", hf_status_str(st), e->http_status, e->message);
        return 1;
    }
    fprintf(stderr, "arena peak: %zu of %zu bytes\n", hf_arena_peak(&arena), sizeof arena_mem);
    hf_client_close(&client);
    return 0;
}
