/* Error bodies: cases 10 and 11 exactly, every shape of PROTOCOL.md 5.2, hostile bodies. */
#include <string.h>

#include "check.h"
#include "hf_priv.h"

static uint8_t arena_mem[16384];
static char body[4096];

/* Runs the parser on a copy of `text` (it decodes in place) with a fresh error record. */
static bool run(hf_error_t *err, const char *text, size_t len, bool is_json, int status)
{
    hf_arena_t a;
    bool r;
    hf_arena_init(&a, arena_mem, sizeof arena_mem);
    hf_error_clear(err);
    err->http_status = status;
    strcpy(err->request_id, "req-guard");
    memcpy(body, text, len);
    body[len] = '#';
    r = hf_priv_error_from_body(err, body, len, is_json, &a);
    CHECK_INT(hf_arena_mark(&a), 0); /* tokens given back */
    CHECK_STR(err->request_id, "req-guard");
    return r;
}

#define RUN(err, lit, json, st) run((err), (lit), sizeof(lit) - 1u, (json), (st))

static void test_case10(void)
{
    hf_error_t e;
    static const char a[] =
        "{\"error\":\"Model acme/tiny-sentiment is currently loading\",\"estimated_time\":20.0}";
    static const char b[] =
        "{\"error\":\"Model acme/big-llm is currently loading\",\"estimated_time\":412.5271301269531}";
    CHECK_INT(sizeof a - 1u, 80); /* Content-Length of variant A */
    CHECK_INT(sizeof b - 1u, 86); /* Content-Length of variant B */
    CHECK(RUN(&e, a, true, 503));
    CHECK_STR(e.message, "Model acme/tiny-sentiment is currently loading");
    CHECK_NEAR(e.estimated_time_s, 20.0, 0.0);
    CHECK_INT(e.message_truncated, 0);
    CHECK(RUN(&e, b, true, 503));
    CHECK_STR(e.message, "Model acme/big-llm is currently loading");
    CHECK_NEAR(e.estimated_time_s, 412.5271301269531, 0.0);
    CHECK_INT((int)e.estimated_time_s, 412);
}

static void test_case11(void)
{
    hf_error_t e;
    static const char a[] = "Bad Request: request body must be JSON with Content-Type: application/json";
    static const char b[] = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                            "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    CHECK_INT(sizeof a - 1u, 74);
    CHECK_INT(sizeof b - 1u, 122);
    CHECK(!RUN(&e, a, false, 400));
    CHECK_STR(e.message, "Bad Request: request body must be JSON with Content-Type: application/json");
    CHECK_INT(e.message_truncated, 0);
    CHECK(!RUN(&e, b, false, 502));
    CHECK_STR(e.message, "502 Bad Gateway");
    CHECK_NEAR(e.estimated_time_s, 0.0, 0.0);
}

