/* Chat-completion test helpers (see chat_collect.h). */
#include "chat_collect.h"

#include <string.h>

#include "rig.h"

hf_chat_completion_input_t g_chat_in;
static hf_chat_completion_input_message_t g_msg;

void chat_default_input(void)
{
    memset(&g_msg, 0, sizeof g_msg);
    memset(&g_chat_in, 0, sizeof g_chat_in);
    g_msg.role = "user";
    g_msg.content = "Hi";
    g_chat_in.messages = &g_msg;
    g_chat_in.messages_count = 1u;
}

static void take_delta(chat_collect_t *c, const hf_chat_completion_stream_output_delta_t *d)
{
    if (d->role != NULL && c->role[0] == '\0') {
        hf_test_strlcpy(c->role, sizeof c->role, d->role);
    }
    if (d->content != NULL && d->content[0] != '\0' && c->ndeltas < CHAT_MAXD) {
        hf_test_strlcpy(c->deltas[c->ndeltas++], sizeof c->deltas[0], d->content);
        if (strlen(c->text) + strlen(d->content) < sizeof c->text) {
            strcat(c->text, d->content);
        }
    }
}

hf_status_t chat_on_chunk(void *user, const hf_chat_completion_stream_output_t *ch)
{
    chat_collect_t *c = (chat_collect_t *)user;
    c->chunks++;
    if (ch->choices_count == 0u) {
        c->choiceless++;
    }
    for (size_t i = 0; i < ch->choices_count; i++) {
        if (ch->choices[i].delta != NULL) {
            take_delta(c, ch->choices[i].delta);
        }
        if (ch->choices[i].finish_reason != NULL) {
            hf_test_strlcpy(c->finish, sizeof c->finish, ch->choices[i].finish_reason);
        }
    }
    if (ch->usage != NULL) {
        c->usage_seen++;
        c->prompt_tokens = ch->usage->prompt_tokens;
        c->completion_tokens = ch->usage->completion_tokens;
        c->total_tokens = ch->usage->total_tokens;
    }
    return (c->abort_at > 0 && c->chunks >= c->abort_at) ? HF_ERR_ABORTED : HF_OK;
}

hf_status_t chat_stream(chat_collect_t *c, hf_chat_tool_calls_t *tools)
{
    int abort_at = c->abort_at;
    memset(c, 0, sizeof *c);
    c->abort_at = abort_at;
    chat_default_input();
    return hf_chat_completion_stream(&g_client, CHAT_MODEL, &g_chat_in, &g_arena, chat_on_chunk, c, tools);
}
