/*
 * TLS cost through the mbedTLS port against a real server (nginx in front of hfsim; run by
 * tests/tls/bench_tls.py, which starts both and writes the report). A measurement, not a test.
 *
 *   bench_tls HOST PORT CA_FILE full      one full handshake inside bench_measured()
 *   bench_tls HOST PORT CA_FILE resumed   a full handshake, close, then the resumed one inside
 *                                         bench_measured()
 *   bench_tls HOST PORT CA_FILE heap      mbedTLS heap: current and peak bytes per phase
 *
 * full/resumed are run under `valgrind --tool=callgrind --toggle-collect=bench_measured`, so
 * only the measured handshake's instructions are counted. After each handshake one
 * "GET /__sim/health" goes through the connection, so nginx's access log shows whether the
 * session was resumed ($ssl_session_reused).
 *
 * The heap is counted by wrapping the allocator: mbedTLS 2.28 without MBEDTLS_PLATFORM_MEMORY
 * calls calloc/free directly, so this binary links libmbedtls/x509/crypto statically with
 * -Wl,--wrap=calloc,--wrap=free and every allocation of mbedTLS passes through __wrap_calloc.
 * hfmicro itself allocates nothing, so all counted bytes are mbedTLS's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_rig.h"

/* -- allocator wrap ------------------------------------------------------------------------- */

void *__real_calloc(size_t n, size_t size);
void __real_free(void *p);
void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *p);

#define HEAP_MAGIC ((size_t)0x6866746c73686561u)

/* Two words keep the block as aligned as calloc's own (16 bytes on x86-64). */
typedef struct heap_hdr {
    size_t bytes;
    size_t magic;
} heap_hdr_t;

static size_t g_cur, g_peak, g_allocs;

void *__wrap_calloc(size_t n, size_t size)
{
    heap_hdr_t *h;
    if (size != 0 && n > (SIZE_MAX - sizeof *h) / size) return NULL;
    h = __real_calloc(1, sizeof *h + n * size);
    if (h == NULL) return NULL;
    h->bytes = n * size;
    h->magic = HEAP_MAGIC;
    g_cur += h->bytes;
    if (g_cur > g_peak) g_peak = g_cur;
    g_allocs++;
    return h + 1;
}

void __wrap_free(void *p)
{
    heap_hdr_t *h;
    if (p == NULL) return;
    h = (heap_hdr_t *)p - 1;
    if (h->magic != HEAP_MAGIC) {
        fputs("bench_tls: free() of a block not from the wrapped calloc\n", stderr);
        abort();
    }
    h->magic = 0;
    g_cur -= h->bytes;
    __real_free(h);
}

/* Start a phase: its peak is measured from the current level. */
static void phase_start(void)
{
    g_peak = g_cur;
}

static void phase_print(const char *name, size_t before)
{
    printf("| %s | %zu | %zu | %zu |\n", name, before, g_peak, g_cur);
}

/* -- the measured steps ----------------------------------------------------------------------- */

static tls_rig_t g_rig;
static const char *g_host;
static uint16_t g_port;

/* The one handshake that callgrind counts (external and out of line so that the symbol
 * callgrind toggles on is the one called; bench_tls.py also matches compiler clones). */
hf_status_t bench_measured(hf_transport_t *t);
__attribute__((noinline)) hf_status_t bench_measured(hf_transport_t *t)
{
    return t->connect(t->ctx, g_host, g_port, 20000);
}

static hf_status_t handshake(int measured)
{
    hf_transport_t t = hf_mbedtls_transport(&g_rig.tls);
    hf_status_t st = measured ? bench_measured(&t) : t.connect(t.ctx, g_host, g_port, 20000);
    if (st != HF_OK) fprintf(stderr, "bench_tls: connect: %s: %s\n", hf_status_str(st), g_rig.tls.describe);
    return st;
}

