/**
 * @file hf_codec.h
 * @brief One generic, table-driven codec for every seed type.
 *
 * A type is described once, as a const table of fields (JSON name, offset,
 * kind, presence flag, nested table). The same table encodes requests,
 * decodes responses, parses CLI `--input` bodies and drives round-trip tests.
 *
 * Struct conventions the tables rely on (nanopb style):
 * - optional scalars have a `bool has_<name>` companion (field `has_offset`);
 * - strings are `const char *` (NULL = absent), NUL-terminated;
 * - nested objects are pointers (NULL = absent);
 * - arrays are a pointer plus a `size_t <name>_count` (pointer NULL = absent;
 *   non-NULL with count 0 = present and empty);
 * - raw JSON values (tool arguments, schemas, grammars) are `const char *`
 *   holding JSON text, written verbatim.
 * Decoded values live in the arena and in the (in-place decoded) JSON text.
 */
#ifndef HF_CODEC_H
#define HF_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/hf_arena.h"
#include "hf/hf_json.h"
#include "hf/hf_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Kind of one field's value (of each element, for arrays). */
typedef enum hf_kind {
    HF_K_STR = 1,   /**< const char * */
    HF_K_BOOL,      /**< bool */
    HF_K_I32,       /**< int32_t */
    HF_K_I64,       /**< int64_t */
    /** float. A number beyond the float range (e.g. 1e39, 1e308) is HF_ERR_JSON_SHAPE "number out
     *  of range for float" (FLT_MAX plus less than half an ulp still rounds to FLT_MAX); one too
     *  small for it (e.g. 1e-60) becomes 0 or a subnormal, as IEEE rounding does, without error. */
    HF_K_F32,
    /** double. Beyond about 1.8e308: HF_ERR_JSON_SHAPE "number out of range for double"; below the
     *  smallest subnormal: 0, without error. */
    HF_K_F64,
    HF_K_OBJ,       /**< pointer to a struct described by `type` (arrays: contiguous structs) */
    HF_K_RAW,       /**< const char * holding JSON text */
    HF_K_CUSTOM     /**< encoded/decoded by `custom` */
} hf_kind_t;

#define HF_F_REQUIRED 0x01u  /**< decoding fails (HF_ERR_JSON_SHAPE) when absent or null */
#define HF_F_ARRAY    0x02u  /**< pointer + count */
#define HF_F_NULLABLE 0x04u  /**< encode explicit null when absent (rare) */

#define HF_NO_OFFSET 0xFFFFu

struct hf_type;
struct hf_field;

/** @brief Hooks for values whose JSON form is a union (string or parts, string or object ...). */
typedef struct hf_custom {
    hf_status_t (*encode)(hf_jw_t *w, const struct hf_field *f, const void *obj);
    /** `tok` is the value token; write into `obj` (the containing struct). */
    hf_status_t (*decode)(hf_json_doc_t *doc, int tok, const struct hf_field *f, void *obj,
                          hf_arena_t *a, hf_error_t *err);
    /** true when the field is present in `obj` (encode only). */
    bool (*present)(const struct hf_field *f, const void *obj);
} hf_custom_t;

/** @brief One field of a type table. Put tables in flash: `static const hf_field_t x[] = {...}`. */
typedef struct hf_field {
    const char *name;            /**< JSON key */
    uint16_t offset;             /**< offsetof the value (arrays: of the pointer) */
    uint16_t has_offset;         /**< offsetof `bool has_<name>`, or HF_NO_OFFSET */
    uint16_t count_offset;       /**< arrays: offsetof `size_t <name>_count`, else HF_NO_OFFSET */
    uint8_t kind;                /**< ::hf_kind_t */
    uint8_t flags;               /**< HF_F_* */
    const struct hf_type *type;  /**< HF_K_OBJ: the element/struct type */
    const hf_custom_t *custom;   /**< HF_K_CUSTOM: hooks */
} hf_field_t;

/** @brief A seed type: its C size and its fields. */
typedef struct hf_type {
    const char *name;        /**< seed type name, e.g. "ChatCompletionInput" */
    uint16_t size;           /**< sizeof the struct */
    uint16_t nfields;
    const hf_field_t *fields;
} hf_type_t;

/** @brief Encode `obj` of type `t` as one JSON object (present fields only, table order). */
hf_status_t hf_codec_encode(hf_jw_t *w, const hf_type_t *t, const void *obj);

/**
 * @brief Decode object token `tok` into `obj` (zeroed first). Unknown keys are skipped
 * (whole subtree); null counts as absent. Nested structs and arrays come from the arena.
 * @return HF_OK, HF_ERR_JSON_SHAPE (wrong type, missing required; detail in err),
 *         HF_ERR_JSON_SYNTAX (bad escape), HF_ERR_NO_MEMORY.
 */
hf_status_t hf_codec_decode(hf_json_doc_t *doc, int tok, const hf_type_t *t, void *obj,
                            hf_arena_t *a, hf_error_t *err);

/* Table helpers. ST = struct type, M = member. */
#define HF_FIELD(ST, M, KIND, FLAGS) \
    { #M, (uint16_t)offsetof(ST, M), HF_NO_OFFSET, HF_NO_OFFSET, (uint8_t)(KIND), (uint8_t)(FLAGS), NULL, NULL }
#define HF_FIELD_OPT(ST, M, KIND) \
    { #M, (uint16_t)offsetof(ST, M), (uint16_t)offsetof(ST, has_##M), HF_NO_OFFSET, (uint8_t)(KIND), 0u, NULL, NULL }
#define HF_FIELD_OBJ(ST, M, TYPE, FLAGS) \
    { #M, (uint16_t)offsetof(ST, M), HF_NO_OFFSET, HF_NO_OFFSET, (uint8_t)HF_K_OBJ, (uint8_t)(FLAGS), &(TYPE), NULL }
#define HF_FIELD_ARR(ST, M, KIND, FLAGS) \
    { #M, (uint16_t)offsetof(ST, M), HF_NO_OFFSET, (uint16_t)offsetof(ST, M##_count), (uint8_t)(KIND), (uint8_t)((FLAGS) | HF_F_ARRAY), NULL, NULL }
#define HF_FIELD_OBJ_ARR(ST, M, TYPE, FLAGS) \
    { #M, (uint16_t)offsetof(ST, M), HF_NO_OFFSET, (uint16_t)offsetof(ST, M##_count), (uint8_t)HF_K_OBJ, (uint8_t)((FLAGS) | HF_F_ARRAY), &(TYPE), NULL }
#define HF_FIELD_CUSTOM(ST, M, HOOKS, FLAGS) \
    { #M, (uint16_t)offsetof(ST, M), HF_NO_OFFSET, HF_NO_OFFSET, (uint8_t)HF_K_CUSTOM, (uint8_t)(FLAGS), NULL, &(HOOKS) }
/** Same as the above with a JSON name that is not a C identifier (e.g. "content-type"). */
#define HF_FIELD_NAMED(NAME, ST, M, KIND, FLAGS) \
    { NAME, (uint16_t)offsetof(ST, M), HF_NO_OFFSET, HF_NO_OFFSET, (uint8_t)(KIND), (uint8_t)(FLAGS), NULL, NULL }
#define HF_TYPE(NAME, ST, FIELDS) \
    { NAME, (uint16_t)sizeof(ST), (uint16_t)(sizeof(FIELDS) / sizeof((FIELDS)[0])), FIELDS }

#ifdef __cplusplus
}
#endif
#endif /* HF_CODEC_H */
