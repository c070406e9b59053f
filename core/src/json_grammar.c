/* The grammar pass of the JSON reader: RFC 8259 and UTF-8 over a whole document, before jsmn
 * sees it, and the grammar of one string body (also used by hf_json_unescape). */
#include <string.h>

#include "hf/hf_json.h"

#include "hf_priv.h"

/* ------------------------------------------------------------------ validation */

/* jsmn (even strict) accepts `[1 2]`, `{"a" "b"}`, `{} {}`, `tru`, `01`, raw control bytes or
 * any byte >= 0x80 in strings and stops silently at a NUL byte; so the full grammar, UTF-8
 * included, is checked here first, in one iterative pass with a bit stack (1 = object) bounded
 * by HF_JSON_MAX_DEPTH. Outside strings every byte >= 0x80 already breaks the grammar. */
enum { V_VALUE, V_VALUE_OR_CLOSE, V_KEY, V_KEY_OR_CLOSE, V_COLON, V_AFTER, V_DONE };

typedef struct vstate {
    const char *s;
    size_t len;
    size_t i;
    uint64_t objs;
    unsigned depth;
    int state;
} vstate_t;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Four hex digits at p[0..4), all within the text. */
static bool hex4_ok(const char *p)
{
    return is_hex(p[0]) && is_hex(p[1]) && is_hex(p[2]) && is_hex(p[3]);
}

/* 1 for printable ASCII other than '"' and '\\': nearly every byte of a string, so one look-up
 * takes it (three range tests cost twice as many instructions per byte). */
