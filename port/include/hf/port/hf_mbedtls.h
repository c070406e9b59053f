/**
 * @file hf_mbedtls.h
 * @brief TLS (mbedTLS) as an ::hf_transport_t that wraps another ::hf_transport_t.
 *
 * One TLS implementation for every network stack: the inner transport (POSIX sockets, lwIP,
 * a test fake) carries the records; this port runs the handshake, verifies the server and
 * encrypts. Builds against mbedTLS 2.28 (TLS 1.2) and mbedTLS 3.x (TLS 1.2 and 1.3, as
 * shipped by ESP-IDF and Zephyr).
 *
 * @code
 * static hf_posix_transport_t tcp;
 * static hf_mbedtls_transport_t tls;
 * hf_transport_t inner = hf_posix_transport(&tcp);
 * hf_mbedtls_config_t tc = {0};
 * tc.ca = (const uint8_t *)ca_pem;   // PEM text: NUL-terminated, ca_len 0 = use strlen + 1
 * tc.clock = hf_posix_clock();
 * if (hf_mbedtls_init(&tls, &tc, &inner) != HF_OK) { ... tls.describe has the reason ... }
 * cfg.transport = hf_mbedtls_transport(&tls);   // hf_client_config_t
 * ...
 * hf_mbedtls_free(&tls);
 * @endcode
 *
 * Mapping of outcomes to ::hf_status_t (the contract of hf_transport.h):
 * - connect: the inner connect's status (#HF_ERR_DNS, #HF_ERR_IO, #HF_ERR_TIMEOUT ...);
 *   #HF_ERR_CERTIFICATE when the server certificate is refused (native_error = the mbedTLS
 *   verify flags, describe = one reason per flag: "certificate expired", "certificate not yet
 *   valid: is the device clock set?", "name mismatch ...", "certificate not trusted ...");
 *   #HF_ERR_TLS for every other handshake failure (native_error = the mbedTLS code, describe =
 *   mbedtls_strerror() text where MBEDTLS_ERROR_C is built in, the alert the server sent when it
 *   sent one); #HF_ERR_TIMEOUT when the handshake did not finish within `timeout_ms`.
 * - send: bytes taken (> 0), 0 when nothing could be sent within `timeout_ms`, #HF_ERR_TLS,
 *   or the inner transport's status.
 * - recv: bytes (> 0), 0 when no application data arrived within `timeout_ms` (0 = poll: one
 *   non-waiting look, cheap enough for the client's keep-alive check), #HF_ERR_CLOSED when the
 *   peer sent close_notify, #HF_ERR_TRUNCATED when it closed TCP without close_notify
 *   (mbedtls_ssl_read 0 or MBEDTLS_ERR_SSL_CONN_EOF: possibly a truncation attack, RFC 2818
 *   2.2.2; the HTTP layer refuses an HTTP/1.1 body delimited by the close, accepts an HTTP/1.0
 *   one and judges framed bodies by their framing), #HF_ERR_TLS for a bad record (a record larger than the input buffer is
 *   "TLS record larger than input buffer (MBEDTLS_SSL_IN_CONTENT_LEN)"; a header that is not
 *   TLS, "invalid TLS record (type 0xNN, version 0xNNNN)"), or the inner
 *   transport's status (e.g. #HF_ERR_IO for a reset).
 * - close: sends close_notify (best effort, at most #HF_MBEDTLS_CLOSE_TIMEOUT_MS), then closes
 *   the inner transport. Safe on a closed or never-connected transport.
 *
 * Certificate verification is always required (MBEDTLS_SSL_VERIFY_REQUIRED); there is no
 * option to turn it off. mbedTLS 2.28 matches the server name against the certificate's
 * dNSName SANs and CN only: connect by host name (e.g. "localhost"), not by IP literal, unless
 * the certificate names the IP as a DNS name.
 *
 * RAM (mbedTLS heap, default mbedTLS buffer sizes; see docs/tls.md for measured figures):
 * - record buffers, allocated by mbedtls_ssl_setup() for the transport's lifetime:
 *   input MBEDTLS_SSL_IN_CONTENT_LEN + ~0.3 KiB, output MBEDTLS_SSL_OUT_CONTENT_LEN + ~0.3 KiB
 *   (16 KiB + 16 KiB by default). The input buffer must hold a full 16 KiB record unless the
 *   server honours max_fragment_length: general-purpose HTTPS front ends ignore it.
 * - handshake peak: the record buffers plus the server's certificate chain, ECDHE/RSA state
 *   and handshake hashes: about 10-20 KiB above the buffers, freed after the handshake
 *   (the parsed peer certificate stays while MBEDTLS_SSL_KEEP_PEER_CERTIFICATE is on).
 * - the parsed CA chain: about 1-2 KiB per CA certificate (a whole system bundle is ~0.2 MiB:
 *   give a device only the roots it needs).
 * - this struct (hf_mbedtls_transport_t): the mbedTLS contexts, a few KiB (entropy included).
 */
