/* Request URLs (PROTOCOL.md 1.2): model id or full URL -> URL; URL -> host, port, path. */
#include "hf_priv.h"

/* A bounded string builder: every append is checked against cap, overflow is sticky. */
typedef struct ubuf {
    char *dst;
    size_t cap;
    size_t len;
    bool overflow;
} ubuf_t;

static void ub_put(ubuf_t *b, const char *s, size_t n)
{
    if (b->overflow || n >= b->cap - b->len) {
        b->overflow = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        b->dst[b->len + i] = s[i];
    }
    b->len += n;
    b->dst[b->len] = '\0';
}

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static void ub_puts(ubuf_t *b, const char *s)
{
    ub_put(b, s, slen(s));
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = slen(suffix);
    if (k > n) {
        return false;
    }
    for (size_t i = 0; i < k; i++) {
        if (s[n - k + i] != suffix[i]) {
            return false;
        }
    }
    return true;
}

/* Schemes are case-insensitive (RFC 3986 3.1): HTTPS://h is a URL too. */
static bool is_url(const char *s)
{
    size_t n = slen(s);
    return (n >= 7u && hf_priv_ieq(s, "http://", 7u)) || (n >= 8u && hf_priv_ieq(s, "https://", 8u));
}

/* Bytes that would break the request line or a header: never put them on the wire. */
static bool bad_wire_char(char ch)
{
    unsigned char u = (unsigned char)ch;
    return u <= 0x20u || u == 0x7fu;
}

static bool has_bad_wire_char(const char *s)
{
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (bad_wire_char(s[i])) {
            return true;
        }
    }
    return false;
}

static bool is_id_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '_' || ch == '.';
}

/* A Hub id goes into the path verbatim: only what an id may hold, [A-Za-z0-9._-] in at most two
 * non-empty '/'-separated parts, then an optional ":provider" of the same characters. No '%'
 * (an escape would name another path), no ".." (it would climb out of /models/). */
static bool valid_model_id(const char *id)
{
    size_t part = 0;
    int slashes = 0, colons = 0;
    for (size_t i = 0; id[i] != '\0'; i++) {
        char ch = id[i];
        if (ch == '/' || ch == ':') {
            if (part == 0u || (ch == '/' && (colons > 0 || ++slashes > 1)) || (ch == ':' && ++colons > 1)) {
                return false;
            }
            part = 0;
            continue;
        }
        if (!is_id_char(ch) || (ch == '.' && id[i + 1] == '.')) {
            return false;
        }
        part++;
    }
    return part > 0u;
}

static bool valid_provider(const char *p)
{
    if (p[0] == '\0') {
        return false;
    }
    for (size_t i = 0; p[i] != '\0'; i++) {
        char ch = p[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '-' || ch == '_' || ch == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

static bool streq(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] != '\0' && a[i] == b[i]) {
        i++;
    }
    return a[i] == b[i];
}

static bool has_char(const char *s, char ch)
{
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (s[i] == ch) {
            return true;
        }
    }
    return false;
}

/* Chat routes of providers whose path is not /{provider}/v1/chat/completions, as the recordings
 * show (fixtures chat_completion__py-novita-*, and the newer (2025-02-13) fireworks-ai recording). */
typedef struct chat_route {
    const char *provider;
    const char *path;
} chat_route_t;

static const chat_route_t k_chat_routes[] = {
    {"novita", "/novita/v3/openai/chat/completions"},
    {"fireworks-ai", "/fireworks-ai/inference/v1/chat/completions"},
};

/* Where the path of an absolute URL starts (after scheme://authority). */
static size_t path_start(const char *url)
{
    size_t i = 0;
    while (url[i] != ':') {
        i++;
    }
    i += 3u;
    while (url[i] != '\0' && url[i] != '/' && url[i] != '?' && url[i] != '#') {
        i++;
    }
    return i;
}

/* Full URL given as model, chat route: the suffix rules of 1.2 A on the path, query kept.
 * A fragment is dropped: it is never sent on the wire. */
