/* UTF-8 well-formedness (RFC 3629 section 4): JSON text must be UTF-8 (RFC 8259 section 8.1),
 * so the JSON reader refuses anything else rather than hand hostile bytes to the application. */
#include <string.h>

#include "hf_priv.h"

size_t hf_priv_utf8_seq(const char *s, size_t n)
{
    uint8_t c, lo = 0x80u, hi = 0xBFu;
    size_t need;
    if (n == 0u) {
        return 0u;
    }
    c = (uint8_t)s[0];
    if (c < 0x80u) {
        return 1u;
    }
    /* C0/C1 only ever start overlong 2-byte forms; F5..FF would be above U+10FFFF. */
    if (c < 0xC2u || c > 0xF4u) {
        return 0u;
    }
    need = c < 0xE0u ? 1u : c < 0xF0u ? 2u : 3u;
    /* Only the second byte's range depends on the lead: it is where overlong forms (E0, F0),
     * surrogates (ED) and code points past U+10FFFF (F4) show. */
    if (c == 0xE0u) {
        lo = 0xA0u;
    } else if (c == 0xEDu) {
        hi = 0x9Fu;
    } else if (c == 0xF0u) {
        lo = 0x90u;
    } else if (c == 0xF4u) {
        hi = 0x8Fu;
    }
    if (n <= need || (uint8_t)s[1] < lo || (uint8_t)s[1] > hi) {
        return 0u;
    }
    for (size_t k = 2u; k <= need; k++) {
        if (((uint8_t)s[k] & 0xC0u) != 0x80u) {
            return 0u;
        }
    }
    return need + 1u;
}

size_t hf_priv_utf8_put(char *dst, uint32_t cp)
{
    uint8_t b[4];
    size_t n;
    if (cp < 0x80u) {
        b[0] = (uint8_t)cp;
        n = 1u;
    } else if (cp < 0x800u) {
        b[0] = (uint8_t)(0xC0u | (cp >> 6));
        b[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 2u;
    } else if (cp < 0x10000u) {
        b[0] = (uint8_t)(0xE0u | (cp >> 12));
        b[1] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        b[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 3u;
    } else {
        b[0] = (uint8_t)(0xF0u | (cp >> 18));
        b[1] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
        b[2] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        b[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
        n = 4u;
    }
    if (dst != NULL) {
        memcpy(dst, b, n);
    }
    return n;
}

void hf_priv_json_explain(hf_error_t *err, hf_status_t st, const char *text, size_t len)
{
    size_t i = 0u, n, have = 0u;
    if (err == NULL || text == NULL || st != HF_ERR_JSON_SYNTAX) {
        return;
    }
    while (i < len && (n = hf_priv_utf8_seq(text + i, len - i)) != 0u) {
        i += n;
    }
    if (i == len) {
        return; /* a grammar error: the message the caller set says enough */
    }
    while (err->message[have] != '\0') {
        have++;
    }
    if (hf_priv_strlcpy(err->message + have, sizeof err->message - have, ": invalid UTF-8 at byte ", 24u) !=
        0) {
        err->message_truncated = 1u;
        return;
    }
    hf_priv_append_u64(err->message, sizeof err->message, (uint64_t)i);
}
