"""Helpers for driving hfsim from Python tests, benchmarks and demos.

    from simclient import Sim, Raw
    sim = Sim("--fixtures", "none")       # starts hfsim.py on a free port
    sim.control("POST", "faults", {"split": [5]})
    r = Raw(sim.port); r.send(request_bytes("POST", "/sim/plain-400", b"{}"))
    status, headers, body, wire, chunk_sizes = r.response()
    sim.stop()                            # SIGTERM; returns the exit code
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = os.path.join(HERE, "hfsim.py")


class Sim(object):
    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="hfsim-test-")
        port_file = os.path.join(self.dir, "port")
        self.proc = subprocess.Popen(
            [sys.executable, SIM, "--port", "0", "--port-file", port_file] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.banner = self.proc.stdout.readline().decode()
        deadline = time.time() + 10
        while not os.path.exists(port_file) and time.time() < deadline:
            time.sleep(0.02)
        with open(port_file) as f:
            self.port = int(f.read())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=10)
        self.stderr = err.decode()
        return self.proc.returncode

    def http(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data

    def control(self, method, path, obj=None):
        body = json.dumps(obj).encode() if obj is not None else None
        r, data = self.http(method, "/__sim/" + path, body, {"Content-Type": "application/json"})
        return r.status, json.loads(data.decode())

    def last_log(self):
        """Newest log entry, once its response has been fully written."""
        deadline = time.time() + 5
        while True:
            _, log = self.control("GET", "log")
            if log and log[-1]["complete"] or time.time() > deadline:
                return log[-1]
            time.sleep(0.01)


def request_bytes(method, path, body=b"", extra=""):
    return ("%s %s HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n%s\r\n" % (method, path, len(body), extra)).encode() + body


class Raw(object):
    """Raw socket client that records every recv() separately."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.reads = []
        self.times = []
        self.error = None
        self.eof = False

    def send(self, data):
        self.sock.sendall(data)

    def _recv(self):
        try:
            d = self.sock.recv(65536)
        except ConnectionResetError as e:
            self.error = e
            return False
        if not d:
            self.eof = True
            return False
        self.reads.append(d)
        self.times.append(time.monotonic())
        self.buf += d
        return True

    def read_all(self):
        while self._recv():
            pass
        return b"".join(self.reads)

    def _need(self, pred):
        while not pred():
            if not self._recv():
                raise AssertionError("connection ended early: %r" % self.buf[:200])

    def response(self):
        """One response: (status, headers dict lower-case, body, wire bytes, chunk sizes)."""
        self._need(lambda: b"\r\n\r\n" in self.buf)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for ln in lines[1:]:
            k, v = ln.split(":", 1)
            name = k.strip().lower()
            assert name not in headers, "duplicate header %s" % k
            headers[name] = v.strip()
        start = len(head) + 4
        if headers.get("transfer-encoding") == "chunked":
            self.assert_no_length(headers)
            body, sizes, end = self._chunked(start)
        else:
            n = int(headers["content-length"])
            self._need(lambda: len(self.buf) >= start + n)
            body, sizes, end = self.buf[start:start + n], None, start + n
        wire, self.buf = self.buf[:end], self.buf[end:]
        return status, headers, body, wire, sizes

    @staticmethod
    def assert_no_length(headers):
        assert "content-length" not in headers, "chunked and Content-Length together"

    def _chunked(self, pos):
        body, sizes = b"", []
        while True:
            self._need(lambda: b"\r\n" in self.buf[pos:])
            i = self.buf.index(b"\r\n", pos)
            size = int(self.buf[pos:i], 16)
            pos = i + 2
            self._need(lambda: len(self.buf) >= pos + size + 2)
            if size == 0:
                assert self.buf[pos:pos + 2] == b"\r\n"
                return body, sizes, pos + 2
            body += self.buf[pos:pos + size]
            assert self.buf[pos + size:pos + size + 2] == b"\r\n", "chunk not followed by CRLF"
            sizes.append(size)
            pos += size + 2

    def close(self):
        self.sock.close()
