/* Private helpers shared by the mbedTLS port's files (not installed). */
#ifndef HF_MBEDTLS_PRIV_H
#define HF_MBEDTLS_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "hf/port/hf_mbedtls.h"

/** Append the C string `s` to the NUL-terminated text in buf (cap bytes); cut to fit. */
void hf_priv_tls_cat(char *buf, size_t cap, const char *s);
/** Append "-0x" and the hex digits of -code (code < 0), or "0x" and code's digits. */
void hf_priv_tls_cat_code(char *buf, size_t cap, int32_t code);
/** Append the upper-case hex digits of v (no prefix). */
void hf_priv_tls_cat_hex(char *buf, size_t cap, uint32_t v);
/** Append unsigned decimal. */
void hf_priv_tls_cat_u32(char *buf, size_t cap, uint32_t v);
/** Name of a TLS alert description (RFC 8446 6), e.g. "protocol_version"; never NULL. */
const char *hf_priv_tls_alert_name(uint8_t desc);
/** Append mbedtls_strerror()'s text of `code` when MBEDTLS_ERROR_C is built, else a short name. */
void hf_priv_tls_cat_strerror(char *buf, size_t cap, int code);

/** Set t->native and t->describe = text; returns st. */
hf_status_t hf_priv_tls_say(hf_mbedtls_transport_t *t, hf_status_t st, int32_t native, const char *text);
/** mbedtls_ssl_set_bio() callbacks over t->inner (ctx = t). */
int hf_priv_tls_bio_send(void *ctx, const unsigned char *buf, size_t len);
int hf_priv_tls_bio_recv(void *ctx, unsigned char *buf, size_t len);
/** The transport's close (close_notify, then the inner close). */
void hf_priv_tls_close(void *ctx);

#endif
