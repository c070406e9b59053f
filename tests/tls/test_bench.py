"""The TLS benchmark run as a test: its figures must be what they claim to be.

- a "full" run is a full handshake and a "resumed" run resumes (nginx's $ssl_session_reused),
  and the resumed handshake costs fewer instructions than the full one (callgrind; skipped
  without valgrind);
- mbedTLS's heap holds at least its two record buffers (MBEDTLS_SSL_IN/OUT_CONTENT_LEN) while
  connected, streaming adds nothing to the heap, and everything is freed by hf_mbedtls_free.

usage: HF_TLS_BIN=build/tests/tls python3 tests/tls/run_tls.py test_bench
"""
import os
import re
import shutil
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_tls  # noqa: E402
from tlsenv import Front  # noqa: E402


class BenchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.front = Front()
        cls.bin = bench_tls.DEFAULT_BIN

    @classmethod
    def tearDownClass(cls):
        cls.front.stop()

    def test_heap_figures(self):
        text = bench_tls.heap(self.bin, self.front, "rsa")
        m = re.search(r"MBEDTLS_SSL_IN_CONTENT_LEN=(\d+), MBEDTLS_SSL_OUT_CONTENT_LEN=(\d+)", text)
        self.assertIsNotNone(m, text)
        bufs = int(m.group(1)) + int(m.group(2))
        rows = {r[0].strip(): [int(x) for x in r[1:]] for r in
                (ln.strip("|").split("|") for ln in text.splitlines()
                 if ln.startswith("| ") and not ln.startswith("| phase"))}
        full = rows["full handshake"]
        stream = rows["streamed chat on the open connection"]
        resumed = rows["resumed handshake"]
        self.assertGreaterEqual(full[1], bufs, text)          # peak holds both record buffers
        self.assertGreater(full[1], full[2], text)            # handshake state freed after it
        self.assertLess(resumed[1], full[1], text)            # no certificate chain to parse
        self.assertEqual(stream[1], stream[0], text)          # streaming allocates nothing
        self.assertIn("after hf_mbedtls_free: 0 B", text)
        self.assertRegex(text, r"stream events=17 ")         # 16 content events + the final one

    @unittest.skipIf(shutil.which("valgrind") is None, "valgrind not installed (callgrind counts)")
    def test_resumed_handshake_is_resumed_and_cheaper(self):
        full = bench_tls.handshake_ir(self.bin, self.front, "rsa", "full", 1)
        resumed = bench_tls.handshake_ir(self.bin, self.front, "rsa", "resumed", 1)
        self.assertEqual([r[1] for r in full], ["."])
        self.assertEqual([r[1] for r in resumed], ["r"])
        self.assertEqual(full[0][2], "handshakes=1")
        self.assertEqual(resumed[0][2], "handshakes=2")
        self.assertLess(resumed[0][0], full[0][0])


if __name__ == "__main__":
    unittest.main()
