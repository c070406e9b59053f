#!/bin/sh
# Zero heap, proven: no object of the core library may reference the malloc family
# (nor the libc functions that allocate behind the caller's back on newlib).
# usage: check_nm.sh libhfmicro_core.a
set -eu
lib="$1"
nm_bin="${NM:-nm}"
undefined=$("$nm_bin" -u "$lib" | awk 'NF >= 2 {print $2} NF == 1 {print $1}' | sort -u)
bad=$(printf '%s\n' "$undefined" | grep -E '^(malloc|calloc|realloc|free|strdup|strndup|asprintf|vasprintf|reallocarray|posix_memalign|aligned_alloc|memalign|valloc|pvalloc|strtod|strtof|strtold|sprintf|snprintf|printf|fprintf|vsnprintf)$' || true)
count=$(printf '%s\n' "$undefined" | grep -c . || true)
if [ -n "$bad" ]; then
    echo "zero-heap: core references forbidden symbols:"
    printf '  %s\n' $bad
    echo "0 passed, 1 failed"
    exit 1
fi
echo "zero-heap: $count undefined symbols in $(basename "$lib"), none of the malloc family"
echo "1 passed, 0 failed"
