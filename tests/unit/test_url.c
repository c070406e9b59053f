/* URL rules of PROTOCOL.md 1.2 and the URL splitter. Expected URLs are written by hand from the
 * spec text and from the request URLs of the recordings named next to them. */
#include <string.h>

#include "check.h"
#include "hf_priv.h"

static char out[HF_MAX_URL];

#define R "https://router.huggingface.co"

static hf_status_t build(const char *base, const char *prov, const char *model, hf_route_t route)
{
    memset(out, 'X', sizeof out);
    return hf_priv_url_build(out, sizeof out, base, prov, model, route);
}

static void expect(const char *base, const char *prov, const char *model, hf_route_t route, const char *want)
{
    CHECK_STATUS(build(base, prov, model, route), HF_OK);
    CHECK_STR(out, want);
}

static void expect_err(const char *base, const char *prov, const char *model, hf_route_t route,
                       hf_status_t st)
{
    CHECK_STATUS(build(base, prov, model, route), st);
    CHECK_STR(out, "");
}

static void test_hub_ids(void)
{
    /* 1.2 B table */
    expect(R, "hf-inference", "distilbert/distilbert-base-uncased-finetuned-sst-2-english", HF_ROUTE_MODEL,
           R "/hf-inference/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    expect(R, "hf-inference", "sentence-transformers/all-MiniLM-L6-v2", HF_ROUTE_PIPELINE_FEATURE,
           R "/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction");
    expect(R, "hf-inference", "sentence-transformers/all-MiniLM-L6-v2", HF_ROUTE_PIPELINE_SIMILARITY,
           R "/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/sentence-similarity");
    /* recording chat_completion__py-hfinf-no-stream-0c94ca */
    expect(R, "hf-inference", "meta-llama/Llama-3.1-8B-Instruct", HF_ROUTE_CHAT,
           "https://router.huggingface.co/hf-inference/models/meta-llama/Llama-3.1-8B-Instruct/v1/chat/"
           "completions");
    /* id without org, and defaults for NULL base/provider */
    expect(NULL, NULL, "gpt2", HF_ROUTE_MODEL, R "/hf-inference/models/gpt2");
    /* base with a path prefix, with and without trailing slashes: never doubled */
    expect("http://127.0.0.1:8080/prefix", "hf-inference", "a/b", HF_ROUTE_MODEL,
           "http://127.0.0.1:8080/prefix/hf-inference/models/a/b");
    expect("http://127.0.0.1:8080/prefix/", "hf-inference", "a/b", HF_ROUTE_MODEL,
           "http://127.0.0.1:8080/prefix/hf-inference/models/a/b");
    expect("http://127.0.0.1:8080//", "hf-inference", "a/b", HF_ROUTE_PIPELINE_FEATURE,
           "http://127.0.0.1:8080/hf-inference/models/a/b/pipeline/feature-extraction");
    /* ids with dots and underscores are fine (only ".." is refused) */
    expect(R, "hf-inference", "org/model.v1_2", HF_ROUTE_MODEL, R "/hf-inference/models/org/model.v1_2");
}

