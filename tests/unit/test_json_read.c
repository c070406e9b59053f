/* JSON reader: validation, walking, in-place strings, numbers. Expected values by hand. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hf/hf_json.h"
#include "hf_priv.h"

static uint8_t g_mem[8192];
static hf_arena_t g_arena;
static char g_text[1024];

/* Copy `s` into the mutable text buffer (with the spare byte) and parse it. */
static hf_status_t parse(hf_json_doc_t *doc, const char *s, size_t len)
{
    hf_arena_init(&g_arena, g_mem, sizeof g_mem);
    memcpy(g_text, s, len);
    g_text[len] = 'X'; /* the spare byte: must not be read as part of the document */
    return hf_json_parse(doc, g_text, len, &g_arena);
}

static hf_status_t parse_c(hf_json_doc_t *doc, const char *s)
{
    return parse(doc, s, strlen(s));
}

/* Case 09, variant A: every escape kind; expected bytes from the case file. */
static void test_case09_a(void)
{
    static const char body[] =
        "[{\"generated_text\":\"Say \\\"hi\\\"\\n\\tcaf\\u00e9 \\u20ac \\ud83d\\ude00 a\\/b c\\\\d\"}]";
    static const unsigned char want[32] = {
        0x53, 0x61, 0x79, 0x20, 0x22, 0x68, 0x69, 0x22, 0x0A, 0x09, 0x63, 0x61, 0x66, 0xC3, 0xA9, 0x20,
        0xE2, 0x82, 0xAC, 0x20, 0xF0, 0x9F, 0x98, 0x80, 0x20, 0x61, 0x2F, 0x62, 0x20, 0x63, 0x5C, 0x64,
    };
    hf_json_doc_t doc;
    const char *s = NULL, *s2 = NULL;
    size_t n = 0, n2 = 0;
    int obj, v;
    CHECK_INT(sizeof body - 1u, 76); /* Content-Length in the case */
    CHECK_STATUS(parse(&doc, body, sizeof body - 1u), HF_OK);
    CHECK_INT(doc.ntok, 4); /* array, object, key, value */
    obj = hf_json_at(&doc, 0, 0);
    CHECK_INT(obj, 1);
    v = hf_json_get(&doc, obj, "generated_text");
    CHECK_INT(v, 3);
    CHECK_STATUS(hf_json_str(&doc, v, &s, &n), HF_OK);
    CHECK_MEM(s, n, want, 32);
    CHECK_INT(s[n], 0);
    /* Idempotent: a second call returns the same decoded bytes. */
    CHECK_STATUS(hf_json_str(&doc, v, &s2, &n2), HF_OK);
    CHECK(s2 == s);
    CHECK_MEM(s2, n2, want, 32);
    /* Keys still compare after decoding their neighbour; decoded keys compare decoded. */
    CHECK_STATUS(hf_json_str(&doc, 2, &s, &n), HF_OK);
    CHECK(hf_json_eq(&doc, 2, "generated_text"));
    CHECK_INT(hf_json_get(&doc, obj, "generated_text"), 3);
}

/* Case 09, variant B: lone high surrogate -> JSON syntax error, text never CESU-8. */
static void test_case09_b(void)
{
    static const char body[] = "[{\"generated_text\":\"x\\ud83dy\"}]";
    hf_json_doc_t doc;
    const char *s = NULL;
    size_t n = 0;
    CHECK_INT(sizeof body - 1u, 31);
    CHECK_STATUS(parse(&doc, body, sizeof body - 1u), HF_OK);
    CHECK_STATUS(hf_json_str(&doc, 3, &s, &n), HF_ERR_JSON_SYNTAX);
    CHECK(memchr(g_text, 0xED, 31) == NULL);
    CHECK_MEM(g_text, 31, body, 31); /* nothing rewritten */
    CHECK_STATUS(hf_json_str(&doc, 3, &s, &n), HF_ERR_JSON_SYNTAX); /* and again */
}

/* Case 09, variant C: \q is not an escape -> the body is invalid JSON. */
static void test_case09_c(void)
{
    static const char body[] = "[{\"generated_text\":\"bad \\q\"}]";
    hf_json_doc_t doc;
    CHECK_INT(sizeof body - 1u, 29);
    CHECK_STATUS(parse(&doc, body, sizeof body - 1u), HF_ERR_JSON_SYNTAX);
    CHECK_INT(doc.ntok, 0);
}

