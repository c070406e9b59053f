/* Readable texts for the mbedTLS port's failures: verify flags, alerts, mbedTLS codes.
 * printf-free on purpose: the same file builds for targets whose libc printf allocates. */
#include "hf/port/hf_mbedtls.h"

#include "hf_mbedtls_priv.h"

#include "mbedtls/x509.h"
#if defined(MBEDTLS_ERROR_C)
#include "mbedtls/error.h"
#endif

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

void hf_priv_tls_cat(char *buf, size_t cap, const char *s)
{
    size_t have;
    if (cap == 0u) {
        return;
    }
    have = slen(buf);
    while (*s != '\0' && have + 1u < cap) {
        buf[have++] = *s++;
    }
    buf[have] = '\0';
}

void hf_priv_tls_cat_hex(char *buf, size_t cap, uint32_t v)
{
    static const char digits[] = "0123456789ABCDEF";
    char tmp[9];
    size_t n = 8u;
    tmp[8] = '\0';
    do {
        tmp[--n] = digits[v & 0xFu];
        v >>= 4;
    } while (v != 0u && n > 0u);
    hf_priv_tls_cat(buf, cap, tmp + n);
}

void hf_priv_tls_cat_code(char *buf, size_t cap, int32_t code)
{
    if (code < 0) {
        hf_priv_tls_cat(buf, cap, "-0x");
        hf_priv_tls_cat_hex(buf, cap, (uint32_t)0u - (uint32_t)code);
    } else {
        hf_priv_tls_cat(buf, cap, "0x");
        hf_priv_tls_cat_hex(buf, cap, (uint32_t)code);
    }
}

void hf_priv_tls_cat_u32(char *buf, size_t cap, uint32_t v)
{
    char tmp[11];
    size_t n = 10u;
    tmp[10] = '\0';
    do {
        tmp[--n] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0u && n > 0u);
    hf_priv_tls_cat(buf, cap, tmp + n);
}

typedef struct alert_name {
    uint8_t code;
    const char *name;
} alert_name_t;

static const alert_name_t k_alerts[] = {
    {0, "close_notify"},
    {10, "unexpected_message"},
    {20, "bad_record_mac"},
    {22, "record_overflow"},
    {40, "handshake_failure"},
    {42, "bad_certificate"},
    {43, "unsupported_certificate"},
    {44, "certificate_revoked"},
    {45, "certificate_expired"},
    {46, "certificate_unknown"},
    {47, "illegal_parameter"},
    {48, "unknown_ca"},
    {49, "access_denied"},
    {50, "decode_error"},
    {51, "decrypt_error"},
    {70, "protocol_version"},
    {71, "insufficient_security"},
    {80, "internal_error"},
    {86, "inappropriate_fallback"},
    {90, "user_canceled"},
    {109, "missing_extension"},
    {110, "unsupported_extension"},
    {112, "unrecognized_name"},
    {116, "certificate_required"},
    {120, "no_application_protocol"},
};

const char *hf_priv_tls_alert_name(uint8_t desc)
{
    for (size_t i = 0; i < sizeof k_alerts / sizeof k_alerts[0]; i++) {
        if (k_alerts[i].code == desc) {
            return k_alerts[i].name;
        }
    }
    return "unknown alert";
}

#if !defined(MBEDTLS_ERROR_C)
typedef struct code_name {
    int code;
    const char *name;
} code_name_t;

/* Without MBEDTLS_ERROR_C there is no strerror: name the codes a client meets most. */
static const code_name_t k_codes[] = {
    {MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, "fatal alert received"},
    {MBEDTLS_ERR_SSL_CONN_EOF, "connection closed"},
    {MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY, "peer sent close_notify"},
    {MBEDTLS_ERR_SSL_INVALID_RECORD, "invalid record"},
    {MBEDTLS_ERR_SSL_BAD_INPUT_DATA, "bad input data"},
    {MBEDTLS_ERR_SSL_ALLOC_FAILED, "out of heap"},
    {MBEDTLS_ERR_SSL_INVALID_MAC, "bad record MAC"},
    {MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, "certificate verification failed"},
#if defined(MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE)
    {MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, "handshake failure"},
#endif
#if defined(MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO)
    {MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO, "bad ServerHello"},
#endif
#if defined(MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION)
    {MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION, "protocol version not supported"},
#endif
};
#endif