static void test_shapes(void)
{
    hf_error_t e;
    /* 1 */
    CHECK(!RUN(&e, "{\"error\":\"msg\"}", true, 400));
    CHECK_STR(e.message, "msg");
    CHECK_STR(e.error_type, "");
    /* 2 */
    CHECK(!RUN(
        &e,
        "{\"error\":\"Input validation error: `inputs` must not be empty\",\"error_type\":\"validation\"}",
        true, 422));
    CHECK_STR(e.message, "Input validation error: `inputs` must not be empty");
    CHECK_STR(e.error_type, "validation");
    CHECK(!RUN(&e, "{\"error_type\":\"Tokenizer\",\"error\":\"bad\"}", true, 422));
    CHECK_STR(e.error_type, "Tokenizer");
    CHECK_STR(e.message, "bad");
    /* 3: an integer estimate, and 0 still counts as "loading" */
    CHECK(RUN(&e, "{\"error\":\"loading\",\"estimated_time\":12}", true, 503));
    CHECK_NEAR(e.estimated_time_s, 12.0, 0.0);
    CHECK(RUN(&e, "{\"estimated_time\":0,\"error\":\"x\"}", true, 503));
    CHECK_NEAR(e.estimated_time_s, 0.0, 0.0);
    /* 4 */
    CHECK(!RUN(&e, "{\"error\":[\"msg1\",\"msg2\"]}", true, 400));
    CHECK_STR(e.message, "msg1; msg2");
    CHECK(!RUN(&e, "{\"error\":[\"only\"]}", true, 400));
    CHECK_STR(e.message, "only");
    CHECK(!RUN(&e, "{\"error\":[1,\"a\",null,\"b\"]}", true, 400));
    CHECK_STR(e.message, "a; b");
    /* 5 */
    CHECK(!RUN(&e, "{\"error\":\"invalid_grant\",\"error_description\":\"The code expired\"}", true, 400));
    CHECK_STR(e.message, "invalid_grant: The code expired");
    CHECK(!RUN(&e, "{\"error_description\":\"alone\"}", true, 400));
    CHECK_STR(e.message, "alone");
    /* 6 */
    CHECK(!RUN(
        &e, "{\"error\":{\"message\":\"Model not found\",\"type\":\"invalid_request_error\",\"code\":404}}",
        true, 404));
    CHECK_STR(e.message, "Model not found");
    CHECK_STR(e.error_type, "invalid_request_error");
    CHECK(!RUN(&e, "{\"error\":{\"message\":\"m\",\"http_status_code\":422},\"error_type\":\"validation\"}",
               true, 422));
    CHECK_STR(e.message, "m");
    CHECK_STR(e.error_type, "validation");
    /* 7 */
    CHECK(!RUN(&e, "{\"detail\":\"Not authenticated\"}", true, 401));
    CHECK_STR(e.message, "Not authenticated");
    CHECK(!RUN(&e, "{\"message\":\"Forbidden\"}", true, 403));
    CHECK_STR(e.message, "Forbidden");
    CHECK(!RUN(&e, "{\"message\":\"second\",\"detail\":\"first\"}", true,
               403)); /* JS order: error, detail, message */
    CHECK_STR(e.message, "first");
    /* 8 */
    CHECK(!RUN(&e, "{\"errors\":[{\"message\":\"e0\"},{\"message\":\"e1\"}]}", true, 400));
    CHECK_STR(e.message, "e0");
    /* 9: empty body and whitespace-only body */
    CHECK(!run(&e, "", 0, true, 401));
    CHECK_STR(e.message, "HTTP 401");
    CHECK(!RUN(&e, " \r\n", false, 500));
    CHECK_STR(e.message, "HTTP 500");
    /* empty messages say nothing: the status does */
    CHECK(!RUN(&e, "{\"error\":\"\"}", true, 404));
    CHECK_STR(e.message, "HTTP 404");
    CHECK(!RUN(&e, "\"\"", true, 404));
    CHECK_STR(e.message, "HTTP 404");
    /* error beats the others */
    CHECK(!RUN(&e, "{\"message\":\"m\",\"error\":\"e\"}", true, 400));
    CHECK_STR(e.message, "e");
}