static void check_str(const char *json, hf_status_t want_st, const char *want, size_t want_len)
{
    hf_json_doc_t doc;
    const char *s = NULL;
    size_t n = 0;
    CHECK_STATUS(parse_c(&doc, json), HF_OK);
    CHECK_STATUS(hf_json_str(&doc, 1, &s, &n), want_st);
    if (want_st == HF_OK) {
        CHECK_MEM(s, n, want, want_len);
    }
}

static void test_escapes(void)
{
    check_str("[\"\\b\\f\\n\\r\\t\\\"\\\\\\/\"]", HF_OK, "\b\f\n\r\t\"\\/", 8);
    check_str("[\"\\u0041\\u00DF\\u0800\\uFFFF\"]", HF_OK, "A\xC3\x9F\xE0\xA0\x80\xEF\xBF\xBF", 9);
    check_str("[\"\\uD83D\\uDE00\"]", HF_OK, "\xF0\x9F\x98\x80", 4);
    check_str("[\"\\udbff\\udfff\"]", HF_OK, "\xF4\x8F\xBF\xBF", 4); /* U+10FFFF */
    check_str("[\"\\ud800\\udc00\"]", HF_OK, "\xF0\x90\x80\x80", 4); /* U+10000 */
    check_str("[\"\"]", HF_OK, "", 0);
    check_str("[\"caf\xC3\xA9\"]", HF_OK, "caf\xC3\xA9", 5);          /* raw UTF-8 kept */
    check_str("[\"\\ude00\"]", HF_ERR_JSON_SYNTAX, NULL, 0);          /* lone low */
    check_str("[\"\\ud83d\"]", HF_ERR_JSON_SYNTAX, NULL, 0);          /* high at end */
    check_str("[\"\\ud83d\\u0041\"]", HF_ERR_JSON_SYNTAX, NULL, 0);   /* high + non-low */
    check_str("[\"\\ud83d\\ud83d\"]", HF_ERR_JSON_SYNTAX, NULL, 0);   /* high + high */
    check_str("[\"a\\u0000b\"]", HF_ERR_JSON_SHAPE, NULL, 0);         /* C strings cannot hold NUL */
    check_str("[1]", HF_ERR_JSON_SHAPE, NULL, 0);                     /* not a string */
}

static void test_unescape_api(void)
{
    char buf[16];
    CHECK_INT(hf_json_unescape("a\\nb", 4, buf), 3);
    CHECK_MEM(buf, 3, "a\nb", 3);
    CHECK_INT(hf_json_unescape("\\u00e9", 6, buf), 2);
    CHECK_MEM(buf, 2, "\xC3\xA9", 2);
    CHECK_INT(hf_json_unescape("\\x", 2, buf), -1);
    CHECK_INT(hf_json_unescape("\\", 1, buf), -1);
    CHECK_INT(hf_json_unescape("\\u12", 4, buf), -1);
    CHECK_INT(hf_json_unescape("\\u12G4", 6, buf), -1);
    CHECK_INT(hf_json_unescape("a\nb", 3, buf), -1); /* raw control byte */
}

static void test_syntax_errors(void)
{
    static const char *const bad[] = {
        "", "   ", "{", "}", "[", "]", "[1 2]", "{\"a\" \"b\"}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
        "[1,]", "[,1]", "[,]", "{,}", "{1:2}", "{\"a\"::1}", "{} {}", "{} x", "1 2", "[1]]", "[}",
        "{]", "tru", "nul", "falsey", "01", "1.", "-", "1e", "1e+", ".5", "+1", "--1", "0x10",
        "[\"a\nb\"]", "[\"a\tb\"]", "\"abc", "[01]", "[1.e5]", "[Infinity]", "[NaN]", "['a']",
        "{\"a\":1 \"b\":2}", "[true false]", "[1,,2]", "\"\\u12\"", "{\"a\":1}}",
    };
    hf_json_doc_t doc;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        hf_status_t st = parse_c(&doc, bad[k]);
        if (st != HF_ERR_JSON_SYNTAX) {
            fprintf(stderr, "input <%s>\n", bad[k]);
        }
        CHECK_STATUS(st, HF_ERR_JSON_SYNTAX);
    }
    /* A NUL byte inside the document (jsmn would stop there silently). */
    CHECK_STATUS(parse(&doc, "[1,\0 2]", 7), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(parse(&doc, "[\"a\0\"]", 6), HF_ERR_JSON_SYNTAX);
}

