/*
 * Private decode entries of the task families (not installed). Each decodes an already
 * tokenised response exactly as the public task call does, so the fuzz targets and unit
 * tests exercise the same code. Additions only: several engineers add their families here.
 */
#ifndef HF_TASKS_PRIV_H
#define HF_TASKS_PRIV_H

#include "hf_priv.h"

#include "hf/hf_chat_completion.h"
#include "hf/hf_feature_extraction.h"
#include "hf/hf_text_classification.h"
#include "hf/hf_text_generation.h"

/** One-shot text-generation body (root token 0, bare or list-wrapped). */
hf_status_t hf_priv_text_generation_decode(hf_json_doc_t *doc, hf_arena_t *a, hf_text_generation_output_t *out,
                                           hf_error_t *err);
/** One text-generation stream event (root token 0). */
hf_status_t hf_priv_text_generation_stream_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                  hf_text_generation_stream_output_t *ev, hf_error_t *err);
/** Text-classification body: `[[{...}], ...]` (one list per input), `[{...}]` or `{...}` (one list).
 *  Does not know the inputs: hf_text_classification() checks one list per input. */
hf_status_t hf_priv_text_classification_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                               hf_text_classification_output_t *out, hf_error_t *err);
/** Feature-extraction body, dense or ragged; the caller-buffer fields of `out` (`data`/`capacity`,
 *  `lengths`/`lengths_capacity`) as on entry of hf_feature_extraction(). */
hf_status_t hf_priv_feature_extraction_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                              hf_feature_extraction_output_t *out, hf_error_t *err);

/** One-shot chat-completion body (root token 0 must be an object). */
hf_status_t hf_priv_chat_completion_decode(hf_json_doc_t *doc, hf_arena_t *a, hf_chat_completion_output_t *out,
                                           hf_error_t *err);
/** One chat-completion stream chunk (root token 0 must be an object). */
hf_status_t hf_priv_chat_completion_stream_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                  hf_chat_completion_stream_output_t *chunk, hf_error_t *err);

#endif /* HF_TASKS_PRIV_H */
