#!/usr/bin/env bash
# Every measurement of hfmicro in one Markdown report:
#   memory (arena and I/O buffer per call), stack (largest frames, high-water mark per call),
#   instructions per request (callgrind, against Python's json and jq on the same bytes),
#   flash per target and per task (tests/bench/size.sh).
#
#   tests/bench/run.sh [OUT.md]        default: stdout
#   HF_BENCH_BUILD=dir                 build directory (default build-bench, RelWithDebInfo = -O2 -g)
#   HF_FIXTURES_DIR=dir                recorded exchanges (default ../shared/fixtures/recorded)
# A section whose tool is missing (valgrind, python3, jq, cross compilers) says so and is skipped.
set -u

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-/dev/stdout}"
BUILD="${HF_BENCH_BUILD:-$ROOT/build-bench}"
FIX="${HF_FIXTURES_DIR:-$(cd "$ROOT/.." && pwd)/shared/fixtures/recorded}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
STREAM_EVENTS=7600
ONESHOT_SMALL=chat_completion__py-hfinf-without-base-url-11e8cd.json
ONESHOT_LARGE=chat_completion__py-together-no-stream-ae22dd.json
CLASSIFY=text_classification__py-hfinf-default-edf9c0.json

log() { echo "bench: $*" >&2; }

log "building benches in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHF_BUILD_CLI=OFF -DHF_SANITIZE=OFF \
    -DHF_FIXTURES_DIR="$FIX" >"$TMP/cmake.log" 2>&1 &&
    cmake --build "$BUILD" -j2 --target bench_memory bench_stack bench_insn >>"$TMP/cmake.log" 2>&1 || {
    cat "$TMP/cmake.log" >&2
    exit 1
}
B="$BUILD/tests/bench"
status=0

# ------------------------------------------------------------------ memory
section_memory() {
    echo "# hfmicro measurements"
    echo
    echo "Produced by \`tests/bench/run.sh\` on $(uname -m), $(gcc --version | head -1), build type RelWithDebInfo (-O2)."
    echo
    "$B/bench_memory" "$FIX" || { echo; echo "**memory bounds not met**"; status=1; }
    echo
}

