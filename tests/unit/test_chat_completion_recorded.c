/* Chat completion against every recorded 200 application/json chat_completion exchange,
 * through the full stack at every delivery (tests/support/rig.h), the expected values read
 * independently from the recording by key path; and the old TGI tool call checked by hand. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chat_collect.h"
#include "check.h"
#include "fixture.h"
#include "rig.h"

#include "hf/hf_chat_completion.h"
#include "hf_priv.h"
#include "tasks/tasks_priv.h"

/* The chat tests' client: a 512-byte I/O buffer, 256 KB of arena. */
#define IO_SIZE 512u
#define ARENA (1u << 18)

/* ------------------------------------------------------------------ one-shot: recorded exchanges */

static hf_json_doc_t g_edoc; /* the recorded body, parsed apart: the expected values */
static hf_chat_completion_output_t g_out;
static size_t g_len;         /* the response in g_resp */

/* Expected string at key `k` of object token `o`: NULL when absent or null; numbers as text. */
static const char *exp_str(int o, const char *k)
{
    return hf_fx_text(&g_edoc, o, k);
}

static int64_t exp_int(int o, const char *k)
{
    return hf_fx_int(&g_edoc, o, k, -1);
}

#define CHECK_OPT_STR(got, want) do { const char *w_ = (want), *g_ = (got); \
    if (w_ == NULL) { CHECK(g_ == NULL); } else { CHECK_STR(g_, w_); } } while (0)

static void check_recorded(void)
{
    const hf_chat_completion_output_message_t *m;
    int ch0, msg, tc0, usage;
    chat_default_input();
    if (g_edoc.tok[0].type != JSMN_OBJECT) {
        /* Old non-TGI fallback `[{"generated_text":...}]`: not a chat completion. */
        CHECK_STATUS(hf_chat_completion(&g_client, CHAT_MODEL, &g_chat_in, &g_arena, &g_out), HF_ERR_JSON_SHAPE);
        return;
    }
    CHECK_STATUS(hf_chat_completion(&g_client, CHAT_MODEL, &g_chat_in, &g_arena, &g_out), HF_OK);
    CHECK_OPT_STR(g_out.id, exp_str(0, "id"));
    CHECK_OPT_STR(g_out.object, exp_str(0, "object"));
    CHECK_OPT_STR(g_out.model, exp_str(0, "model"));
    CHECK_OPT_STR(g_out.system_fingerprint, exp_str(0, "system_fingerprint"));
    CHECK(g_out.has_created);
    CHECK_INT(g_out.created, exp_int(0, "created"));
    CHECK_INT(g_out.choices_count, g_edoc.tok[hf_json_get(&g_edoc, 0, "choices")].size);
    ch0 = hf_json_at(&g_edoc, hf_json_get(&g_edoc, 0, "choices"), 0);
    if (g_out.choices_count < 1u || ch0 < 0) {
        CHECK(0);
        return;
    }
    CHECK_INT(g_out.choices[0].index, exp_int(ch0, "index"));
    CHECK_OPT_STR(g_out.choices[0].finish_reason, exp_str(ch0, "finish_reason"));
    msg = hf_json_get(&g_edoc, ch0, "message");
    m = g_out.choices[0].message;
    CHECK_OPT_STR(m->role, exp_str(msg, "role"));
    CHECK_OPT_STR(m->content, exp_str(msg, "content"));
    tc0 = hf_json_at(&g_edoc, hf_json_get(&g_edoc, msg, "tool_calls"), 0);
    CHECK_INT(m->tool_calls_count, tc0 >= 0 ? g_edoc.tok[hf_json_get(&g_edoc, msg, "tool_calls")].size : 0);
    if (tc0 >= 0 && m->tool_calls_count > 0u) {
        int fn = hf_json_get(&g_edoc, tc0, "function");
        CHECK_OPT_STR(m->tool_calls[0].id, exp_str(tc0, "id"));
        CHECK_OPT_STR(m->tool_calls[0].type, exp_str(tc0, "type"));
        CHECK_OPT_STR(m->tool_calls[0].function->name, exp_str(fn, "name"));
        CHECK_OPT_STR(m->tool_calls[0].function->arguments, exp_str(fn, "arguments"));
    }
    usage = hf_json_get(&g_edoc, 0, "usage");
    if (usage >= 0 && !hf_json_is_null(&g_edoc, usage)) {
        CHECK(g_out.usage != NULL);
        if (g_out.usage != NULL) {
            CHECK_INT(g_out.usage->prompt_tokens, exp_int(usage, "prompt_tokens"));
            CHECK_INT(g_out.usage->completion_tokens, exp_int(usage, "completion_tokens"));
            CHECK_INT(g_out.usage->total_tokens, exp_int(usage, "total_tokens"));
        }
    }
}

/* One recording: 1 when it was a 200 application/json exchange and was checked. */
static int run_recording(const hf_fixture_t *fx)
{
    if (fx->status != 200 || strncasecmp(fx->ctype, "application/json", 16u) != 0) {
        return 0;
    }
    g_len = hf_rig_response(200, fx->ctype, fx->resp, fx->resp_len);
    if (hf_fixture_indep(fx, &g_edoc) != 0) {
        CHECK(0);
        return 0;
    }
    hf_rig_every_delivery(g_resp, g_len, NULL, 0u, ARENA, check_recorded);
    return 1;
}

static int g_checked;

static void one_recording(const hf_fixture_t *fx)
{
    g_checked += run_recording(fx);
}

static void test_recorded(void)
{
    static hf_fixture_t fx;
    if (hf_fixture_each("chat_completion__", one_recording) < 0) {
        return;
    }
    printf("recorded chat_completion 200 JSON exchanges checked: %d\n", g_checked);
    CHECK(g_checked >= 20); /* 24 such files in the recorded set at the time of writing */

    /* The old TGI tool call, by hand: numeric id, arguments as an object. */
    if (hf_fixture_load("chat_completion__py-apiinf-with-tool-0c1987.json", &fx) == 0 && run_recording(&fx) == 1) {
        hf_rig_script(g_resp, g_len, HF_RIG_CASE_READS, 0u, NULL, 0u, ARENA);
        CHECK_STATUS(hf_chat_completion(&g_client, CHAT_MODEL, &g_chat_in, &g_arena, &g_out), HF_OK);
        CHECK_STR(g_out.choices[0].message->tool_calls[0].id, "0");
        CHECK_STR(g_out.choices[0].message->tool_calls[0].function->name, "get_current_weather");
        CHECK_STR(g_out.choices[0].message->tool_calls[0].function->arguments,
                  "{\"format\":\"fahrenheit\",\"location\":\"San Francisco, CA\"}");
        CHECK(g_out.choices[0].message->content == NULL);
        CHECK_STR(g_out.choices[0].finish_reason, "eos_token");
        CHECK_INT(g_out.usage->total_tokens, 160);
    }
}

int main(void)
{
    hf_rig_io_size = IO_SIZE;
    test_recorded();
    return CHECK_DONE();
}