static void test_text_and_fallbacks(void)
{
    hf_error_t e;
    /* escapes decoded: \" and \u00e9 (UTF-8 C3 A9) */
    CHECK(!RUN(&e, "{\"error\":\"a\\\"b\\u00e9\"}", true, 400));
    CHECK_STR(e.message, "a\"b\xC3\xA9");
    /* declared JSON but broken: its text */
    CHECK(!RUN(&e, "{\"error\":", true, 500));
    CHECK_STR(e.message, "{\"error\":");
    /* valid JSON of no known shape: its text */
    CHECK(!RUN(&e, "{\"foo\":1}", true, 500));
    CHECK_STR(e.message, "{\"foo\":1}");
    CHECK(!RUN(&e, "[\"x\"]", true, 500));
    CHECK_STR(e.message, "[\"x\"]");
    /* a bare JSON string */
    CHECK(!RUN(&e, "\"Service Unavailable\"", true, 503));
    CHECK_STR(e.message, "Service Unavailable");
    /* JSON error bodies are not parsed when the type is not JSON */
    CHECK(!RUN(&e, "{\"error\":\"x\",\"estimated_time\":3}", false, 503));
    CHECK_STR(e.message, "{\"error\":\"x\",\"estimated_time\":3}");
    CHECK_NEAR(e.estimated_time_s, 0.0, 0.0);
    /* estimate of the wrong type is absent; negative becomes 0 */
    CHECK(!RUN(&e, "{\"error\":\"x\",\"estimated_time\":\"20\"}", true, 503));
    CHECK(RUN(&e, "{\"error\":\"x\",\"estimated_time\":-5.5}", true, 503));
    CHECK_NEAR(e.estimated_time_s, 0.0, 0.0);
    /* text: whitespace ends trimmed (the \x01 is not whitespace), control bytes become spaces */
    CHECK(!RUN(&e, "  line1\r\nline2\t\x01 \n", false, 500));
    CHECK_STR(e.message, "line1  line2  ");
    /* HTML without a title: the text; an upper-case TITLE; an empty title */
    CHECK(!RUN(&e, "<html><body>oops</body></html>", false, 502));
    CHECK_STR(e.message, "<html><body>oops</body></html>");
    CHECK(!RUN(&e, "<HTML><TITLE>504 Gateway Time-out</TITLE>", false, 504));
    CHECK_STR(e.message, "504 Gateway Time-out");
    CHECK(!RUN(&e, "<title></title>x", false, 502));
    CHECK_STR(e.message, "<title></title>x");
    CHECK(!RUN(&e, "<title>unterminated", false, 502));
    CHECK_STR(e.message, "<title>unterminated");
    CHECK(!RUN(&e, "<title", false, 502));
    CHECK_STR(e.message, "<title");
    /* no arena: JSON cannot be tokenised, the text is shown */
    {
        hf_error_t e2;
        char b2[32] = "{\"error\":\"x\"}";
        hf_error_clear(&e2);
        CHECK(!hf_priv_error_from_body(&e2, b2, strlen(b2), true, NULL));
        CHECK_STR(e2.message, "{\"error\":\"x\"}");
    }
    /* an arena too small for the tokens: same */
    {
        hf_error_t e2;
        hf_arena_t a;
        uint8_t small[24];
        char b2[32] = "{\"error\":\"x\"}";
        hf_arena_init(&a, small, sizeof small);
        hf_error_clear(&e2);
        CHECK(!hf_priv_error_from_body(&e2, b2, strlen(b2), true, &a));
        CHECK_STR(e2.message, "{\"error\":\"x\"}");
        CHECK_INT(hf_arena_mark(&a), 0);
    }
}

static void test_truncation(void)
{
    hf_error_t e;
    char big[1100];
    size_t n;
    /* 300 ASCII bytes: HF_ERROR_MESSAGE_MAX - 1 kept */
    strcpy(big, "{\"error\":\"");
    n = strlen(big);
    memset(big + n, 'a', 300);
    strcpy(big + n + 300, "\"}");
    CHECK(!run(&e, big, strlen(big), true, 400));
    CHECK_INT(strlen(e.message), HF_ERROR_MESSAGE_MAX - 1);
    CHECK_INT(e.message_truncated, 1);
    /* 150 x U+00E9 (2 bytes each): 191 bytes would split a character, so 190 are kept */
    n = strlen("{\"error\":\"");
    for (size_t i = 0; i < 150; i++) {
        big[n + 2 * i] = (char)0xC3;
        big[n + 2 * i + 1] = (char)0xA9;
    }
    strcpy(big + n + 300, "\"}");
    CHECK(!run(&e, big, strlen(big), true, 400));
    CHECK_INT(strlen(e.message), (HF_ERROR_MESSAGE_MAX - 2) / 2 * 2);
    CHECK_INT((unsigned char)e.message[189], 0xA9);
    CHECK_INT(e.message_truncated, 1);
    /* the same cut in a text body */
    for (size_t i = 0; i < 150; i++) {
        big[2 * i] = (char)0xC3;
        big[2 * i + 1] = (char)0xA9;
    }
    CHECK(!run(&e, big, 300, false, 500));
    CHECK_INT(strlen(e.message), 190);
    CHECK_INT((unsigned char)e.message[188], 0xC3);
    CHECK_INT((unsigned char)e.message[189], 0xA9);
    CHECK_INT(e.message_truncated, 1);
    /* joined array that overflows */
    strcpy(big, "{\"error\":[");
    for (int i = 0; i < 40; i++) {
        strcat(big, i ? ",\"abcdefghij\"" : "\"abcdefghij\"");
    }
    strcat(big, "]}");
    CHECK(!run(&e, big, strlen(big), true, 400));
    CHECK_INT(strlen(e.message), HF_ERROR_MESSAGE_MAX - 1);
    CHECK(memcmp(e.message, "abcdefghij; abcdefghij; ", 24) == 0);
    CHECK_INT(e.message_truncated, 1);
    /* text body of HF_ERROR_BODY_MAX bytes */
    memset(big, 'T', HF_ERROR_BODY_MAX);
    CHECK(!run(&e, big, HF_ERROR_BODY_MAX, false, 500));
    CHECK_INT(strlen(e.message), HF_ERROR_MESSAGE_MAX - 1);
    CHECK_INT(e.message_truncated, 1);
    /* an exact fit is not truncated */
    memset(big, 'F', HF_ERROR_MESSAGE_MAX - 1);
    CHECK(!run(&e, big, HF_ERROR_MESSAGE_MAX - 1, false, 500));
    CHECK_INT(strlen(e.message), HF_ERROR_MESSAGE_MAX - 1);
    CHECK_INT(e.message_truncated, 0);
    /* error_type longer than its buffer */
    CHECK(!RUN(&e, "{\"error\":\"x\",\"error_type\":\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEF\"}", true,
               422));
    CHECK_STR(e.error_type, "abcdefghijklmnopqrstuvwxyz01234");
}