# ------------------------------------------------------------------ stack
section_stack() {
    local su="$TMP/su" n_over
    mkdir -p "$su"
    for s in "$ROOT"/core/src/*.c "$ROOT"/core/src/tasks/*.c; do
        (cd "$su" && gcc -std=c99 -O2 -g -DNDEBUG -fstack-usage -I"$ROOT/core/include" -I"$ROOT/core/src" \
            -c "$s" -o "$(basename "$s" .c).o") || status=1
    done
    n_over=$(cat "$su"/*.su | awk -F'\t' '$2 > 256' | wc -l)
    echo "## Stack frames (gcc -O2 -fstack-usage, x86-64; DESIGN cap 256 B per function)"
    echo
    echo "Command: \`tests/bench/run.sh\` (stack section). Functions over 256 B: $n_over."
    echo
    echo "| function | file | frame bytes |"
    echo "|---|---|---:|"
    cat "$su"/*.su | sort -t$'\t' -k2 -nr | head -8 |
        awk -F'\t' '{n = split($1, p, ":"); f = p[1]; sub(/.*\/core\/src\//, "", f); printf "| `%s` | %s | %s |\n", p[n], f, $2}'
    echo
    [ "$n_over" = 0 ] || status=1
    "$B/bench_stack" "$FIX" || status=1
}

# ------------------------------------------------------------------ instructions
ir_of() { awk '/^totals:/ {print $2}' "$1"; }

cg() { # cg <out> <cmd...>: Ir of the whole process
    valgrind --tool=callgrind --callgrind-out-file="$1" "${@:2}" >/dev/null 2>"$1.log" || {
        cat "$1.log" >&2
        return 1
    }
    ir_of "$1"
}

cg_call() { # Ir of bench_measured() only
    valgrind --tool=callgrind --toggle-collect=bench_measured --callgrind-out-file="$1" "$B/bench_insn" "${@:2}" \
        >/dev/null 2>"$1.log" || {
        cat "$1.log" >&2
        return 1
    }
    ir_of "$1"
}

per_mb() { awk -v d="$1" -v b="$2" 'BEGIN { printf "%.0f", d / b * 1000000 }'; }

section_insn() {
    echo "## Instructions per request (valgrind --tool=callgrind, deterministic)"
    echo
    if ! command -v valgrind >/dev/null; then
        echo "SKIPPED: valgrind not installed (Debian: apt-get install valgrind)."
        echo
        return
    fi
    local s1 sn w1 wn sse1 ssen d_sse hf_mb py1 pyn jq1 jqn
    read -r w1 sse1 < <("$B/bench_insn" wire 1)
    read -r wn ssen < <("$B/bench_insn" wire $STREAM_EVENTS)
    d_sse=$((ssen - sse1))
    s1=$(cg_call "$TMP/s1" stream 1) || status=1
    sn=$(cg_call "$TMP/sn" stream $STREAM_EVENTS) || status=1
    hf_mb=$(per_mb $((sn - s1)) $d_sse)
    echo "Command: \`tests/bench/run.sh\` (instructions section): \`valgrind --tool=callgrind" \
        "--toggle-collect=bench_measured build-bench/tests/bench/bench_insn <mode>\` counts the one library call" \
        "(setup excluded); I/O buffer 1024 B; arena 2048 B (stream) or 4096 B (one-shot). Per MB figures are" \
        "marginal: (N-event run - 1-event run) / (SSE bytes added), so process start-up cancels out for the baselines."
    echo
    echo "| request | input | instructions | per event | per MB of SSE body |"
    echo "|---|---|---:|---:|---:|"
    echo "| hfmicro \`hf_chat_completion_stream\` | synthetic stream, 1 content event, $w1 wire bytes | $s1 | | |"
    echo "| hfmicro \`hf_chat_completion_stream\` | synthetic stream, $STREAM_EVENTS content events, $wn wire bytes ($ssen SSE bytes) | $sn | $(((sn - s1) / STREAM_EVENTS)) | $hf_mb |"
    if [ -d "$FIX" ]; then
        for f in "$ONESHOT_SMALL" "$ONESHOT_LARGE"; do
            echo "| hfmicro \`hf_chat_completion\` (one-shot) | recorded $f | $(cg_call "$TMP/o" oneshot "$FIX/$f") | | |"
        done
        echo "| hfmicro \`hf_text_classification\` | recorded $CLASSIFY | $(cg_call "$TMP/c" classify "$FIX/$CLASSIFY") | | |"
    else
        echo "| one-shot and classification | SKIPPED: no fixtures at $FIX | | | |"
    fi
    "$B/bench_insn" sse 1 >"$TMP/s1.sse"
    "$B/bench_insn" sse $STREAM_EVENTS >"$TMP/sn.sse"
    cat >"$TMP/sse.py" <<'EOF'
import json, sys
data = open(sys.argv[1], "rb").read()
text = 0
for event in data.split(b"\n\n"):
    if not event.startswith(b"data:"):
        continue
    payload = event[5:].strip()
    if payload == b"[DONE]":
        break
    chunk = json.loads(payload)
    text += len(chunk["choices"][0]["delta"].get("content") or "")
print(text)
EOF
    local rows=""
    if [ -x /usr/bin/python3 ]; then
        py1=$(cg "$TMP/p1" /usr/bin/python3 -S "$TMP/sse.py" "$TMP/s1.sse")
        pyn=$(cg "$TMP/pn" /usr/bin/python3 -S "$TMP/sse.py" "$TMP/sn.sse")
        local pmb
        pmb=$(per_mb $((pyn - py1)) $d_sse)
        echo "| baseline: Debian $(/usr/bin/python3 --version 2>&1), \`bytes.split(b'\\n\\n')\` + \`json.loads\` per event | the same SSE body, $STREAM_EVENTS events | $pyn (whole process) | $(((pyn - py1) / STREAM_EVENTS)) | $pmb |"
        rows="$rows- Python $(/usr/bin/python3 --version 2>&1 | cut -d' ' -f2) json: $(awk -v a="$pmb" -v b="$hf_mb" 'BEGIN { printf "%.2f", a / b }') x hfmicro's instructions per MB\n"
    else
        echo "| baseline: Python | SKIPPED: /usr/bin/python3 missing (Debian: python3) | | | |"
    fi
    if command -v jq >/dev/null; then
        local jfilter='select(startswith("data: {")) | .[6:] | fromjson | .choices[0].delta.content'
        jq1=$(cg "$TMP/j1" jq -R -r "$jfilter" "$TMP/s1.sse")
        jqn=$(cg "$TMP/jn" jq -R -r "$jfilter" "$TMP/sn.sse")
        local jmb
        jmb=$(per_mb $((jqn - jq1)) $d_sse)
        echo "| baseline: Debian $(jq --version), \`jq -R 'select(startswith(\"data: {\")) \| .[6:] \| fromjson \| ...'\` | the same SSE body, $STREAM_EVENTS events | $jqn (whole process) | $(((jqn - jq1) / STREAM_EVENTS)) | $jmb |"
        rows="$rows- $(jq --version): $(awk -v a="$jmb" -v b="$hf_mb" 'BEGIN { printf "%.2f", a / b }') x hfmicro's instructions per MB\n"
    else
        echo "| baseline: jq | SKIPPED: jq missing (Debian: jq) | | | |"
    fi
    echo
    echo "hfmicro does more than the baselines on the same events: HTTP chunked framing, full JSON grammar"
    echo "validation before jsmn, and typed decoding into structs. Ratios (baseline / hfmicro, per MB of SSE body):"
    echo
    printf "%b" "$rows"
    echo
}

# ------------------------------------------------------------------ flash
section_size() {
    local rc=0
    "$ROOT/tests/bench/size.sh" || rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then status=1; fi
    echo
}

{
    section_memory
    section_stack
    section_insn
    section_size
} >"$OUT"
log "report written to $OUT (status $status)"
exit $status
