#!/bin/sh
# Build hfmicro and run every test: unit, cases, conformance against the simulator,
# zero-heap proof, a sanitizer build, and each fuzz target briefly.
# Installs what is missing (Debian/Ubuntu). Usage: tests/run.sh [--quick]
set -eu
cd "$(dirname "$0")/.."
HF_DEPS_FULL=1 . tests/scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
quick=0
[ "${1:-}" = "--quick" ] && quick=1

echo "== build and test (gcc, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "$quick" = 0 ]; then
    echo "== sanitizers (clang, ASan+UBSan)"
    CC=clang cmake -S . -B build-asan -DHF_SANITIZE=ON -DHF_BUILD_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
    cmake --build build-asan -j "$jobs"
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -E '^heap\.'
    echo "== fuzz (each target briefly)"
    sh tests/fuzz/run.sh build-asan "${HF_FUZZ_SECONDS:-15}"
fi
echo "== all tests passed"
