/* Shared by the mbedTLS port's tests (header-only: the support library does not link mbedTLS).
 * Include after "check.h" and the mbedTLS port header. */
#ifndef HF_TEST_MBEDTLS_HEAP_H
#define HF_TEST_MBEDTLS_HEAP_H

/* Where mbedTLS lets the platform choose its allocator, run every test on a static heap: the
 * allocations must land in it and leave it consistent. */
#if defined(MBEDTLS_PLATFORM_MEMORY) && defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
#include "mbedtls/memory_buffer_alloc.h"
#include "mbedtls/platform.h"
static uint8_t g_heap[256 * 1024];

static void static_heap_begin(void)
{
    uint8_t *p;
    CHECK_STATUS(hf_mbedtls_static_heap(g_heap, sizeof g_heap), HF_OK);
    p = (uint8_t *)mbedtls_calloc(1, 16);
    CHECK(p >= g_heap && p < g_heap + sizeof g_heap);
    mbedtls_free(p);
}

static void static_heap_end(void)
{
    CHECK_INT(mbedtls_memory_buffer_alloc_verify(), 0);
#if defined(MBEDTLS_MEMORY_DEBUG)
    {
        size_t cur = 0, blocks = 0, peak = 0, peak_blocks = 0;
        mbedtls_memory_buffer_alloc_cur_get(&cur, &blocks);
        mbedtls_memory_buffer_alloc_max_get(&peak, &peak_blocks);
        printf("mbedTLS static heap: peak %zu bytes in %zu blocks, %zu bytes still allocated\n", peak,
               peak_blocks, cur);
        CHECK(peak > (size_t)MBEDTLS_SSL_IN_CONTENT_LEN); /* the input buffer alone */
    }
#endif
}
#else
static void static_heap_begin(void) {}

static void static_heap_end(void) {}
#endif

#endif
