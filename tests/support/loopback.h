/* A TCP listener on 127.0.0.1 with a kernel-chosen port, for tests that fork a real peer. */
#ifndef HF_TEST_LOOPBACK_H
#define HF_TEST_LOOPBACK_H

#include <stdint.h>

/* Returns the listening socket and its port in *port; exits the test (2) if the OS refuses. */
int hf_test_listen_loopback(uint16_t *port);

#endif
