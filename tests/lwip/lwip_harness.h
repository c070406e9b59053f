/* Test harness for the lwIP port: bring Debian's lwIP up on a TAP device, and talk to the
 * simulator's control endpoints over the host's own sockets (never over the code under test). */
#ifndef HF_LWIP_HARNESS_H
#define HF_LWIP_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* tcpip_init, then a tapif netif (PRECONFIGURED_TAPIF names the TAP device) with a static
 * IPv4 address, made the default and brought up. 0 on success. */
int harness_lwip_up(const char *ip, const char *netmask, const char *gw);

/* One request to the simulator on its own kernel TCP connection (Connection: close).
 * The response body goes to out (NUL-terminated); returns the HTTP status, or -1. */
int harness_sim_http(const char *host, uint16_t port, const char *method, const char *path, const char *body,
                     char *out, size_t cap, size_t *out_len);

/* The number after "\"key\":" in a JSON text, or -1. */
long harness_json_int(const char *json, const char *key);

/* The raw (still escaped) value of the last "\"key\":\"...\"" string in json; NULL if none. */
const char *harness_json_last_str(const char *json, const char *key, size_t *len);

/* Milliseconds of the host's monotonic clock. */
uint32_t harness_now_ms(void);

#endif
