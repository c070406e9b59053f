"""hfmicro through its mbedTLS port against nginx (Debian) in front of hfsim.

What each test proves is in its name; the certificates and servers are described in tlsenv.py,
and test_harness.py shows with Python's ssl and openssl s_client that each bad certificate is
bad for its one reason only. Expected outputs come from the scenarios' case files (the same
values tests/integration asserts over plain HTTP) or from the same call over plain HTTP to the
simulator: TLS must change nothing a caller sees.

usage: HFMICRO=build/hfmicro HF_TLS_BIN=build/tests/tls python3 tests/tls/run_tls.py test_tls
"""
import base64
import os
import random
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tlsenv import Front  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HF = os.environ.get("HFMICRO", os.path.join(ROOT, "build", "hfmicro"))
BIN = os.environ.get("HF_TLS_BIN", os.path.join(ROOT, "build", "tests", "tls"))
FIXTURES = os.environ.get("HF_FIXTURES_DIR", os.path.join(ROOT, "..", "shared", "fixtures", "recorded"))
SEED = int(os.environ.get("HF_TLS_SEED", str(int(time.time()) & 0xFFFF)))

CLASSIFY_OUT = "POSITIVE\t0.9998\nNEGATIVE\t0.0002\n"  # sim/demo-classify, as in tests/integration
IMAGE_MODEL = "google/vit-base-patch16-224"          # the recorded image_classification exchange


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        have_fixtures = os.path.isdir(FIXTURES)
        cls.front = Front(("--fixtures", FIXTURES) if have_fixtures else ("--fixtures", "none"))
        cls.have_fixtures = have_fixtures
        cls.plain = "http://127.0.0.1:%d" % cls.front.sim.port

    @classmethod
    def tearDownClass(cls):
        cls.front.stop()

    def setUp(self):
        self.front.sim.control("POST", "reset")
        self.mark = self.front.log_mark()

    def hf(self, base, *args, ca=True, timeout_ms=10000):
        argv = [HF] + list(args) + ["--base-url", base, "--timeout-ms", str(timeout_ms)]
        if ca and base.startswith("https://"):
            argv += ["--ca", self.front.certs.root if ca is True else ca]
        p = subprocess.run(argv, capture_output=True, timeout=120)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def stats(self):
        return self.front.sim.control("GET", "stats")[1]

    # -- trust --------------------------------------------------------------------------

    def test_rsa_chain_with_intermediate_trusted_through_the_root_alone(self):
        rc, out, err = self.hf(self.front.url("rsa"), "text-classification", "--model", "sim/demo-classify", "x")
        self.assertEqual((rc, out), (0, CLASSIFY_OUT), err)
        line, = self.front.server_log("rsa", 1, self.mark)
        self.assertEqual((line["protocol"], line["status"]), ("TLSv1.2", "200"))
        self.assertIn("RSA", line["cipher"])

    def test_ecdsa_chain_with_intermediate_trusted_through_the_root_alone(self):
        rc, out, err = self.hf(self.front.url("ec"), "text-classification", "--model", "sim/demo-classify", "x")
        self.assertEqual((rc, out), (0, CLASSIFY_OUT), err)
        line, = self.front.server_log("ec", 1, self.mark)
        self.assertEqual(line["protocol"], "TLSv1.2")
        self.assertIn("ECDSA", line["cipher"])

    def refused(self, name, reason, status="HF_ERR_CERTIFICATE", ca=True):
        rc, out, err = self.hf(self.front.url(name), "text-classification", "--model", "sim/demo-classify",
                               "x", ca=ca)
        self.assertEqual((rc, out), (1, ""), err)
        self.assertTrue(err.startswith("hfmicro: %s" % status), err)
        self.assertRegex(err.strip().lower(), reason)
        # Refused during the handshake: no request reached nginx's HTTP side or the simulator.
        self.assertEqual(self.front.server_log(name, 0, self.mark, timeout=0), [])
        self.assertEqual(self.stats()["requests"], 0)
        return err

    # mbedTLS's verify flags (mbedtls/x509.h MBEDTLS_X509_BADCERT_*), which the port puts in
    # the detail after its one-line reason.
    def test_wrong_host_name_is_refused(self):
        self.refused("wrongname", r'name mismatch.*"localhost".*\(verify flags 0x4\)$')

    def test_expired_certificate_is_refused(self):
        self.refused("expired", r"certificate expired \(verify flags 0x1\)$")

    def test_certificate_not_yet_valid_is_refused_as_a_clock_problem(self):
        self.refused("future", r"not yet valid: is the device clock set\? \(verify flags 0x200\)$")

    def test_leaf_from_an_untrusted_ca_is_refused(self):
        self.refused("untrusted", r"not trusted.*\(verify flags 0x8\)$")

    def test_self_signed_leaf_is_refused(self):
        self.refused("selfsigned", r"not trusted.*\(verify flags 0x8\)$")

    def test_leaf_without_its_intermediate_is_refused(self):
        self.refused("nochain", r"not trusted.*\(verify flags 0x8\)$")

    def test_without_ca_option_the_system_bundle_does_not_trust_the_test_root(self):
        self.refused("rsa", r"not trusted.*\(verify flags 0x8\)$", ca=False)

    def test_tls13_only_server_is_a_clear_handshake_error(self):
        # the server's alert protocol_version (RFC 8446 6.2: 70) is named in the detail
        err = self.refused("tls13", r"handshake failed.*protocol_version \(70\).*tls 1\.3", status="HF_ERR_TLS")
        self.assertNotIn("HF_ERR_CERTIFICATE", err)

    # -- keep-alive and resumption, counted by nginx ------------------------------------

    def test_twenty_calls_one_handshake_then_a_reconnect_resumes_the_session(self):
        p = subprocess.run([os.path.join(BIN, "tls_keepalive"), self.front.url("rsa"), self.front.certs.root, "20"],
                           capture_output=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode(), "calls=21 connects=2 handshakes=2\n")
        got = self.front.server_log("rsa", 21, self.mark)
        self.assertEqual(len(got), 21)
        first, last = got[:20], got[20]
        # one TLS connection ($connection) carried requests 1..20, after a full handshake
        self.assertEqual(len({ln["connection"] for ln in first}), 1)
        self.assertEqual([int(ln["requests"]) for ln in first], list(range(1, 21)))
        self.assertEqual({ln["reused"] for ln in first}, {"."})
        # the reconnect is a new connection whose handshake resumed the session
        self.assertNotEqual(last["connection"], first[0]["connection"])
        self.assertEqual((last["requests"], last["reused"]), ("1", "r"))
        self.assertEqual({ln["status"] for ln in got}, {"200"})
        self.assertEqual(self.stats()["requests"], 21)

    # -- same results as plain HTTP, with the simulator's writes split at random points --

    def both(self, fault, *args):
        """(plain, tls) results of the same call with the same fault spec queued for each."""
        got = []
        for base in (self.plain, self.front.url("rsa")):
            if fault:
                self.front.sim.control("POST", "faults", fault)
            got.append(self.hf(base, *args))
            if fault:  # the response really went out in pieces, also behind nginx
                self.assertGreaterEqual(self.front.sim.last_log()["writes"], 3, (base, fault))
        return got

    def random_faults(self, rng, span):
        offsets = sorted(rng.sample(range(1, span), min(span - 1, rng.randint(3, 24))))
        # a pause between pieces (>= 1 ms) so that nginx reads each one alone and sends it on
        # as its own TLS record
        return [{"split": offsets, "delay_ms": rng.randint(1, 3)},
                {"every": rng.randint(8, 64), "delay_ms": 1}]

    def test_streams_through_tls_equal_plain_http_under_random_splits(self):
        rng = random.Random(SEED)
        calls = (("chat-completion", "--model", "sim", "--stream", "hi"),
                 ("chat-completion", "--model", "sim/tool-calls", "--stream", "q"),
                 ("chat-completion", "--model", "sim/stream-error-openai", "--stream", "x"))
        for args in calls:
            plain, tls = self.both(None, *args)
            self.assertEqual(tls, plain, args)
            wire = self.front.sim.last_log()["wire_bytes"]  # cut points inside this response
            for fault in self.random_faults(rng, wire):
                plain2, tls2 = self.both(fault, *args)
                msg = "seed %d %s %s" % (SEED, args, fault)
                self.assertEqual(plain2, plain, msg)
                self.assertEqual(tls2, plain, msg)
        # the case files' values, so that "equal" is not "equally wrong"
        self.assertEqual(self.hf(self.front.url("rsa"), *calls[1])[1],
                         'web_search({"query": "weather in Paris"})\n')

    def test_one_megabyte_upload_through_tls_equals_plain_http(self):
        if not self.have_fixtures:
            self.skipTest("recorded exchanges not found at %s (the image_classification one answers "
                          "the upload)" % FIXTURES)
        p = subprocess.run([HF, "--help"], capture_output=True, timeout=30)
        usage = (p.stdout + p.stderr).decode()
        if "image-classification" not in usage:
            self.skipTest("this hfmicro CLI has no image-classification task (the binary upload)")
        blob = bytes((i * 131 + (i >> 8) * 7) & 0xFF for i in range(1 << 20))
        path = os.path.join(self.front.dir, "upload.jpg")
        with open(path, "wb") as f:
            f.write(blob)
        args = ("image-classification", "--model", IMAGE_MODEL, "--input", path)
        rng = random.Random(SEED + 1)
        results = self.both(None, *args) + self.both({"every": rng.randint(8, 64), "delay_ms": 1}, *args)
        for r in results:
            self.assertEqual(r, results[0], "seed %d" % SEED)
        self.assertEqual(results[0][0], 0, results[0][2])
        self.assertTrue(results[0][1].startswith("cheetah, chetah, Acinonyx jubatus\t0.99"), results[0][1])
        log = self.front.sim.control("GET", "log")[1]
        self.assertEqual(len(log), 4)
        for entry in log:
            self.assertEqual(base64.b64decode(entry["body_base64"]), blob)
            self.assertEqual(entry["headers"].get("content-length"), str(1 << 20))


if __name__ == "__main__":
    unittest.main()