#ifndef HF_PORT_MBEDTLS_H
#define HF_PORT_MBEDTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_transport.h"

#include "mbedtls/ssl.h"
#include "mbedtls/version.h" /* MBEDTLS_VERSION_NUMBER / _STRING on 2.28 as on 3.x */
#include "mbedtls/x509_crt.h"

/* The default generator needs both; without them the caller must pass hf_mbedtls_config_t.rng. */
#if defined(MBEDTLS_ENTROPY_C) && defined(MBEDTLS_CTR_DRBG_C)
#define HF_MBEDTLS_HAVE_DRBG 1
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#else
#define HF_MBEDTLS_HAVE_DRBG 0
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef HF_MBEDTLS_CLOSE_TIMEOUT_MS
/** @brief Most milliseconds close() spends sending close_notify (range 0..10000, default 200). */
#define HF_MBEDTLS_CLOSE_TIMEOUT_MS 200u
#endif

#ifndef HF_MBEDTLS_DESCRIBE_MAX
/** @brief Size of the describe() text buffer, NUL included (range 64..512, default 256). */
#define HF_MBEDTLS_DESCRIBE_MAX 256
#endif

#ifndef HF_MBEDTLS_HOST_MAX
/** @brief Longest server name kept for SNI and session resumption, NUL included (default 128). */
#define HF_MBEDTLS_HOST_MAX 128
#endif

/**
 * @brief Random generator in mbedTLS's `f_rng` shape: fill `out[0..len)`, return 0 on success.
 * On a target, wrap the hardware RNG (e.g. esp_fill_random, sys_csrand_get).
 */
typedef int (*hf_mbedtls_rng_fn)(void *rng_ctx, unsigned char *out, size_t len);

/**
 * @brief Entropy source in mbedTLS's `mbedtls_entropy_f_source_ptr` shape, added as a strong
 * source to the port's own entropy pool (for builds with MBEDTLS_NO_PLATFORM_ENTROPY).
 */
typedef int (*hf_mbedtls_entropy_fn)(void *entropy_ctx, unsigned char *out, size_t len, size_t *olen);

/**
 * @brief Configuration, in the caller's memory. hf_mbedtls_init() copies the struct and parses
 * `ca` into mbedTLS's own memory (`ca` may be freed afterwards); `server_name` and the
 * contexts of the hooks must stay valid until hf_mbedtls_free().
 */
