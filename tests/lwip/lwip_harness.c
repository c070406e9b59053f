/* lwIP bring-up on a TAP device and a kernel-socket client for the simulator's control endpoints. */
#define _DEFAULT_SOURCE /* lwIP's unix port uses POSIX and BSD socket headers */

#include "lwip_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

static struct netif g_netif;

static void tcpip_ready(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

int harness_lwip_up(const char *ip, const char *netmask, const char *gw)
{
    ip4_addr_t a, m, g;
    sys_sem_t sem;
    struct netif *added;
    if (!ip4addr_aton(ip, &a) || !ip4addr_aton(netmask, &m) || !ip4addr_aton(gw, &g)) {
        fprintf(stderr, "lwip: bad address %s/%s via %s\n", ip, netmask, gw);
        return -1;
    }
    if (sys_sem_new(&sem, 0) != ERR_OK) {
        return -1;
    }
    tcpip_init(tcpip_ready, &sem);
    (void)sys_arch_sem_wait(&sem, 0);
    sys_sem_free(&sem);
    /* netif calls must hold the core lock (this lwIP asserts it); tapif reads frames on its own thread */
    LOCK_TCPIP_CORE();
    added = netif_add(&g_netif, &a, &m, &g, NULL, tapif_init, tcpip_input);
    if (added != NULL) {
        netif_set_default(&g_netif);
        netif_set_up(&g_netif);
    }
    UNLOCK_TCPIP_CORE();
    return added != NULL ? 0 : -1;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) {
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int kernel_connect(const char *host, uint16_t port)
{
    struct sockaddr_in sa;
    struct timeval tv = {10, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int harness_sim_http(const char *host, uint16_t port, const char *method, const char *path, const char *body,
                     char *out, size_t cap, size_t *out_len)
{
    char head[512];
    size_t blen = body ? strlen(body) : 0, got = 0;
    int fd = kernel_connect(host, port), status = -1;
    char *sep;
    if (fd < 0 || cap < 2) {
        return -1;
    }
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n",
             method, path, host, blen);
    if (send_all(fd, head, strlen(head)) == 0 && send_all(fd, body ? body : "", blen) == 0) {
        for (;;) {
            ssize_t k = recv(fd, out + got, cap - 1 - got, 0);
            if (k <= 0) {
                break;
            }
            got += (size_t)k;
            if (got == cap - 1) {
                break;
            }
        }
    }
    close(fd);
    out[got] = '\0';
    sep = strstr(out, "\r\n\r\n");
    if (got < 12 || sep == NULL || strncmp(out, "HTTP/1.1 ", 9) != 0) {
        return -1;
    }
    status = atoi(out + 9);
    got -= (size_t)(sep + 4 - out);
    memmove(out, sep + 4, got + 1);
    if (out_len) {
        *out_len = got;
    }
    return status;
}

long harness_json_int(const char *json, const char *key)
{
    char pat[64];
    const char *p;
    snprintf(pat, sizeof pat, "\"%s\":", key);
    p = strstr(json, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

const char *harness_json_last_str(const char *json, const char *key, size_t *len)
{
    char pat[64];
    const char *p = json, *last = NULL, *e;
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    while ((p = strstr(p, pat)) != NULL) {
        p += strlen(pat);
        last = p;
    }
    if (last == NULL) {
        return NULL;
    }
    for (e = last; *e != '\0' && *e != '"'; e++) {
        if (*e == '\\' && e[1] != '\0') {
            e++;
        }
    }
    *len = (size_t)(e - last);
    return last;
}

uint32_t harness_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}
