/* JSON strings: the grammar pass's plain-byte runs (byte and word steps) and the one-pass
 * in-place decoder of hf_json_str / hf_json_unescape. Every expected value is written by hand. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hf/hf_json.h"
#include "hf_priv.h"

static uint8_t g_mem[4096];
static hf_arena_t g_arena;
static char g_text[256];
static char g_orig[256];

static hf_status_t parse(hf_json_doc_t *doc, const char *s, size_t len)
{
    hf_arena_init(&g_arena, g_mem, sizeof g_mem);
    memcpy(g_text, s, len);
    memcpy(g_orig, s, len);
    g_text[len] = 'X'; /* the spare byte */
    return hf_json_parse(doc, g_text, len, &g_arena);
}

/* One thing inside a string, its status and (when valid) its decoded bytes. */
typedef struct piece {
    const char *json;
    hf_status_t st;
    const char *out;
} piece_t;

static const piece_t k_pieces[] = {
    {"\x01", HF_ERR_JSON_SYNTAX, NULL},
    {"\x1F", HF_ERR_JSON_SYNTAX, NULL},
    {"\t", HF_ERR_JSON_SYNTAX, NULL},
    {" ", HF_OK, " "},   /* 0x20: the lowest plain byte */
    {"!", HF_OK, "!"},   /* 0x21, 0x23: beside the quote */
    {"#", HF_OK, "#"},
    {"[", HF_OK, "["},   /* 0x5B, 0x5D: beside the backslash */
    {"]", HF_OK, "]"},
    {"\x7F", HF_OK, "\x7F"}, /* DEL is not a control byte in JSON */
    {"\"x", HF_ERR_JSON_SYNTAX, NULL}, /* the string ends early, then junk */
    {"\xC3\xA9", HF_OK, "\xC3\xA9"},
    {"\xE2\x82\xAC", HF_OK, "\xE2\x82\xAC"},
    {"\xF0\x9F\x98\x80", HF_OK, "\xF0\x9F\x98\x80"},
    {"\x80", HF_ERR_JSON_SYNTAX, NULL},
    {"\xFF", HF_ERR_JSON_SYNTAX, NULL},
    {"\xED\xA0\x80", HF_ERR_JSON_SYNTAX, NULL}, /* a raw surrogate */
    {"\xC3", HF_ERR_JSON_SYNTAX, NULL},         /* truncated by the next plain byte */
    {"\\n", HF_OK, "\n"},
    {"\\\"", HF_OK, "\""},
    {"\\\\", HF_OK, "\\"},
    {"\\u00e9", HF_OK, "\xC3\xA9"},
    {"\\ud83d\\ude00", HF_OK, "\xF0\x9F\x98\x80"},
    {"\\q", HF_ERR_JSON_SYNTAX, NULL},
    {"\\u12G4", HF_ERR_JSON_SYNTAX, NULL},
};

/* ["aaa..a<piece>bb..b"] with the piece at every offset of the first words and runs after it
 * of every length around a word: each word/byte boundary of the plain-byte scan is crossed. */
static void check_piece_at(const piece_t *pc, size_t pre, size_t post)
{
    char doc_text[128], want[128];
    size_t n = 0, w = 0, plen = strlen(pc->json), olen;
    hf_json_doc_t doc;
    const char *s = NULL;
    size_t slen = 0;
    doc_text[n++] = '[';
    doc_text[n++] = '"';
    memset(doc_text + n, 'a', pre);
    n += pre;
    memcpy(doc_text + n, pc->json, plen);
    n += plen;
    memset(doc_text + n, 'b', post);
    n += post;
    doc_text[n++] = '"';
    doc_text[n++] = ']';
    if (pc->st != HF_OK) {
        CHECK_STATUS(parse(&doc, doc_text, n), pc->st);
        return;
    }
    CHECK_STATUS(parse(&doc, doc_text, n), HF_OK);
    olen = strlen(pc->out);
    memset(want, 'a', pre);
    w = pre;
    memcpy(want + w, pc->out, olen);
    w += olen;
    memset(want + w, 'b', post);
    w += post;
    CHECK_STATUS(hf_json_str(&doc, 1, &s, &slen), HF_OK);
    CHECK_MEM(s, slen, want, w);
    CHECK_INT(s[slen], 0);
}

static void test_pieces_at_every_offset(void)
{
    static const size_t posts[] = {0u, 1u, 7u, 8u, 9u, 16u, 17u};
    for (size_t k = 0; k < sizeof k_pieces / sizeof k_pieces[0]; k++) {
        for (size_t pre = 0; pre <= 40u; pre++) {
            for (size_t j = 0; j < sizeof posts / sizeof posts[0]; j++) {
                check_piece_at(&k_pieces[k], pre, posts[j]);
            }
        }
    }
}

