/* Error bodies of non-2xx responses (PROTOCOL.md 5.2) -> hf_error_t message, type, estimate. */
#include "hf_priv.h"

/* Copy at most what fits; a cut never splits a UTF-8 sequence. Sets the truncation flag. */
static size_t msg_append(hf_error_t *err, const char *s, size_t n)
{
    size_t have = 0, room, k;
    while (err->message[have] != '\0') {
        have++;
    }
    room = sizeof err->message - 1u - have;
    k = n;
    if (k > room) {
        k = room;
        /* At most 3 continuation bytes belong to one character; more is not UTF-8 anyway. */
        for (int back = 0; back < 3 && k > 0u && ((unsigned char)s[k] & 0xC0u) == 0x80u; back++) {
            k--;
        }
        err->message_truncated = 1u;
    }
    (void)hf_priv_strlcpy(err->message + have, sizeof err->message - have, s, k);
    return k;
}

static size_t msg_set(hf_error_t *err, const char *s, size_t n)
{
    err->message[0] = '\0';
    err->message_truncated = 0u;
    return msg_append(err, s, n);
}

static size_t cstrlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Raw server text goes into a one-line message: control bytes become spaces, bytes that are
 * not well-formed UTF-8 become '?' (the message is shown and may be printed as JSON), ends
 * trimmed. */
static void msg_set_text(hf_error_t *err, const char *s, size_t n)
{
    size_t k, i = 0;
    while (n > 0u && is_space(s[0])) {
        s++;
        n--;
    }
    while (n > 0u && is_space(s[n - 1u])) {
        n--;
    }
    k = msg_set(err, s, n);
    while (i < k) {
        unsigned char u = (unsigned char)err->message[i];
        size_t len = u < 0x80u ? 1u : hf_priv_utf8_seq(err->message + i, k - i);
        if (u < 0x20u || u == 0x7Fu) {
            err->message[i] = ' ';
        } else if (len == 0u) {
            err->message[i] = '?';
            len = 1u;
        }
        i += len;
    }
}

static void msg_from_status(hf_error_t *err)
{
    msg_set(err, "HTTP ", 5u);
    hf_priv_append_u64(err->message, sizeof err->message,
                       (uint64_t)(err->http_status > 0 ? err->http_status : 0));
}

/* ------------------------------------------------------------------ JSON shapes */

/* String value of `key` in object `obj`, decoded; false when absent or not a string. */
static bool get_str(hf_json_doc_t *doc, int obj, const char *key, const char **s, size_t *n)
{
    int i = hf_json_get(doc, obj, key);
    return i >= 0 && hf_json_str(doc, i, s, n) == HF_OK;
}

/* Shape 4: ["msg1","msg2"] joined with "; " (non-strings skipped). */
static bool join_strings(hf_error_t *err, hf_json_doc_t *doc, int arr)
{
    bool any = false;
    const char *s;
    size_t n;
    err->message[0] = '\0';
    err->message_truncated = 0u;
    for (int k = 0; k < doc->tok[arr].size && k < 64; k++) {
        int e = hf_json_at(doc, arr, k);
        if (e >= 0 && hf_json_str(doc, e, &s, &n) == HF_OK) {
            if (any) {
                (void)msg_append(err, "; ", 2u);
            }
            (void)msg_append(err, s, n);
            any = true;
        }
    }
    return any;
}

/* Shapes 1-6: the "error" member as string, object with message (and type), or array. */
static bool from_error_member(hf_error_t *err, hf_json_doc_t *doc, int e)
{
    const char *s, *d;
    size_t n, dn;
    if (hf_json_str(doc, e, &s, &n) == HF_OK) {
        msg_set(err, s, n);
        if (get_str(doc, 0, "error_description", &d, &dn)) {
            (void)msg_append(err, ": ", 2u);
            (void)msg_append(err, d, dn);
        }
        return true;
    }
    if (doc->tok[e].type == JSMN_OBJECT) {
        if (get_str(doc, e, "type", &d, &dn) && err->error_type[0] == '\0') {
            (void)hf_priv_strlcpy(err->error_type, sizeof err->error_type, d, dn);
        }
        if (get_str(doc, e, "message", &s, &n)) {
            msg_set(err, s, n);
            return true;
        }
        return false;
    }
    if (doc->tok[e].type == JSMN_ARRAY) {
        return join_strings(err, doc, e);
    }
    return false;
}

