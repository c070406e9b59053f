/* Status names, error records and the few string helpers core/ shares. */
#include "hf/hf_status.h"

#include "hf_priv.h"

const char *hf_status_str(hf_status_t status)
{
    switch (status) {
    case HF_OK: return "HF_OK";
    case HF_ERR_INVALID_ARG: return "HF_ERR_INVALID_ARG";
    case HF_ERR_NO_MEMORY: return "HF_ERR_NO_MEMORY";
    case HF_ERR_IO: return "HF_ERR_IO";
    case HF_ERR_TIMEOUT: return "HF_ERR_TIMEOUT";
    case HF_ERR_CLOSED: return "HF_ERR_CLOSED";
    case HF_ERR_DNS: return "HF_ERR_DNS";
    case HF_ERR_TLS: return "HF_ERR_TLS";
    case HF_ERR_CERTIFICATE: return "HF_ERR_CERTIFICATE";
    case HF_ERR_HTTP_STATUS: return "HF_ERR_HTTP_STATUS";
    case HF_ERR_PROTOCOL: return "HF_ERR_PROTOCOL";
    case HF_ERR_TRUNCATED: return "HF_ERR_TRUNCATED";
    case HF_ERR_JSON_SYNTAX: return "HF_ERR_JSON_SYNTAX";
    case HF_ERR_JSON_SHAPE: return "HF_ERR_JSON_SHAPE";
    case HF_ERR_EMPTY_RESULT: return "HF_ERR_EMPTY_RESULT";
    case HF_ERR_SSE_EVENT_TOO_LARGE: return "HF_ERR_SSE_EVENT_TOO_LARGE";
    case HF_ERR_MODEL_LOADING: return "HF_ERR_MODEL_LOADING";
    case HF_ERR_RATE_LIMITED: return "HF_ERR_RATE_LIMITED";
    case HF_ERR_SERVER_EVENT: return "HF_ERR_SERVER_EVENT";
    case HF_ERR_ABORTED: return "HF_ERR_ABORTED";
    case HF_ERR_UNSUPPORTED: return "HF_ERR_UNSUPPORTED";
    }
    return "HF_ERR_UNKNOWN";
}

void hf_error_clear(hf_error_t *err)
{
    err->status = HF_OK;
    err->http_status = 0;
    err->native = 0;
    err->estimated_time_s = 0.0;
    err->retry_after_s = 0u;
    err->needed = 0u;
    err->message_truncated = 0u;
    err->message[0] = '\0';
    err->error_type[0] = '\0';
    err->request_id[0] = '\0';
}

int hf_priv_strlcpy(char *dst, size_t cap, const char *s, size_t n)
{
    size_t k;
    if (cap == 0u) {
        return n != 0u;
    }
    k = n < cap - 1u ? n : cap - 1u;
    for (size_t i = 0; i < k; i++) {
        dst[i] = s[i];
    }
    dst[k] = '\0';
    return k < n;
}

static size_t cstrlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static void append(hf_error_t *err, const char *s)
{
    size_t have = cstrlen(err->message);
    if (s == NULL) {
        return;
    }
    if (hf_priv_strlcpy(err->message + have, sizeof err->message - have, s, cstrlen(s))) {
        err->message_truncated = 1u;
    }
}

void hf_priv_error_set(hf_error_t *err, hf_status_t st, const char *a, const char *b, const char *c)
{
    err->status = st;
    err->message[0] = '\0';
    err->message_truncated = 0u;
    append(err, a);
    append(err, b);
    append(err, c);
}

void hf_priv_append_u64(char *dst, size_t cap, uint64_t v)
{
    char tmp[21];
    size_t n = 0, have = cstrlen(dst);
    do {
        tmp[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0u && n < sizeof tmp);
    while (n > 0u && have + 1u < cap) {
        dst[have++] = tmp[--n];
    }
    if (have < cap) {
        dst[have] = '\0';
    }
}

static char lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

bool hf_priv_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}
