/**
 * @file hf_config.h
 * @brief Every compile-time knob of hfmicro, each with an `#ifndef` default.
 *
 * Override any of them with `-D`, or put them in a header named by
 * `HF_CONFIG_FILE` (e.g. `-DHF_CONFIG_FILE="my_hf_config.h"`). Under ESP-IDF
 * and Zephyr, `CONFIG_HF_*` Kconfig symbols are mapped onto these.
 * No knob changes the layout of a public struct except the documented
 * buffer sizes, which callers size their storage from.
 */
#ifndef HF_CONFIG_H
#define HF_CONFIG_H

#ifdef HF_CONFIG_FILE
#include HF_CONFIG_FILE
#endif

/* Kconfig bridge: ESP-IDF (sdkconfig.h) and Zephyr (autoconf.h) define CONFIG_HF_*. */
#if defined(CONFIG_HF_SSE_MAX_EVENT) && !defined(HF_SSE_MAX_EVENT)
#define HF_SSE_MAX_EVENT CONFIG_HF_SSE_MAX_EVENT
#endif
#if defined(CONFIG_HF_JSON_MAX_DEPTH) && !defined(HF_JSON_MAX_DEPTH)
#define HF_JSON_MAX_DEPTH CONFIG_HF_JSON_MAX_DEPTH
#endif
#if defined(CONFIG_HF_ERROR_MESSAGE_MAX) && !defined(HF_ERROR_MESSAGE_MAX)
#define HF_ERROR_MESSAGE_MAX CONFIG_HF_ERROR_MESSAGE_MAX
#endif
#if defined(CONFIG_HF_MAX_HOST) && !defined(HF_MAX_HOST)
#define HF_MAX_HOST CONFIG_HF_MAX_HOST
#endif
#if defined(CONFIG_HF_MAX_URL) && !defined(HF_MAX_URL)
#define HF_MAX_URL CONFIG_HF_MAX_URL
#endif

/** Largest SSE event (joined `data` lines) in bytes, taken from the arena per stream. Range 128..65535. Default 1280. */
#ifndef HF_SSE_MAX_EVENT
#define HF_SSE_MAX_EVENT 1280
#endif

/** Deepest JSON nesting accepted in a response. Range 4..64. Default 16. */
#ifndef HF_JSON_MAX_DEPTH
#define HF_JSON_MAX_DEPTH 16
#endif

/** Bytes of the server/library message kept in hf_error_t. Range 32..1024. Default 192. */
#ifndef HF_ERROR_MESSAGE_MAX
#define HF_ERROR_MESSAGE_MAX 192
#endif

/** Bytes of `error_type` kept in hf_error_t. Default 32. */
#ifndef HF_ERROR_TYPE_MAX
#define HF_ERROR_TYPE_MAX 32
#endif

/** Bytes of `x-request-id` kept in hf_error_t. Default 64. */
#ifndef HF_REQUEST_ID_MAX
#define HF_REQUEST_ID_MAX 64
#endif

/** Longest host name the client connects to. Default 64. */
#ifndef HF_MAX_HOST
#define HF_MAX_HOST 64
#endif

/** Longest request URL (scheme, host, path) built for a call; kept in the client. Default 256. */
#ifndef HF_MAX_URL
#define HF_MAX_URL 256
#endif

/** Longest response header line the parser keeps (longer lines of headers it does not need are skipped). Default 256. */
#ifndef HF_HTTP_MAX_HEADER_LINE
#define HF_HTTP_MAX_HEADER_LINE 256
#endif

/** Bytes of the response Content-Type kept. Default 64. */
#ifndef HF_HTTP_MAX_CONTENT_TYPE
#define HF_HTTP_MAX_CONTENT_TYPE 64
#endif

/** Largest error body read for its message (the rest is drained). Default 1024. */
#ifndef HF_ERROR_BODY_MAX
#define HF_ERROR_BODY_MAX 1024
#endif

/** Default timeouts in milliseconds (0 in a config means "use the default"). */
#ifndef HF_DEFAULT_CONNECT_TIMEOUT_MS
#define HF_DEFAULT_CONNECT_TIMEOUT_MS 10000u
#endif
#ifndef HF_DEFAULT_FIRST_BYTE_TIMEOUT_MS
#define HF_DEFAULT_FIRST_BYTE_TIMEOUT_MS 60000u
#endif
#ifndef HF_DEFAULT_IDLE_TIMEOUT_MS
#define HF_DEFAULT_IDLE_TIMEOUT_MS 30000u
#endif
#ifndef HF_DEFAULT_TOTAL_TIMEOUT_MS
#define HF_DEFAULT_TOTAL_TIMEOUT_MS 300000u
#endif

/** Default attempts per call including the first (retries only on 503 loading / 429). Default 3. */
#ifndef HF_DEFAULT_MAX_ATTEMPTS
#define HF_DEFAULT_MAX_ATTEMPTS 3u
#endif
/** Default cap on one retry wait, ms. Default 30000. */
#ifndef HF_DEFAULT_MAX_RETRY_WAIT_MS
#define HF_DEFAULT_MAX_RETRY_WAIT_MS 30000u
#endif
/** Default cap on all retry waits of one call, ms. Default 60000. */
#ifndef HF_DEFAULT_MAX_TOTAL_RETRY_WAIT_MS
#define HF_DEFAULT_MAX_TOTAL_RETRY_WAIT_MS 60000u
#endif

/** Default base URL. */
#ifndef HF_DEFAULT_BASE_URL
#define HF_DEFAULT_BASE_URL "https://router.huggingface.co"
#endif
/** Default provider. */
#ifndef HF_DEFAULT_PROVIDER
#define HF_DEFAULT_PROVIDER "hf-inference"
#endif

#define HF_VERSION_STRING "0.1.0"

/** Default User-Agent. */
#ifndef HF_DEFAULT_USER_AGENT
#define HF_DEFAULT_USER_AGENT "hfmicro/" HF_VERSION_STRING
#endif

/* Log macros compile to nothing unless HF_LOG_LEVEL > 0 and HF_LOG_PRINTF is defined. */
#ifndef HF_LOG_LEVEL
#define HF_LOG_LEVEL 0
#endif

#if HF_SSE_MAX_EVENT < 128
#error "HF_SSE_MAX_EVENT must be at least 128"
#endif
#if HF_JSON_MAX_DEPTH < 4 || HF_JSON_MAX_DEPTH > 64
#error "HF_JSON_MAX_DEPTH must be in 4..64"
#endif
#if HF_ERROR_MESSAGE_MAX < 32
#error "HF_ERROR_MESSAGE_MAX must be at least 32"
#endif

#endif /* HF_CONFIG_H */
