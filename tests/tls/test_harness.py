"""The TLS harness itself, checked with clients that are not hfmicro (Python's ssl, openssl
s_client): every certificate fails for the reason its name says and no other, the servers offer
exactly the protocol versions claimed, the access log counts keep-alive and resumption, and split
simulator writes and a 1 MB upload pass through nginx unchanged. The hfmicro tests
(test_tls.py) lean on these facts.

usage: python3 tests/tls/run_tls.py test_harness
"""
import base64
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tlsenv import Front  # noqa: E402

# OpenSSL's X509_V_ERR_* codes (include/openssl/x509_vfy.h).
X509_V_ERR_CERT_NOT_YET_VALID = 9
X509_V_ERR_CERT_HAS_EXPIRED = 10
X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT = 18
X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20
X509_V_ERR_HOSTNAME_MISMATCH = 62


class HarnessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.front = Front()

    @classmethod
    def tearDownClass(cls):
        cls.front.stop()

    def setUp(self):
        self.front.sim.control("POST", "reset")
        self.mark = self.front.log_mark()

    def ctx(self, **kw):
        c = ssl.create_default_context(cafile=self.front.certs.root)
        for k, v in kw.items():
            setattr(c, k, v)
        return c

    def tls(self, name, ctx=None, session=None):
        raw = socket.create_connection(("127.0.0.1", self.front.ports[name]), timeout=10)
        try:
            return (ctx or self.ctx()).wrap_socket(raw, server_hostname="localhost", session=session)
        except BaseException:
            raw.close()
            raise

    def lines(self, name, want):
        return self.front.server_log(name, want, self.mark)

    # -- certificates -------------------------------------------------------------------

    def test_rsa_and_ecdsa_chains_verify_against_the_root_alone_over_tls12(self):
        for name, leaf_kind, issuer in (("rsa", "RSA", "hfmicro test intermediate RSA"),
                                        ("ec", "ECDSA", "hfmicro test intermediate ECDSA")):
            with self.tls(name) as s:
                self.assertEqual(s.version(), "TLSv1.2", name)
                self.assertIn(leaf_kind, s.cipher()[0], name)
                cert = s.getpeercert()
                self.assertEqual(dict(x[0] for x in cert["issuer"])["commonName"], issuer)
                self.assertEqual(cert["subjectAltName"], (("DNS", "localhost"),))

    def test_servers_send_leaf_and_intermediate_only_where_meant_to(self):
        for name, count in (("rsa", 2), ("ec", 2), ("wrongname", 2), ("expired", 2),
                            ("future", 2), ("nochain", 1), ("untrusted", 1), ("selfsigned", 1)):
            p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % self.front.ports[name],
                                "-servername", "localhost", "-showcerts"],
                               input=b"", capture_output=True, timeout=30)
            self.assertEqual(p.stdout.count(b"-----BEGIN CERTIFICATE-----"), count, name)

    def test_openssl_s_client_verifies_the_rsa_chain(self):
        p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % self.front.ports["rsa"],
                            "-servername", "localhost", "-CAfile", self.front.certs.root,
                            "-verify_return_error", "-verify_hostname", "localhost"],
                           input=b"", capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"Verify return code: 0 (ok)", p.stdout)

    def test_each_bad_certificate_fails_for_its_own_reason(self):
        for name, code in (("wrongname", X509_V_ERR_HOSTNAME_MISMATCH),
                           ("expired", X509_V_ERR_CERT_HAS_EXPIRED),
                           ("future", X509_V_ERR_CERT_NOT_YET_VALID),
                           ("untrusted", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
                           ("selfsigned", X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
                           ("nochain", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)):
            with self.assertRaises(ssl.SSLCertVerificationError, msg=name) as cm:
                self.tls(name).close()
            self.assertEqual(cm.exception.verify_code, code, "%s: %s" % (name, cm.exception))

    def test_bad_certificates_are_otherwise_sound(self):
        # Each one passes once its one defect is forgiven: the failure above is the only one.
        ctx = self.ctx(check_hostname=False)
        with self.tls("wrongname", ctx) as s:
            self.assertEqual(s.getpeercert()["subjectAltName"], (("DNS", "wrong.example"),))
        ctx = ssl.create_default_context(cafile=self.front.certs.rogue_root)
        with self.tls("untrusted", ctx) as s:
            self.assertEqual(s.version(), "TLSv1.2")
        ctx = ssl.create_default_context(cafile=self.front.certs.chains["selfsigned"][0])
        with self.tls("selfsigned", ctx) as s:
            self.assertEqual(s.version(), "TLSv1.2")

    # -- privileges ---------------------------------------------------------------------

    @unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv")
                         and os.access("/usr/bin/python3", os.X_OK), "needs root, setpriv and /usr/bin/python3")
    def test_the_front_also_runs_without_root(self):
        # As root the suites run nginx as root; the same files must work for a plain user.
        probe = ("import sys, ssl, socket; sys.path.insert(0, %r); from tlsenv import Front\n"
                 "f = Front()\n"
                 "try:\n"
                 "    c = ssl.create_default_context(cafile=f.certs.root)\n"
                 "    s = c.wrap_socket(socket.create_connection(('127.0.0.1', f.ports['rsa'])), server_hostname='localhost')\n"
                 "    print(s.version())\n"
                 "    s.close()\n"
                 "finally:\n"
                 "    f.stop()\n") % HERE
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "/usr/bin/python3", "-c", probe], capture_output=True, timeout=60,
                           env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode().split(), ["TLSv1.2"])

    # -- protocol versions --------------------------------------------------------------

    def test_tls13_server_offers_nothing_older(self):
        with self.tls("tls13") as s:
            self.assertEqual(s.version(), "TLSv1.3")
        with self.assertRaises(ssl.SSLError):
            self.tls("tls13", self.ctx(maximum_version=ssl.TLSVersion.TLSv1_2)).close()

    def test_tls12_servers_offer_nothing_newer(self):
        with self.assertRaises(ssl.SSLError):
            self.tls("rsa", self.ctx(minimum_version=ssl.TLSVersion.TLSv1_3)).close()

    # -- the access log -----------------------------------------------------------------

    def https(self, name, ctx=None):
        return http.client.HTTPSConnection("localhost", self.front.ports[name], timeout=10,
                                           context=ctx or self.ctx())

    def test_keepalive_twenty_requests_one_connection_in_the_log(self):
        c = self.https("ec")
        for _ in range(20):
            c.request("POST", "/sim/demo-classify", body=b'{"inputs":"x"}',
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            self.assertEqual(r.status, 200)
            r.read()
        c.close()
        got = self.lines("ec", 20)
        self.assertEqual(len(got), 20)
        self.assertEqual(len({ln["connection"] for ln in got}), 1)
        self.assertEqual([int(ln["requests"]) for ln in got], list(range(1, 21)))
        self.assertEqual({ln["reused"] for ln in got}, {"."})
        self.assertEqual(self.front.sim.control("GET", "stats")[1]["requests"], 20)

    def test_resumed_session_shows_r_in_the_log(self):
        ctx = self.ctx()
        sessions = []
        for _ in range(2):
            s = self.tls("rsa", ctx, sessions[-1] if sessions else None)
            s.sendall(b"GET /__sim/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            while s.recv(4096):
                pass
            sessions.append(s.session)
            self.assertEqual(s.session_reused, len(sessions) == 2)
            s.close()
        got = self.lines("rsa", 2)
        self.assertEqual([ln["reused"] for ln in got], [".", "r"])
        self.assertNotEqual(got[0]["connection"], got[1]["connection"])

    # -- bytes through the front --------------------------------------------------------

    def stream(self, name):
        s = self.tls(name)
        body = b'{"stream":true}'
        s.sendall(b"POST /sim/v1/chat/completions?events=40 HTTP/1.1\r\nHost: localhost\r\n"
                  b"Content-Type: application/json\r\nConnection: close\r\n"
                  b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        reads = []
        while True:
            d = s.recv(65536)
            if not d:
                break
            reads.append(d)
        s.close()
        return reads

    @staticmethod
    def dechunk(wire):
        head, rest = wire.split(b"\r\n\r\n", 1)
        out = b""
        while True:
            size, rest = rest.split(b"\r\n", 1)
            n = int(size, 16)
            if n == 0:
                return head, out
            out, rest = out + rest[:n], rest[n + 2:]

    def test_split_writes_arrive_as_many_small_records_with_the_same_body(self):
        plain = self.stream("rsa")
        self.front.sim.control("POST", "faults", {"every": 97, "delay_ms": 2})
        split = self.stream("rsa")
        self.assertEqual(self.dechunk(b"".join(split))[1], self.dechunk(b"".join(plain))[1])
        # 40 events of 166 wire bytes cut every 97 bytes: each piece is its own TLS record,
        # and one record is one recv() of an SSL socket, so far more reads than events.
        self.assertGreater(len(split), 60)
        self.assertLessEqual(max(len(d) for d in split), 1024)

    def test_one_megabyte_upload_passes_unchanged(self):
        blob = bytes((i * 7 + (i >> 10)) & 0xFF for i in range(1 << 20))
        c = self.https("rsa")
        c.request("POST", "/sim/demo-classify", body=blob,
                  headers={"Content-Type": "application/octet-stream"})
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(r.read())[0][0]["label"], "POSITIVE")
        c.close()
        entry = self.front.sim.last_log()
        self.assertEqual(base64.b64decode(entry["body_base64"]), blob)


if __name__ == "__main__":
    unittest.main()
