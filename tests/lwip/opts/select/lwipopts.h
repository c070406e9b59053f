/* Compile check of the port's select() path: the installed lwipopts.h, with poll off, select on. */
#include HF_LWIP_ORIG_OPTS
#undef LWIP_SOCKET_SELECT
#define LWIP_SOCKET_SELECT 1
#undef LWIP_SOCKET_POLL
#define LWIP_SOCKET_POLL 0
