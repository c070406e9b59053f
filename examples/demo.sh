#!/bin/sh
# hfmicro demo: build the library and the `hfmicro` CLI, start the Hugging Face Inference API
# simulator on loopback, and run tasks through the real stack (sockets, HTTP/1.1, chunked
# framing, SSE, JSON). With the shared recordings beside the repository the simulator answers
# with real recorded responses; without them, with its hand-written scenarios.
# Installs what is missing (Debian/Ubuntu). Usage: examples/demo.sh
set -eu
cd "$(dirname "$0")/.."
. tests/scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs" --target hfmicro_cli >/dev/null
hf=build/hfmicro

tmp=$(mktemp -d)
python3 tests/sim/hfsim.py --port 0 --port-file "$tmp/port" >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim=$!
trap 'kill -TERM $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
n=0
while [ ! -s "$tmp/port" ]; do
    n=$((n + 1)); [ $n -lt 200 ] || { cat "$tmp/sim.err"; exit 1; }
    sleep 0.05
done
base="http://127.0.0.1:$(cat "$tmp/port")"
echo "simulator: $base ($(head -1 "$tmp/sim.err"))"

run() {
    printf '\n$ hfmicro %s\n' "$*" | sed "s|$base|\$SIM|g"
    "$hf" "$@" --base-url "$base" || echo "(exit $?)"
}

if grep -q "recordings from" "$tmp/sim.err"; then
    run chat-completion --model meta-llama/Llama-3.1-8B-Instruct --stream "What is deep learning?"
    run chat-completion --model HuggingFaceH4/zephyr-7b-beta --input - <<'JSON'
{"messages": [{"role": "user", "content": "What is the capital of France?"}], "max_tokens": 20}
JSON
    run text-generation --model google/flan-t5-xxl "one plus two equals"
    run text-classification --model distilbert/distilbert-base-uncased-finetuned-sst-2-english "I like you. I love you"
    run feature-extraction --model sentence-transformers/distilbert-base-nli-mean-tokens "That is a happy person" | head -c 300; echo " ..."
    run chat-completion --model meta-llama/Meta-Llama-3-70B-Instruct --input - --json <<'JSON'
{"messages": [{"role": "user", "content": "What's the weather like the next 3 days in San Francisco, CA?"}],
 "tools": [{"type": "function", "function": {"name": "get_n_day_weather_forecast", "parameters": {"type": "object"}}}],
 "tool_choice": "auto", "max_tokens": 500}
JSON
    echo; echo "# a server-side validation error, reported with its status, type and message:"
    run text-generation --model google/flan-t5-xxl --input - <<'JSON'
{"inputs": "test", "parameters": {"max_new_tokens": 10000, "details": false, "do_sample": false, "return_full_text": false, "stop": []}, "stream": false}
JSON
else
    echo "(no recordings beside the repository: using the simulator's own scenarios)"
    run chat-completion --model sim --stream "Tell me a story"
    run chat-completion --model sim/demo-chat "What is the capital of France?"
    run text-generation --model sim/demo-generate --stream "The capital of France is"
    run text-classification --model sim/demo-classify "I like you. I love you"
    run feature-extraction --model sim/demo-embed "That is a happy person"
fi
echo; echo "# the stream of a tool call whose arguments arrive in fragments:"
run chat-completion --model sim/tool-calls --stream "weather in Paris?"
echo; echo "# a model that is still loading (503 + estimated_time), retried within the caps:"
run text-classification --model sim/loading "I like you"
echo; echo "demo done"