/* One request on the open connection, so that nginx logs the handshake's $ssl_session_reused. */
static hf_status_t health_and_close(void)
{
    static const char req[] = "GET /__sim/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    static uint8_t buf[2048];
    hf_transport_t t = hf_mbedtls_transport(&g_rig.tls);
    size_t sent = 0;
    int n;
    while (sent < sizeof req - 1u) {
        n = t.send(t.ctx, (const uint8_t *)req + sent, sizeof req - 1u - sent, 10000);
        if (n <= 0) return n < 0 ? (hf_status_t)n : HF_ERR_TIMEOUT;
        sent += (size_t)n;
    }
    do {
        n = t.recv(t.ctx, buf, sizeof buf, 10000);
    } while (n > 0);
    t.close(t.ctx);
    /* Either end will do here (close_notify: CLOSED, bare EOF: TRUNCATED): only the handshake counts. */
    return n == HF_ERR_CLOSED || n == HF_ERR_TRUNCATED ? HF_OK : (n == 0 ? HF_ERR_TIMEOUT : (hf_status_t)n);
}

static int run_handshakes(int resumed)
{
    if (resumed) {
        if (handshake(0) != HF_OK || health_and_close() != HF_OK) return 1;
    }
    if (handshake(1) != HF_OK || health_and_close() != HF_OK) return 1;
    printf("handshakes=%u\n", (unsigned)g_rig.tls.handshakes);
    return 0;
}

static int run_heap(void)
{
    size_t before, events = 0;
    hf_status_t st;

    printf("mbedTLS %s, MBEDTLS_SSL_IN_CONTENT_LEN=%d, MBEDTLS_SSL_OUT_CONTENT_LEN=%d\n\n",
           MBEDTLS_VERSION_STRING, (int)MBEDTLS_SSL_IN_CONTENT_LEN, (int)MBEDTLS_SSL_OUT_CONTENT_LEN);
    printf("| phase | heap before (B) | peak (B) | after (B) |\n|---|---:|---:|---:|\n");
    phase_print("hf_mbedtls_init (CA chain parsed, contexts set up)", 0);
    before = g_cur;
    phase_start();
    if (handshake(0) != HF_OK) return 1;
    phase_print("full handshake", before);
    before = g_cur;
    phase_start();
    if (health_and_close() != HF_OK) return 1;
    phase_print("one request, close", before);
    before = g_cur;
    phase_start();
    if (handshake(0) != HF_OK) return 1;
    phase_print("resumed handshake", before);
    if (health_and_close() != HF_OK) return 1;

    /* Streaming: a first call opens the connection (resumed handshake), the second streams
     * on it, so its peak is the streaming alone. */
    st = tls_rig_classify(&g_rig);
    if (st != HF_OK) return tls_rig_report(&g_rig, "classify", st);
    before = g_cur;
    phase_start();
    st = tls_rig_stream(&g_rig, &events);
    if (st != HF_OK) return tls_rig_report(&g_rig, "stream", st);
    phase_print("streamed chat on the open connection", before);
    printf("\nstream events=%zu allocations=%zu connects=%u handshakes=%u\n", events, g_allocs,
           (unsigned)g_rig.client.connects, (unsigned)g_rig.tls.handshakes);
    tls_rig_close(&g_rig);
    printf("after hf_mbedtls_free: %zu B\n", g_cur);
    return g_cur == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    static char base[160];
    long port;
    if (argc != 5 || (port = strtol(argv[2], NULL, 10)) < 1 || port > 65535) {
        fputs("usage: bench_tls HOST PORT CA_FILE full|resumed|heap\n", stderr);
        return 2;
    }
    g_host = argv[1];
    g_port = (uint16_t)port;
    snprintf(base, sizeof base, "https://%s:%ld", g_host, port);
    if (tls_rig_open(&g_rig, base, argv[3]) != HF_OK) return 1;
    if (strcmp(argv[4], "full") == 0) return run_handshakes(0);
    if (strcmp(argv[4], "resumed") == 0) return run_handshakes(1);
    if (strcmp(argv[4], "heap") == 0) return run_heap();
    fputs("bench_tls: mode is full, resumed or heap\n", stderr);
    return 2;
}