/* Shapes 7-8 and an error_description alone. */
static bool from_other_members(hf_error_t *err, hf_json_doc_t *doc)
{
    static const char *const keys[] = {"error_description", "detail", "message"};
    const char *s;
    size_t n;
    int arr, first;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        if (get_str(doc, 0, keys[k], &s, &n)) {
            msg_set(err, s, n);
            return true;
        }
    }
    arr = hf_json_get(doc, 0, "errors");
    first = arr >= 0 && doc->tok[arr].type == JSMN_ARRAY ? hf_json_at(doc, arr, 0) : -1;
    if (first >= 0 && get_str(doc, first, "message", &s, &n)) {
        msg_set(err, s, n);
        return true;
    }
    return false;
}

static void take_estimate(hf_error_t *err, hf_json_doc_t *doc, bool *loading)
{
    double v = 0.0;
    int i = hf_json_get(doc, 0, "estimated_time");
    if (i >= 0 && hf_json_f64(doc, i, &v) == HF_OK) {
        /* A hostile negative or non-finite estimate must not become a huge or negative wait. */
        if (!(v >= 0.0)) {
            v = 0.0;
        } else if (v > 1e9) {
            v = 1e9;
        }
        err->estimated_time_s = v;
        *loading = true;
    }
}

/* false: not a JSON object we understand (the caller shows the text instead). */
static bool from_json(hf_error_t *err, char *body, size_t len, hf_arena_t *a, bool *loading)
{
    hf_json_doc_t doc;
    const char *s;
    size_t n;
    int e;
    if (a == NULL || hf_json_parse(&doc, body, len, a) != HF_OK || doc.ntok < 1) {
        return false;
    }
    if (doc.tok[0].type == JSMN_STRING) {
        if (hf_json_str(&doc, 0, &s, &n) != HF_OK) {
            return false;
        }
        msg_set(err, s, n);
        return true;
    }
    if (doc.tok[0].type != JSMN_OBJECT) {
        return false;
    }
    if (get_str(&doc, 0, "error_type", &s, &n)) {
        (void)hf_priv_strlcpy(err->error_type, sizeof err->error_type, s, n);
    }
    take_estimate(err, &doc, loading);
    e = hf_json_get(&doc, 0, "error");
    if ((e >= 0 && from_error_member(err, &doc, e)) || from_other_members(err, &doc)) {
        return true;
    }
    /* Valid JSON in no known shape: its text is still the best message there is. */
    msg_set_text(err, doc.text, doc.len);
    return true;
}

/* ------------------------------------------------------------------ HTML */

static size_t find_ci(const char *s, size_t n, size_t from, const char *pat)
{
    size_t k = cstrlen(pat);
    for (size_t i = from; i + k <= n; i++) {
        if (hf_priv_ieq(s + i, pat, k)) {
            return i;
        }
    }
    return n;
}

/* <title>…</title> of an HTML page; false when there is none. */
static bool html_title(const char *s, size_t n, size_t *b, size_t *e)
{
    size_t t = find_ci(s, n, 0u, "<title");
    size_t gt = t;
    while (gt < n && s[gt] != '>') {
        gt++;
    }
    if (t >= n || gt >= n) {
        return false;
    }
    *b = gt + 1u;
    *e = find_ci(s, n, *b, "</title");
    return *e<n && * e> * b;
}

static bool looks_html(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_space(s[i])) {
        i++;
    }
    return i < n && s[i] == '<';
}

bool hf_priv_error_from_body(hf_error_t *err, char *body, size_t len, bool is_json, hf_arena_t *a)
{
    size_t mark = a ? hf_arena_mark(a) : 0u, b, e;
    bool loading = false, done;
    size_t i = 0;

    while (body != NULL && i < len && is_space(body[i])) {
        i++;
    }
    if (body == NULL || i == len) {
        msg_from_status(err);
        return false;
    }
    done = is_json && from_json(err, body, len, a, &loading);
    if (a != NULL) {
        hf_arena_rewind(a, mark);
    }
    if (done) {
        if (err->message[0] == '\0') {
            msg_from_status(err); /* {"error":""} says nothing; the status still does */
        }
        return loading;
    }
    if (looks_html(body, len) && html_title(body, len, &b, &e)) {
        msg_set_text(err, body + b, e - b);
        if (err->message[0] != '\0') {
            return false;
        }
    }
    msg_set_text(err, body, len);
    return false;
}
