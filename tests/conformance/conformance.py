"""Conformance: every recorded exchange of the implemented tasks, through the full stack.

For each recording in the shared fixtures folder whose task the library implements, the
simulator (tests/sim) serves it on loopback and the real CLI (`hfmicro`, built from
examples/cli) calls it with the recorded URL and request body. Expected values are read
here, in Python, from the recorded response body - never from the code under test:

* 2xx JSON: every value the CLI prints (`--json`, re-encoded from the C structs) equals the
  recorded value at the same path, and every output field of spec/tasks.tsv that the
  recording has is printed;
* streams: one printed object per recorded event, each equal to it in the same way, and the
  plain-text run prints exactly the concatenated text;
* errors: non-zero exit, the status name, the HTTP status and the server's message.

usage: conformance.py HFMICRO_BINARY [FIXTURES_DIR]
"""
import base64
import json
import math
import os
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "sim"))

TASKS = ("chat_completion", "text_generation", "text_classification", "feature_extraction",
         "image_classification", "audio_classification", "object_detection")
# Binary-input tasks: --input is the recorded request body itself (raw media bytes).
BINARY_TASKS = ("image_classification", "audio_classification", "object_detection")
DEFAULT_BODY = {
    "chat_completion": {"messages": [{"role": "user", "content": "Hello"}]},
    "text_generation": {"inputs": "Hello"},
    "text_classification": {"inputs": "I like you. I love you"},
    "feature_extraction": {"inputs": "Hello"},
}
FLOAT_REL = 2e-6  # outputs are float32 in the C structs


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def load_output_fields():
    fields = {}
    with open(os.path.join(os.path.dirname(ROOT), "shared", "spec", "tasks.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            fields[cols[0]] = [p for p in cols[7].split(",") if p and not p.startswith("[")]
    return fields


def same_number(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return False
    return math.isclose(float(a), float(b), rel_tol=FLOAT_REL, abs_tol=1e-30)


def subset(out, rec, path="$"):
    """Every value printed must equal the recorded one (None in the recording = absent)."""
    if isinstance(out, dict):
        if not isinstance(rec, dict):
            raise Failure("%s: printed an object, recorded %r" % (path, type(rec).__name__))
        for k, v in out.items():
            if k not in rec or rec[k] is None:
                raise Failure("%s.%s: printed %r, not in the recording" % (path, k, v))
            subset(v, rec[k], path + "." + k)
    elif isinstance(out, list):
        if not isinstance(rec, list) or len(out) != len(rec):
            raise Failure("%s: printed %d elements, recorded %s" % (path, len(out), len(rec) if isinstance(rec, list) else rec))
        for i, (a, b) in enumerate(zip(out, rec)):
            subset(a, b, "%s[%d]" % (path, i))
    elif isinstance(out, str) or isinstance(rec, str):
        if isinstance(out, str) and isinstance(rec, int) and not isinstance(rec, bool) and out == str(rec):
            return  # a seed string field the server sent as a number (old TGI tool-call ids)
        if isinstance(rec, (dict, list)):
            # raw JSON passthrough (e.g. tool-call arguments given as an object)
            if json.loads(out) != rec:
                raise Failure("%s: printed %r, recorded %r" % (path, out, rec))
        elif out != rec:
            raise Failure("%s: printed %r, recorded %r" % (path, out, rec))
    elif not same_number(out, rec) and out != rec:
        raise Failure("%s: printed %r, recorded %r" % (path, out, rec))


def get_paths(obj, dotted):
    """Values at a tasks.tsv path like choices[].message.content (None when absent)."""
    parts = dotted.split(".")
    cur = [obj]
    for p in parts:
        arr = p.endswith("[]")
        key = p[:-2] if arr else p
        nxt = []
        for c in cur:
            if isinstance(c, dict) and c.get(key) is not None:
                v = c[key]
                if arr and isinstance(v, list):
                    nxt.extend(v)
                elif not arr:
                    nxt.append(v)
        cur = nxt
    return cur


def coverage(out, rec, paths):
    for p in paths:
        want = get_paths(rec, p)
        if want and not get_paths(out, p):
            raise Failure("%s: recorded %r but not printed" % (p, want[:2]))


def sse_events(body):
    events, data = [], []
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "":
            if data:
                events.append("\n".join(data))
            data = []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if field == "data":
                data.append(value)
    if data:
        events.append("\n".join(data))
    out = []
    for e in events:
        if e == "[DONE]":
            break
        out.append(json.loads(e))
    return out


def expected_message(rec_resp):
    body = rec_resp.get("body_text") or ""
    ctype = " ".join(v for k, v in rec_resp["headers"].items() if k.lower() == "content-type")
    try:
        if "event-stream" in ctype:
            j = [e for e in sse_events(body) if isinstance(e, dict) and "error" in e][0]
        else:
            j = json.loads(body)
    except (ValueError, IndexError):
        return body.strip()
    if isinstance(j, dict):
        e = j.get("error")
        if isinstance(e, str):
            return e
        if isinstance(e, dict) and isinstance(e.get("message"), str):
            return e["message"]
        if isinstance(e, list):
            return "; ".join(str(x) for x in e)
        for k in ("detail", "message"):
            if isinstance(j.get(k), str):
                return j[k]
    return ""


def start_sim(fixtures):
    pf = tempfile.NamedTemporaryFile(delete=False)
    pf.close()
    os.unlink(pf.name)
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "sim", "hfsim.py"),
                             "--fixtures", fixtures, "--port", "0", "--port-file", pf.name],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit("conformance: the simulator did not start: %r" % line)
    return proc, line.split("listening on", 1)[1].strip()


def control(base, method, path, obj=None):
    data = json.dumps(obj).encode() if obj is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


LAST_REQUEST = {}


def run_pinned(binary, base, name, *args):
    """Run the CLI with the simulator pinned to answer with recording `name`; return the CLI's
    result and whether the request path the client built is one of that recording's paths."""
    control(base, "DELETE", "/__sim/log")
    control(base, "POST", "/__sim/faults", {"serve": name})
    rc, out, err = run_cli(binary, *args)
    control(base, "DELETE", "/__sim/faults")
    log = control(base, "GET", "/__sim/log")
    LAST_REQUEST.clear()
    LAST_REQUEST.update(log[-1] if log else {})
    return rc, out, err, (log[-1].get("path_match") if log else None)


def run_cli(binary, task, url, base, body, stream, json_out):
    if isinstance(body, bytes):
        with tempfile.NamedTemporaryFile("wb", suffix=".bin", delete=False) as f:
            f.write(body)
            path = f.name
    else:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(body, f)
            path = f.name
    args = [binary, task.replace("_", "-"), "--model", url, "--base-url", base, "--input", path,
            "--timeout-ms", "20000"]
    if stream:
        args.append("--stream")
    if json_out:
        args.append("--json")
    try:
        p = subprocess.run(args, capture_output=True, timeout=60, env=dict(os.environ, HF_TOKEN="hf_test"))
    finally:
        os.unlink(path)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def request_body(ex):
    txt = ex["request"].get("body_text")
    if txt:
        try:
            body = json.loads(txt)
            if isinstance(body, dict):
                return body
        except ValueError:
            pass
    return dict(DEFAULT_BODY[ex["task"]])


def unwrap(task, rec, body):
    if task == "text_generation" and isinstance(rec, list):
        return rec[0] if rec else rec
    # One text: the CLI prints its one label list; a list of texts: the list of lists as sent.
    if task == "text_classification" and isinstance(rec, list) and rec and isinstance(rec[0], list) \
            and not isinstance(body.get("inputs"), list):
        return rec[0]
    if task == "feature_extraction" and isinstance(rec, dict) and "embeddings" in rec:
        return rec["embeddings"]
    return rec


def check_binary_request(ex, raw):
    """The body the simulator received is the recorded one, byte for byte."""
    sent = LAST_REQUEST.get("body_base64")
    if sent is None and "body_text" in LAST_REQUEST:
        sent = base64.b64encode(LAST_REQUEST["body_text"].encode("utf-8")).decode("ascii")
    if sent != ex["request"]["body_base64"]:
        raise Failure("the request body differs from the recorded one (%d bytes recorded)" % len(raw))
    clen = (LAST_REQUEST.get("headers") or {}).get("content-length")
    if clen != str(len(raw)):
        raise Failure("Content-Length %r for a %d-byte body" % (clen, len(raw)))


def check_one(binary, base, name, ex, fields):
    task, resp = ex["task"], ex["response"]
    if task in BINARY_TASKS:
        if "body_base64" not in ex["request"]:
            raise Skip("the recorder kept no request body (huggingface.js dropped binary bodies): "
                       "no media to upload")
        body = base64.b64decode(ex["request"]["body_base64"])
    else:
        body = request_body(ex)
    if task == "chat_completion" and resp["status"] < 400 and not \
            ex["request"]["url"].split("?")[0].rstrip("/").endswith("/chat/completions"):
        raise Skip("the recorded client fell back to text generation on the model URL with a "
                   "non-seed body; current clients (and hfmicro) always use the chat route")
    stream = isinstance(body, dict) and bool(body.get("stream")) or ex.get("stream", False) and "event-stream" in json.dumps(resp["headers"]).lower()
    ctype = ""
    for k, v in resp["headers"].items():
        if k.lower() == "content-type":
            ctype = v.lower()
    rc, out, err, path_ok = run_pinned(binary, base, name, task, ex["request"]["url"], base, body, stream, True)
    recorded_chat_route = task != "chat_completion" or ex["request"]["url"].split("?")[0].rstrip("/").endswith("/chat/completions")
    if path_ok is False and recorded_chat_route:
        raise Failure("the client requested another path than the recorded %s" % ex["request"]["url"])
    if resp["status"] >= 400 and rc == 2 and "HF_ERR_JSON_SHAPE" in err and "does not fit" in err:
        # The recorded client sent a body the seed input type cannot hold (no `messages`,
        # `messages` as a string, ...) and the server refused it; hfmicro refuses it before
        # sending, with a typed error.
        return "refused locally, recorded %d" % resp["status"]
    if resp["status"] >= 400 or "error" in (resp.get("body_text") or "")[:12]:
        if rc == 0:
            raise Failure("exit 0 for a recorded %d: %s" % (resp["status"], out[:200]))
        msg = expected_message(resp)[:120]
        if msg and msg not in err:
            raise Failure("stderr lacks the server message %r: %s" % (msg, err.strip()))
        if resp["status"] >= 400 and ("HTTP %d" % resp["status"]) not in err:
            raise Failure("stderr lacks HTTP %d: %s" % (resp["status"], err.strip()))
        return "error %d" % resp["status"]
    if rc != 0:
        raise Failure("exit %d: %s" % (rc, err.strip()[:300]))
    printed = [json.loads(l) for l in out.splitlines() if l.strip()]
    if "event-stream" in ctype:
        events = sse_events(resp["body_text"])
        events = [e for e in events if not (isinstance(e, dict) and "error" in e)]
        if len(printed) != len(events):
            raise Failure("printed %d chunks, recorded %d events" % (len(printed), len(events)))
        for i, (a, b) in enumerate(zip(printed, events)):
            subset(a, b, "event[%d]" % i)
        # plain text: exactly the concatenated content
        rc2, text, err2, _ = run_pinned(binary, base, name, task, ex["request"]["url"], base, body, True, False)
        if rc2 != 0:
            raise Failure("plain stream exit %d: %s" % (rc2, err2.strip()))
        if task == "chat_completion":
            want = "".join((c.get("delta") or {}).get("content") or "" for e in events for c in e.get("choices") or [])
        else:
            want = "".join(e["token"]["text"] for e in events if e.get("token") and not e["token"].get("special"))
        if text != want + "\n":
            raise Failure("plain stream printed %r, want %r" % (text[:200], want[:200]))
        return "stream %d events" % len(events)
    rec = unwrap(task, json.loads(resp["body_text"]), body)
    if len(printed) != 1:
        raise Failure("printed %d JSON values" % len(printed))
    subset(printed[0], rec)
    if task in BINARY_TASKS:
        check_binary_request(ex, body)
        return "json, request body as recorded"
    if isinstance(rec, dict):
        coverage(printed[0], rec, fields.get(task, []))
    return "json"


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    fixtures = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(ROOT), "shared", "fixtures", "recorded")
    if not os.path.isdir(fixtures):
        print("conformance: SKIPPED, no recorded fixtures at %s" % fixtures)
        return 0
    fields = load_output_fields()
    proc, base = start_sim(fixtures)
    passed = failed = skipped = 0
    try:
        for name in sorted(os.listdir(fixtures)):
            if not name.endswith(".json") or name.split("__")[0] not in TASKS:
                continue
            with open(os.path.join(fixtures, name), encoding="utf-8") as f:
                ex = json.load(f)
            try:
                what = check_one(binary, base, name, ex, fields)
                passed += 1
                print("ok   %s (%s)" % (name, what))
            except Skip as e:
                skipped += 1
                print("skip %s: %s" % (name, e))
            except Failure as e:
                failed += 1
                print("FAIL %s: %s" % (name, e))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("conformance: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
