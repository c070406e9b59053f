/* Recorded exchanges for the unit tests: ../shared/fixtures/recorded/<task>__*.json (see its
 * README), read from HF_FIXTURES_DIR. Never copied into the repository: when the directory is
 * absent, hf_fixture_each() prints a SKIP line and the tests that need it check nothing.
 *
 * A recording is read with the library's JSON reader: the code under test is the task, not
 * the reader (test_json_read.c tests that). Expected values come from a second, independent
 * parse of the recorded body (hf_fixture_indep) read by key path (hf_fx_*), never from
 * running the task. Request bodies kept in base64 are decoded by a reference decoder written
 * here, apart from core/src/base64.c. */
#ifndef HF_TEST_FIXTURE_H
#define HF_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_json.h"

/** One recording. Its strings point into buffers of fixture.c: valid until the next load. */
typedef struct hf_fixture {
    char name[256];          /* file name, e.g. "text_generation__py-hfinf-default-1a2b3c.json" */
    char path[512];          /* path of request.url (after scheme and host) */
    long long req_clen;      /* the recorded request's Content-Length header, -1 when absent */
    const char *req_text;    /* request.body_text, or NULL when the recorder kept none */
    size_t req_text_len;
    const char *req_b64;     /* request.body_base64, or NULL */
    size_t req_b64_len;
    const uint8_t *req;      /* req_b64's bytes (reference decoder), or NULL */
    size_t req_len;
    int status;              /* response.status */
    char ctype[96];          /* the response's Content-Type ("application/octet-stream" when absent) */
    const char *resp;        /* response.body_text */
    size_t resp_len;
} hf_fixture_t;

/** The directory the recordings are read from (HF_FIXTURES_DIR). */
const char *hf_fixture_dir(void);
/** Reads recording `name` from HF_FIXTURES_DIR; 0, or -1 when it is missing or malformed. */
int hf_fixture_load(const char *name, hf_fixture_t *fx);

/** Calls fn for every recording whose name starts with `prefix` (directory order); a recording
 *  that cannot be read is a failed check. Returns how many were found, or -1 (after a SKIP
 *  line) when HF_FIXTURES_DIR is absent. */
int hf_fixture_each(const char *prefix, void (*fn)(const hf_fixture_t *fx));

/** The recorded response body as a document of its own (a copy: strings are decoded in place),
 *  for the expected values. Valid until the next call; 0, or -1. */
int hf_fixture_indep(const hf_fixture_t *fx, hf_json_doc_t *d);

/** Reference base64 decoder (bit accumulator, no table shared with the library); '=' ends the
 *  text. Returns the byte count, or -1 on a byte outside the alphabet. */
long hf_ref_b64_decode(const char *s, size_t n, uint8_t *out);

/* ------------------------------------------------------------------ values by key path
 * A path is dotted: "0.details.tokens.1.id" (numbers index arrays, names get keys), from token
 * `tok`; "" is the token itself. Absent values give the stated fallback. */

/** The token at `path`, or -1. */
int hf_fx_at(const hf_json_doc_t *d, int tok, const char *path);
/** The string at `path` (decoded in place), or NULL when absent, null or not a string. */
const char *hf_fx_str(hf_json_doc_t *d, int tok, const char *path);
/** Like hf_fx_str, but a number (or true/false) gives its JSON text. */
const char *hf_fx_text(hf_json_doc_t *d, int tok, const char *path);
/** The integer at `path`, or `fallback`. */
int64_t hf_fx_int(const hf_json_doc_t *d, int tok, const char *path, int64_t fallback);
/** The number at `path`, or -999. */
double hf_fx_num(const hf_json_doc_t *d, int tok, const char *path);
/** 1 or 0 for true/false at `path`, -1 otherwise. */
int hf_fx_bool(const hf_json_doc_t *d, int tok, const char *path);
/** True when `path` is absent or null. */
bool hf_fx_is_null(const hf_json_doc_t *d, int tok, const char *path);

/** Checks a {label, score} the task gave against element `el` of the recording: the label's
 *  text, and the score equal to the float the recorded number's text reads as (three checks). */
void hf_fx_check_label(hf_json_doc_t *d, int el, const char *label, float score);

#endif /* HF_TEST_FIXTURE_H */
