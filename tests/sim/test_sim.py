"""Self-test of the simulator: python3 -m unittest discover -s tests/sim

Starts hfsim.py on port 0 in a subprocess and talks to it with raw sockets and
http.client. Expected bytes come from the fixture files, the case files in
shared/cases (copied by hand below) or hand computation, never from the sim.
Tests that need shared/fixtures/recorded skip with a message when it is absent.
"""

import base64
import http.client
import json
import os
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.environ.get("HF_FIXTURES_DIR") or os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "shared", "fixtures", "recorded"))
HAVE_FIXTURES = os.path.isdir(FIXTURES)
NO_FIXTURES = "fixtures dir %s absent: recorded-exchange tests skipped" % FIXTURES

sys.path.insert(0, HERE)
import sim_store  # noqa: E402
from simclient import Raw, Sim, request_bytes  # noqa: E402

# shared/cases/11 variant A body (74 bytes) and variant B (122 bytes).
PLAIN_400 = b"Bad Request: request body must be JSON with Content-Type: application/json"
HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
# shared/cases/01 variant A, the only event.
ERR_A = (b'data: {"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096.'
         b' Given: 12 `inputs` tokens and 4091 `max_new_tokens`","error_type":"validation"}\n\n')
# shared/cases/04, the four chunks.
TOOL_CHUNKS = [
    b'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,'
    b'"id":"call_01","type":"function","function":{"name":"web_search","arguments":""}}]},"finish_reason":null}]}\n\n',
    b'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"qu"}}]},'
    b'"finish_reason":null}]}\n\n'
    b'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ery\\": \\"weather'
    b' in Par"}}]},"finish_reason":null}]}\n\n',
    b'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"is\\"}"}}]},'
    b'"finish_reason":null}]}\n\n',
    b'data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\ndata: [DONE]\n\n',
]
INJECTED = (b'data: {"error":"Request failed during generation: Server error: sim injected error",'
            b'"error_type":"generation"}\n\n')
SYN_EVENT = (b'data: {"id":"sim","object":"chat.completion.chunk","created":1700000000,"model":"sim",'
             b'"choices":[{"index":0,"delta":{"content":"tok "},"finish_reason":null}]}\n\n')