typedef struct hf_mbedtls_config {
    /** Trusted CA chain: PEM (one or more certificates, NUL-terminated) or one DER certificate.
     *  Required: there is no way to skip verification. */
    const uint8_t *ca;
    /** Bytes of `ca`; for PEM including the terminating NUL. 0 = `ca` is a PEM C string
     *  (length from strlen, plus the NUL). */
    size_t ca_len;
    /** Name for SNI and certificate verification; NULL = the host passed to connect. */
    const char *server_name;
    /** Random generator for TLS; NULL = the port's mbedtls_entropy + ctr_drbg. */
    hf_mbedtls_rng_fn rng;
    void *rng_ctx; /**< passed to `rng` */
    /** Extra strong entropy source for the default generator (hardware RNG); may be NULL. */
    hf_mbedtls_entropy_fn entropy;
    void *entropy_ctx; /**< passed to `entropy` */
    /** Time source for the per-call deadlines. `now_ms` is required. */
    hf_clock_t clock;
    /** Request the max_fragment_length extension: 0 (do not ask), 512, 1024, 2048 or 4096.
     *  Servers may ignore it: the input buffer still has to hold what they send. A TLS 1.2
     *  extension: with mbedTLS 3.x a non-zero value limits the connection to TLS 1.2 (3.6's
     *  TLS 1.3 client refuses a server that echoes it). */
    uint16_t max_fragment_len;
} hf_mbedtls_config_t;

/** @brief Connection state of the TLS transport (internal). */
typedef enum hf_mbedtls_state {
    HF_MBEDTLS_IDLE = 0,    /**< not connected */
    HF_MBEDTLS_OPEN,        /**< handshake done, records flow */
    HF_MBEDTLS_PEER_CLOSED, /**< the peer sent close_notify */
    HF_MBEDTLS_FAILED,      /**< a fatal error: only close() is useful */
    HF_MBEDTLS_PEER_CUT     /**< the peer closed TCP without close_notify */
} hf_mbedtls_state_t;

/** @brief What the port saw of the server's record stream (internal: for error reports). */
typedef struct hf_mbedtls_records {
    uint8_t hdr[5];     /**< header of the record being received */
    uint8_t hdr_have;   /**< bytes of `hdr` received */
    uint8_t type;       /**< content type of the current record */
    uint8_t ccs_seen;   /**< a ChangeCipherSpec arrived: later alerts are encrypted */
    uint8_t alert_have; /**< bytes of a plaintext alert captured */
    uint8_t alert[2];   /**< last plaintext alert: level, description */
    uint8_t first_done; /**< the first record header of the connection is complete */
    uint8_t not_tls;    /**< the server's first bytes cannot start a TLS record (an HTTP answer?) */
    uint32_t body_left; /**< bytes of the current record's body still to come */
    uint32_t len;       /**< length announced by the current (or last) record header */
} hf_mbedtls_records_t;

/**
 * @brief State of one TLS transport. Make it `static` (it holds the mbedTLS contexts, a few
 * KiB); initialise with hf_mbedtls_init(), release with hf_mbedtls_free().
 */
typedef struct hf_mbedtls_transport {
    hf_transport_t inner;    /**< the transport that carries the records */
    hf_mbedtls_config_t cfg; /**< copy of the configuration */
    mbedtls_ssl_context ssl; /**< the connection */
    mbedtls_ssl_config conf; /**< the client configuration */
    mbedtls_x509_crt ca;     /**< the parsed CA chain */
#if HF_MBEDTLS_HAVE_DRBG
    mbedtls_entropy_context entropy; /**< default generator's entropy pool */
    mbedtls_ctr_drbg_context drbg;   /**< default generator */
#endif
    mbedtls_ssl_session session;            /**< last session, for resumption */
    bool inited;                            /**< the mbedTLS contexts are initialised (free them) */
    bool ready;                             /**< hf_mbedtls_init() succeeded */
    bool have_session;                      /**< `session` holds a resumable session */
    hf_mbedtls_state_t state;               /**< connection state */
    uint16_t port;                          /**< port of the current connection */
    uint16_t session_port;                  /**< port `session` belongs to */
    char session_host[HF_MBEDTLS_HOST_MAX]; /**< server name `session` belongs to */
    char name[HF_MBEDTLS_HOST_MAX];         /**< server name of the current connection */
    uint32_t op_start;                      /**< clock at the start of the current call */
    uint32_t op_budget;                     /**< its timeout_ms */
    hf_status_t bio_status;                 /**< the inner transport's failure inside a bio callback */
    int32_t native;                         /**< native_error(): mbedTLS code, verify flags, or the inner's */
    uint32_t handshakes;                    /**< completed handshakes (full or resumed) since init */
    hf_mbedtls_records_t rec;               /**< record tracker */
    char describe[HF_MBEDTLS_DESCRIBE_MAX]; /**< describe(): text of the last failure */
} hf_mbedtls_transport_t;