static void test_hostile(void)
{
    hf_error_t e;
    char big[1100];
    /* nesting far beyond HF_JSON_MAX_DEPTH */
    memset(big, '[', 1000);
    CHECK(!run(&e, big, 1000, true, 500));
    CHECK_INT(strlen(e.message), HF_ERROR_MESSAGE_MAX - 1);
    /* "error" of an unexpected type, the estimate huge */
    CHECK(RUN(&e, "{\"error\":123,\"estimated_time\":1e300}", true, 503));
    CHECK_NEAR(e.estimated_time_s, 1e9, 0.0);
    CHECK_STR(e.message, "{\"error\":123,\"estimated_time\":1e300}");
    /* "errors" not an array, element not an object */
    CHECK(!RUN(&e, "{\"errors\":{\"message\":\"x\"}}", true, 400));
    CHECK_STR(e.message, "{\"errors\":{\"message\":\"x\"}}");
    CHECK(!RUN(&e, "{\"errors\":[\"x\"]}", true, 400));
    CHECK_STR(e.message, "{\"errors\":[\"x\"]}");
    /* invalid escape in the message: not valid JSON text, shown raw */
    CHECK(!RUN(&e, "{\"error\":\"\\ud800\"}", true, 400));
    CHECK(e.message[0] != '\0');
    /* not UTF-8 at all (only continuation bytes): the cut still keeps a message */
    memset(big, 0xAA, 400);
    CHECK(!run(&e, big, 400, false, 500));
    CHECK_INT(strlen(e.message), HF_ERROR_MESSAGE_MAX - 1 - 3);
    CHECK_INT(e.message_truncated, 1);
    /* embedded NUL in a text body stops nothing outside the buffer */
    CHECK(!run(&e, "ab\0cd", 5, false, 500));
    CHECK_STR(e.message, "ab cd");
}

/* Text that is not UTF-8: each byte outside a well-formed sequence becomes '?', valid
 * multi-byte text stays (by hand: FF, C0 AF (overlong), ED A0 80 (surrogate) are 1+2+3 bytes). */
static void test_invalid_utf8_text(void)
{
    hf_error_t e;
    CHECK(!RUN(&e, "bad \xFF \xC0\xAF \xED\xA0\x80 caf\xC3\xA9", false, 500));
    CHECK_STR(e.message, "bad ? ?? ??? caf\xC3\xA9");
    /* declared JSON but not valid UTF-8: the JSON check refuses it, the text fallback cleans it */
    CHECK(!RUN(&e, "{\"error\":\"\xFE\"}", true, 500));
    CHECK_STR(e.message, "{\"error\":\"?\"}");
}

int main(void)
{
    test_case10();
    test_case11();
    test_shapes();
    test_text_and_fallbacks();
    test_truncation();
    test_hostile();
    test_invalid_utf8_text();
    return CHECK_DONE();
}
