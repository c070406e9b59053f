/* Status names, error records and the bounded string helpers of status.c. */
#include <string.h>

#include "check.h"
#include "hf/hf_status.h"
#include "hf_priv.h"

int main(void)
{
    hf_error_t e;
    char buf[8];

    /* Every status has its own name, spelled as the enumerator. */
    CHECK_STR(hf_status_str(HF_OK), "HF_OK");
    CHECK_STR(hf_status_str(HF_ERR_TRUNCATED), "HF_ERR_TRUNCATED");
    CHECK_STR(hf_status_str(HF_ERR_SSE_EVENT_TOO_LARGE), "HF_ERR_SSE_EVENT_TOO_LARGE");
    CHECK_STR(hf_status_str(HF_ERR_UNSUPPORTED), "HF_ERR_UNSUPPORTED");
    CHECK_STR(hf_status_str((hf_status_t)-99), "HF_ERR_UNKNOWN");
    for (int s = HF_ERR_UNSUPPORTED; s < HF_OK; s++) {
        for (int t = s + 1; t < HF_OK; t++) {
            CHECK(strcmp(hf_status_str((hf_status_t)s), hf_status_str((hf_status_t)t)) != 0);
        }
        CHECK(strncmp(hf_status_str((hf_status_t)s), "HF_ERR_", 7) == 0);
    }

    /* Messages are built from parts and truncated with the flag set, never overrun. */
    hf_error_clear(&e);
    CHECK_INT(e.status, HF_OK);
    CHECK_STR(e.message, "");
    hf_priv_error_set(&e, HF_ERR_TIMEOUT, "timed out ", "waiting for ", NULL);
    CHECK_INT(e.status, HF_ERR_TIMEOUT);
    CHECK_STR(e.message, "timed out waiting for ");
    CHECK_INT(e.message_truncated, 0);
    {
        char big[HF_ERROR_MESSAGE_MAX * 2];
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        hf_priv_error_set(&e, HF_ERR_IO, big, "tail", NULL);
        CHECK_INT(strlen(e.message), HF_ERROR_MESSAGE_MAX - 1);
        CHECK_INT(e.message_truncated, 1);
    }

    /* Bounded copy: returns 1 when it had to cut. */
    CHECK_INT(hf_priv_strlcpy(buf, sizeof buf, "abc", 3), 0);
    CHECK_STR(buf, "abc");
    CHECK_INT(hf_priv_strlcpy(buf, sizeof buf, "abcdefghij", 10), 1);
    CHECK_STR(buf, "abcdefg");

    /* Decimal append, bounded by the buffer. */
    buf[0] = '\0';
    hf_priv_append_u64(buf, sizeof buf, 412);
    CHECK_STR(buf, "412");
    hf_priv_append_u64(buf, sizeof buf, 18446744073709551615u);
    CHECK_STR(buf, "4121844");

    /* ASCII case-insensitive compare. */
    CHECK(hf_priv_ieq("Transfer-Encoding", "transfer-encoding", 17));
    CHECK(!hf_priv_ieq("chunked", "chunkes", 7));
    return CHECK_DONE();
}
