"""The hfmicro CLI over real sockets against the simulator: the case files' failure kinds
on the wire (split, drip, truncation, reset, stall, 503 loading, 429, error events inside a
200 stream, text and HTML error bodies), and the CLI contract (exit codes, stderr, output).

Expected values come from the scenarios' case files (shared/cases) and spec/PROTOCOL.md.
usage: HFMICRO=path/to/hfmicro python3 -m unittest discover -s tests/integration
"""
import json
import os
import socket
import subprocess
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sim"))
from simclient import Sim  # noqa: E402

HF = os.environ.get("HFMICRO", os.path.join(HERE, "..", "..", "build", "hfmicro"))


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--fixtures", "none")
        cls.base = "http://127.0.0.1:%d" % cls.sim.port

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.sim.control("POST", "reset")

    def hf(self, *args, stdin=None, timeout_ms=5000):
        argv = [HF] + list(args) + ["--base-url", self.base, "--timeout-ms", str(timeout_ms)]
        p = subprocess.run(argv, input=stdin, capture_output=True, timeout=60)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def ctl(self, method, path, obj=None):
        status, data = self.sim.control(method, path, obj)
        self.assertEqual(status, 200, data)
        return data

    def fault(self, spec):
        self.ctl("POST", "faults", spec)

    # -- the CLI contract -------------------------------------------------------------

    def test_usage_errors_exit_2(self):
        for args in ([], ["no-such-task", "--model", "m"], ["chat-completion"],
                     ["chat-completion", "--model", "m", "--bogus"]):
            p = subprocess.run([HF] + args, capture_output=True, timeout=30)
            self.assertEqual(p.returncode, 2, args)

    def test_body_that_does_not_fit_the_seed_type_is_refused_before_sending(self):
        rc, out, err = self.hf("chat-completion", "--model", "sim/demo-chat", "--input", "-",
                               stdin=b'{"messages": "not a list"}')
        self.assertEqual(rc, 2)
        self.assertIn("HF_ERR_JSON_SHAPE", err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 0)

    def test_task_names_take_dash_or_underscore(self):
        for name in ("text-classification", "text_classification"):
            rc, out, err = self.hf(name, "--model", "sim/demo-classify", "I like you")
            self.assertEqual(rc, 0, err)
            self.assertEqual(out, "POSITIVE\t0.9998\nNEGATIVE\t0.0002\n")

    def test_text_shorthand_becomes_the_main_input(self):
        self.hf("chat-completion", "--model", "sim/demo-chat", "Bonjour")
        body = json.loads(self.ctl("GET", "log")[-1]["body_text"])
        self.assertEqual(body["model"], "sim/demo-chat")  # model first, from --model
        self.assertEqual(body["messages"], [{"role": "user", "content": "Bonjour"}])
        self.assertEqual(list(body)[0], "model")

    def test_text_and_a_main_input_in_the_body_are_refused(self):
        rc, out, err = self.hf("text-classification", "--model", "sim/demo-classify", "--input", "-", "extra",
                               stdin=b'{"inputs": "x"}')
        self.assertEqual(rc, 2)
        self.assertIn("not both", err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 0)

    def test_text_merges_into_a_body_of_parameters(self):
        rc, out, err = self.hf("text-classification", "--model", "sim/demo-classify", "--input", "-", "I like you",
                               stdin=b'{"parameters": {"top_k": 1}}')
        self.assertEqual(rc, 0, err)
        body = json.loads(self.ctl("GET", "log")[-1]["body_text"])
        self.assertEqual(body, {"inputs": "I like you", "parameters": {"top_k": 1}})

    def test_help_goes_to_stdout_whole(self):
        p = subprocess.run([HF, "--help"], capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stderr, b"")
        self.assertIn(b"chat-completion", p.stdout)

    def test_request_carries_json_content_type_and_bearer_token(self):
        p = subprocess.run([HF, "text-classification", "--model", "sim/demo-classify", "--base-url", self.base, "x"],
                           capture_output=True, timeout=30, env=dict(os.environ, HF_TOKEN="hf_abc"))
        self.assertEqual(p.returncode, 0)
        h = self.ctl("GET", "log")[-1]["headers"]
        self.assertEqual(h["content-type"], "application/json")
        self.assertEqual(h["authorization"], "Bearer hf_abc")

    # -- streams ----------------------------------------------------------------------

    def test_synthetic_stream_plain_text_is_the_concatenated_content(self):
        rc, out, err = self.hf("chat-completion", "--model", "sim", "--stream", "--input", "-",
                               stdin=b'{"messages":[{"role":"user","content":"hi"}]}')
        self.assertEqual(rc, 0, err)
        stream = self.sim.http("POST", "/sim/v1/chat/completions", b'{"stream":true}')[1].decode()
        want = "".join(c["delta"].get("content") or "" for e in stream.split("\n\n")
                       if e.startswith("data: {") for c in json.loads(e[6:])["choices"])
        self.assertEqual(out, want + "\n")

    def test_split_and_drip_do_not_change_the_result(self):
        base = self.hf("chat-completion", "--model", "sim/tool-calls", "--stream", "q")
        for spec in ({"split": [1, 17, 18, 100, 101, 300]}, {"drip": True, "delay_ms": 0}, {"every": 3}):
            self.fault(spec)
            got = self.hf("chat-completion", "--model", "sim/tool-calls", "--stream", "q")
            self.assertEqual(got, base, spec)
        # case 04: one call web_search with the 29-byte arguments
        self.assertEqual(base[1], 'web_search({"query": "weather in Paris"})\n')

    def test_error_event_inside_200_stream_legacy_shape(self):
        rc, out, err = self.hf("chat-completion", "--model", "sim/stream-error-validation", "--stream", "x")
        self.assertNotEqual(rc, 0)
        self.assertIn("HF_ERR_SERVER_EVENT", err)
        self.assertIn("[validation]", err)
        self.assertIn("Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096.", err)
        self.assertNotIn("HTTP 200", err)

    def test_error_event_inside_200_stream_openai_shape(self):
        rc, out, err = self.hf("chat-completion", "--model", "sim/stream-error-openai", "--stream", "x")
        self.assertNotEqual(rc, 0)
        self.assertEqual(out, "Hello\n" if out.endswith("\n") else "Hello")
        self.assertIn("HF_ERR_SERVER_EVENT (HTTP 422)", err)
        self.assertIn("Request failed during generation: Server error: out of memory", err)

    def test_injected_error_event_after_two_events(self):
        self.fault({"error_event_after": 2})
        rc, out, err = self.hf("chat-completion", "--model", "sim", "--stream", "x")
        self.assertNotEqual(rc, 0)
        self.assertIn("HF_ERR_SERVER_EVENT", err)
        self.assertIn("[generation]", err)

    def test_truncated_stream_is_an_error_not_success(self):
        self.fault({"truncate_at": 600})
        rc, out, err = self.hf("chat-completion", "--model", "sim", "--stream", "x")
        self.assertNotEqual(rc, 0)
        self.assertIn("HF_ERR_TRUNCATED", err)

    def test_reset_mid_body_is_an_error(self):
        self.fault({"reset_at": 300})
        rc, out, err = self.hf("chat-completion", "--model", "sim", "--stream", "x")
        self.assertNotEqual(rc, 0)
        self.assertTrue("HF_ERR_IO" in err or "HF_ERR_CLOSED" in err or "HF_ERR_TRUNCATED" in err, err)

    def test_stall_longer_than_the_timeout_is_a_timeout(self):
        self.fault({"stall_ms": 3000, "stall_at": 0})
        rc, out, err = self.hf("text-classification", "--model", "sim/demo-classify", "x", timeout_ms=500)
        self.assertNotEqual(rc, 0)
        self.assertIn("HF_ERR_TIMEOUT", err)

    # -- error bodies and retries -------------------------------------------------------

    def test_plain_text_400_reports_status_and_text(self):
        rc, out, err = self.hf("chat-completion", "--model", "sim/plain-400", "x")
        self.assertEqual(rc, 1)
        self.assertIn("HF_ERR_HTTP_STATUS (HTTP 400)", err)
        self.assertIn("Bad Request: request body must be JSON with Content-Type: application/json", err)

    def test_html_502_reports_status_not_a_json_error(self):
        rc, out, err = self.hf("chat-completion", "--model", "sim/html-502", "x")
        self.assertEqual(rc, 1)
        self.assertIn("HF_ERR_HTTP_STATUS (HTTP 502)", err)
        self.assertNotIn("JSON", err)

    def test_503_loading_then_success_is_retried(self):
        self.fault({"status503": {"estimated_time": 0.3, "times": 1}})
        rc, out, err = self.hf("text-classification", "--model", "sim/demo-classify", "x")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 2)

    def test_503_loading_beyond_the_attempts_reports_model_loading(self):
        rc, out, err = self.hf("text-classification", "--model", "sim/loading-forever-b", "x")
        self.assertEqual(rc, 1)
        self.assertIn("HF_ERR_MODEL_LOADING (HTTP 503)", err)
        self.assertIn("Model acme/big-llm is currently loading", err)
        self.assertIn("estimated_time 412.5", err)

    def test_429_with_retry_after_is_retried(self):
        self.fault({"status429": {"retry_after": 1, "times": 1}})
        rc, out, err = self.hf("text-classification", "--model", "sim/demo-classify", "x")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 2)

    def test_unknown_model_404(self):
        rc, out, err = self.hf("text-classification", "--model", "nobody/nothing", "x")
        self.assertEqual(rc, 1)
        self.assertIn("HTTP 404", err)

    def test_input_over_the_json_limit_says_too_large(self):
        # main.c CLI_MAX_INPUT: 32 MiB for a JSON body; /dev/zero never ends
        rc, out, err = self.hf("text-classification", "--model", "sim/demo-classify", "--input", "/dev/zero")
        self.assertEqual(rc, 2)
        self.assertIn("cannot read --input /dev/zero: too large (limit 32 MiB)", err)
        self.assertNotIn("Success", err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 0)

    def test_media_input_over_its_limit_says_too_large(self):
        # tasks.c CLI_MAX_MEDIA: 64 MiB of raw bytes for an image/audio task
        rc, out, err = self.hf("image-classification", "--model", "sim/demo-image", "--input", "/dev/zero")
        self.assertEqual(rc, 2)
        self.assertIn("cannot read --input /dev/zero: too large (limit 64 MiB)", err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 0)

    def test_upper_case_scheme_is_a_url(self):
        # RFC 3986 3.1: schemes are case-insensitive
        p = subprocess.run([HF, "text-classification", "--model", "sim/demo-classify", "--base-url",
                            self.base.replace("http://", "HTTP://"), "--timeout-ms", "5000", "x"],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 1)
        # a full model URL with an upper-case scheme, rebased by --base-url
        rc, out, err = self.hf("text-classification", "--model",
                               "HTTP://elsewhere.invalid/hf-inference/models/sim/demo-classify", "x")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 2)

    def test_upper_case_https_scheme_goes_through_tls(self):
        # HTTPS:// must mean TLS: the plain simulator cannot answer a ClientHello
        p = subprocess.run([HF, "text-classification", "--model", "sim/demo-classify", "--base-url",
                            self.base.replace("http://", "HTTPS://"), "--timeout-ms", "3000", "x"],
                           capture_output=True, timeout=60)
        err = p.stderr.decode("utf-8", "replace")
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue("TLS" in err or "tls" in err, err)

    def test_percent_in_a_model_id_is_refused_before_sending(self):
        rc, out, err = self.hf("text-classification", "--model", "sim%2Fdemo-classify", "x")
        self.assertNotEqual(rc, 0)
        self.assertIn("HF_ERR_INVALID_ARG", err)
        self.assertIn("bad model", err)
        self.assertEqual(self.ctl("GET", "stats")["requests"], 0)

    def test_ipv6_literal_base_url_sends_a_bracketed_host(self):
        # RFC 7230 5.4 / RFC 3986 3.2.2: Host carries the IPv6 literal in brackets, then the port.
        try:
            srv = socket.socket(socket.AF_INET6)
            srv.bind(("::1", 0))
        except OSError as e:
            self.skipTest("no IPv6 loopback: %s" % e)
        srv.listen(1)
        srv.settimeout(30)
        port = srv.getsockname()[1]
        got = {}

        def serve():
            conn, _ = srv.accept()
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                got["head"] = data.split(b"\r\n\r\n")[0].decode()
                body = b'[{"label":"POSITIVE","score":0.5}]'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

        t = threading.Thread(target=serve)
        t.start()
        p = subprocess.run([HF, "text-classification", "--model", "a/b", "--base-url", "http://[::1]:%d" % port,
                            "--timeout-ms", "5000", "x"], capture_output=True, timeout=60)
        t.join(30)
        srv.close()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("\r\nHost: [::1]:%d\r\n" % port, got["head"] + "\r\n")


if __name__ == "__main__":
    unittest.main()