static void build_chat_from_url(ubuf_t *b, const char *url)
{
    size_t ps = path_start(url), pe = ps, qe;
    while (url[pe] != '\0' && url[pe] != '?' && url[pe] != '#') {
        pe++;
    }
    qe = pe;
    while (url[qe] != '\0' && url[qe] != '#') {
        qe++;
    }
    {
        size_t n = pe;
        while (n > ps && url[n - 1u] == '/') {
            n--;
        }
        ub_put(b, url, n);
        if (ends_with(url + ps, n - ps, "/chat/completions")) {
            /* already a chat route */
        } else if (ends_with(url + ps, n - ps, "/v1")) {
            ub_puts(b, "/chat/completions");
        } else {
            ub_puts(b, "/v1/chat/completions");
        }
    }
    ub_put(b, url + pe, qe - pe);
}

static void put_base(ubuf_t *b, const char *base)
{
    size_t n = slen(base);
    while (n > 0u && base[n - 1u] == '/') {
        n--;
    }
    ub_put(b, base, n);
}

static hf_status_t build_chat_from_id(ubuf_t *b, const char *base, const char *provider, const char *id)
{
    put_base(b, base);
    if (streq(provider, "auto") || has_char(id, ':')) {
        ub_puts(b, "/v1/chat/completions");
        return HF_OK;
    }
    if (streq(provider, "hf-inference")) {
        ub_puts(b, "/hf-inference/models/");
        ub_puts(b, id);
        ub_puts(b, "/v1/chat/completions");
        return HF_OK;
    }
    for (size_t i = 0; i < sizeof k_chat_routes / sizeof k_chat_routes[0]; i++) {
        if (streq(provider, k_chat_routes[i].provider)) {
            ub_puts(b, k_chat_routes[i].path);
            return HF_OK;
        }
    }
    ub_puts(b, "/");
    ub_puts(b, provider);
    ub_puts(b, "/v1/chat/completions");
    return HF_OK;
}

static hf_status_t build_from_id(ubuf_t *b, const char *base, const char *provider, const char *id,
                                 hf_route_t route)
{
    if (!valid_model_id(id)) {
        return HF_ERR_INVALID_ARG;
    }
    if (route == HF_ROUTE_CHAT) {
        return build_chat_from_id(b, base, provider, id);
    }
    /* Other providers want provider-specific bodies (PROTOCOL 1.4): out of scope. */
    if (!streq(provider, "hf-inference") || has_char(id, ':')) {
        return HF_ERR_UNSUPPORTED;
    }
    put_base(b, base);
    ub_puts(b, "/hf-inference/models/");
    ub_puts(b, id);
    if (route == HF_ROUTE_PIPELINE_FEATURE) {
        ub_puts(b, "/pipeline/feature-extraction");
    } else if (route == HF_ROUTE_PIPELINE_SIMILARITY) {
        ub_puts(b, "/pipeline/sentence-similarity");
    }
    return HF_OK;
}

hf_status_t hf_priv_url_build(char *dst, size_t cap, const char *base_url, const char *provider,
                              const char *model, hf_route_t route)
{
    ubuf_t b = {dst, cap, 0u, false};
    hf_status_t st = HF_OK;

    if (dst == NULL || cap == 0u) {
        return HF_ERR_NO_MEMORY;
    }
    dst[0] = '\0';
    if (model == NULL || model[0] == '\0' || (unsigned)route > (unsigned)HF_ROUTE_CHAT) {
        return HF_ERR_INVALID_ARG;
    }
    base_url = base_url ? base_url : HF_DEFAULT_BASE_URL;
    provider = provider ? provider : HF_DEFAULT_PROVIDER;
    if (is_url(model)) {
        if (has_bad_wire_char(model)) {
            return HF_ERR_INVALID_ARG;
        }
        if (route == HF_ROUTE_CHAT) {
            build_chat_from_url(&b, model);
        } else {
            ub_puts(&b, model);
        }
    } else {
        if (!valid_provider(provider) || !is_url(base_url) || has_bad_wire_char(base_url)) {
            return HF_ERR_INVALID_ARG;
        }
        st = build_from_id(&b, base_url, provider, model, route);
    }
    if (st == HF_OK && b.overflow) {
        st = HF_ERR_NO_MEMORY;
    }
    if (st != HF_OK) {
        dst[0] = '\0';
    }
    return st;
}

