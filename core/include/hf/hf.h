/**
 * @file hf.h
 * @brief hfmicro umbrella header: `#include "hf/hf.h"`.
 *
 * hfmicro is a zero-malloc C99 client for the Hugging Face Inference API. The
 * caller owns every byte of memory: an I/O buffer in the client config and an
 * arena per call. See README.md and docs/architecture.md.
 */
#ifndef HF_H
#define HF_H

#include "hf/hf_config.h"
#include "hf/hf_status.h"
#include "hf/hf_arena.h"
#include "hf/hf_transport.h"
#include "hf/hf_json.h"
#include "hf/hf_codec.h"
#include "hf/hf_blob.h"
#include "hf/hf_client.h"

#include "hf/hf_chat_completion.h"
#include "hf/hf_text_generation.h"
#include "hf/hf_text_classification.h"
#include "hf/hf_feature_extraction.h"
#include "hf/hf_image_classification.h"
#include "hf/hf_audio_classification.h"
#include "hf/hf_object_detection.h"

#endif /* HF_H */