static void test_valid_roots(void)
{
    hf_json_doc_t doc;
    const char *s = NULL;
    size_t n = 0;
    double d = 0;
    CHECK_STATUS(parse_c(&doc, " 42 "), HF_OK);
    CHECK_INT(doc.ntok, 1);
    CHECK_STATUS(hf_json_f64(&doc, 0, &d), HF_OK);
    CHECK(d == 42.0);
    CHECK_STATUS(parse_c(&doc, "-0.5"), HF_OK);
    CHECK_STATUS(hf_json_f64(&doc, 0, &d), HF_OK);
    CHECK(d == -0.5);
    CHECK_STATUS(hf_json_raw(&doc, 0, &s, &n), HF_OK);
    CHECK_STR(s, "-0.5");
    CHECK_STATUS(parse_c(&doc, "null"), HF_OK);
    CHECK(hf_json_is_null(&doc, 0));
    CHECK_STATUS(parse_c(&doc, "\"hi\""), HF_OK);
    CHECK(hf_json_eq(&doc, 0, "hi"));
    CHECK_STATUS(parse_c(&doc, "\r\n\t[ ]\n"), HF_OK);
    CHECK_INT(doc.ntok, 1);
    CHECK_STATUS(parse_c(&doc, "{}"), HF_OK);
    CHECK_INT(hf_json_get(&doc, 0, "a"), -1);
}

/* Every proper prefix of a document is incomplete -> syntax error (none is itself valid). */
static void test_prefixes(void)
{
    static const char full[] = "{\"a\":[1,2.5,\"x\\n\",true,null],\"b\":{\"c\":false}}";
    hf_json_doc_t doc;
    for (size_t k = 0; k < sizeof full - 1u; k++) {
        CHECK_STATUS(parse(&doc, full, k), HF_ERR_JSON_SYNTAX);
    }
    CHECK_STATUS(parse(&doc, full, sizeof full - 1u), HF_OK);
    CHECK_INT(doc.ntok, 12);
}

static void test_depth(void)
{
    char buf[80];
    hf_json_doc_t doc;
    int d = HF_JSON_MAX_DEPTH;
    for (int k = 0; k < d; k++) {
        buf[k] = '[';
        buf[2 * d - 1 - k] = ']';
    }
    CHECK_STATUS(parse(&doc, buf, (size_t)(2 * d)), HF_OK);
    CHECK_INT(doc.ntok, d);
    for (int k = 0; k <= d; k++) {
        buf[k] = '[';
        buf[2 * d + 1 - k] = ']';
    }
    CHECK_STATUS(parse(&doc, buf, (size_t)(2 * d + 2)), HF_ERR_JSON_SHAPE);
    /* Objects count too; depth is checked before the document is complete. */
    CHECK_STATUS(parse_c(&doc, "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
                               "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"),
                 HF_ERR_JSON_SHAPE);
}

static void test_arena_too_small(void)
{
    hf_json_doc_t doc;
    uint8_t small[40];
    char text[8] = "[1,2]";
    hf_arena_t a;
    hf_arena_init(&a, small, sizeof small);
    /* 3 tokens of 4 ints each = 48 bytes (on every target jsmntok_t is 4 ints). */
    CHECK_STATUS(hf_json_parse(&doc, text, 5, &a), HF_ERR_NO_MEMORY);
    CHECK_INT(a.needed, 3 * sizeof(jsmntok_t));
    CHECK_INT(sizeof(jsmntok_t), 16);
    hf_arena_init(&a, g_mem, 48);
    CHECK_STATUS(hf_json_parse(&doc, text, 5, &a), HF_OK);
    CHECK_INT(a.used, 48);
}

/* Tokens are parsed in place at the arena top and exactly those used are taken: after 3 bytes
 * in use, "[1,2]" puts its 3 tokens (48 B) at offset 8 (pointer alignment on LP64, 4 on ILP32). */
static void test_tokens_in_place(void)
{
    static union {
        uint8_t b[256];
        void *align;
    } m, sp;
    const size_t al = sizeof(void *), at = (3u + al - 1u) / al * al;
    hf_json_doc_t doc;
    char text[8] = "[1,2]";
    hf_arena_t a, spare;
    hf_arena_init(&a, m.b, at + 48u);
    CHECK(hf_arena_alloc(&a, 3u, 1u) != NULL);
    CHECK_STATUS(hf_json_parse(&doc, text, 5, &a), HF_OK);
    CHECK((uint8_t *)doc.tok == m.b + at);
    CHECK_INT(a.used, at + 48u);
    CHECK_INT(hf_arena_peak(&a), at + 48u);
    CHECK_INT(doc.ntok, 3);
    CHECK_INT(doc.tok[2].start, 3);
    /* One byte less: no partial result, and needed is exact. */
    hf_arena_init(&a, m.b, at + 47u);
    CHECK(hf_arena_alloc(&a, 3u, 1u) != NULL);
    CHECK_STATUS(hf_json_parse(&doc, text, 5, &a), HF_ERR_NO_MEMORY);
    CHECK(doc.tok == NULL);
    CHECK_INT(a.needed, at + 48u);
    CHECK_INT(a.used, 3u);
    /* A spare buffer takes the tokens when they fit (the arena is untouched) ... */
    hf_arena_init(&a, m.b, sizeof m.b);
    hf_arena_init(&spare, sp.b, 48u);
    CHECK_STATUS(hf_priv_json_parse_spare(&doc, text, 5, &a, &spare), HF_OK);
    CHECK((uint8_t *)doc.tok == sp.b);
    CHECK_INT(a.used, 0u);
    CHECK_INT(hf_arena_peak(&a), 0u);
    CHECK_INT(spare.used, 48u);
    /* ... and the arena when they do not, the spare left as it was. */
    hf_arena_init(&spare, sp.b, 47u);
    CHECK_STATUS(hf_priv_json_parse_spare(&doc, text, 5, &a, &spare), HF_OK);
    CHECK((uint8_t *)doc.tok == m.b);
    CHECK_INT(a.used, 48u);
    CHECK_INT(spare.used, 0u);
    CHECK_INT(doc.tok[1].start, 1);
    CHECK_INT(doc.tok[1].end, 2);
    /* Neither: HF_ERR_NO_MEMORY with the arena's shortfall. */
    hf_arena_init(&a, m.b, 20u);
    CHECK_STATUS(hf_priv_json_parse_spare(&doc, text, 5, &a, &spare), HF_ERR_NO_MEMORY);
    CHECK_INT(a.needed, 48u);
}

/* Case 02, third event: unknown keys are skipped with their whole subtree. */
static void test_case02_walk(void)
{
    static const char ev[] =
        "{\"index\":3,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":-0.05,\"special\":true},"
        "\"generated_text\":\" Paris.\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,"
        "\"seed\":null}}";
    hf_json_doc_t doc;
    const char *s = NULL;
    size_t n = 0;
    int64_t iv = 0;
    bool b = false;
    int tok, det;
    CHECK_STATUS(parse_c(&doc, ev), HF_OK);
    CHECK_INT(doc.ntok, 23);
    CHECK_INT(hf_json_get(&doc, 0, "text"), -1); /* only inside "token": not a root key */
    CHECK_INT(hf_json_get(&doc, 0, "seed"), -1);
    CHECK_INT(hf_json_next(&doc, 0), 23);
    tok = hf_json_get(&doc, 0, "token");
    CHECK_INT(tok, 4);
    CHECK_INT(hf_json_next(&doc, tok), 13);
    CHECK_STATUS(hf_json_i64(&doc, hf_json_get(&doc, tok, "id"), &iv), HF_OK);
    CHECK_INT(iv, 2);
    CHECK_STATUS(hf_json_bool(&doc, hf_json_get(&doc, tok, "special"), &b), HF_OK);
    CHECK(b);
    CHECK_STATUS(hf_json_str(&doc, hf_json_get(&doc, 0, "generated_text"), &s, &n), HF_OK);
    CHECK_STR(s, " Paris.");
    det = hf_json_get(&doc, 0, "details");
    CHECK_STATUS(hf_json_str(&doc, hf_json_get(&doc, det, "finish_reason"), &s, &n), HF_OK);
    CHECK_STR(s, "eos_token");
    CHECK(hf_json_is_null(&doc, hf_json_get(&doc, det, "seed")));
    CHECK_INT(hf_json_get(&doc, det, "nope"), -1);
    CHECK_INT(hf_json_get(&doc, tok + 1, "x"), -1); /* not an object */
    CHECK_INT(hf_json_get(&doc, 99, "x"), -1);
}

