/**
 * @file hf_feature_extraction.h
 * @brief Feature extraction (`feature-extraction`): embeddings of one text or a batch.
 *
 * The input mirrors the `@huggingface/tasks` schema `FeatureExtractionInput`; its parameters
 * sit at the root of the body next to `inputs` (no `parameters` object). The output is nested
 * number arrays of 1 to 4 levels: sentence-transformers models answer one vector (`[768]`),
 * token-level models one vector per token (`[1][7][768]`), a batch adds a level. A batch of
 * token-level results is ragged when its texts have different token counts (hf-inference
 * answers `[2][1][3 or 7][768]` for two texts on facebook/bart-base): the output keeps every
 * number in document order plus the length of every array, so any nesting is rebuilt exactly.
 *
 * Memory: the whole response body, its JSON tokens (one per number plus one per array) and,
 * unless the caller gives buffers, the floats and the array lengths all come from the arena.
 * A recorded facebook/bart-base answer (1 x 7 x 768) is 105 KB of text, 5385 tokens (5376
 * numbers, 9 arrays), 21 KB of floats and 36 bytes of lengths: use
 * ::HF_FEATURE_EXTRACTION_ARENA_BYTES to size the arena.
 *
 * @code
 * static uint8_t mem[40 * 1024];
 * static float vec[768];
 * hf_arena_t arena;
 * hf_arena_init(&arena, mem, sizeof mem);
 * hf_feature_extraction_input_t in = {0};
 * in.inputs = "That is a happy person";
 * hf_feature_extraction_output_t out = {0};
 * out.data = vec; out.capacity = 768;     // or capacity 0: the floats go to the arena
 * if (hf_feature_extraction(&client, "sentence-transformers/all-MiniLM-L6-v2", &in, &arena, &out) == HF_OK) {
 *     // out.ndim == 1, out.shape[0] == out.count == 384, !out.ragged,
 *     // out.lengths_count == 1, out.lengths[0] == 384
 * }
 * @endcode
 */
#ifndef HF_FEATURE_EXTRACTION_H
#define HF_FEATURE_EXTRACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_arena.h"
#include "hf/hf_client.h"
#include "hf/hf_codec.h"
#include "hf/hf_json.h"
#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Most dimensions of a feature-extraction result. */
#define HF_FEATURE_EXTRACTION_MAX_DIMS 4

/**
 * @brief Arena bytes a feature-extraction call needs for a body of `body_len` bytes holding
 * `n_values` numbers in `n_arrays` arrays: the body, its tokens, the floats (4 bytes each;
 * subtract `4 * n_values` when the caller supplies the float buffer), the array lengths
 * (4 bytes each; subtract `4 * n_arrays` when the caller supplies the lengths buffer), and
 * 512 bytes for the runner's own small allocations and alignment.
 * Example: 1 x 7 x 768 = 5376 numbers in 1 + 1 + 7 = 9 arrays, 104842 bytes of body.
 */
#define HF_FEATURE_EXTRACTION_ARENA_BYTES(body_len, n_values, n_arrays)                     \
    ((size_t)(body_len) + 1u + ((size_t)(n_values) + (size_t)(n_arrays) + 2u) * sizeof(jsmntok_t) + \
     (size_t)(n_values) * sizeof(float) + (size_t)(n_arrays) * sizeof(uint32_t) + 512u)

/** @brief `FeatureExtractionInput`: the request body (parameters at the root). */
typedef struct hf_feature_extraction_input {
    /** One text (JSON string). Exactly one of `inputs` and `inputs_batch` must be set. */
    const char *inputs;
    /** A batch of texts (JSON array of strings in `inputs`); NULL = not a batch. */
    const char **inputs_batch;
    size_t inputs_batch_count;     /**< number of texts in `inputs_batch` */
    bool has_normalize;
    bool normalize;                /**< normalise the embeddings (spec default true) */
    const char *prompt_name;       /**< key of the model's `prompts` config to prepend; NULL = absent */
    bool has_truncate;
    bool truncate;                 /**< truncate inputs longer than the model's maximum (default false) */
    const char *truncation_direction; /**< "left" | "right" (default right); NULL = absent */
} hf_feature_extraction_input_t;

