#!/usr/bin/env bash
# Flash and RAM of core/ per target: cross-compiles every core source with -Os and the project's
# warnings (-Werror), then prints text/data/bss per object and linked images per task selection.
#
#   tests/bench/size.sh                 full Markdown report on stdout
#   tests/bench/size.sh --compile-only  only the warning-free cross build (the ctest cross.build)
#   --no-install                        never apt-get; skip (exit 77) when a compiler is missing
#
# Targets: Cortex-M0+ (arm-none-eabi, newlib), Cortex-M4F (fpv4-sp-d16, hard float) and rv32imc
# (the ESP32-C3 ISA; riscv64-unknown-elf with picolibc). jsmn.h is the host's (libjsmn-dev),
# reached through a temporary include directory holding a symlink to it: nothing is copied.
# Exit: 0 ok, 1 a compile or link failed, 77 skipped (compilers or jsmn.h missing).
set -u

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
COMPILE_ONLY=0
INSTALL=1
for a in "$@"; do
    case "$a" in
    --compile-only) COMPILE_ONLY=1 ;;
    --no-install) INSTALL=0 ;;
    *) echo "usage: $0 [--compile-only] [--no-install]" >&2; exit 2 ;;
    esac
done

WARN="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror"
TARGETS=(
    "cortex-m0plus|arm-none-eabi|-mcpu=cortex-m0plus -mthumb"
    "cortex-m4f|arm-none-eabi|-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard"
    "rv32imc|riscv64-unknown-elf|-march=rv32imc -mabi=ilp32 --specs=picolibc.specs"
)
PKGS="gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf"

have_tools() {
    command -v arm-none-eabi-gcc >/dev/null && command -v riscv64-unknown-elf-gcc >/dev/null &&
        [ -n "$(find /usr/lib/picolibc -name picolibc.specs 2>/dev/null | head -1)" ] &&
        [ -e /usr/lib/arm-none-eabi/include/string.h ]
}