static void test_at_next(void)
{
    hf_json_doc_t doc;
    double d = 0;
    CHECK_STATUS(parse_c(&doc, "[[1,[2]],{\"k\":[3]},4]"), HF_OK);
    CHECK_INT(hf_json_at(&doc, 0, 0), 1);
    CHECK_INT(hf_json_at(&doc, 0, 1), 5);
    CHECK_INT(hf_json_at(&doc, 0, 2), 9);
    CHECK_INT(hf_json_at(&doc, 0, 3), -1);
    CHECK_INT(hf_json_at(&doc, 0, -1), -1);
    CHECK_INT(hf_json_at(&doc, 5, 0), -1); /* object, not array */
    CHECK_STATUS(hf_json_f64(&doc, hf_json_at(&doc, 0, 2), &d), HF_OK);
    CHECK(d == 4.0);
    CHECK_INT(hf_json_next(&doc, 1), 5);
    CHECK_INT(hf_json_next(&doc, 9), 10);
    CHECK_INT(hf_json_next(&doc, 50), 10);
}

static void test_raw(void)
{
    hf_json_doc_t doc;
    const char *s = NULL;
    size_t n = 0;
    CHECK_STATUS(parse_c(&doc, "{\"a\":{\"x\":[1, 2]},\"b\":\"q\\\"\",\"c\":7}"), HF_OK);
    CHECK_STATUS(hf_json_raw(&doc, 2, &s, &n), HF_OK);
    CHECK_STR(s, "{\"x\":[1, 2]}");
    CHECK_INT(n, 12);
    CHECK_STATUS(hf_json_raw(&doc, hf_json_get(&doc, 0, "b"), &s, &n), HF_OK);
    CHECK_STR(s, "\"q\\\"\"");
    CHECK_STATUS(hf_json_raw(&doc, hf_json_get(&doc, 0, "c"), &s, &n), HF_OK);
    CHECK_STR(s, "7");
    /* The root now holds NULs written in place: its raw text would be wrong, so refused. */
    CHECK_STATUS(hf_json_raw(&doc, 0, &s, &n), HF_ERR_INVALID_ARG);
    CHECK_STATUS(parse_c(&doc, "[\"a\\n\"]"), HF_OK);
    CHECK_STATUS(hf_json_str(&doc, 1, &s, &n), HF_OK);
    CHECK_STATUS(hf_json_raw(&doc, 1, &s, &n), HF_ERR_INVALID_ARG);
}

