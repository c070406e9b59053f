/* SSE framer (core/src/sse.c). Every input is fed whole, one byte at a time
 * and split in two at every byte boundary; each way must give exactly the
 * expected event list and status. Expected events come from the case files
 * (their SSE bodies, chunked framing removed by hand: the framer sees
 * de-chunked bytes) and from PROTOCOL.md 4.1/4.4 for the edge cases. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hf_priv.h"

#define MAX_EVENTS 16
#define LOG_CAP 8192
#define GUARD 32
#define GUARD_BYTE 0xA5

typedef struct {
    const char *p;
    size_t n;
} ev_t;

/* clang-format off */
#define EV(lit) { lit, sizeof(lit) - 1u }
/* clang-format on */

typedef struct {
    char log[LOG_CAP];
    size_t used;
    size_t off[MAX_EVENTS];
    size_t len[MAX_EVENTS];
    size_t n;
    size_t abort_at; /* 1-based event whose callback returns HF_ERR_ABORTED; 0: never */
    int bad;         /* an event was not NUL-terminated, or too many events */
} rec_t;

static hf_status_t record(void *user, char *data, size_t len)
{
    rec_t *r = (rec_t *)user;

    if (data[len] != '\0' || r->n >= MAX_EVENTS || len > LOG_CAP - r->used) {
        r->bad = 1;
        return HF_OK;
    }
    memcpy(r->log + r->used, data, len);
    r->off[r->n] = r->used;
    r->len[r->n] = len;
    r->used += len;
    r->n++;
    /* The buffer is the caller's to write (in-place JSON decoding): scribble on it. */
    memset(data, 'Z', len + 1u);
    return (r->abort_at != 0u && r->n == r->abort_at) ? HF_ERR_ABORTED : HF_OK;
}

static int same_events(const rec_t *r, const ev_t *exp, size_t n_exp)
{
    size_t i;

    if (r->bad || r->n != n_exp) {
        return 0;
    }
    for (i = 0; i < n_exp; i++) {
        if (r->len[i] != exp[i].n || memcmp(r->log + r->off[i], exp[i].p, exp[i].n) != 0) {
            return 0;
        }
    }
    return 1;
}

static int guard_intact(const uint8_t *g)
{
    size_t i;

    for (i = 0; i < GUARD; i++) {
        if (g[i] != GUARD_BYTE) {
            return 0;
        }
    }
    return 1;
}

/* Feed `in` as pieces ending at the offsets cuts[0..ncuts) (then the rest), then
 * finish. Returns 1 when the events and the status are the expected ones. */
static int run_cuts(const uint8_t *in, size_t len, size_t cap, size_t abort_at, const size_t *cuts,
                    size_t ncuts, const ev_t *exp, size_t n_exp, hf_status_t exp_st)
{
    static rec_t r;
    hf_sse_t s;
    uint8_t *mem = (uint8_t *)malloc(cap + GUARD);
    hf_status_t st = HF_OK, fin;
    size_t at = 0, k;
    int ok;

    memset(&r, 0, sizeof r);
    r.abort_at = abort_at;
    memset(mem, GUARD_BYTE, cap + GUARD);
    hf_priv_sse_init(&s, (char *)mem, cap, record, &r);
    for (k = 0; k <= ncuts && st == HF_OK; k++) {
        size_t end = k < ncuts ? cuts[k] : len;
        st = hf_priv_sse_feed(&s, in + at, end - at);
        at = end;
    }
    fin = hf_priv_sse_finish(&s);
    /* Once failed, the framer stays failed: finish and later feeds repeat the status. */
    ok = (st == HF_OK ? fin : st) == exp_st && fin == exp_st;
    if (exp_st != HF_OK) {
        ok = ok && hf_priv_sse_feed(&s, (const uint8_t *)"data: x\n\n", 9) == exp_st;
    }
    ok = ok && same_events(&r, exp, n_exp) && guard_intact(mem + cap);
    free(mem);
    return ok;
}

