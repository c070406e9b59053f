/*
 * One hfmicro client over the mbedTLS port over POSIX sockets, for the TLS test programs
 * (tls_keepalive, bench_tls). Everything is static: one rig per process.
 */
#ifndef HF_TLS_RIG_H
#define HF_TLS_RIG_H

#include "hf/hf.h"
#include "hf/port/hf_mbedtls.h"
#include "hf/port/hf_posix.h"

typedef struct tls_rig {
    hf_client_t client;
    hf_posix_transport_t tcp;
    hf_transport_t inner;
    hf_mbedtls_transport_t tls;
    hf_arena_t arena;
} tls_rig_t;

/* Read the PEM file `ca_path`, set up TLS and a client for `base_url` (https://host:port).
 * Returns HF_OK, or prints why to stderr and returns the failing status. */
hf_status_t tls_rig_open(tls_rig_t *r, const char *base_url, const char *ca_path);

/* One text classification of sim/demo-classify; HF_OK only with its recorded first label. */
hf_status_t tls_rig_classify(tls_rig_t *r);

/* One streamed chat of the simulator's synthetic stream; *events = chunks received. */
hf_status_t tls_rig_stream(tls_rig_t *r, size_t *events);

/* Print a failed call's status and detail to stderr; returns 1. */
int tls_rig_report(const tls_rig_t *r, const char *what, hf_status_t st);

void tls_rig_close(tls_rig_t *r);

#endif /* HF_TLS_RIG_H */
