#!/bin/sh
# Install what hfmicro's build, demo and tests need on Debian/Ubuntu, if missing.
# Sourced by examples/demo.sh and tests/run.sh.
hf_need=""
command -v cmake >/dev/null 2>&1 || hf_need="$hf_need cmake"
command -v cc >/dev/null 2>&1 || hf_need="$hf_need build-essential"
command -v python3 >/dev/null 2>&1 || hf_need="$hf_need python3"
[ -f /usr/include/jsmn.h ] || hf_need="$hf_need libjsmn-dev"
if [ "${HF_DEPS_FULL:-0}" = 1 ]; then
    command -v clang >/dev/null 2>&1 || hf_need="$hf_need clang"
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || hf_need="$hf_need libclang-rt-dev"
    command -v valgrind >/dev/null 2>&1 || hf_need="$hf_need valgrind"
    # lwIP port and its netns/TAP test (tests/lwip)
    [ -f /usr/include/lwip/lwip/sockets.h ] || hf_need="$hf_need liblwip-dev"
    command -v ip >/dev/null 2>&1 || hf_need="$hf_need iproute2"
    # TLS proofs (tests/tls): nginx as the TLS front of the simulator, openssl for certificates.
    { command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || hf_need="$hf_need nginx-light"
    command -v openssl >/dev/null 2>&1 || hf_need="$hf_need openssl"
    [ -f /usr/include/mbedtls/ssl.h ] || hf_need="$hf_need libmbedtls-dev"
    # Warning-free cross builds of core/ and the flash report (tests/bench/size.sh)
    command -v arm-none-eabi-gcc >/dev/null 2>&1 || hf_need="$hf_need gcc-arm-none-eabi libnewlib-arm-none-eabi"
    command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 || hf_need="$hf_need gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf"
fi
if [ -n "$hf_need" ]; then
    echo "installing:$hf_need"
    if [ "$(id -u)" = 0 ]; then hf_sudo=""; else hf_sudo="sudo"; fi
    $hf_sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $hf_sudo apt-get install -y -qq $hf_need
fi