if ! have_tools; then
    if [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "size.sh: installing $PKGS" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS >&2
    fi
    if ! have_tools; then
        echo "SKIP: cross compilers missing (Debian: apt-get install $PKGS; run as root to let this script do it)"
        exit 77
    fi
fi

JSMN_H="${JSMN_INCLUDE_DIR:-/usr/include}/jsmn.h"
if [ ! -f "$JSMN_H" ]; then
    echo "SKIP: jsmn.h not found at $JSMN_H (Debian: apt-get install libjsmn-dev, or set JSMN_INCLUDE_DIR)"
    exit 77
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/inc"
ln -s "$JSMN_H" "$WORK/inc/jsmn.h"

SRCS=$(cd "$ROOT" && ls core/src/*.c core/src/tasks/*.c)

# compile <target-name> <prefix> <flags>: objects into $WORK/<target>/, stack usage beside them.
compile_target() {
    local name="$1" cc="$2-gcc" flags="$3" out="$WORK/$1" bad=0
    mkdir -p "$out"
    for s in $SRCS; do
        local o="$out/$(basename "$s" .c).o"
        if ! (cd "$out" && $cc $WARN -Os $flags -ffunction-sections -fdata-sections -fstack-usage \
            -I"$ROOT/core/include" -I"$ROOT/core/src" -I"$WORK/inc" -c "$ROOT/$s" -o "$o"); then
            echo "FAIL: $name: $s" >&2
            bad=1
        fi
    done
    return $bad
}

fail=0
for t in "${TARGETS[@]}"; do
    IFS='|' read -r name prefix flags <<<"$t"
    compile_target "$name" "$prefix" "$flags" || fail=1
done
nsrc=$(echo "$SRCS" | wc -w)
if [ "$COMPILE_ONLY" = 1 ]; then
    if [ "$fail" = 0 ]; then
        echo "cross.build: $nsrc core sources x ${#TARGETS[@]} targets compiled with $WARN -Os: ok"
    fi
    exit $fail
fi
[ "$fail" = 0 ] || exit 1

# Linked images: a main that keeps only the selected entry points alive through --gc-sections.
cat >"$WORK/keep.c" <<'EOF'
#include "hf/hf.h"
typedef void (*fn_t)(void);
fn_t volatile hf_keep[] = {
    (fn_t)hf_client_init, (fn_t)hf_client_close, (fn_t)hf_client_error,
#ifdef KEEP_CHAT
    (fn_t)hf_chat_completion, (fn_t)hf_chat_completion_stream, (fn_t)hf_chat_tool_calls_feed,
#endif
#ifdef KEEP_TG
    (fn_t)hf_text_generation, (fn_t)hf_text_generation_stream,
#endif
#ifdef KEEP_TC
    (fn_t)hf_text_classification,
#endif
#ifdef KEEP_FE
    (fn_t)hf_feature_extraction,
#endif
};
int main(void) { return hf_keep[0] != 0; }
EOF

SELECTIONS=(
    "client only (init, close, error)|"
    "chat_completion|-DKEEP_CHAT"
    "text_generation|-DKEEP_TG"
    "text_classification|-DKEEP_TC"
    "feature_extraction|-DKEEP_FE"
    "all four tasks|-DKEEP_CHAT -DKEEP_TG -DKEEP_TC -DKEEP_FE"
    "all but chat_completion|-DKEEP_TG -DKEEP_TC -DKEEP_FE"
    "all but text_generation|-DKEEP_CHAT -DKEEP_TC -DKEEP_FE"
    "all but text_classification|-DKEEP_CHAT -DKEEP_TG -DKEEP_FE"
    "all but feature_extraction|-DKEEP_CHAT -DKEEP_TG -DKEEP_TC"
)

# Sum the input sections of a GNU ld map by origin: core objects vs the C library and libgcc.
MAPSUM="$WORK/mapsum.py"
cat >"$MAPSUM" <<'EOF'
import re, sys
flash = {"core": 0, "lib": 0}
ram = {"core": 0, "lib": 0}
text = open(sys.argv[1]).read()
text = text[text.find("Linker script and memory map"):]
pending = None
for line in text.splitlines():
    m = re.match(r"^ (\.\S+|COMMON)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$", line)
    if not m and pending:
        m2 = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$", line)
        m = (pending, m2.group(1), m2.group(2), m2.group(3)) if m2 else None
    elif m:
        m = m.groups()
    pending = None
    if not m:
        pm = re.match(r"^ (\.\S+|COMMON)$", line)
        pending = pm.group(1) if pm else None
        continue
    sec, _, size, origin = m
    size = int(size, 16)
    if size == 0 or "keep.o" in origin or origin.startswith("*"):
        continue
    who = "core" if "libcore.a(" in origin else "lib"
    if re.match(r"\.(s?bss|tbss)|COMMON", sec):
        ram[who] += size
    elif re.match(r"\.(s?data|tdata)", sec):
        ram[who] += size
        flash[who] += size
    elif re.match(r"\.(text|s?rodata|srodata|init|fini|ARM\.exidx|ARM\.extab|eh_frame)", sec):
        flash[who] += size
print(flash["core"], flash["lib"], ram["core"])
EOF

echo "## Flash per build (gcc -Os, $WARN)"
echo
echo "Command: \`tests/bench/size.sh\`. Compilers: $(arm-none-eabi-gcc -dumpversion) (arm-none-eabi, newlib)," \
    "$(riscv64-unknown-elf-gcc -dumpversion) (riscv64-unknown-elf, picolibc). Every object is built with" \
    "\`-ffunction-sections -fdata-sections\`; images are linked with \`--gc-sections\` from a main that keeps only" \
    "the listed public entry points (there are no HF_TASK_* switches yet: the linker drops what is not called)."
echo
echo "### Linked images: flash = text + rodata + data (bytes); \"lib\" = C library and libgcc (soft float on M0+)"
echo
printf "| selection |"
for t in "${TARGETS[@]}"; do IFS='|' read -r name _ _ <<<"$t"; printf " %s core | %s lib | %s core RAM |" "$name" "$name" "$name"; done
echo
printf "|---|"
for _ in "${TARGETS[@]}"; do printf -- "---:|---:|---:|"; done
echo
for sel in "${SELECTIONS[@]}"; do
    IFS='|' read -r label defs <<<"$sel"
    printf "| %s |" "$label"
    for t in "${TARGETS[@]}"; do
        IFS='|' read -r name prefix flags <<<"$t"
        out="$WORK/$name"
        [ -f "$out/libcore.a" ] || $prefix-ar rcs "$out/libcore.a" "$out"/*.o
        if ! $prefix-gcc -Os $flags -ffunction-sections -fdata-sections $defs -I"$ROOT/core/include" -I"$WORK/inc" \
            -c "$WORK/keep.c" -o "$out/keep.o" ||
            ! $prefix-gcc -Os $flags -nostartfiles -Wl,-e,main -Wl,--gc-sections -Wl,-Map,"$out/img.map" \
                "$out/keep.o" "$out/libcore.a" -o "$out/img.elf"; then
            echo "FAIL: link $label for $name" >&2
            exit 1
        fi
        read -r core lib cram < <(python3 "$MAPSUM" "$out/img.map")
        printf " %s | %s | %s |" "$core" "$lib" "$cram"
    done
    echo
done
echo
echo "A task's own cost is \"all four tasks\" minus \"all but <task>\"; \"client only\" is what linking the library costs before any call."
echo
echo "### Per object, before --gc-sections (text / data / bss, bytes)"
echo
printf "| object |"
for t in "${TARGETS[@]}"; do IFS='|' read -r name _ _ <<<"$t"; printf " %s |" "$name"; done
echo
printf "|---|"
for _ in "${TARGETS[@]}"; do printf -- "---:|"; done
echo
declare -A TOT_T TOT_D TOT_B
for s in $SRCS; do
    obj="$(basename "$s" .c).o"
    printf "| %s |" "${s#core/src/}"
    for t in "${TARGETS[@]}"; do
        IFS='|' read -r name prefix _ <<<"$t"
        read -r tx da bs < <($prefix-size -B "$WORK/$name/$obj" | awk 'NR==2 {print $1, $2, $3}')
        TOT_T[$name]=$((${TOT_T[$name]:-0} + tx))
        TOT_D[$name]=$((${TOT_D[$name]:-0} + da))
        TOT_B[$name]=$((${TOT_B[$name]:-0} + bs))
        printf " %s / %s / %s |" "$tx" "$da" "$bs"
    done
    echo
done
printf "| **total** |"
for t in "${TARGETS[@]}"; do
    IFS='|' read -r name _ _ <<<"$t"
    printf " **%s / %s / %s** |" "${TOT_T[$name]}" "${TOT_D[$name]}" "${TOT_B[$name]}"
done
echo
echo
echo "### Largest stack frames per target (-fstack-usage, -Os)"
echo
for t in "${TARGETS[@]}"; do
    IFS='|' read -r name _ _ <<<"$t"
    printf -- "- %s: " "$name"
    cat "$WORK/$name"/*.su | sort -t$'\t' -k2 -nr | head -3 |
        awk -F'\t' '{n = split($1, p, ":"); printf "%s`%s` %s B", (NR > 1 ? ", " : ""), p[n], $2}'
    echo
done