static void test_number_parser(void)
{
    double d = 0;
    CHECK_STATUS(hf_json_parse_double("412.5271301269531", 17, &d), HF_OK);
    CHECK(d == 412.5271301269531);
    CHECK_STATUS(hf_json_parse_double("0.9998", 6, &d), HF_OK);
    CHECK(d == 0.9998);
    CHECK_STATUS(hf_json_parse_double("-1e-5", 5, &d), HF_OK);
    CHECK(d == -0.00001);
    CHECK_STATUS(hf_json_parse_double("1E+2", 4, &d), HF_OK);
    CHECK(d == 100.0);
    CHECK_STATUS(hf_json_parse_double("0", 1, &d), HF_OK);
    CHECK(d == 0.0);
    CHECK_STATUS(hf_json_parse_double("-0", 2, &d), HF_OK);
    CHECK(d == 0.0 && 1.0 / d < 0.0);
    CHECK_STATUS(hf_json_parse_double("0.000123", 8, &d), HF_OK);
    CHECK(d == 0.000123);
    CHECK_STATUS(hf_json_parse_double("123456789012345", 15, &d), HF_OK);
    CHECK(d == 123456789012345.0);
    CHECK_STATUS(hf_json_parse_double("9007199254740992", 16, &d), HF_OK); /* 2^53 */
    CHECK(d == 9007199254740992.0);
    CHECK_STATUS(hf_json_parse_double("1e22", 4, &d), HF_OK);
    CHECK(d == 1e22);
    CHECK_STATUS(hf_json_parse_double("123e25", 6, &d), HF_OK); /* 1.23e27 = 123000 * 1e22, exact path */
    CHECK(d == 1.23e27);
    /* 16..19 digits: exact through the 128-bit midpoint comparison. */
    CHECK_STATUS(hf_json_parse_double("0.30000000000000004", 19, &d), HF_OK);
    CHECK(d == 0.30000000000000004);
    CHECK_STATUS(hf_json_parse_double("3629048360264764400", 19, &d), HF_OK); /* case: a chat "seed" */
    CHECK(d == 3629048360264764400.0);
    CHECK_STATUS(hf_json_parse_double("2.5036052046849134e-07", 22, &d), HF_OK);
    CHECK(d == 2.5036052046849134e-07);
    /* Halfway cases round to the even mantissa: 2^53+1 -> 2^53, 2^53+3 -> 2^53+4. */
    CHECK_STATUS(hf_json_parse_double("9007199254740993", 16, &d), HF_OK);
    CHECK(d == 9007199254740992.0);
    CHECK_STATUS(hf_json_parse_double("9007199254740995", 16, &d), HF_OK);
    CHECK(d == 9007199254740996.0);
    CHECK_STATUS(hf_json_parse_double("1e-400", 6, &d), HF_OK); /* underflow reads as 0 */
    CHECK(d == 0.0);
    CHECK_STATUS(hf_json_parse_double("1e309", 5, &d), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_parse_double("-1e99999999999", 14, &d), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_parse_double("1.7976931348623157e308", 22, &d), HF_OK);
    CHECK_NEAR(d, 1.7976931348623157e308, 1e293); /* slow path: close, not exact */
    CHECK_STATUS(hf_json_parse_double("12345678901234567890123", 23, &d), HF_OK);
    CHECK_NEAR(d, 1.2345678901234568e22, 1e8);
    CHECK_STATUS(hf_json_parse_double("tru", 3, &d), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(hf_json_parse_double("01", 2, &d), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(hf_json_parse_double("1.", 2, &d), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(hf_json_parse_double("-", 1, &d), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(hf_json_parse_double("", 0, &d), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(hf_json_parse_double("1e", 2, &d), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(hf_json_parse_double(" 1", 2, &d), HF_ERR_JSON_SYNTAX);
    CHECK_STATUS(hf_json_parse_double("1 ", 2, &d), HF_ERR_JSON_SYNTAX);
}

static void test_typed_tokens(void)
{
    hf_json_doc_t doc;
    int64_t iv = 0;
    float f = 0;
    double d = 0;
    bool b = true;
    CHECK_STATUS(parse_c(&doc, "[9223372036854775807,-9223372036854775808,9223372036854775808,"
                               "1.0,1e2,\"5\",true,3.4028235e38,3.5e38,1e-50,-0,false]"),
                 HF_OK);
    CHECK_STATUS(hf_json_i64(&doc, 1, &iv), HF_OK);
    CHECK(iv == INT64_MAX);
    CHECK_STATUS(hf_json_i64(&doc, 2, &iv), HF_OK);
    CHECK(iv == INT64_MIN);
    CHECK_STATUS(hf_json_i64(&doc, 3, &iv), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_i64(&doc, 4, &iv), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_i64(&doc, 5, &iv), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_i64(&doc, 6, &iv), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_i64(&doc, 7, &iv), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_f64(&doc, 4, &d), HF_OK);
    CHECK(d == 1.0);
    CHECK_STATUS(hf_json_f64(&doc, 6, &d), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_f64(&doc, 7, &d), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_f32(&doc, 8, &f), HF_OK);
    CHECK(f == 3.4028235e38f);
    CHECK_STATUS(hf_json_f32(&doc, 9, &f), HF_ERR_JSON_SHAPE);
    CHECK_STATUS(hf_json_f32(&doc, 10, &f), HF_OK);
    CHECK(f == 0.0f);
    CHECK_STATUS(hf_json_i64(&doc, 11, &iv), HF_OK);
    CHECK(iv == 0);
    CHECK_STATUS(hf_json_bool(&doc, 7, &b), HF_OK);
    CHECK(b);
    CHECK_STATUS(hf_json_bool(&doc, 12, &b), HF_OK);
    CHECK(!b);
    CHECK_STATUS(hf_json_bool(&doc, 1, &b), HF_ERR_JSON_SHAPE);
    CHECK(!hf_json_is_null(&doc, 12));
    CHECK_STATUS(hf_json_i64(&doc, 100, &iv), HF_ERR_JSON_SHAPE);
}

int main(void)
{
    test_case09_a();
    test_case09_b();
    test_case09_c();
    test_escapes();
    test_unescape_api();
    test_syntax_errors();
    test_valid_roots();
    test_prefixes();
    test_depth();
    test_arena_too_small();
    test_tokens_in_place();
    test_case02_walk();
    test_at_next();
    test_raw();
    test_number_parser();
    test_typed_tokens();
    return CHECK_DONE();
}
