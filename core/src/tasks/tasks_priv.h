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
#include "hf/hf_audio_classification.h"
#include "hf/hf_image_classification.h"
#include "hf/hf_object_detection.h"

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

/* ------------------------------------------------------------------ one text or a list of texts (texts.c) */

/** Codec hooks of an `inputs` that is one text (`const char *inputs`, the field itself) or a
 *  list of texts, and where the list is. The field's `custom` points at `hooks`. */
typedef struct hf_priv_texts {
    hf_custom_t hooks;     /**< HF_PRIV_TEXTS_HOOKS; first member, so the hooks find the rest */
    const char *task;      /**< error prefix, e.g. "feature_extraction" */
    bool empty_ok;         /**< `[]` decodes as a batch of none rather than a shape error */
    size_t batch_offset;   /**< offsetof `const char **inputs_batch` */
    size_t count_offset;   /**< offsetof `size_t inputs_batch_count` */
} hf_priv_texts_t;

hf_status_t hf_priv_texts_encode(hf_jw_t *w, const hf_field_t *f, const void *obj);
hf_status_t hf_priv_texts_decode(hf_json_doc_t *doc, int tok, const hf_field_t *f, void *obj, hf_arena_t *a,
                                 hf_error_t *err);
bool hf_priv_texts_present(const hf_field_t *f, const void *obj);

/** An hf_priv_texts_t for input struct ST (members inputs, inputs_batch, inputs_batch_count). */
#define HF_PRIV_TEXTS(ST, TASK, EMPTY_OK)                                                        \
    {                                                                                            \
        {hf_priv_texts_encode, hf_priv_texts_decode, hf_priv_texts_present}, TASK, EMPTY_OK,     \
            offsetof(ST, inputs_batch), offsetof(ST, inputs_batch_count)                         \
    }

/* ------------------------------------------------------------------ binary-input tasks (binary_input.c) */

/** One binary-input call: the media, and the whole input for the JSON+base64 body. */
typedef struct hf_priv_binary_call {
    const char *task;          /**< for error messages, e.g. "image_classification" */
    const hf_blob_t *blob;     /**< the media (the input's `inputs`) */
    const hf_type_t *type;     /**< input table; its `inputs` field uses hf_priv_blob_b64_hooks */
    const void *obj;           /**< the input struct */
    const void *params;        /**< its parameters: NULL sends the raw media, else JSON+base64 */
} hf_priv_binary_call_t;

/** hf_priv_task_json() with the body of a binary-input task. Refuses (HF_ERR_INVALID_ARG,
 *  detail in c->err) a blob without exactly one source of > 0 bytes, and a raw upload
 *  without a content type. A reader without rewind makes a second send HF_ERR_UNSUPPORTED. */
hf_status_t hf_priv_binary_task_json(hf_client_t *c, const char *model, const hf_priv_binary_call_t *k,
                                     hf_arena_t *a, hf_json_doc_t *doc);

/** What a result list holds. */
typedef struct hf_priv_list_spec {
    const char *task;          /**< for error messages */
    const hf_type_t *type;     /**< element table (elements are `type->size` bytes apart) */
    bool empty_ok;             /**< `[]` is a result (no detections) rather than HF_ERR_EMPTY_RESULT */
} hf_priv_list_spec_t;

/** A decoded list: arena slice of `count` elements. */
typedef struct hf_priv_list {
    void *elements;
    size_t count;
} hf_priv_list_t;

/** Decode `[{...},...]`, `[[{...},...]]` (exactly one inner list) or a bare `{...}` at token 0.
 *  On failure the list is empty, the arena rewound, err->status set. */
hf_status_t hf_priv_decode_list(hf_json_doc_t *doc, const hf_priv_list_spec_t *spec, hf_arena_t *a,
                                hf_priv_list_t *out, hf_error_t *err);

/** A binary-input task whose result is a list of objects: where its input and output structs
 *  keep what the shared call reads and writes (offsets, as in the codec's field tables). */
typedef struct hf_priv_binary_task {
    hf_priv_list_spec_t list;  /**< the result list; `list.task` also names the task in errors */
    const hf_type_t *input;    /**< input table; its `inputs` field uses hf_priv_blob_b64_hooks */
    size_t inputs_offset;      /**< offsetof the input's `hf_blob_t inputs` */
    size_t params_offset;      /**< offsetof the input's `parameters` pointer */
    size_t elements_offset;    /**< offsetof the output's `elements` pointer */
    size_t count_offset;       /**< offsetof the output's `size_t elements_count` */
} hf_priv_binary_task_t;

/** hf_priv_decode_list() into the output struct `out` of task `t` (empty on failure). */
hf_status_t hf_priv_binary_list_decode(hf_json_doc_t *doc, const hf_priv_binary_task_t *t, hf_arena_t *a,
                                       void *out, hf_error_t *err);
/** The public call of task `t`: NULL arguments refused (HF_ERR_INVALID_ARG, `out` untouched),
 *  else `out` emptied, the request of hf_priv_binary_task_json(), the list decoded into `out`. */
hf_status_t hf_priv_binary_list_call(hf_client_t *c, const char *model, const hf_priv_binary_task_t *t,
                                     const void *in, hf_arena_t *a, void *out);

/** Image-classification body (list of {label, score}; `[]` is HF_ERR_EMPTY_RESULT). */
hf_status_t hf_priv_image_classification_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                hf_image_classification_output_t *out, hf_error_t *err);
/** Audio-classification body (list of {label, score}; `[]` is HF_ERR_EMPTY_RESULT). */
hf_status_t hf_priv_audio_classification_decode(hf_json_doc_t *doc, hf_arena_t *a,
                                                hf_audio_classification_output_t *out, hf_error_t *err);
/** Object-detection body (list of {label, score, box}; `[]` is no detection, HF_OK). */
hf_status_t hf_priv_object_detection_decode(hf_json_doc_t *doc, hf_arena_t *a, hf_object_detection_output_t *out,
                                            hf_error_t *err);

#endif /* HF_TASKS_PRIV_H */