static void test_providers(void)
{
    /* 1.2 C: auto router, and an id carrying ":provider" */
    expect(R, "auto", "openai/gpt-oss-120b", HF_ROUTE_CHAT, R "/v1/chat/completions");
    expect(R, "hf-inference", "openai/gpt-oss-120b:groq", HF_ROUTE_CHAT, R "/v1/chat/completions");
    expect(R, "together", "openai/gpt-oss-120b:fastest", HF_ROUTE_CHAT, R "/v1/chat/completions");
    expect("http://127.0.0.1:9/p/", "auto", "x/y", HF_ROUTE_CHAT, "http://127.0.0.1:9/p/v1/chat/completions");
    /* recordings chat_completion__py-{together,cerebras,sambanova,hyperbolic,nebius}-* */
    expect(R, "together", "meta-llama/Meta-Llama-3-8B-Instruct", HF_ROUTE_CHAT,
           "https://router.huggingface.co/together/v1/chat/completions");
    expect(R, "cerebras", "x/y", HF_ROUTE_CHAT, "https://router.huggingface.co/cerebras/v1/chat/completions");
    expect(R, "sambanova", "x/y", HF_ROUTE_CHAT,
           "https://router.huggingface.co/sambanova/v1/chat/completions");
    /* recording chat_completion__py-novita-with-stream-09f68c */
    expect(R, "novita", "x/y", HF_ROUTE_CHAT,
           "https://router.huggingface.co/novita/v3/openai/chat/completions");
    /* recording chat_completion__py-fireworks-ai-with-stream-4729fe (2025-02-13, the newer one) */
    expect(R, "fireworks-ai", "x/y", HF_ROUTE_CHAT,
           "https://router.huggingface.co/fireworks-ai/inference/v1/chat/completions");
    /* non-chat tasks on other providers: provider-specific bodies, not supported */
    expect_err(R, "together", "x/y", HF_ROUTE_MODEL, HF_ERR_UNSUPPORTED);
    expect_err(R, "auto", "x/y", HF_ROUTE_PIPELINE_FEATURE, HF_ERR_UNSUPPORTED);
    expect_err(R, "hf-inference", "x/y:groq", HF_ROUTE_MODEL, HF_ERR_UNSUPPORTED);
    /* provider names go into the path: refuse anything odd */
    expect_err(R, "a/b", "x/y", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "", "x/y", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "to gether", "x/y", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
}

static void test_url_models(void)
{
    /* 1.2 A: non-chat routes use the URL exactly, not even the pipeline suffix */
    expect(R, "hf-inference", "http://localhost:8080", HF_ROUTE_MODEL, "http://localhost:8080");
    expect(R, "hf-inference", "https://x.endpoints.huggingface.cloud/", HF_ROUTE_PIPELINE_FEATURE,
           "https://x.endpoints.huggingface.cloud/");
    expect(R, "together", "http://h/generate?x=1", HF_ROUTE_PIPELINE_SIMILARITY, "http://h/generate?x=1");
    /* chat suffix rules */
    expect(R, NULL, "http://h:8080", HF_ROUTE_CHAT, "http://h:8080/v1/chat/completions");
    expect(R, NULL, "http://h:8080/", HF_ROUTE_CHAT, "http://h:8080/v1/chat/completions");
    expect(R, NULL, "http://h:8080///", HF_ROUTE_CHAT, "http://h:8080/v1/chat/completions");
    expect(R, NULL, "http://h/v1", HF_ROUTE_CHAT, "http://h/v1/chat/completions");
    expect(R, NULL, "http://h/v1/", HF_ROUTE_CHAT, "http://h/v1/chat/completions");
    expect(R, NULL, "http://h/v1/chat/completions", HF_ROUTE_CHAT, "http://h/v1/chat/completions");
    expect(R, NULL, "http://h/v1/chat/completions/", HF_ROUTE_CHAT, "http://h/v1/chat/completions");
    expect(R, NULL, "http://h/openai/chat/completions", HF_ROUTE_CHAT, "http://h/openai/chat/completions");
    expect(R, NULL, "https://h/models/org/m", HF_ROUTE_CHAT, "https://h/models/org/m/v1/chat/completions");
    expect(R, NULL, "https://h/models/org/m/", HF_ROUTE_CHAT, "https://h/models/org/m/v1/chat/completions");
    /* "v1" alone in a longer segment is not "/v1" */
    expect(R, NULL, "http://h/apiv1", HF_ROUTE_CHAT, "http://h/apiv1/v1/chat/completions");
    /* recording chat_completion__py-apiinf-base-url-and-api-key-a1643b (model URL without suffix) */
    expect(R, NULL, "https://api-inference.huggingface.co/models/meta-llama/Meta-Llama-3-8B-Instruct",
           HF_ROUTE_CHAT,
           "https://api-inference.huggingface.co/models/meta-llama/Meta-Llama-3-8B-Instruct/v1/chat/"
           "completions");
    /* query strings are kept after the new path, in every suffix case */
    expect(R, NULL, "http://h?api-version=2", HF_ROUTE_CHAT, "http://h/v1/chat/completions?api-version=2");
    expect(R, NULL, "http://h/?a=1&b=2", HF_ROUTE_CHAT, "http://h/v1/chat/completions?a=1&b=2");
    expect(R, NULL, "http://h/v1?a=1", HF_ROUTE_CHAT, "http://h/v1/chat/completions?a=1");
    expect(R, NULL, "http://h/v1/?a=1", HF_ROUTE_CHAT, "http://h/v1/chat/completions?a=1");
    expect(R, NULL, "http://h/v1/chat/completions?a=1", HF_ROUTE_CHAT, "http://h/v1/chat/completions?a=1");
    expect(R, NULL, "http://h/x/?a=/v1", HF_ROUTE_CHAT, "http://h/x/v1/chat/completions?a=/v1");
    /* a fragment is never sent */
    expect(R, NULL, "http://h/v1#frag", HF_ROUTE_CHAT, "http://h/v1/chat/completions");
    expect(R, NULL, "http://h/v1?q=1#frag", HF_ROUTE_CHAT, "http://h/v1/chat/completions?q=1");
    /* bytes that would break the request line */
    expect_err(R, NULL, "http://h/a b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, NULL, "http://h/a\r\nX: y", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
}

static void test_bad_ids(void)
{
    expect_err(R, "hf-inference", "", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", NULL, HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/b\r\nHost: evil", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/b\n", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/b?x=1", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/b#x", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "../../admin", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/../b", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "/a/b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "auto", "a b", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err("ftp://h", "hf-inference", "a/b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/b", (hf_route_t)7, HF_ERR_INVALID_ARG);
    /* ids are [A-Za-z0-9._-], at most one '/', then an optional ":provider" */
    expect_err(R, "hf-inference", "a/b%2F..%2Fc", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a%20b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "auto", "org/m%3Ap", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/b/c", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a//b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a\\b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "hf-inference", "a/b@main", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    expect_err(R, "auto", "a/b:", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "auto", "a/b:p:q", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "auto", "a/b:p/q", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "auto", ":p", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    expect_err(R, "auto", "a/b:p%41", HF_ROUTE_CHAT, HF_ERR_INVALID_ARG);
    /* still accepted: one part, every allowed character, a provider suffix */
    expect(R, "hf-inference", "Org-1/m_2.v-3", HF_ROUTE_MODEL, R "/hf-inference/models/Org-1/m_2.v-3");
    expect(R, "auto", "m:fastest", HF_ROUTE_CHAT, R "/v1/chat/completions");
}

/* RFC 3986 3.1: schemes are case-insensitive. */
static void test_scheme_case(void)
{
    bool tls = false;
    char host[64];
    uint16_t port = 0;
    const char *path = NULL;
    expect("HTTPS://router.huggingface.co", "hf-inference", "a/b", HF_ROUTE_MODEL,
           "HTTPS://router.huggingface.co/hf-inference/models/a/b");
    expect("Http://127.0.0.1:8080", "auto", "a/b", HF_ROUTE_CHAT, "Http://127.0.0.1:8080/v1/chat/completions");
    expect(R, NULL, "HTTP://h/v1", HF_ROUTE_CHAT, "HTTP://h/v1/chat/completions");
    expect(R, "hf-inference", "HTTPS://h/x", HF_ROUTE_MODEL, "HTTPS://h/x");
    expect_err("HTTP:/h", "hf-inference", "a/b", HF_ROUTE_MODEL, HF_ERR_INVALID_ARG);
    CHECK_STATUS(hf_priv_url_split("HTTPS://H:8443/p", &tls, host, sizeof host, &port, &path), HF_OK);
    CHECK(tls);
    CHECK_STR(host, "H");
    CHECK_INT(port, 8443);
    CHECK_STR(path, "/p");
    CHECK_STATUS(hf_priv_url_split("hTtP://h", &tls, host, sizeof host, &port, &path), HF_OK);
    CHECK(!tls);
    CHECK_INT(port, 80);
}

static void test_overflow(void)
{
    /* R + "/hf-inference/models/" = 29 + 21 = 50 bytes; with a 205-byte id the URL is exactly 255
     * bytes and fits HF_MAX_URL (256) with its NUL; one byte more does not. */
    char id[260];
    char want[HF_MAX_URL];
    size_t idlen = HF_MAX_URL - 1u - 50u;
    memset(id, 'a', idlen);
    id[idlen] = '\0';
    strcpy(want, R "/hf-inference/models/");
    strcat(want, id);
    expect(R, "hf-inference", id, HF_ROUTE_MODEL, want);
    CHECK_INT(strlen(out), HF_MAX_URL - 1u);
    id[idlen] = 'a';
    id[idlen + 1u] = '\0';
    expect_err(R, "hf-inference", id, HF_ROUTE_MODEL, HF_ERR_NO_MEMORY);
    /* the suffix is what overflows */
    id[idlen - 5u] = '\0';
    expect_err(R, "hf-inference", id, HF_ROUTE_PIPELINE_FEATURE, HF_ERR_NO_MEMORY);
    /* tiny buffers: never written past cap */
    {
        char small[8];
        memset(small, 'Z', sizeof small);
        CHECK_STATUS(hf_priv_url_build(small, 4, R, "hf-inference", "a/b", HF_ROUTE_MODEL), HF_ERR_NO_MEMORY);
        CHECK_INT(small[0], 0);
        CHECK_INT(small[4], 'Z');
        CHECK_STATUS(hf_priv_url_build(small, 0, R, "hf-inference", "a/b", HF_ROUTE_MODEL), HF_ERR_NO_MEMORY);
        CHECK_STATUS(hf_priv_url_build(small, 8, R, NULL, "http://h", HF_ROUTE_CHAT), HF_ERR_NO_MEMORY);
        CHECK_INT(small[0], 0);
    }
}

static void split_ok(const char *url, bool tls, const char *host, uint16_t port, const char *path)
{
    char h[HF_MAX_HOST];
    bool t = !tls;
    uint16_t p = 0;
    const char *pa = NULL;
    CHECK_STATUS(hf_priv_url_split(url, &t, h, sizeof h, &p, &pa), HF_OK);
    CHECK_INT(t, tls);
    CHECK_STR(h, host);
    CHECK_INT(p, port);
    CHECK_STR(pa, path);
}

static void split_bad(const char *url, hf_status_t st)
{
    char h[HF_MAX_HOST];
    bool t;
    uint16_t p = 0;
    const char *pa = NULL;
    CHECK_STATUS(hf_priv_url_split(url, &t, h, sizeof h, &p, &pa), st);
    CHECK_STR(h, "");
}

static void test_split(void)
{
    split_ok("https://router.huggingface.co/hf-inference/models/gpt2", true, "router.huggingface.co", 443,
             "/hf-inference/models/gpt2");
    split_ok("http://127.0.0.1:8080/prefix/v1?x=1", false, "127.0.0.1", 8080, "/prefix/v1?x=1");
    split_ok("http://localhost", false, "localhost", 80, "/");
    split_ok("HTTPS://Example.COM:65535", true, "Example.COM", 65535, "/");
    split_ok("http://h:1/", false, "h", 1, "/");
    split_ok("http://[::1]:8080/a", false, "::1", 8080, "/a");
    split_ok("https://[2001:db8::1]/", true, "2001:db8::1", 443, "/");
    split_ok("http://my_host-1.local:00080/x", false, "my_host-1.local", 80, "/x");

    split_bad("ftp://h/", HF_ERR_INVALID_ARG);
    split_bad("http:/h", HF_ERR_INVALID_ARG);
    split_bad("http", HF_ERR_INVALID_ARG);
    split_bad("", HF_ERR_INVALID_ARG);
    split_bad("http://", HF_ERR_INVALID_ARG);
    split_bad("http:///path", HF_ERR_INVALID_ARG);
    split_bad("http://user:pw@h/", HF_ERR_INVALID_ARG);
    split_bad("http://h@evil/", HF_ERR_INVALID_ARG);
    split_bad("http://h:0/", HF_ERR_INVALID_ARG);
    split_bad("http://h:65536/", HF_ERR_INVALID_ARG);
    split_bad("http://h:123456/", HF_ERR_INVALID_ARG);
    split_bad("http://h:/", HF_ERR_INVALID_ARG);
    split_bad("http://h:8a/", HF_ERR_INVALID_ARG);
    split_bad("http://h:-1/", HF_ERR_INVALID_ARG);
    split_bad("http://h:+80/", HF_ERR_INVALID_ARG);
    split_bad("http://h:80:81/", HF_ERR_INVALID_ARG);
    split_bad("http://[::1/", HF_ERR_INVALID_ARG);
    split_bad("http://[]/", HF_ERR_INVALID_ARG);
    split_bad("http://[::1]x/", HF_ERR_INVALID_ARG);
    split_bad("http://[::g]/", HF_ERR_INVALID_ARG);
    split_bad("http://h h/", HF_ERR_INVALID_ARG);
    split_bad("http://h/a b", HF_ERR_INVALID_ARG);
    split_bad("http://h/a\r\n", HF_ERR_INVALID_ARG);
    split_bad("http://h/a#f", HF_ERR_INVALID_ARG);
    split_bad("http://h?q", HF_ERR_INVALID_ARG);
    split_bad("http://h%2e/", HF_ERR_INVALID_ARG);
    {
        /* host of exactly host_cap-1 bytes fits; one more does not */
        char url[200], h[8];
        bool t;
        uint16_t p;
        const char *pa;
        strcpy(url, "http://abcdefg/x");
        CHECK_STATUS(hf_priv_url_split(url, &t, h, sizeof h, &p, &pa), HF_OK);
        CHECK_STR(h, "abcdefg");
        strcpy(url, "http://abcdefgh/x");
        CHECK_STATUS(hf_priv_url_split(url, &t, h, sizeof h, &p, &pa), HF_ERR_NO_MEMORY);
        CHECK_STR(h, "");
        strcpy(url, "http://[1:2:3:4]/x");
        CHECK_STATUS(hf_priv_url_split(url, &t, h, sizeof h, &p, &pa), HF_OK);
        CHECK_STR(h, "1:2:3:4");
        strcpy(url, "http://[1:2:3:45]/x");
        CHECK_STATUS(hf_priv_url_split(url, &t, h, sizeof h, &p, &pa), HF_ERR_NO_MEMORY);
    }
}

/* Every URL built from a Hub id splits back into the base's host and port. */
static void test_build_then_split(void)
{
    char h[HF_MAX_HOST];
    bool t;
    uint16_t p;
    const char *pa;
    CHECK_STATUS(build("http://127.0.0.1:8080/prefix", "hf-inference", "a/b", HF_ROUTE_CHAT), HF_OK);
    CHECK_STATUS(hf_priv_url_split(out, &t, h, sizeof h, &p, &pa), HF_OK);
    CHECK_STR(h, "127.0.0.1");
    CHECK_INT(p, 8080);
    CHECK_STR(pa, "/prefix/hf-inference/models/a/b/v1/chat/completions");
}

int main(void)
{
    test_hub_ids();
    test_providers();
    test_url_models();
    test_bad_ids();
    test_scheme_case();
    test_overflow();
    test_split();
    test_build_then_split();
    return CHECK_DONE();
}
