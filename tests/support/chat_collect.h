/* Shared by the chat-completion unit tests (test_chat_completion_*.c): the request they send
 * ("user: Hi" to CHAT_MODEL) and a collector of what a stream hands to the callback. */
#ifndef HF_TEST_CHAT_COLLECT_H
#define HF_TEST_CHAT_COLLECT_H

#include <stdint.h>

#include "hf/hf_chat_completion.h"

#define CHAT_MODEL "HuggingFaceH4/zephyr-7b-beta"

/** The request of chat_default_input(). */
extern hf_chat_completion_input_t g_chat_in;
/** g_chat_in again: one user message "Hi", nothing else set. */
void chat_default_input(void);

#define CHAT_MAXD 16
typedef struct chat_collect {
    int chunks;
    int ndeltas;
    char deltas[CHAT_MAXD][1100];
    char text[2048];
    char role[32];
    char finish[32];
    int usage_seen;
    int32_t prompt_tokens, completion_tokens, total_tokens;
    int choiceless;     /* chunks with "choices":[] */
    int abort_at;       /* > 0: return non-OK at that chunk */
} chat_collect_t;

/** The stream callback: `user` is a chat_collect_t. */
hf_status_t chat_on_chunk(void *user, const hf_chat_completion_stream_output_t *ch);
/** Streams g_chat_in (default) over the rig into `c` (cleared, abort_at kept). */
hf_status_t chat_stream(chat_collect_t *c, hf_chat_tool_calls_t *tools);

#endif /* HF_TEST_CHAT_COLLECT_H */