SYN_TAIL = (b'data: {"id":"sim","object":"chat.completion.chunk","created":1700000000,"model":"sim",'
            b'"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def stored_body(obj):
    if "body_text" in obj:
        return obj["body_text"].encode("utf-8")
    return base64.b64decode(obj["body_base64"])


def rec_path(fx):
    return "/" + fx["request"]["url"].split("://", 1)[1].split("/", 1)[1]


# -- tests --------------------------------------------------------------------

class CanonicalPathTest(unittest.TestCase):
    def test_router_forms_are_one_key(self):
        c = sim_store.canonical_path
        want = "/models/google/flan-t5-xxl"
        for p in ("/models/google/flan-t5-xxl", "/hf-inference/models/google/flan-t5-xxl",
                  "/api/inference-proxy/hf-inference/models/google/flan-t5-xxl",
                  "//hf-inference/models/google/flan-t5-xxl/", "/models/google/flan-t5-xxl?x=1"):
            self.assertEqual(c(p), want, p)
        want = "/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction"
        for p in ("/pipeline/feature-extraction/sentence-transformers/all-MiniLM-L6-v2",
                  "/hf-inference/pipeline/feature-extraction/sentence-transformers/all-MiniLM-L6-v2",
                  "/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction"):
            self.assertEqual(c(p), want, p)
        self.assertEqual(c("/cerebras/v1/chat/completions"), "/cerebras/v1/chat/completions")
        self.assertEqual(c("/hf-inference/models/sim/x/v1/chat/completions"), "/sim/x/v1/chat/completions")
        self.assertEqual(sim_store.loose_path(want), "/models/sentence-transformers/all-MiniLM-L6-v2")

    def test_model_from_path(self):
        m = sim_store.model_from_path
        self.assertEqual(m("/models/gpt2"), "gpt2")
        self.assertEqual(m("/models/meta-llama/Llama-3.1-8B-Instruct/v1/chat/completions"),
                         "meta-llama/Llama-3.1-8B-Instruct")
        self.assertEqual(m("/models/gpt2/pipeline/feature-extraction"), "gpt2")
        self.assertEqual(m("/sim/loading"), "sim/loading")
        self.assertIsNone(m("/cerebras/v1/chat/completions"))


class SimCase(unittest.TestCase):
    ARGS = ()

    @classmethod
    def setUpClass(cls):
        cls.sim = Sim(*cls.ARGS)

    @classmethod
    def tearDownClass(cls):
        rc = cls.sim.stop()
        assert rc == 0, "sim exited with %r on SIGTERM: %s" % (rc, cls.sim.stderr)

    def setUp(self):
        self.assertEqual(self.sim.control("POST", "reset")[0], 200)

    def raw_exchange(self, path, body=b"{}", method="POST"):
        r = Raw(self.sim.port)
        self.addCleanup(r.close)
        r.send(request_bytes(method, path, body))
        return r

    def fault(self, **spec):
        status, reply = self.sim.control("POST", "faults", spec)
        self.assertEqual(status, 200, reply)


class ScenarioTest(SimCase):
    def test_banner_and_port(self):
        self.assertEqual(self.sim.banner, "listening on http://127.0.0.1:%d\n" % self.sim.port)

    def test_plain_text_400_exact_wire(self):
        r = self.raw_exchange("/hf-inference/models/sim/plain-400")
        status, h, body, wire, _ = r.response()
        self.assertEqual(wire, b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"
                         b"Content-Length: 74\r\n\r\n" + PLAIN_400)

    def test_html_502_then_connection_reused(self):
        r = self.raw_exchange("/sim/html-502")
        status, h, body, _, _ = r.response()
        self.assertEqual((status, h["content-type"], h["content-length"], body),
                         (502, "text/html", "122", HTML_502))
        r.send(request_bytes("POST", "/sim/plain-400", b"{}"))
        self.assertEqual(r.response()[2], PLAIN_400)

    def test_tool_call_fragments_keep_case_framing(self):
        r = self.raw_exchange("/hf-inference/models/sim/tool-calls/v1/chat/completions")
        status, h, body, _, sizes = r.response()
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "text/event-stream")
        self.assertEqual(sizes, [0xce, 0x10a, 0x7c, 0x57])
        self.assertEqual(body, b"".join(TOOL_CHUNKS))

    def test_error_event_inside_200_both_shapes(self):
        r = self.raw_exchange("/sim/stream-error-validation")
        status, _, body, _, sizes = r.response()
        self.assertEqual((status, body, sizes), (200, ERR_A, [0xad]))
        r.send(request_bytes("POST", "/hf-inference/models/sim/stream-error-openai/v1/chat/completions", b"{}"))
        status, _, body, _, sizes = r.response()
        self.assertEqual((status, sizes), (200, [0xf0, 0xdc, 0x74]))
        self.assertTrue(body.endswith(b'data: {"error":{"message":"Request failed during generation: Server '
                                      b'error: out of memory","http_status_code":422}}\n\n'))

    def test_loading_then_success_cycles(self):
        r = self.raw_exchange("/hf-inference/models/sim/loading")
        status, h, body, _, _ = r.response()
        self.assertEqual((status, body), (503, b'{"error":"Model sim/loading is currently loading",'
                                                b'"estimated_time":0.2}'))
        r.send(request_bytes("POST", "/hf-inference/models/sim/loading", b"{}"))
        self.assertEqual(r.response()[:3:2], (200, b'[[{"label":"POSITIVE","score":0.9998}]]'))
        r.send(request_bytes("POST", "/hf-inference/models/sim/loading", b"{}"))
        self.assertEqual(r.response()[0], 503)

    def test_case10_bodies(self):
        _, body = self.sim.http("POST", "/sim/loading-forever-b", b"{}")
        self.assertEqual(len(body), 86)
        self.assertEqual(json.loads(body.decode())["estimated_time"], 412.5271301269531)

    def test_unknown_path_404(self):
        r, body = self.sim.http("POST", "/hf-inference/models/nobody/nothing?x=1", b"{}")
        self.assertEqual(r.status, 404)
        self.assertEqual(json.loads(body.decode()),
                         {"error": "sim: no recording for POST /hf-inference/models/nobody/nothing"})

    def test_bad_requests_and_info_endpoints(self):
        r = Raw(self.sim.port)
        self.addCleanup(r.close)
        r.send(b"POST /sim/plain-400 HTTP/1.1\r\nHost: sim\r\nContent-Length: abc\r\n\r\n")
        status, h, body, _, _ = r.response()
        self.assertEqual((status, h.get("connection")), (400, "close"))
        self.assertIn(b"sim: bad request body", body)
        _, health = self.sim.control("GET", "health")
        _, recs = self.sim.control("GET", "recordings")
        self.assertEqual(health["exchanges"], len(recs))
        names = [x["name"] for x in recs if x["scenario"]]
        self.assertIn("chat-tool-call-fragments.json", names)
        self.assertEqual(self.sim.control("GET", "nothing")[0], 404)

    def test_chunked_request_body_is_read(self):
        r = Raw(self.sim.port)
        self.addCleanup(r.close)
        r.send(b"POST /sim/plain-400 HTTP/1.1\r\nHost: sim\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n")
        self.assertEqual(r.response()[2], PLAIN_400)
        self.assertEqual(self.sim.last_log()["body_text"], '{"a":1}')