/* clang-format off */
static const uint8_t k_plain[256] = {
    [0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x22 '"' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x5C '\\' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};
/* clang-format on */

/* Grammar of one escape at s[i] (the backslash) -> its length, or 0. Whether a \u surrogate
 * is paired is left to hf_json_str, which reports it for the one string that has it. */
static size_t scan_escape(const char *s, size_t len, size_t i)
{
    char e = i + 1u < len ? s[i + 1u] : '\0';
    if (e == 'u') {
        return len - i >= 6u && hex4_ok(s + i + 2u) ? 6u : 0u;
    }
    return e != '\0' && strchr("\"\\/bfnrt", e) != NULL ? 2u : 0u;
}

/* Plain bytes from s[i] up to `end` (<= len); the index of the first other one, or `end`. */
static size_t plain_bytes(const char *s, size_t i, size_t end)
{
    while (i < end && k_plain[(unsigned char)s[i]] != 0u) {
        i++;
    }
    return i;
}

/* Past the plain bytes at s[i], a word at a time (SWAR): with every byte below 0x80 (else the
 * top bit of w shows), a byte below 0x20 borrows into its top bit in w - 0x2020.., and '"' or
 * '\\' (zero after the xor) in q - 0x0101.. or b - 0x0101..; a plain word sets none of them. */
static size_t plain_words(const char *s, size_t len, size_t i)
{
    const size_t ones = (size_t)-1 / 0xFFu, high = ones << 7;
    size_t w, q, b;
    while (len - i >= sizeof w) {
        memcpy(&w, s + i, sizeof w);
        q = w ^ (ones * (size_t)'"');
        b = w ^ (ones * (size_t)'\\');
        if ((((w - ones * 0x20u) | (q - ones) | (b - ones) | w) & high) != 0u) {
            break;
        }
        i += sizeof w;
    }
    return plain_bytes(s, i, len);
}

/* Past the plain bytes at s[i]. Most keys and short values end within a word: bytes first. */
static size_t skip_plain(const char *s, size_t len, size_t i)
{
    size_t end = len - i > sizeof(size_t) ? i + sizeof(size_t) : len;
    i = plain_bytes(s, i, end);
    return i < end ? i : plain_words(s, len, i);
}

size_t hf_priv_json_str_body(const char *s, size_t len, size_t i)
{
    if (i > len) {
        return len;
    }
    while ((i = skip_plain(s, len, i)) < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n;
        if (c == '\\') {
            n = scan_escape(s, len, i);
        } else {
            n = c >= 0x80u ? hf_priv_utf8_seq(s + i, len - i) : 0u;
        }
        if (n == 0u) {
            return i;
        }
        i += n;
    }
    return len;
}

/* Past the closing quote of the string opening at v->i. */
static bool scan_string(vstate_t *v)
{
    size_t i = skip_plain(v->s, v->len, v->i + 1u);
    /* Most strings are plain up to their closing quote; the rest need the whole body scan. */
    if (i < v->len && v->s[i] != '"') {
        i = hf_priv_json_str_body(v->s, v->len, i);
    }
    if (i >= v->len || v->s[i] != '"') {
        return false;
    }
    v->i = i + 1u;
    return true;
}

static bool scan_number(vstate_t *v)
{
    size_t i = v->i;
    while (i < v->len && (is_digit(v->s[i]) || strchr("+-.eE", v->s[i]) != NULL)) {
        i++;
    }
    if (!hf_priv_json_number_ok(v->s + v->i, i - v->i)) {
        return false;
    }
    v->i = i;
    return true;
}

static bool scan_word(vstate_t *v, const char *w, size_t n)
{
    if (v->len - v->i < n || memcmp(v->s + v->i, w, n) != 0) {
        return false;
    }
    v->i += n;
    return true;
}

/* A value finished: the root ends the document, otherwise a comma or close follows. */
static void value_done(vstate_t *v)
{
    v->state = v->depth == 0u ? V_DONE : V_AFTER;
}

static hf_status_t v_open(vstate_t *v, bool obj)
{
    if (v->depth >= (unsigned)HF_JSON_MAX_DEPTH) {
        return HF_ERR_JSON_SHAPE;
    }
    if (obj) {
        v->objs |= (uint64_t)1u << v->depth;
    } else {
        v->objs &= ~((uint64_t)1u << v->depth);
    }
    v->depth++;
    v->i++;
    v->state = obj ? V_KEY_OR_CLOSE : V_VALUE_OR_CLOSE;
    return HF_OK;
}

static bool top_is_obj(const vstate_t *v)
{
    return v->depth > 0u && ((v->objs >> (v->depth - 1u)) & 1u) != 0u;
}

static hf_status_t v_close(vstate_t *v, char c)
{
    if (v->depth == 0u || (c == '}') != top_is_obj(v)) {
        return HF_ERR_JSON_SYNTAX;
    }
    v->depth--;
    v->i++;
    value_done(v);
    return HF_OK;
}

static hf_status_t v_value(vstate_t *v, char c)
{
    bool ok;
    if (c == '{' || c == '[') {
        return v_open(v, c == '{');
    }
    if (c == '"') {
        ok = scan_string(v);
    } else if (c == '-' || is_digit(c)) {
        ok = scan_number(v);
    } else if (c == 't') {
        ok = scan_word(v, "true", 4u);
    } else if (c == 'f') {
        ok = scan_word(v, "false", 5u);
    } else {
        ok = scan_word(v, "null", 4u);
    }
    if (!ok) {
        return HF_ERR_JSON_SYNTAX;
    }
    value_done(v);
    return HF_OK;
}

static hf_status_t v_step(vstate_t *v, char c)
{
    switch (v->state) {
    case V_VALUE_OR_CLOSE:
        return c == ']' ? v_close(v, c) : v_value(v, c);
    case V_VALUE:
        return v_value(v, c);
    case V_KEY_OR_CLOSE:
    case V_KEY:
        if (c == '}' && v->state == V_KEY_OR_CLOSE) {
            return v_close(v, c);
        }
        if (c != '"' || !scan_string(v)) {
            return HF_ERR_JSON_SYNTAX;
        }
        v->state = V_COLON;
        return HF_OK;
    case V_COLON:
        v->i++;
        v->state = V_VALUE;
        return c == ':' ? HF_OK : HF_ERR_JSON_SYNTAX;
    case V_AFTER:
        if (c != ',') {
            return v_close(v, c);
        }
        v->i++;
        v->state = top_is_obj(v) ? V_KEY : V_VALUE;
        return HF_OK;
    default:
        return HF_ERR_JSON_SYNTAX;
    }
}

hf_status_t hf_priv_json_validate(const char *s, size_t len)
{
    vstate_t v;
    memset(&v, 0, sizeof v);
    v.s = s;
    v.len = len;
    v.state = V_VALUE;
    while (v.i < len) {
        hf_status_t st;
        if (is_ws(s[v.i])) {
            v.i++;
            continue;
        }
        st = v_step(&v, s[v.i]);
        if (st != HF_OK) {
            return st;
        }
    }
    return v.state == V_DONE ? HF_OK : HF_ERR_JSON_SYNTAX;
}
