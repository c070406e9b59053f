/*
 * The one translation unit that holds jsmn's implementation (renamed to hf_priv_jsmn_* by
 * hf_json.h, strict mode). jsmn itself is not ours to edit, so its conversion warnings
 * (unsigned pos stored into int start/end) are silenced here and nowhere else.
 */
#define HF_JSMN_IMPL

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wsign-compare"
#endif

#include "hf/hf_json.h"

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif
