/* Set-up and teardown of the mbedTLS port: configuration, CA chain, random generator, heap.
 * (The transport itself: hf_mbedtls.c.) */
#include <string.h>

#include "hf/port/hf_mbedtls.h"
#include "hf_mbedtls_priv.h"
#include "mbedtls/version.h"

#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C) &&                                 \
    (defined(MBEDTLS_USE_PSA_CRYPTO) || defined(MBEDTLS_SSL_PROTO_TLS1_3))
#define HF_TLS_NEED_PSA 1
#include "psa/crypto.h"
#endif

#if defined(MBEDTLS_PLATFORM_MEMORY) && defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
#define HF_TLS_STATIC_HEAP 1
#include "mbedtls/memory_buffer_alloc.h"
#endif

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static hf_status_t setup_rng(hf_mbedtls_transport_t *t)
{
    if (t->cfg.rng != NULL) {
        mbedtls_ssl_conf_rng(&t->conf, t->cfg.rng, t->cfg.rng_ctx);
        return HF_OK;
    }
#if HF_MBEDTLS_HAVE_DRBG
    {
        static const unsigned char pers[] = "hfmicro";
        int ret = 0;
        if (t->cfg.entropy != NULL) {
            ret = mbedtls_entropy_add_source(&t->entropy, t->cfg.entropy, t->cfg.entropy_ctx, 32u,
                                             MBEDTLS_ENTROPY_SOURCE_STRONG);
        }
        if (ret == 0) {
            ret = mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy, pers, sizeof pers - 1u);
        }
        if (ret != 0) {
            (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, "cannot seed the random generator: ");
            hf_priv_tls_cat_strerror(t->describe, sizeof t->describe, ret);
            return HF_ERR_TLS;
        }
        mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
        return HF_OK;
    }
#else
    return hf_priv_tls_say(t, HF_ERR_INVALID_ARG, 0, "no random generator: set hf_mbedtls_config_t.rng");
#endif
}

static hf_status_t setup_ca(hf_mbedtls_transport_t *t)
{
    size_t len = t->cfg.ca_len != 0u ? t->cfg.ca_len : slen((const char *)t->cfg.ca) + 1u;
    int ret = mbedtls_x509_crt_parse(&t->ca, t->cfg.ca, len);
    /* A bundle may hold certificates this mbedTLS cannot read (ret > 0): the rest still count. */
    if (ret < 0 || t->ca.raw.p == NULL) {
        (void)hf_priv_tls_say(t, HF_ERR_INVALID_ARG, (int32_t)ret, "cannot parse the CA chain: ");
        hf_priv_tls_cat_strerror(t->describe, sizeof t->describe,
                                 ret < 0 ? ret : MBEDTLS_ERR_X509_INVALID_FORMAT);
        return HF_ERR_INVALID_ARG;
    }
    mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
    return HF_OK;
}

static hf_status_t setup_mfl(hf_mbedtls_transport_t *t)
{
    uint16_t v = t->cfg.max_fragment_len;
    if (v == 0u) {
        return HF_OK;
    }
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
    {
        unsigned char code = v == 512u    ? MBEDTLS_SSL_MAX_FRAG_LEN_512
                             : v == 1024u ? MBEDTLS_SSL_MAX_FRAG_LEN_1024
                             : v == 2048u ? MBEDTLS_SSL_MAX_FRAG_LEN_2048
                             : v == 4096u ? MBEDTLS_SSL_MAX_FRAG_LEN_4096
                                          : MBEDTLS_SSL_MAX_FRAG_LEN_NONE;
        if (code == MBEDTLS_SSL_MAX_FRAG_LEN_NONE) {
            return hf_priv_tls_say(t, HF_ERR_INVALID_ARG, 0,
                                   "max_fragment_len must be 0, 512, 1024, 2048 or 4096");
        }
        (void)mbedtls_ssl_conf_max_frag_len(&t->conf, code);
        return HF_OK;
    }
#else
    return hf_priv_tls_say(t, HF_ERR_INVALID_ARG, 0,
                           "max_fragment_len needs MBEDTLS_SSL_MAX_FRAGMENT_LENGTH");
#endif
}

static void setup_versions(hf_mbedtls_transport_t *t)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
    mbedtls_ssl_conf_min_tls_version(&t->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    /* mbedTLS 3.6's TLS 1.3 client offers max_fragment_length but refuses the server's echo of
     * it (unsupported_extension): a requested fragment length keeps the connection on 1.2. */
    mbedtls_ssl_conf_max_tls_version(&t->conf, t->cfg.max_fragment_len != 0u ? MBEDTLS_SSL_VERSION_TLS1_2
                                                                             : MBEDTLS_SSL_VERSION_TLS1_3);
#endif
#else
    mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    mbedtls_ssl_conf_session_tickets(&t->conf, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3) && defined(MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED)
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        &t->conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#endif
#endif
}

