/**
 * @file hf_blob.h
 * @brief Binary task inputs (images, audio): bytes from caller memory or from a reader.
 *
 * Binary-input tasks (image classification, audio classification, object detection, ...)
 * send their media either as the raw request body (no parameters: Content-Type is the
 * media's own) or as JSON `{"inputs":"<base64>","parameters":{...}}`. Either way the bytes
 * go out through the client's I/O buffer in pieces: the media is never copied whole, and
 * never held in RAM at all when it comes from a reader (a file on flash or SD card).
 *
 * @code
 * // From memory:
 * hf_blob_t b = {0};
 * b.data = jpeg; b.data_len = jpeg_len; b.content_type = "image/jpeg";
 *
 * // From a reader (e.g. a FAT file):
 * static hf_status_t rd(void *u, uint8_t *buf, size_t cap, size_t *got) {
 *     *got = fread(buf, 1, cap, (FILE *)u);
 *     return *got > 0 ? HF_OK : HF_ERR_IO;
 * }
 * static hf_status_t rw(void *u) { return fseek((FILE *)u, 0, SEEK_SET) == 0 ? HF_OK : HF_ERR_IO; }
 * hf_blob_t f = {0};
 * f.read = rd; f.rewind = rw; f.user = fp; f.total_len = file_size; f.content_type = "audio/flac";
 * @endcode
 */
#ifndef HF_BLOB_H
#define HF_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Reader of a blob: put up to `cap` bytes (at least 1) into `buf`, set `*got`.
 * @param[in]  user  ::hf_blob_t::user
 * @param[out] buf   where to put the bytes (the client's I/O buffer, or a small stack chunk)
 * @param[in]  cap   at most this many bytes (never more than what is left of `total_len`)
 * @param[out] got   bytes written, 1..cap
 * @return HF_OK, or any error status, which ends the call with that status.
 *         HF_OK with `*got == 0` (the source ended before `total_len`) ends it with
 *         HF_ERR_INVALID_ARG: the request has a Content-Length that must hold.
 */
typedef hf_status_t (*hf_blob_read_fn)(void *user, uint8_t *buf, size_t cap, size_t *got);

/**
 * @brief Rewind a reader to the first byte of the media.
 * @return HF_OK, or an error status that ends the call.
 */
typedef hf_status_t (*hf_blob_rewind_fn)(void *user);

/**
 * @brief The media of a binary task input: exactly one of `data` or `read` is set.
 *
 * How often the reader is used: the request's Content-Length is computed from `total_len`
 * alone (the counting pass never calls `read`); the bytes are then read once per attempt
 * to send the request. Before every attempt `rewind` is called when set. An attempt after
 * the first happens only on a retry (503 model loading, 429; see
 * ::hf_client_config_t::max_attempts) or a resend on a stale keep-alive connection;
 * without `rewind` such a second attempt fails with HF_ERR_UNSUPPORTED instead of sending
 * the wrong bytes.
 * @note Nothing here is copied: `data`, `content_type` and the reader's source must stay
 *       valid until the call returns.
 */
typedef struct hf_blob {
    const uint8_t *data;      /**< the bytes, in caller memory; NULL when `read` is used */
    size_t data_len;          /**< their number (> 0 for a task call) */
    hf_blob_read_fn read;     /**< reader; NULL when `data` is used */
    hf_blob_rewind_fn rewind; /**< optional: back to the first byte before each send */
    void *user;               /**< passed to `read` and `rewind` */
    size_t total_len;         /**< with `read`: exact number of bytes it delivers (> 0) */
    /** MIME type of the media, e.g. "image/jpeg", "audio/flac": the Content-Type of a raw
     *  upload, so required then; not sent in a JSON+base64 body (may be NULL there). */
    const char *content_type;
} hf_blob_t;

#ifdef __cplusplus
}
#endif
#endif /* HF_BLOB_H */
