/**
 * @file hf_sse.h
 * @brief Server-sent events framer state (internal; public only for complete types).
 *
 * Push bytes in any split; complete events (joined `data` lines) are handed to
 * a callback. Handles LF, CR and CRLF line ends (a CR and its LF may arrive in
 * different pushes), `:` comments, `event:`/`id:`/`retry:` and unknown fields
 * (ignored), `data:` with or without one space, multi-line data joined with
 * `\n`. Blocks with no data dispatch nothing. An event larger than the buffer
 * is HF_ERR_SSE_EVENT_TOO_LARGE, never truncated.
 */
#ifndef HF_SSE_H
#define HF_SSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Called per complete event; `data` is NUL-terminated and writable (in-place JSON decoding). */
typedef hf_status_t (*hf_sse_event_fn)(void *user, char *data, size_t len);

typedef struct hf_sse {
    char *buf;            /**< event buffer (caller's, usually from the arena) */
    size_t cap;           /**< its size; an event may hold cap - 1 bytes (plus the NUL) */
    size_t len;           /**< bytes of the event so far */
    hf_sse_event_fn on_event;
    void *user;
    hf_status_t status;   /**< HF_OK, or the sticky failure every later call returns */
    uint32_t events;      /**< events dispatched (wraps) */
    uint8_t state;        /**< where in a line we are (sse.c) */
    uint8_t matched;      /**< bytes of the field name matching "data" so far: the only field kept */
    bool pending_cr;      /**< last line ended in CR: a following LF belongs to it */
    bool has_data;        /**< the current event has had a data line */
} hf_sse_t;

#ifdef __cplusplus
}
#endif
#endif /* HF_SSE_H */