void hf_priv_tls_cat_strerror(char *buf, size_t cap, int code)
{
#if defined(MBEDTLS_ERROR_C)
    char tmp[96];
    mbedtls_strerror(code, tmp, sizeof tmp);
    hf_priv_tls_cat(buf, cap, tmp);
#else
    const char *name = "mbedTLS error";
    for (size_t i = 0; i < sizeof k_codes / sizeof k_codes[0]; i++) {
        if (k_codes[i].code == code) {
            name = k_codes[i].name;
        }
    }
    hf_priv_tls_cat(buf, cap, name);
#endif
}

typedef struct flag_text {
    uint32_t flag;
    const char *text;
} flag_text_t;

/* Order: the reasons a user can act on first (clock, name, trust). */
static const flag_text_t k_flags[] = {
    {MBEDTLS_X509_BADCERT_FUTURE, "certificate not yet valid: is the device clock set?"},
    {MBEDTLS_X509_BADCERT_EXPIRED, "certificate expired"},
    {MBEDTLS_X509_BADCERT_CN_MISMATCH, "name mismatch: the certificate's CN/SAN do not name "},
    {MBEDTLS_X509_BADCERT_NOT_TRUSTED,
     "certificate not trusted (issuer not in the CA chain, or self-signed)"},
    {MBEDTLS_X509_BADCERT_REVOKED, "certificate revoked"},
    {MBEDTLS_X509_BADCERT_MISSING, "the server sent no certificate"},
    {MBEDTLS_X509_BADCERT_SKIP_VERIFY, "verification skipped"},
    {MBEDTLS_X509_BADCERT_OTHER, "certificate rejected (other reason)"},
    {MBEDTLS_X509_BADCERT_KEY_USAGE, "certificate key usage does not allow this use"},
    {MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, "certificate extended key usage does not allow TLS server use"},
    {MBEDTLS_X509_BADCERT_NS_CERT_TYPE, "certificate type does not allow TLS server use"},
    {MBEDTLS_X509_BADCERT_BAD_MD, "certificate signed with a hash that is not allowed"},
    {MBEDTLS_X509_BADCERT_BAD_PK, "certificate key algorithm not allowed"},
    {MBEDTLS_X509_BADCERT_BAD_KEY, "certificate key too weak or curve not allowed"},
    {MBEDTLS_X509_BADCRL_NOT_TRUSTED, "CRL not trusted"},
    {MBEDTLS_X509_BADCRL_EXPIRED, "CRL expired"},
    {MBEDTLS_X509_BADCRL_FUTURE, "CRL not yet valid"},
    {MBEDTLS_X509_BADCRL_BAD_MD, "CRL signed with a hash that is not allowed"},
    {MBEDTLS_X509_BADCRL_BAD_PK, "CRL key algorithm not allowed"},
    {MBEDTLS_X509_BADCRL_BAD_KEY, "CRL key too weak"},
};

const char *hf_mbedtls_verify_text(uint32_t flags, const char *server_name, char *buf, size_t cap)
{
    uint32_t known = 0u;
    if (buf == NULL || cap == 0u) {
        return buf;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof k_flags / sizeof k_flags[0]; i++) {
        known |= k_flags[i].flag;
        if ((flags & k_flags[i].flag) == 0u) {
            continue;
        }
        if (buf[0] != '\0') {
            hf_priv_tls_cat(buf, cap, "; ");
        }
        hf_priv_tls_cat(buf, cap, k_flags[i].text);
        if (k_flags[i].flag == (uint32_t)MBEDTLS_X509_BADCERT_CN_MISMATCH) {
            hf_priv_tls_cat(buf, cap, server_name != NULL ? "\"" : "the server");
            hf_priv_tls_cat(buf, cap, server_name != NULL ? server_name : "");
            hf_priv_tls_cat(buf, cap, server_name != NULL ? "\"" : "");
        }
    }
    if ((flags & ~known) != 0u || flags == 0u) {
        hf_priv_tls_cat(buf, cap, buf[0] != '\0' ? "; " : "");
        hf_priv_tls_cat(buf, cap, flags == 0u ? "certificate rejected" : "unknown verify flags");
    }
    hf_priv_tls_cat(buf, cap, " (verify flags 0x");
    hf_priv_tls_cat_hex(buf, cap, flags);
    hf_priv_tls_cat(buf, cap, ")");
    return buf;
}