/* Whole, one byte at a time, and split in two at every boundary. */
static void check_splits(const char *what, const void *in_, size_t len, size_t cap, size_t abort_at,
                         const ev_t *exp, size_t n_exp, hf_status_t exp_st)
{
    const uint8_t *in = (const uint8_t *)in_;
    size_t *bytes = (size_t *)malloc((len + 1u) * sizeof(size_t));
    size_t k, bad = 0;

    if (!run_cuts(in, len, cap, abort_at, NULL, 0, exp, n_exp, exp_st)) {
        fprintf(stderr, "%s: fed whole: wrong events or status\n", what);
        bad++;
    }
    for (k = 0; k < len; k++) {
        bytes[k] = k + 1u;
    }
    if (!run_cuts(in, len, cap, abort_at, bytes, len, exp, n_exp, exp_st)) {
        fprintf(stderr, "%s: fed 1 byte at a time: wrong events or status\n", what);
        bad++;
    }
    for (k = 0; k <= len; k++) {
        if (!run_cuts(in, len, cap, abort_at, &k, 1, exp, n_exp, exp_st)) {
            fprintf(stderr, "%s: split at %zu: wrong events or status\n", what, k);
            bad++;
        }
    }
    free(bytes);
    CHECK_INT(bad, 0);
}