/**
 * @brief The result: every number, and the structure of the arrays that held them.
 *
 * `data[0..count)` holds the numbers in document order. Every number sits at the same depth
 * `ndim` (1..HF_FEATURE_EXTRACTION_MAX_DIMS). `shape[d]` is the length shared by every array
 * at level d (level 0 = the outermost array), or 0 when those arrays differ in length; then
 * `ragged` is true. A result that is not ragged is a dense row-major tensor: element [i][j]
 * of a 2-D result is data[i * shape[1] + j] and `count` is the product of the shape.
 *
 * `lengths[0..lengths_count)` is the length of every array of the result in pre-order
 * (depth first, in document order: an array, then the arrays inside it, before its next
 * sibling), for dense and ragged results alike. With `ndim` this rebuilds the nesting
 * exactly: `[[[1,2],[3,4],[5,6]],[[7,8]]]` has ndim 3, shape {2, 0, 2}, ragged, count 8 and
 * lengths {2, 3, 2, 2, 2, 1, 2}.
 *
 * Zero the struct (`= {0}`), then set `data` and a non-zero `capacity` to receive the floats
 * in your own buffer, and `lengths` and a non-zero `lengths_capacity` for the lengths; a
 * capacity of 0 (pointer ignored) takes that buffer from the arena.
 */
typedef struct hf_feature_extraction_output {
    float *data;                   /**< in: caller buffer (used when capacity > 0); out: the values */
    size_t count;                  /**< out: number of values */
    size_t capacity;               /**< in: floats `data` can hold; 0 = allocate from the arena */
    uint8_t ndim;                  /**< out: depth of the numbers, 1..HF_FEATURE_EXTRACTION_MAX_DIMS */
    /** out: common length of the arrays at each level, 0 where they differ (and unused levels) */
    size_t shape[HF_FEATURE_EXTRACTION_MAX_DIMS];
    bool ragged;                   /**< out: some level holds arrays of different lengths */
    uint32_t *lengths;             /**< in: caller buffer (used when lengths_capacity > 0); out: array lengths */
    size_t lengths_count;          /**< out: number of arrays in the result (entries of `lengths`) */
    size_t lengths_capacity;       /**< in: entries `lengths` can hold; 0 = allocate from the arena */
} hf_feature_extraction_output_t;

/** @brief Codec table of ::hf_feature_extraction_input_t (requests, CLI `--input`). */
extern const hf_type_t hf_feature_extraction_input_type;

/**
 * @brief Compute embeddings (POST to `.../models/{id}/pipeline/feature-extraction`).
 *
 * Accepts nested number arrays of 1 to 4 levels, bare or wrapped as `{"embeddings": ...}`
 * (Inference Endpoints toolkit), dense or ragged (arrays of one level may differ in length;
 * see ::hf_feature_extraction_output_t). Every number must sit at the same depth: `[1,[2]]`
 * is HF_ERR_JSON_SHAPE.
 *
 * @param[in]     c      client (error detail in c->err after a failure)
 * @param[in]     model  Hub model id, "id:provider", or a full http(s) URL
 * @param[in]     in     request; exactly one of `inputs` / `inputs_batch` set
 * @param[in]     a      arena: response body, its tokens and (without caller buffers) the floats
 *                       and the lengths; see ::HF_FEATURE_EXTRACTION_ARENA_BYTES
 * @param[in,out] out    in: `data`/`capacity`, `lengths`/`lengths_capacity` (optional, capacity
 *                       0 = arena); out: the result. On failure the outputs are 0 and the
 *                       buffer fields are as on entry.
 * @return HF_OK; HF_ERR_INVALID_ARG; HF_ERR_EMPTY_RESULT (an empty array anywhere in the
 *         result: `[]`, `[[]]`, `[[1],[]]`); HF_ERR_JSON_SHAPE (numbers at different depths,
 *         non-numbers, numbers beyond the float range, more than 4 levels); HF_ERR_JSON_SYNTAX; HF_ERR_NO_MEMORY (arena or a
 *         caller buffer too small, bytes needed in c->err.needed: for a caller buffer, the
 *         bytes that buffer needs); HF_ERR_HTTP_STATUS, HF_ERR_MODEL_LOADING, HF_ERR_RATE_LIMITED and the
 *         transport errors.
 * @note Blocks until the response is complete or a timeout passes.
 */
HF_MUST_CHECK hf_status_t hf_feature_extraction(hf_client_t *c, const char *model,
                                                const hf_feature_extraction_input_t *in, hf_arena_t *a,
                                                hf_feature_extraction_output_t *out);

#ifdef __cplusplus
}
#endif
#endif /* HF_FEATURE_EXTRACTION_H */