class SyntheticTest(SimCase):
    def events(self, query):
        r = self.raw_exchange("/sim/v1/chat/completions" + query, b"{}")
        status, h, body, _, sizes = r.response()
        self.assertEqual((status, h["content-type"]), (200, "text/event-stream"))
        return body, sizes

    def test_event_shape_independent_of_count(self):
        for n in (0, 1, 4000):
            body, sizes = self.events("?events=%d" % n)
            self.assertEqual(body, SYN_EVENT * n + SYN_TAIL)
            self.assertEqual(sizes[:n], [len(SYN_EVENT)] * n)

    def test_header_and_bytes_select_count(self):
        r, body = self.sim.http("POST", "/hf-inference/models/sim/v1/chat/completions", b"{}",
                                {"x-sim-events": "3"})
        self.assertEqual(body, SYN_EVENT * 3 + SYN_TAIL)
        want = 100000
        body, _ = self.events("?bytes=%d" % want)
        n = (len(body) - len(SYN_TAIL)) // len(SYN_EVENT)
        self.assertEqual(body, SYN_EVENT * n + SYN_TAIL)
        self.assertGreaterEqual(len(body), want)
        self.assertLess(len(body) - len(SYN_EVENT), want)


class FaultTest(SimCase):
    PATH = "/sim/plain-400"

    def baseline(self):
        r = self.raw_exchange(self.PATH)
        wire = r.response()[3]
        r.close()
        return wire

    def faulted(self, **spec):
        self.fault(**spec)
        r = self.raw_exchange(self.PATH)
        return r

    def test_split_at_offsets(self):
        want = self.baseline()
        r = self.faulted(split=[5, 40, 100], delay_ms=80)
        r.response()
        self.assertEqual(b"".join(r.reads), want)
        self.assertEqual(r.reads[0], want[:5])
        self.assertGreaterEqual(len(r.reads), 4)
        self.assertEqual(self.sim.last_log()["writes"], 4)

    def test_every_and_drip(self):
        want = self.baseline()
        r = self.faulted(every=16)
        r.response()
        self.assertEqual(b"".join(r.reads), want)
        self.assertEqual(self.sim.last_log()["writes"], (len(want) + 15) // 16)
        r = self.faulted(drip=True)
        r.response()
        self.assertEqual(b"".join(r.reads), want)
        self.assertEqual(self.sim.last_log()["writes"], len(want))
        self.assertGreater(len(r.reads), 10)

    def test_truncate(self):
        want = self.baseline()
        r = self.faulted(truncate_at=50)
        self.assertEqual(r.read_all(), want[:50])
        self.assertTrue(r.eof)
        self.assertIsNone(r.error)

    def test_reset(self):
        want = self.baseline()
        r = self.faulted(reset_at=50)
        got = r.read_all()
        self.assertIsInstance(r.error, ConnectionResetError)
        self.assertEqual(got, want[:50])
        self.assertEqual(self.sim.last_log()["ended"], "reset")

    def test_stall_before_body_and_at_offset(self):
        self.fault(stall_ms=300)
        c = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        c.request("POST", self.PATH, b"{}")
        resp = c.getresponse()
        t0 = time.monotonic()
        self.assertEqual(resp.read(), PLAIN_400)
        self.assertGreaterEqual(time.monotonic() - t0, 0.25)
        c.close()
        want = self.baseline()
        r = self.faulted(stall_ms=300, stall_at=10)
        r.response()
        self.assertEqual(r.reads[0], want[:10])
        self.assertGreaterEqual(r.times[1] - r.times[0], 0.25)

    def test_status503_then_normal(self):
        self.fault(status503={"estimated_time": 2.5, "times": 2})
        r = self.raw_exchange("/hf-inference/models/sim/plain-400")
        for _ in range(2):
            status, h, body, _, _ = r.response()
            self.assertEqual((status, h["content-type"]), (503, "application/json"))
            self.assertEqual(body, b'{"error":"Model sim/plain-400 is currently loading","estimated_time":2.5}')
            r.send(request_bytes("POST", "/hf-inference/models/sim/plain-400", b"{}"))
        self.assertEqual(r.response()[2], PLAIN_400)

    def test_status429(self):
        self.fault(status429={"retry_after": 3, "times": 1})
        r, body = self.sim.http("POST", self.PATH, b"{}")
        self.assertEqual((r.status, r.getheader("Retry-After")), (429, "3"))
        self.assertEqual(json.loads(body.decode()), {"error": "Model is overloaded", "error_type": "overloaded"})
        self.assertEqual(self.sim.http("POST", self.PATH, b"{}")[1], PLAIN_400)

    def test_error_event_after(self):
        self.fault(error_event_after=2)
        r = self.raw_exchange("/sim/tool-calls")
        status, _, body, _, _ = r.response()
        self.assertEqual(status, 200)
        self.assertEqual(body, TOOL_CHUNKS[0] + TOOL_CHUNKS[1].split(b"\n\n")[0] + b"\n\n" + INJECTED)
        self.fault(error_event_after=1)
        body = self.sim.http("POST", "/sim/v1/chat/completions?events=5", b"{}")[1]
        self.assertEqual(body, SYN_EVENT + INJECTED)

    def test_chunk_size(self):
        self.fault(chunk_size=7)
        r = self.raw_exchange("/sim/tool-calls")
        _, _, body, _, sizes = r.response()
        self.assertEqual(body, b"".join(TOOL_CHUNKS))
        self.assertEqual(sizes, [7] * (len(body) // 7) + ([len(body) % 7] if len(body) % 7 else []))

    def test_count_queue_and_clear(self):
        self.fault(split=[3], count=2)
        self.fault(truncate_at=20)
        for _ in range(2):
            self.sim.http("POST", self.PATH, b"{}")
            self.assertEqual(self.sim.last_log()["fault"]["split"], [3])
        self.assertEqual(len(self.raw_exchange(self.PATH).read_all()), 20)
        self.assertEqual(self.sim.last_log()["ended"], "truncate")
        self.sim.http("POST", self.PATH, b"{}")
        self.assertIsNone(self.sim.last_log()["fault"])
        self.fault(truncate_at=1)
        queue = self.sim.control("GET", "faults")[1]["queue"]
        self.assertEqual([(q["truncate_at"], q["remaining"]["count"]) for q in queue], [(1, 1)])
        self.assertEqual(self.sim.control("DELETE", "faults"), (200, {"cleared": 1}))
        self.assertEqual(self.sim.http("POST", self.PATH, b"{}")[1], PLAIN_400)

    def test_bad_spec_rejected(self):
        for spec in ({"bogus": 1}, {"split": "5"}, {"every": 0}, {"status503": {"times": -1}}):
            status, reply = self.sim.control("POST", "faults", spec)
            self.assertEqual(status, 400, spec)
            self.assertIn("sim: bad fault spec", reply["error"])


class LogAndKeepAliveTest(SimCase):
    def test_keep_alive_log_and_stats(self):
        _, before = self.sim.control("GET", "stats")
        c = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        for path in ("/sim/plain-400", "/sim/tool-calls", "/sim/html-502"):
            c.request("POST", path, b'{"q":1}', {"Content-Type": "application/json", "X-Test": "A"})
            c.getresponse().read()
        c.request("POST", "/sim/plain-400", b"\xff\x00\xfe", {"Content-Type": "application/octet-stream"})
        c.getresponse().read()
        c.close()
        _, log = self.sim.control("GET", "log")
        self.assertEqual([e["path"] for e in log],
                         ["/sim/plain-400", "/sim/tool-calls", "/sim/html-502", "/sim/plain-400"])
        self.assertEqual(len(set(e["connection"] for e in log)), 1)
        self.assertEqual(log[0]["headers"]["x-test"], "A")
        self.assertEqual(log[0]["headers"]["content-type"], "application/json")
        self.assertEqual(log[0]["body_text"], '{"q":1}')
        self.assertEqual(log[3]["body_base64"], base64.b64encode(b"\xff\x00\xfe").decode())
        self.assertEqual([e["status"] for e in log], [400, 200, 502, 400])
        _, after = self.sim.control("GET", "stats")
        self.assertEqual(after["requests"] - before["requests"], 4)
        # before's own connection was counted before it answered; ours, the log's and after's follow.
        self.assertEqual(after["connections"] - before["connections"], 3, (before, after))
        self.assertEqual(self.sim.control("DELETE", "log")[0], 200)
        self.assertEqual(self.sim.control("GET", "log")[1], [])


class NoFixturesTest(unittest.TestCase):
    def test_scenarios_only_and_run_wide_faults(self):
        sim = Sim("--fixtures", os.path.join(tempfile.gettempdir(), "hfsim-no-such-dir"),
                  "--status503", "0.5", "--split", "4")
        try:
            r1, b1 = sim.http("POST", "/sim/plain-400", b"{}")
            r2, b2 = sim.http("POST", "/sim/plain-400", b"{}")
            self.assertEqual((r1.status, json.loads(b1.decode())["estimated_time"]), (503, 0.5))
            self.assertEqual((r2.status, b2), (400, PLAIN_400))
            # run-wide split stays on: 4 bytes, rest of the head, body (no cut left to wait for)
            self.assertEqual(sim.last_log()["writes"], 3)
            self.assertEqual(sim.http("POST", "/models/gpt2", b"{}")[0].status, 404)
        finally:
            self.assertEqual(sim.stop(), 0)
        self.assertIn("not found; serving scenarios only", sim.stderr)


@unittest.skipUnless(HAVE_FIXTURES, NO_FIXTURES)
class RecordedTest(SimCase):
    def replay(self, name, path=None, body=None):
        fx = fixture(name)
        req = fx["request"]
        if body is None:
            body = stored_body(req) if ("body_text" in req or "body_base64" in req) else b""
        r = Raw(self.sim.port)
        r.send(request_bytes(req["method"], path or rec_path(fx), body))
        status, h, got, _, sizes = r.response()
        r.close()
        self.assertEqual(self.sim.last_log()["served"], name)
        return fx, status, h, got, sizes

    def test_json_content_length_recomputed(self):
        name = "text_classification__py-apiinf-default-1efa3c.json"  # records Content-Length 204
        fx, status, h, body, sizes = self.replay(name)
        self.assertEqual((status, body), (200, stored_body(fx["response"])))
        self.assertEqual(h["content-length"], str(len(body)))
        self.assertEqual(len(body), 102)
        self.assertNotIn("transfer-encoding", h)
        self.assertEqual(h["x-compute-type"], fx["response"]["headers"]["x-compute-type"])

    def test_sse_streams_are_chunked(self):
        for name in ("chat_completion__py-cerebras-with-stream-72536a.json",
                     "chat_completion__js-hfinf-mistral-7b-instruct-v0-2-34731d.json",
                     "chat_completion__py-novita-with-stream-09f68c.json"):
            fx, status, h, body, sizes = self.replay(name)
            self.assertEqual(body, stored_body(fx["response"]), name)
            self.assertEqual(h["transfer-encoding"], "chunked")
            self.assertTrue(h["content-type"].startswith("text/event-stream"))
            self.assertGreater(len(sizes), 1)

    def test_text_plain_error_and_binary(self):
        fx, status, h, body, _ = self.replay("chat_completion__py-hfinf-unprocessable-entity-5078d5.json")
        self.assertEqual((status, h["content-type"], body),
                         (422, "text/plain; charset=utf-8", stored_body(fx["response"])))
        fx, status, h, body, _ = self.replay("text_to_speech__py-apiinf-default-858976.json")
        self.assertEqual((status, h["content-type"]), (200, "audio/flac"))
        self.assertEqual(body, base64.b64decode(fx["response"]["body_base64"]))

    def test_path_forms(self):
        name = "text_classification__py-apiinf-default-1efa3c.json"
        want = stored_body(fixture(name)["response"])
        model = "distilbert-base-uncased-finetuned-sst-2-english"
        for prefix in ("/models/", "/hf-inference/models/", "/api/inference-proxy/hf-inference/models/"):
            self.assertEqual(self.replay(name, prefix + model)[3], want, prefix)
        name = "feature_extraction__py-apiinf-inference-overriding-task-97fcc6.json"  # /pipeline/<task>/<id>
        fx = fixture(name)
        model = rec_path(fx).split("/pipeline/feature-extraction/")[1]
        for p in ("/hf-inference/models/%s/pipeline/feature-extraction" % model,
                  "/hf-inference/pipeline/feature-extraction/%s" % model):
            self.assertEqual(self.replay(name, p)[3], stored_body(fx["response"]), p)

    def test_body_selects_among_same_path(self):
        a = "chat_completion__js-hfinf-mistral-7b-instruct-v0-2-2f63cf.json"
        b = "chat_completion__js-hfinf-mistral-7b-instruct-v0-2-e7e875.json"  # same JSON, other key order
        for name in (a, b):
            fx, status, h, body, _ = self.replay(name)
            self.assertEqual(body, stored_body(fx["response"]))
        respaced = json.dumps(json.loads(fixture(b)["request"]["body_text"]), indent=2).encode()
        self.replay(a, body=respaced)  # JSON-equal tie -> first in file order
        near = json.loads(fixture("chat_completion__js-hfinf-mistral-7b-instruct-v0-2-34731d.json")
                          ["request"]["body_text"])
        near["seed"] = 1
        self.replay("chat_completion__js-hfinf-mistral-7b-instruct-v0-2-34731d.json",
                    body=json.dumps(near).encode())

    def test_every_recording_with_a_body_is_found_by_its_request(self):
        names = sorted(n for n in os.listdir(FIXTURES) if n.endswith(".json"))
        sent = []
        c = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        for name in names:
            fx = fixture(name)
            if "body_text" not in fx["request"] and "body_base64" not in fx["request"]:
                continue
            c.request(fx["request"]["method"], rec_path(fx), stored_body(fx["request"]))
            r = c.getresponse()
            self.assertEqual((r.status, r.read()), (fx["response"]["status"], stored_body(fx["response"])), name)
            sent.append(name)
        c.close()
        _, log = self.sim.control("GET", "log")
        self.assertEqual([e["served"] for e in log], sent)
        self.assertEqual(len(set(e["connection"] for e in log)), 1)
        self.assertGreater(len(sent), 100)

    def test_polling_sequence_and_query(self):
        names = ["text_to_image__py-api-us1-default-b39c54.json", "text_to_image__py-api-us1-default-1c0bf0.json",
                 "text_to_image__py-api-us1-default-7d5e79.json", "text_to_image__py-api-us1-default-8e336f.json"]
        url = "/v1/get_result?id=d11b93f5-4d13-42bb-b26b-95fead3634ac"
        for name in names + names[-1:]:
            fx, status, h, body, _ = self.replay(name, url)
            self.assertEqual(body, stored_body(fx["response"]))
        _, _, h, body, _ = self.replay("text_to_image__py-api-us1-default-8e336f.json", url)
        self.assertEqual(h["content-length"], "420")  # recorded 462
        self.replay("model_info__js-hub-bart-base-1fe598.json")
        self.replay("model_info__py-hub-facebook-bart-base-797b5d.json")

    def test_faults_on_recordings(self):
        name = "text_classification__py-apiinf-default-1efa3c.json"
        self.fault(status503={"estimated_time": 2.5})
        r, body = self.sim.http("POST", "/hf-inference/models/distilbert-base-uncased-finetuned-sst-2-english",
                                stored_body(fixture(name)["request"]))
        self.assertEqual(body, b'{"error":"Model distilbert-base-uncased-finetuned-sst-2-english is currently '
                               b'loading","estimated_time":2.5}')
        self.assertEqual(self.replay(name)[3], stored_body(fixture(name)["response"]))
        name = "chat_completion__py-cerebras-with-stream-72536a.json"
        self.fault(error_event_after=2)
        fx, status, h, body, sizes = self.replay(name)
        events = stored_body(fx["response"]).split(b"\n\n")
        self.assertEqual(body, events[0] + b"\n\n" + events[1] + b"\n\n" + INJECTED)


if __name__ == "__main__":
    unittest.main()
