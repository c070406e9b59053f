#!/bin/sh
# Run every fuzz target of a build for a few seconds each, seeded with the bodies of the
# recorded exchanges (extracted to a temporary corpus, never into the repo).
# usage: tests/fuzz/run.sh BUILD_DIR SECONDS
set -eu
build="$1"
secs="${2:-15}"
here="$(cd "$(dirname "$0")" && pwd)"
fixtures="${HF_FIXTURES_DIR:-$here/../../../shared/fixtures/recorded}"
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
if [ -d "$fixtures" ]; then
    python3 "$here/seed_corpus.py" "$fixtures" "$corpus"
else
    echo "fuzz: no recorded fixtures at $fixtures; starting from an empty corpus"
fi
pass=0
fail=0
for bin in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    mkdir -p "$corpus/$name"
    cp "$corpus"/seed/* "$corpus/$name/" 2>/dev/null || true
    if "$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 -print_final_stats=0 \
        -artifact_prefix="$corpus/" "$corpus/$name" >"$corpus/$name.log" 2>&1; then
        echo "fuzz $name: ok ($(grep -c . "$corpus/$name.log") log lines, ${secs}s)"
        pass=$((pass + 1))
    else
        echo "fuzz $name: FAILED"; tail -40 "$corpus/$name.log"
        fail=$((fail + 1))
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