/* Runs of several lengths between escapes, escapes first, last and back to back. */
static void test_decode_runs(void)
{
    /* By hand: \n\t -> 0A 09; "0123456789" kept; \\ -> 5C; \u20ac -> E2 82 AC;
     * "abcdefghijklmnopq" kept; \/ -> 2F; \ud83d\ude00 -> F0 9F 98 80; "z" kept; \" -> 22. */
    static const char body[] = "[\"\\n\\t0123456789\\\\\\u20acabcdefghijklmnopq\\/\\ud83d\\ude00z\\\"\"]";
    static const char want[] = "\n\t0123456789\\\xE2\x82\xAC"
                               "abcdefghijklmnopq/\xF0\x9F\x98\x80z\"";
    hf_json_doc_t doc;
    const char *s = NULL, *s2 = NULL;
    size_t n = 0, n2 = 0;
    CHECK_STATUS(parse(&doc, body, sizeof body - 1u), HF_OK);
    CHECK_STATUS(hf_json_str(&doc, 1, &s, &n), HF_OK);
    CHECK_MEM(s, n, want, sizeof want - 1u);
    CHECK_INT(n, 2 + 10 + 1 + 3 + 17 + 1 + 4 + 1 + 1);
    CHECK_INT(s[n], 0);
    CHECK(s == g_text + 2);
    /* Idempotent: decoded once, returned as is. */
    CHECK_STATUS(hf_json_str(&doc, 1, &s2, &n2), HF_OK);
    CHECK(s2 == s);
    CHECK_MEM(s2, n2, want, sizeof want - 1u);
    /* A string without any escape is only terminated: same place, same bytes. */
    CHECK_STATUS(parse(&doc, "[\"plain text, longer than two words\"]", 37u), HF_OK);
    CHECK_STATUS(hf_json_str(&doc, 1, &s, &n), HF_OK);
    CHECK_MEM(s, n, "plain text, longer than two words", 33u);
    CHECK(s == g_text + 2);
    CHECK_INT(g_text[35], 0); /* the closing quote */
}

/* An error found after earlier escapes still rewrites nothing, and says the same again. */
static void check_untouched(const char *body, hf_status_t want)
{
    hf_json_doc_t doc;
    const char *s = NULL, *raw = NULL;
    size_t n = 0, rn = 0, len = strlen(body);
    CHECK_STATUS(parse(&doc, body, len), HF_OK);
    CHECK_STATUS(hf_json_str(&doc, 1, &s, &n), want);
    CHECK_MEM(g_text, len, g_orig, len);
    CHECK_STATUS(hf_json_str(&doc, 1, &s, &n), want);
    CHECK_MEM(g_text, len, g_orig, len);
    /* Nothing was decoded, so the JSON text of the whole document is still there. */
    CHECK_STATUS(hf_json_raw(&doc, 0, &raw, &rn), HF_OK);
    CHECK_MEM(raw, rn, g_orig, len);
}

static void test_errors_after_escapes(void)
{
    check_untouched("[\"a\\tb\\n0123456789\\u0000c\"]", HF_ERR_JSON_SHAPE);
    check_untouched("[\"\\u0000\"]", HF_ERR_JSON_SHAPE);
    check_untouched("[\"a\\tb\\n0123456789\\ud800c\"]", HF_ERR_JSON_SYNTAX);
    check_untouched("[\"a\\tb\\n0123456789\\udc00\"]", HF_ERR_JSON_SYNTAX);
    /* A bad escape outranks a NUL, wherever each is. */
    check_untouched("[\"\\u0000\\ud800\"]", HF_ERR_JSON_SYNTAX);
    check_untouched("[\"\\ud800\\u0000\"]", HF_ERR_JSON_SYNTAX);
}

static void test_unescape_api(void)
{
    static const char src[] = "0123456789\\n\\u00e9abcdefghij\\\\";
    char buf[64], same[64];
    /* By hand: 10 + 1 + 2 + 10 + 1 bytes. */
    memset(buf, '#', sizeof buf);
    CHECK_INT(hf_json_unescape(src, sizeof src - 1u, buf), 24);
    CHECK_MEM(buf, 24, "0123456789\n\xC3\xA9" "abcdefghij\\", 24);
    CHECK_INT(buf[24], '#'); /* nothing written past the result */
    memcpy(same, src, sizeof src);
    CHECK_INT(hf_json_unescape(same, sizeof src - 1u, same), 24);
    CHECK_MEM(same, 24, "0123456789\n\xC3\xA9" "abcdefghij\\", 24);
    /* A raw quote in the body is kept, as before. */
    CHECK_INT(hf_json_unescape("ab\"cdefghijkl\"", 14u, buf), 14);
    CHECK_MEM(buf, 14, "ab\"cdefghijkl\"", 14);
    /* \u0000 decodes: the caller has the length. */
    CHECK_INT(hf_json_unescape("a\\u0000b", 8u, buf), 3);
    CHECK_MEM(buf, 3, "a\0b", 3);
    /* Errors after a long valid prefix write nothing at all. */
    memset(buf, '#', sizeof buf);
    CHECK_INT(hf_json_unescape("0123456789\\nabcdefgh\x01", 21u, buf), -1);
    CHECK_INT(hf_json_unescape("0123456789\\nabcdefgh\xFF", 21u, buf), -1);
    CHECK_INT(hf_json_unescape("0123456789\\nabcdefgh\\ud800", 26u, buf), -1);
    CHECK_INT(hf_json_unescape("0123456789\\nabcdefgh\\", 21u, buf), -1);
    for (size_t k = 0; k < sizeof buf; k++) {
        CHECK_INT(buf[k], '#');
    }
    CHECK_INT(hf_json_unescape("", 0u, buf), 0);
    CHECK_INT(hf_json_unescape(NULL, 0u, buf), -1);
}

int main(void)
{
    test_pieces_at_every_offset();
    test_decode_runs();
    test_errors_after_escapes();
    test_unescape_api();
    return CHECK_DONE();
}