#define CHECK_SPLITS(in, cap, exp, st)                                                                       \
    check_splits(#in, in, sizeof(in) - 1u, cap, 0, exp, sizeof(exp) / sizeof(exp[0]), st)
#define CHECK_NO_EVENT(in, cap, st) check_splits(#in, in, sizeof(in) - 1u, cap, 0, NULL, 0, st)

/* ---------------------------------------------------------------- case 02 */
/* TGI on axum 0.6: "data:{" with no space. Chunks 0x7a + 0x77 + 0xb4 = 421 bytes. */
#define C02_E1                                                                                               \
    "{\"index\":1,\"token\":{\"id\":3681,\"text\":\" Paris\",\"logprob\":-0.2,\"special\":false},"           \
    "\"generated_text\":null,\"details\":null}"
#define C02_E2                                                                                               \
    "{\"index\":2,\"token\":{\"id\":29889,\"text\":\".\",\"logprob\":-0.61,\"special\":false},"              \
    "\"generated_text\":null,\"details\":null}"
#define C02_E3                                                                                               \
    "{\"index\":3,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":-0.05,\"special\":true},"                \
    "\"generated_text\":\" Paris.\",\"details\":{\"finish_reason\":\"eos_token\","                           \
    "\"generated_tokens\":3,\"seed\":null}}"
static const char case02[] = "data:" C02_E1 "\n\n"
                             "data:" C02_E2 "\n\n"
                             "data:" C02_E3 "\n\n";

static void test_case02(void)
{
    static const ev_t exp[] = {EV(C02_E1), EV(C02_E2), EV(C02_E3)};

    CHECK_INT(sizeof(case02) - 1u, 0x7a + 0x77 + 0xb4);
    CHECK_SPLITS(case02, HF_SSE_MAX_EVENT, exp, HF_OK);
}

/* ---------------------------------------------------------------- case 03 */
/* Chunks 0x19f + 0xc1 + 0xbc = 796 bytes; two events share a chunk twice. */
#define C03_HEAD                                                                                             \
    "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1747000000,\"model\":\"m\","
#define C03_E1                                                                                               \
    C03_HEAD "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null},"                \
             "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"
#define C03_E2                                                                                               \
    C03_HEAD "\"choices\":[{\"index\":0,\"delta\":{\"role\":null,\"content\":\"Hi\"},"                       \
             "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"
#define C03_E3                                                                                               \
    C03_HEAD "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"logprobs\":null,"                    \
             "\"finish_reason\":\"stop\"}],\"usage\":null}"
#define C03_E4                                                                                               \
    C03_HEAD "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}"
static const char case03[] = "data: " C03_E1 "\n\n"
                             "data: " C03_E2 "\n\n"
                             "data: " C03_E3 "\n\n"
                             "data: " C03_E4 "\n\n"
                             "data: [DONE]\n"
                             "\n";

static void test_case03(void)
{
    static const ev_t exp[] = {EV(C03_E1), EV(C03_E2), EV(C03_E3), EV(C03_E4), EV("[DONE]")};

    CHECK_INT(sizeof(case03) - 1u, 0x19f + 0xc1 + 0xbc);
    CHECK_SPLITS(case03, HF_SSE_MAX_EVENT, exp, HF_OK);
}

/* ---------------------------------------------------------------- case 04 */
/* Chunks 0xce + 0x10a + 0x7c + 0x57 = 683 bytes; backslashes are real bytes. */
#define C04_E1                                                                                               \
    "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"          \
    "[{\"index\":0,\"id\":\"call_01\",\"type\":\"function\",\"function\":{\"name\":\"web_search\","          \
    "\"arguments\":\"\"}}]},\"finish_reason\":null}]}"
#define C04_E2                                                                                               \
    "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"                       \
    "{\"arguments\":\"{\\\"qu\"}}]},\"finish_reason\":null}]}"
#define C04_E3                                                                                               \
    "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"                       \
    "{\"arguments\":\"ery\\\": \\\"weather in Par\"}}]},\"finish_reason\":null}]}"
#define C04_E4                                                                                               \
    "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"                       \
    "{\"arguments\":\"is\\\"}\"}}]},\"finish_reason\":null}]}"
#define C04_E5 "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"
static const char case04[] = "data: " C04_E1 "\n\n"
                             "data: " C04_E2 "\n\n"
                             "data: " C04_E3 "\n\n"
                             "data: " C04_E4 "\n\n"
                             "data: " C04_E5 "\n\n"
                             "data: [DONE]\n"
                             "\n";

static void test_case04(void)
{
    static const ev_t exp[] = {EV(C04_E1), EV(C04_E2), EV(C04_E3), EV(C04_E4), EV(C04_E5), EV("[DONE]")};

    CHECK_INT(sizeof(case04) - 1u, 0xce + 0x10a + 0x7c + 0x57);
    CHECK_SPLITS(case04, HF_SSE_MAX_EVENT, exp, HF_OK);
}

/* ---------------------------------------------------------------- case 05 */
/* Chunks 0x29 + 0xc3 = 236 bytes: comments, a bare ':', a retry-only block,
 * id/event lines. Exactly two JSON payloads, then [DONE]. */
#define C05_E1 "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}"
#define C05_E2 "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"
static const char case05[] = ": OPENROUTER PROCESSING\n"
                             "\n"
                             "retry: 3000\n"
                             "\n"
                             ":\n"
                             "\n"
                             "data: " C05_E1 "\n\n"
                             ": keep-alive\n"
                             "\n"
                             "id: 7\n"
                             "event: message\n"
                             "data: " C05_E2 "\n\n"
                             "data: [DONE]\n"
                             "\n";

static void test_case05(void)
{
    static const ev_t exp[] = {EV(C05_E1), EV(C05_E2), EV("[DONE]")};

    CHECK_INT(sizeof(case05) - 1u, 0x29 + 0xc3);
    CHECK_SPLITS(case05, HF_SSE_MAX_EVENT, exp, HF_OK);
}

/* ---------------------------------------------------------------- case 07 */
/* Variant A: chunks 0xb4 + 0x47 = 251 bytes. */
#define C07_E1 "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}"
#define C07_E2 "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\",\"}}]}"
#define C07_E3 "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"}}]}"
#define C07_E4 "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"}}]}"
static const char case07a[] = "data: " C07_E1 "\n\n"
                              "data: " C07_E2 "\n\n"
                              "data: " C07_E3 "\n\n"
                              "data: " C07_E4 "\n\n"
                              "data: [DONE]\n"
                              "\n";

static void test_case07a(void)
{
    static const ev_t exp[] = {EV(C07_E1), EV(C07_E2), EV(C07_E3), EV(C07_E4), EV("[DONE]")};

    CHECK_INT(sizeof(case07a) - 1u, 0xb4 + 0x47);
    CHECK_SPLITS(case07a, HF_SSE_MAX_EVENT, exp, HF_OK);
}

/* Variant B: "data: " + a 1072-byte JSON value (1024 'a's of content) + "\n\n" is
 * chunk 0x438 = 1080 bytes; then "data: [DONE]\n\n" (0xe): 1094 bytes in all. */
#define C07B_PRE "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
#define C07B_POST "\"}}]}"

static void test_case07b(void)
{
    static char body[1094];
    static char value[1072];
    ev_t exp[2];
    size_t n = 0;

    CHECK_INT(sizeof(C07B_PRE) - 1u + 1024u + sizeof(C07B_POST) - 1u, 1072);
    memcpy(value, C07B_PRE, sizeof(C07B_PRE) - 1u);
    memset(value + sizeof(C07B_PRE) - 1u, 'a', 1024u);
    memcpy(value + sizeof(C07B_PRE) - 1u + 1024u, C07B_POST, sizeof(C07B_POST) - 1u);
    memcpy(body, "data: ", 6u);
    n = 6u;
    memcpy(body + n, value, sizeof value);
    n += sizeof value;
    memcpy(body + n, "\n\ndata: [DONE]\n\n", 16u);
    n += 16u;
    CHECK_INT(n, 0x438 + 0xe);
    exp[0].p = value;
    exp[0].n = sizeof value;
    exp[1].p = "[DONE]";
    exp[1].n = 6u;
    /* 1072 bytes + NUL need 1073: that and anything larger fits. */
    check_splits("07B cap 1080", body, n, 1080u, 0, exp, 2, HF_OK);
    check_splits("07B cap 1073", body, n, 1073u, 0, exp, 2, HF_OK);
    /* Smaller: a distinct error, no event at all (not even the [DONE] that follows). */
    check_splits("07B cap 1072", body, n, 1072u, 0, NULL, 0, HF_ERR_SSE_EVENT_TOO_LARGE);
    check_splits("07B cap 1024", body, n, 1024u, 0, NULL, 0, HF_ERR_SSE_EVENT_TOO_LARGE);
}

/* ---------------------------------------------------------------- line ends */
static void test_line_ends(void)
{
    /* CR-only, then CRLF, then LF with a CRLF blank line. */
    static const char mixed[] = "data: a\rdata: b\r\rdata: c\r\n\r\ndata: d\n\r\n";
    static const ev_t mixed_exp[] = {EV("a\nb"), EV("c"), EV("d")};
    /* LF then CR is two line ends (the CR ends an empty line), unlike CR then LF. */
    static const char lfcr[] = "data: e\n\rdata: f\n\n";
    static const ev_t lfcr_exp[] = {EV("e"), EV("f")};
    static const char crlf_only[] = "id: 1\r\ndata: x\r\n\r\n: c\r\n\r\ndata: y\r\n\r\n";
    static const ev_t crlf_exp[] = {EV("x"), EV("y")};
    /* Two CRLFs, one in the middle of a push pair, make one event of two lines. */
    static const char crlf_join[] = "data: a\r\ndata: b\r\n\r\n";
    static const ev_t join_exp[] = {EV("a\nb")};

    CHECK_SPLITS(mixed, 64, mixed_exp, HF_OK);
    CHECK_SPLITS(lfcr, 64, lfcr_exp, HF_OK);
    CHECK_SPLITS(crlf_only, 64, crlf_exp, HF_OK);
    CHECK_SPLITS(crlf_join, 64, join_exp, HF_OK);
}

/* CR at the end of one push, LF at the start of the next: one line end. */
static void test_cr_then_lf_across_pushes(void)
{
    static const char *const pushes[] = {"data: a\r", "\ndata: b\r", "\n\r", "\n"};
    static rec_t r;
    char buf[32];
    hf_sse_t s;
    size_t k;

    memset(&r, 0, sizeof r);
    hf_priv_sse_init(&s, buf, sizeof buf, record, &r);
    for (k = 0; k < 4; k++) {
        CHECK_STATUS(hf_priv_sse_feed(&s, (const uint8_t *)pushes[k], strlen(pushes[k])), HF_OK);
        /* Only the blank "\r" in push 3 ends the event; the LFs never add a line. */
        CHECK_INT(r.n, k < 2 ? 0 : 1);
    }
    CHECK_STATUS(hf_priv_sse_finish(&s), HF_OK);
    CHECK_INT(r.n, 1);
    CHECK_MEM(r.log, r.len[0], "a\nb", 3);
}

/* ---------------------------------------------------------------- fields */
static void test_space_after_colon(void)
{
    static const char in[] = "data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\n";
    /* Exactly one space is dropped; the second one and a tab are kept. */
    static const ev_t exp[] = {EV("x"), EV("x"), EV(" x"), EV("\tx")};

    CHECK_SPLITS(in, 64, exp, HF_OK);
}

static void test_multiline_and_empty_data(void)
{
    static const char joined[] = "data: {\"a\":\ndata: 1}\n\n";
    static const ev_t joined_exp[] = {EV("{\"a\":\n1}")};
    /* Empty data lines count as lines: "", "y" -> "\ny"; "", "" -> "\n". */
    static const char empties[] = "data\ndata:y\n\ndata:\ndata: \n\n";
    static const ev_t empties_exp[] = {EV("\ny"), EV("\n")};
    /* A single empty data line joins to "": nothing is dispatched (case 05's rule). */
    static const char nothing[] = "data:\n\ndata: \n\ndata\n\n\n\n";

    CHECK_SPLITS(joined, 64, joined_exp, HF_OK);
    CHECK_SPLITS(empties, 64, empties_exp, HF_OK);
    CHECK_NO_EVENT(nothing, 64, HF_OK);
}

static void test_ignored_fields(void)
{
    /* Field names are case-sensitive and exact; a line without ':' is a name with an empty value. */
    static const char in[] = "event: x\nid: 1\nretry: 5\nfoo: bar\nfoo\nData: no\nDATA: no\ndat: no\n"
                             "datax: no\ndat\ndataa\n data: no\n\ndata: yes\n\n";
    static const ev_t exp[] = {EV("yes")};

    CHECK_SPLITS(in, 64, exp, HF_OK);
}

static void test_nul_bytes_kept(void)
{
    static const char in[] = "data: a\0b\n\n";
    static const ev_t exp[] = {{"a\0b", 3}};

    CHECK_SPLITS(in, 64, exp, HF_OK);
}

/* ---------------------------------------------------------------- sizes */
static void test_event_size_limits(void)
{
    /* cap 16: 15 bytes + NUL fit, 16 do not; the joining "\n" counts. */
    static const char fits[] = "data: 123456789012345\n\n";
    static const ev_t fits_exp[] = {EV("123456789012345")};
    static const char too_big[] = "data: 1234567890123456\n\ndata: ok\n\n";
    static const char fits_joined[] = "data: 1234567\ndata: 1234567\n\n";
    static const ev_t joined_exp[] = {EV("1234567\n1234567")};
    static const char big_joined[] = "data: 12345678\ndata: 1234567\n\ndata: ok\n\n";
    /* Events before the oversized one are delivered; nothing after it is. */
    static const char after[] = "data: ok\n\ndata: 12345678901234567890\n\ndata: late\n\n";
    static const ev_t after_exp[] = {EV("ok")};

    CHECK_SPLITS(fits, 16, fits_exp, HF_OK);
    CHECK_NO_EVENT(too_big, 16, HF_ERR_SSE_EVENT_TOO_LARGE);
    CHECK_SPLITS(fits_joined, 16, joined_exp, HF_OK);
    CHECK_NO_EVENT(big_joined, 16, HF_ERR_SSE_EVENT_TOO_LARGE);
    CHECK_SPLITS(after, 16, after_exp, HF_ERR_SSE_EVENT_TOO_LARGE);
}

static void test_empty_buffer(void)
{
    static const char data_in[] = "data: x\n\n";
    static const char empty_in[] = "data:\n\n: c\n\n";
    hf_sse_t s;

    CHECK_NO_EVENT(data_in, 0, HF_ERR_SSE_EVENT_TOO_LARGE);
    CHECK_NO_EVENT(empty_in, 0, HF_OK);
    /* A NULL buffer acts as cap 0, whatever cap says. */
    hf_priv_sse_init(&s, NULL, 64, record, NULL);
    CHECK_STATUS(hf_priv_sse_feed(&s, (const uint8_t *)"data: x\n", 8), HF_ERR_SSE_EVENT_TOO_LARGE);
}

/* Comments, ignored values and names far longer than the buffer cost nothing. */
static void test_long_ignored_lines(void)
{
    static char in[3400];
    static const ev_t exp[] = {EV("ok"), EV("ok2")};
    size_t n = 0;

    memcpy(in + n, ": ", 2);
    n += 2;
    memset(in + n, 'c', 1000);
    n += 1000;
    memcpy(in + n, "\nevent: ", 8);
    n += 8;
    memset(in + n, 'e', 500);
    n += 500;
    /* A 1000-byte field name that starts with "data", with a colon... */
    memcpy(in + n, "\ndata", 5);
    n += 5;
    memset(in + n, 'x', 996);
    n += 996;
    memcpy(in + n, ": v\ndata: ok\n\n", 14);
    n += 14;
    /* ...and a 600-byte one without. */
    memset(in + n, 'n', 600);
    n += 600;
    memcpy(in + n, "\ndata: ok2\n\n", 12);
    n += 12;
    CHECK_INT(n, 3137);
    check_splits("long ignored lines", in, n, 16, 0, exp, 2, HF_OK);
}

/* ---------------------------------------------------------------- finish, abort, args */
static void test_finish(void)
{
    static const char no_blank[] = "data: a\n";
    static const char no_eol[] = "data: a";
    static const char cr_end[] = "data: a\r";
    static const char two_lines[] = "data: a\ndata: b";
    static const char bare_name[] = "data: a\ndata";
    static const ev_t a_exp[] = {EV("a")};
    static const ev_t ab_exp[] = {EV("a\nb")};
    static const ev_t a_nl_exp[] = {EV("a\n")};
    static const char comment[] = "data: a\n\n: trailing comment";
    static const char empty[] = "data:";

    CHECK_SPLITS(no_blank, 16, a_exp, HF_OK);
    CHECK_SPLITS(no_eol, 16, a_exp, HF_OK);
    CHECK_SPLITS(cr_end, 16, a_exp, HF_OK);
    CHECK_SPLITS(two_lines, 16, ab_exp, HF_OK);
    CHECK_SPLITS(bare_name, 16, a_nl_exp, HF_OK);
    CHECK_SPLITS(comment, 16, a_exp, HF_OK);
    CHECK_NO_EVENT(empty, 16, HF_OK);
}

static void test_finish_resets(void)
{
    static rec_t r;
    char buf[16];
    hf_sse_t s;

    memset(&r, 0, sizeof r);
    hf_priv_sse_init(&s, buf, sizeof buf, record, &r);
    CHECK_STATUS(hf_priv_sse_feed(&s, (const uint8_t *)"data: a\r", 8), HF_OK);
    CHECK_STATUS(hf_priv_sse_finish(&s), HF_OK);
    CHECK_STATUS(hf_priv_sse_finish(&s), HF_OK);
    CHECK_INT(r.n, 1);
    CHECK_INT(s.events, 1);
    /* finish() leaves the framer ready for another stream. */
    CHECK_STATUS(hf_priv_sse_feed(&s, (const uint8_t *)"\ndata: b\n\n", 10), HF_OK);
    CHECK_INT(r.n, 2);
    CHECK_MEM(r.log + r.off[1], r.len[1], "b", 1);
}

static void test_callback_abort(void)
{
    static const char in[] = "data: 1\n\ndata: 2\n\ndata: 3\n\n";
    static const ev_t exp[] = {EV("1"), EV("2")};
    static const char last[] = "data: 1\n\ndata: 2";
    static const ev_t last_exp[] = {EV("1"), EV("2")};

    check_splits("abort at 2", in, sizeof in - 1u, 16, 2, exp, 2, HF_ERR_ABORTED);
    /* An abort from the event finish() dispatches is returned by finish(). */
    check_splits("abort in finish", last, sizeof last - 1u, 16, 2, last_exp, 2, HF_ERR_ABORTED);
}

static void test_args(void)
{
    char buf[16];
    hf_sse_t s;

    hf_priv_sse_init(&s, buf, sizeof buf, NULL, NULL);
    CHECK_STATUS(hf_priv_sse_feed(NULL, (const uint8_t *)"x", 1), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_priv_sse_feed(&s, NULL, 1), HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_priv_sse_feed(&s, NULL, 0), HF_OK);
    CHECK_STATUS(hf_priv_sse_finish(NULL), HF_ERR_INVALID_ARG);
    /* No callback: events are counted and dropped. */
    CHECK_STATUS(hf_priv_sse_feed(&s, (const uint8_t *)"data: x\n\ndata: y\n\n", 18), HF_OK);
    CHECK_INT(s.events, 2);
}

/* A 1 MiB stream of 64-byte events in 1460-byte pushes: all delivered, in constant memory. */
static void test_megabyte_stream(void)
{
    static uint8_t stream[1u << 20];
    static rec_t r;
    char buf[HF_SSE_MAX_EVENT];
    hf_sse_t s;
    size_t at, i, n_events = sizeof stream / 64u;
    hf_status_t st = HF_OK;

    for (i = 0; i < n_events; i++) {
        uint8_t *e = stream + i * 64u;
        memcpy(e, "data: ", 6);
        memset(e + 6, (int)('a' + (int)(i % 26u)), 56);
        memcpy(e + 62, "\n\n", 2);
    }
    memset(&r, 0, sizeof r);
    hf_priv_sse_init(&s, buf, sizeof buf, NULL, &r);
    for (at = 0; at < sizeof stream && st == HF_OK; at += 1460u) {
        size_t n = sizeof stream - at < 1460u ? sizeof stream - at : 1460u;
        st = hf_priv_sse_feed(&s, stream + at, n);
    }
    CHECK_STATUS(st, HF_OK);
    CHECK_STATUS(hf_priv_sse_finish(&s), HF_OK);
    CHECK_INT(s.events, 16384);
    CHECK_INT(s.len, 0);
}

int main(void)
{
    test_case02();
    test_case03();
    test_case04();
    test_case05();
    test_case07a();
    test_case07b();
    test_line_ends();
    test_cr_then_lf_across_pushes();
    test_space_after_colon();
    test_multiline_and_empty_data();
    test_ignored_fields();
    test_nul_bytes_kept();
    test_event_size_limits();
    test_empty_buffer();
    test_long_ignored_lines();
    test_finish();
    test_finish_resets();
    test_callback_abort();
    test_args();
    test_megabyte_stream();
    return CHECK_DONE();
}
