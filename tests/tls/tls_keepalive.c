/*
 * Keep-alive and resumption through the mbedTLS port, seen from nginx's access log
 * (tests/tls/test_tls.py reads it): N calls on one client, then the connection is closed and
 * one more call reconnects with the saved session.
 *
 *   tls_keepalive BASE_URL CA_FILE N
 *
 * Prints "calls=C connects=K handshakes=H" (the client's connections and the port's completed
 * handshakes) and exits 0 when every call returned the recorded result.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tls_rig.h"

static tls_rig_t g_rig;

int main(int argc, char **argv)
{
    hf_status_t st;
    long n;
    int calls = 0;

    if (argc != 4 || (n = strtol(argv[3], NULL, 10)) < 1 || n > 1000) {
        fputs("usage: tls_keepalive BASE_URL CA_FILE N (1..1000)\n", stderr);
        return 2;
    }
    if (tls_rig_open(&g_rig, argv[1], argv[2]) != HF_OK) return 1;
    for (long i = 0; i < n; i++, calls++) {
        st = tls_rig_classify(&g_rig);
        if (st != HF_OK) return tls_rig_report(&g_rig, "keep-alive call", st);
    }
    /* Drop the TCP connection but keep the port's saved session: the next call resumes it. */
    hf_client_close(&g_rig.client);
    st = tls_rig_classify(&g_rig);
    if (st != HF_OK) return tls_rig_report(&g_rig, "call after reconnect", st);
    calls++;
    printf("calls=%d connects=%u handshakes=%u\n", calls, (unsigned)g_rig.client.connects,
           (unsigned)g_rig.tls.handshakes);
    tls_rig_close(&g_rig);
    return 0;
}
