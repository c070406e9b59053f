/* HTTP/1.1 request head writer: one pass through the caller's hf_out_t, no buffer of its own. */
#include <string.h>

#include "hf_priv.h"

/* Control bytes (bare CR, NUL, ...) in a header line are never legitimate, and in a
 * request value they would smuggle in extra headers (header injection). */
bool hf_priv_http_has_ctl(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20u && c != '\t') || c == 0x7fu) {
            return true;
        }
    }
    return false;
}

static bool clean(const char *s, bool allow_space)
{
    return !hf_priv_http_has_ctl(s, strlen(s)) && (allow_space || strpbrk(s, " \t") == NULL);
}

static bool present(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static void put(hf_out_t *o, const char *s, hf_status_t *st)
{
    if (*st == HF_OK) {
        *st = hf_out_puts(o, s);
    }
}

/* Optional headers: an absent or empty value writes nothing. */
static void put_header(hf_out_t *o, const char *name, const char *value, hf_status_t *st)
{
    if (!present(value)) {
        return;
    }
    put(o, name, st);
    put(o, value, st);
    put(o, "\r\n", st);
}

static bool head_args_ok(const char *method, const char *host, const char *path, const char *token,
                         const char *ua, const char *ctype, const char *accept)
{
    return present(method) && present(host) && present(path) && clean(method, false) && clean(host, false) &&
           clean(path, false) && (token == NULL || clean(token, false)) && (ua == NULL || clean(ua, true)) &&
           (ctype == NULL || clean(ctype, true)) && (accept == NULL || clean(accept, true));
}

hf_status_t hf_priv_http_write_head(hf_out_t *o, const char *method, const char *host, uint16_t port,
                                    bool default_port, const char *path, const char *token,
                                    const char *user_agent, const char *content_type, const char *accept,
                                    long long body_len)
{
    hf_status_t st = HF_OK;
    char num[24];
    bool ipv6;

    if (o == NULL || !head_args_ok(method, host, path, token, user_agent, content_type, accept)) {
        return HF_ERR_INVALID_ARG;
    }
    put(o, method, &st);
    put(o, " ", &st);
    put(o, path, &st);
    put(o, " HTTP/1.1\r\nHost: ", &st);
    /* An IPv6 literal goes back in brackets (RFC 3986 3.2.2), or its colons read as a port. */
    ipv6 = strchr(host, ':') != NULL;
    put(o, ipv6 ? "[" : "", &st);
    put(o, host, &st);
    put(o, ipv6 ? "]" : "", &st);
    if (!default_port) {
        num[0] = ':';
        num[1] = '\0';
        hf_priv_append_u64(num, sizeof num, port);
        put(o, num, &st);
    }
    put(o, "\r\n", &st);
    put_header(o, "User-Agent: ", present(user_agent) ? user_agent : HF_DEFAULT_USER_AGENT, &st);
    put_header(o, "Authorization: Bearer ", token, &st);
    put_header(o, "Content-Type: ", content_type, &st);
    put_header(o, "Accept: ", accept, &st);
    if (body_len >= 0) {
        num[0] = '\0';
        hf_priv_append_u64(num, sizeof num, (uint64_t)body_len);
        put_header(o, "Content-Length: ", num, &st);
    }
    put(o, "Connection: keep-alive\r\n\r\n", &st);
    return st;
}