/* ------------------------------------------------------------------ split */

static bool is_host_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '.' || ch == '_';
}

static bool is_ip6_char(char ch)
{
    return (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') || (ch >= '0' && ch <= '9') || ch == ':' ||
           ch == '.';
}

/* Digits only, 1..65535; at most 5 digits so the sum cannot overflow. */
static hf_status_t parse_port(const char *s, size_t n, uint16_t *port)
{
    uint32_t v = 0;
    if (n == 0u || n > 5u) {
        return HF_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return HF_ERR_INVALID_ARG;
        }
        v = v * 10u + (uint32_t)(s[i] - '0');
    }
    if (v == 0u || v > 65535u) {
        return HF_ERR_INVALID_ARG;
    }
    *port = (uint16_t)v;
    return HF_OK;
}

/* Host part [h, h+n): bracketed IPv6 literal or a name/IPv4; *rest is where ":port" may start. */
static hf_status_t split_host(const char *h, size_t n, char *host, size_t host_cap, size_t *rest)
{
    size_t i = 0, b, e;
    if (n > 0u && h[0] == '[') {
        b = 1u;
        while (b + i < n && h[b + i] != ']') {
            if (!is_ip6_char(h[b + i])) {
                return HF_ERR_INVALID_ARG;
            }
            i++;
        }
        if (b + i >= n || i == 0u) {
            return HF_ERR_INVALID_ARG;
        }
        e = b + i;
        *rest = e + 1u;
    } else {
        b = 0u;
        while (i < n && h[i] != ':') {
            if (!is_host_char(h[i])) {
                return HF_ERR_INVALID_ARG;
            }
            i++;
        }
        if (i == 0u) {
            return HF_ERR_INVALID_ARG;
        }
        e = i;
        *rest = i;
    }
    if (e - b >= host_cap) {
        return HF_ERR_NO_MEMORY;
    }
    (void)hf_priv_strlcpy(host, host_cap, h + b, e - b);
    return HF_OK;
}

hf_status_t hf_priv_url_split(const char *url, bool *tls, char *host, size_t host_cap, uint16_t *port,
                              const char **path)
{
    size_t a, e, rest = 0;
    hf_status_t st;

    if (url == NULL || host == NULL || host_cap == 0u) {
        return HF_ERR_INVALID_ARG;
    }
    host[0] = '\0';
    size_t n = slen(url);
    if (n >= 8u && hf_priv_ieq(url, "https://", 8u)) {
        *tls = true;
        *port = 443u;
        a = 8u;
    } else if (n >= 7u && hf_priv_ieq(url, "http://", 7u)) {
        *tls = false;
        *port = 80u;
        a = 7u;
    } else {
        return HF_ERR_INVALID_ARG;
    }
    if (has_bad_wire_char(url) || has_char(url, '#')) {
        return HF_ERR_INVALID_ARG;
    }
    e = a;
    while (url[e] != '\0' && url[e] != '/' && url[e] != '?') {
        if (url[e] == '@') {
            return HF_ERR_INVALID_ARG; /* userinfo would leak into logs; not supported */
        }
        e++;
    }
    if (url[e] == '?') {
        return HF_ERR_INVALID_ARG; /* a query needs a path before it: the request line could not carry it */
    }
    st = split_host(url + a, e - a, host, host_cap, &rest);
    if (st == HF_OK && a + rest < e) {
        if (url[a + rest] != ':') {
            st = HF_ERR_INVALID_ARG;
        } else {
            st = parse_port(url + a + rest + 1u, e - a - rest - 1u, port);
        }
    }
    if (st != HF_OK) {
        host[0] = '\0';
        return st;
    }
    *path = url[e] == '\0' ? "/" : url + e;
    return HF_OK;
}