/**
 * @brief Set up `t` over `inner`: parse the CA chain, seed the generator, configure TLS.
 * @param[out] t     state, owned by the caller until hf_mbedtls_free()
 * @param[in]  cfg   configuration (copied; see ::hf_mbedtls_config_t for what must outlive `t`)
 * @param[in]  inner transport that carries the records (copied; its ctx must outlive `t`)
 * @return #HF_OK; #HF_ERR_INVALID_ARG for a missing CA, clock or inner transport, an
 *         unparsable CA chain (t->native = the mbedTLS code) or an unsupported
 *         max_fragment_len; #HF_ERR_TLS when mbedTLS cannot be set up (RNG seeding,
 *         psa_crypto_init, out of heap). t->describe says why in every case.
 * @note Allocates from mbedTLS's heap (the record buffers, the CA chain): call
 *       hf_mbedtls_static_heap() first where that heap must be a static buffer.
 */
HF_MUST_CHECK hf_status_t hf_mbedtls_init(hf_mbedtls_transport_t *t, const hf_mbedtls_config_t *cfg,
                                          const hf_transport_t *inner);

/**
 * @brief The transport over `t` (ctx = t), for hf_client_config_t.transport.
 * @param[in] t state initialised by hf_mbedtls_init()
 */
hf_transport_t hf_mbedtls_transport(hf_mbedtls_transport_t *t);

/**
 * @brief Close any connection and release everything mbedTLS allocated for `t`.
 * Safe after a failed hf_mbedtls_init() and on a zeroed struct.
 */
void hf_mbedtls_free(hf_mbedtls_transport_t *t);

/** @brief Drop the saved session: the next connect does a full handshake. */
void hf_mbedtls_forget_session(hf_mbedtls_transport_t *t);

/**
 * @brief Put every mbedTLS allocation in `buf` (mbedtls_memory_buffer_alloc_init, which
 * installs its calloc/free through mbedtls_platform_set_calloc_free).
 * Call once, before hf_mbedtls_init() and before any other mbedTLS call; `buf` must stay
 * valid (and unused by anything else) for as long as mbedTLS is used.
 * @param[in] buf memory for mbedTLS's heap; see the RAM figures above (about 48 KiB for one
 *                connection with 16 KiB record buffers and a few CA certificates)
 * @param[in] len its size in bytes
 * @return #HF_OK; #HF_ERR_INVALID_ARG for a NULL or tiny buffer; #HF_ERR_UNSUPPORTED when
 *         mbedTLS is built without MBEDTLS_PLATFORM_MEMORY or MBEDTLS_MEMORY_BUFFER_ALLOC_C
 *         (e.g. Debian's libmbedtls).
 */
HF_MUST_CHECK hf_status_t hf_mbedtls_static_heap(uint8_t *buf, size_t len);

/**
 * @brief Readable text for mbedTLS certificate verify flags, one reason per flag joined
 * by "; ", then " (verify flags 0x...)". Used for describe() after #HF_ERR_CERTIFICATE.
 * @param[in]  flags       result of mbedtls_ssl_get_verify_result()
 * @param[in]  server_name name that was checked (for the mismatch reason), may be NULL
 * @param[out] buf         text, always NUL-terminated when cap > 0 (cut to fit)
 * @param[in]  cap         size of buf
 * @return buf
 */
const char *hf_mbedtls_verify_text(uint32_t flags, const char *server_name, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* HF_PORT_MBEDTLS_H */
