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
    size_t cap;           /**< its size; an event may hold cap - 1 bytes */
    size_t len;           /**< bytes of the event so far */
    hf_sse_event_fn on_event;
    void *user;
    uint8_t state;        /**< line state */
    uint8_t field_len;
    char field[8];        /**< field name so far ("data" is all we keep) */
    bool pending_cr;      /**< last byte was CR: a following LF belongs to it */
    bool has_data;        /**< the current event has had a data line */
    bool in_data;         /**< the current line is a data line */
    bool skip_space;      /**< the next byte is the one optional space after ':' */
    uint32_t events;      /**< events dispatched */
} hf_sse_t;

#ifdef __cplusplus
}
#endif
#endif /* HF_SSE_H */