static hf_status_t setup_conf(hf_mbedtls_transport_t *t)
{
    int ret = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    hf_status_t st;
    if (ret != 0) {
        (void)hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, "TLS configuration failed: ");
        hf_priv_tls_cat_strerror(t->describe, sizeof t->describe, ret);
        return HF_ERR_TLS;
    }
    /* Not configurable on purpose: a flag to skip verification ends up shipped. */
    mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    setup_versions(t);
    st = setup_mfl(t);
    if (st == HF_OK) {
        st = setup_rng(t);
    }
    if (st == HF_OK) {
        st = setup_ca(t);
    }
    return st;
}

static void init_contexts(hf_mbedtls_transport_t *t)
{
    memset(t, 0, sizeof *t);
    mbedtls_ssl_init(&t->ssl);
    mbedtls_ssl_config_init(&t->conf);
    mbedtls_x509_crt_init(&t->ca);
    mbedtls_ssl_session_init(&t->session);
#if HF_MBEDTLS_HAVE_DRBG
    mbedtls_entropy_init(&t->entropy);
    mbedtls_ctr_drbg_init(&t->drbg);
#endif
    t->inited = true;
}

static hf_status_t check_args(hf_mbedtls_transport_t *t, const hf_mbedtls_config_t *cfg,
                              const hf_transport_t *inner)
{
    if (inner == NULL || inner->connect == NULL || inner->send == NULL || inner->recv == NULL ||
        inner->close == NULL) {
        return hf_priv_tls_say(t, HF_ERR_INVALID_ARG, 0, "inner transport incomplete");
    }
    if (cfg == NULL || cfg->ca == NULL || cfg->clock.now_ms == NULL) {
        return hf_priv_tls_say(t, HF_ERR_INVALID_ARG, 0, "a CA chain and clock.now_ms are required");
    }
    return HF_OK;
}

hf_status_t hf_mbedtls_init(hf_mbedtls_transport_t *t, const hf_mbedtls_config_t *cfg,
                            const hf_transport_t *inner)
{
    hf_status_t st;
    int ret = 0;
    if (t == NULL) {
        return HF_ERR_INVALID_ARG;
    }
    init_contexts(t);
    st = check_args(t, cfg, inner);
    if (st != HF_OK) {
        return st;
    }
    t->cfg = *cfg;
    t->inner = *inner;
#if defined(HF_TLS_NEED_PSA)
    if (psa_crypto_init() != PSA_SUCCESS) {
        return hf_priv_tls_say(t, HF_ERR_TLS, 0, "psa_crypto_init failed");
    }
#endif
    st = setup_conf(t);
    if (st == HF_OK) {
        ret = mbedtls_ssl_setup(&t->ssl, &t->conf);
        if (ret != 0) {
            st = hf_priv_tls_say(t, HF_ERR_TLS, (int32_t)ret, "mbedtls_ssl_setup failed: ");
            hf_priv_tls_cat_strerror(t->describe, sizeof t->describe, ret);
        }
    }
    if (st != HF_OK) {
        return st;
    }
    mbedtls_ssl_set_bio(&t->ssl, t, hf_priv_tls_bio_send, hf_priv_tls_bio_recv, NULL);
    t->ready = true;
    return HF_OK;
}

void hf_mbedtls_free(hf_mbedtls_transport_t *t)
{
    if (t == NULL || !t->inited) {
        return;
    }
    hf_priv_tls_close(t);
    mbedtls_ssl_free(&t->ssl);
    mbedtls_ssl_config_free(&t->conf);
    mbedtls_x509_crt_free(&t->ca);
    mbedtls_ssl_session_free(&t->session);
#if HF_MBEDTLS_HAVE_DRBG
    mbedtls_ctr_drbg_free(&t->drbg);
    mbedtls_entropy_free(&t->entropy);
#endif
    t->inited = false;
    t->ready = false;
    t->have_session = false;
}

hf_status_t hf_mbedtls_static_heap(uint8_t *buf, size_t len)
{
#if defined(HF_TLS_STATIC_HEAP)
    if (buf == NULL || len < 1024u) {
        return HF_ERR_INVALID_ARG;
    }
    /* Installs its calloc/free through mbedtls_platform_set_calloc_free(). */
    mbedtls_memory_buffer_alloc_init(buf, len);
    return HF_OK;
#else
    (void)buf;
    (void)len;
    return HF_ERR_UNSUPPORTED;
#endif
}
