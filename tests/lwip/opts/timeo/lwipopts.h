/* Compile check of the port's fallback: no poll, no select, SO_RCVTIMEO/SO_SNDTIMEO only. */
#include HF_LWIP_ORIG_OPTS
#undef LWIP_SOCKET_SELECT
#define LWIP_SOCKET_SELECT 0
#undef LWIP_SOCKET_POLL
#define LWIP_SOCKET_POLL 0
