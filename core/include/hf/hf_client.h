/**
 * @file hf_client.h
 * @brief The client: configuration, lifecycle and error detail.
 *
 * @code
 * static uint8_t io[1024];
 * static hf_posix_transport_t tcp;
 * hf_client_config_t cfg = {0};
 * cfg.base_url = "http://127.0.0.1:8080";
 * cfg.token = getenv("HF_TOKEN");
 * cfg.transport = hf_posix_transport(&tcp);
 * cfg.clock = hf_posix_clock();
 * cfg.io_buf = io; cfg.io_buf_size = sizeof io;
 * static hf_client_t client;
 * if (hf_client_init(&client, &cfg) != HF_OK) { ... }
 * @endcode
 */
#ifndef HF_CLIENT_H
#define HF_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_arena.h"
#include "hf/hf_config.h"
#include "hf/hf_http.h"
#include "hf/hf_json.h"
#include "hf/hf_status.h"
#include "hf/hf_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Client configuration. Zero means "default" for every number and NULL for every string. */
typedef struct hf_client_config {
    const char *base_url;    /**< scheme://host[:port][/prefix]; default HF_DEFAULT_BASE_URL. Must outlive the client. */
    const char *provider;    /**< default HF_DEFAULT_PROVIDER; "auto" = router's own choice (chat) */
    const char *token;       /**< bearer token or NULL; never logged. Must outlive the client. */
    const char *user_agent;  /**< default HF_DEFAULT_USER_AGENT */
    hf_transport_t transport;/**< the network (plain or TLS); required */
    hf_clock_t clock;        /**< required: now_ms; sleep_ms optional (no waits without it) */
    uint8_t *io_buf;         /**< request and response bytes pass through here; >= 256 bytes */
    size_t io_buf_size;
    uint32_t connect_timeout_ms;    /**< default HF_DEFAULT_CONNECT_TIMEOUT_MS */
    uint32_t first_byte_timeout_ms; /**< request sent -> first response byte; default HF_DEFAULT_FIRST_BYTE_TIMEOUT_MS */
    uint32_t idle_timeout_ms;       /**< longest silence between two reads; default HF_DEFAULT_IDLE_TIMEOUT_MS */
    uint32_t total_timeout_ms;      /**< whole call including retries; default HF_DEFAULT_TOTAL_TIMEOUT_MS */
    uint8_t max_attempts;           /**< attempts per call incl. the first (503 loading / 429 only); default HF_DEFAULT_MAX_ATTEMPTS */
    uint32_t max_retry_wait_ms;     /**< cap of one wait; default HF_DEFAULT_MAX_RETRY_WAIT_MS */
    uint32_t max_total_retry_wait_ms; /**< cap of all waits of one call; default HF_DEFAULT_MAX_TOTAL_RETRY_WAIT_MS */
} hf_client_config_t;

/** @brief Client state. Complete type: make it static. One call at a time. */
typedef struct hf_client {
    hf_client_config_t cfg;       /**< copy of the config with defaults applied */
    hf_error_t err;               /**< detail of the last failed call */
    hf_http_resp_t resp;          /**< response parser */
    char url[HF_MAX_URL];         /**< URL of the current call */
    char host[HF_MAX_HOST];       /**< host of the open connection */
    uint16_t port;                /**< its port */
    bool connected;               /**< a connection is open */
    bool reusable;                /**< ...and may carry the next request */
    uint32_t requests_on_conn;    /**< requests sent on the open connection */
    uint32_t connects;            /**< connections opened since init (for tests and benches) */
} hf_client_t;

/**
 * @brief Check the config, apply defaults, parse the base URL.
 * @return HF_OK, HF_ERR_INVALID_ARG (missing transport/clock/io_buf, bad base URL).
 */
HF_MUST_CHECK hf_status_t hf_client_init(hf_client_t *c, const hf_client_config_t *cfg);

/** @brief Detail of the last failed call (status HF_OK after a success). */
const hf_error_t *hf_client_error(const hf_client_t *c);

/** @brief Close the connection, if any. The client may be used again. */
void hf_client_close(hf_client_t *c);

#ifdef __cplusplus
}
#endif
#endif /* HF_CLIENT_H */
