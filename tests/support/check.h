/* Tiny test macros: each failed check prints file:line and the values, the
 * test goes on, and CHECK_DONE() prints "N passed, M failed" and returns the
 * exit code. Expected values come from the spec, the cases, the recordings or
 * a hand computation written next to them - never from the code under test. */
#ifndef HF_CHECK_H
#define HF_CHECK_H

#include <stdio.h>
#include <string.h>

extern int hf_check_pass, hf_check_fail;

#define CHECK(cond) do { if (cond) { hf_check_pass++; } else { hf_check_fail++; \
    fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_INT(a, b) do { long long va_ = (long long)(a), vb_ = (long long)(b); \
    if (va_ == vb_) { hf_check_pass++; } else { hf_check_fail++; \
    fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, va_, #b, vb_); } } while (0)
#define CHECK_STR(a, b) do { const char *sa_ = (a), *sb_ = (b); \
    if (sa_ && sb_ && strcmp(sa_, sb_) == 0) { hf_check_pass++; } else { hf_check_fail++; \
    fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)"); } } while (0)
#define CHECK_MEM(a, alen, b, blen) do { size_t la_ = (size_t)(alen), lb_ = (size_t)(blen); \
    if (la_ == lb_ && (la_ == 0 || memcmp((a), (b), la_) == 0)) { hf_check_pass++; } else { hf_check_fail++; \
    fprintf(stderr, "%s:%d: %s (%zu bytes) differs from %s (%zu bytes)\n", __FILE__, __LINE__, #a, la_, #b, lb_); } } while (0)
#define CHECK_NEAR(a, b, tol) do { double da_ = (double)(a), db_ = (double)(b); \
    double dd_ = da_ > db_ ? da_ - db_ : db_ - da_; \
    if (dd_ <= (double)(tol)) { hf_check_pass++; } else { hf_check_fail++; \
    fprintf(stderr, "%s:%d: %s == %.17g, expected %.17g\n", __FILE__, __LINE__, #a, da_, db_); } } while (0)
#define CHECK_STATUS(a, b) CHECK_INT((int)(a), (int)(b))

#define CHECK_DONE() (printf("%s: %d passed, %d failed\n", __FILE__, hf_check_pass, hf_check_fail), \
    hf_check_fail ? 1 : 0)

#endif
