#!/usr/bin/env python3
"""hfsim: a local stand-in for the Hugging Face Inference API.

Replays the recorded exchanges of shared/fixtures/recorded and the scenarios
of tests/sim/scenarios over plain HTTP/1.1, with fault injection for testing
the C client's HTTP, chunked and SSE layers. See README.md beside this file.
Standard library only.
"""

import argparse
import base64
import itertools
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import sim_faults  # noqa: E402
import sim_store  # noqa: E402
import sim_wire  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_FIXTURES = os.path.normpath(os.path.join(REPO_ROOT, "..", "shared", "fixtures", "recorded"))
DEFAULT_SCENARIOS = os.path.join(HERE, "scenarios")
MAX_BODY = 64 * 1024 * 1024
MAX_SYN_EVENTS = 50 * 1000 * 1000
LOG_LIMIT = 10000


class SimState(object):
    """Everything the handler threads share."""

    def __init__(self, store, faults, verbose=False):
        self.store = store
        self.faults = faults
        self.verbose = verbose
        self.lock = threading.Lock()
        self.log = []
        self.next_log_id = 1
        self.conn_ids = itertools.count(1)
        self.stats = {"requests": 0, "connections": 0, "control_requests": 0}

    def count(self, key):
        with self.lock:
            self.stats[key] += 1

    def add_log(self, entry):
        with self.lock:
            entry["id"] = self.next_log_id
            self.next_log_id += 1
            self.log.append(entry)
            del self.log[:-LOG_LIMIT]

    def reset(self):
        with self.lock:
            self.log = []
            for k in self.stats:
                self.stats[k] = 0
        self.faults.clear()
        self.store.reset_sequences()


def body_fields(data):
    if not data:
        return {"body_text": ""}
    try:
        return {"body_text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(data).decode("ascii")}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hfsim"
    timeout = 120  # idle keep-alive connections do not pin a thread forever

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sim = self.server.sim
        self.conn_id = next(self.sim.conn_ids)
        self.sim.count("connections")

    def log_message(self, fmt, *args):
        if self.sim.verbose:
            sys.stderr.write("hfsim[%d]: %s\n" % (self.conn_id, fmt % args))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = lambda self: self.dispatch()

    # -- request side -------------------------------------------------------

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            return self.read_chunked()
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            raise ValueError("bad Content-Length %d" % n)
        return self.rfile.read(n) if n else b""

    def read_chunked(self):
        parts, total = [], 0
        while True:
            line = self.rfile.readline(1024)
            size = int(line.split(b";", 1)[0].strip() or b"x", 16)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            total += size
            if total > MAX_BODY:
                raise ValueError("chunked body too large")
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def dispatch(self):
        try:
            body = self.read_body()
        except (ValueError, OSError) as e:
            self.close_connection = True
            self.send_plain(sim_wire.json_response(400, {"error": "sim: bad request body: %s" % e}))
            return
        path = urlsplit(self.path).path
        if path.startswith("/__sim/"):
            self.sim.count("control_requests")
            self.send_plain(self.control(path, body))
            return
        self.sim.count("requests")
        entry = {"connection": self.conn_id, "method": self.command, "path": self.path,
                 "headers": self.lower_headers(), "complete": False}
        entry.update(body_fields(body))
        self.sim.add_log(entry)
        self.serve(sim_store.Request(self.command, self.path, body), entry)

    def lower_headers(self):
        out = {}
        for k, v in self.headers.items():
            k = k.lower()
            out[k] = out[k] + ", " + v if k in out else v
        return out

    # -- data requests ----------------------------------------------------------

    def serve(self, req, entry):
        plan = self.sim.faults.take()
        fault = plan.fault
        if plan.kind == "503":
            out = sim_wire.loading_503(req.model(), fault.status503["estimated_time"])
            served = "fault:503"
        elif plan.kind == "429":
            out = sim_wire.overloaded_429(fault.status429["retry_after"])
            served = "fault:429"
        elif fault is not None and fault.serve:
            ex = self.sim.store.by_name(fault.serve)
            if ex is None:
                out, served = sim_wire.json_response(404, {"error": "sim: no recording " + fault.serve}), None
            else:
                entry["path_match"] = req.path in ex.paths
                out, served = sim_wire.from_recorded(ex.responses[0], fault), ex.name
        elif req.path == "/sim/v1/chat/completions":
            out, served = self.synthetic(req, fault), "synthetic"
        else:
            ex, resp = self.sim.store.match(req)
            if ex is None:
                msg = "sim: no recording for %s %s" % (self.command, urlsplit(self.path).path)
                out, served = sim_wire.json_response(404, {"error": msg}), None
            else:
                out, served = sim_wire.from_recorded(resp, fault), ex.name
        entry.update({"status": out.status, "served": served,
                      "fault": fault.as_dict() if fault else None})
        self.transmit(out, fault, destructive=(plan.kind == "normal"), entry=entry)

    def synthetic(self, req, fault):
        q = parse_qs(urlsplit(self.path).query)

        def num(name, header=None):
            raw = (q.get(name) or [None])[0]
            if raw is None and header:
                raw = self.headers.get(header)
            if raw is None:
                return None
            v = int(raw)
            if v < 0:
                raise ValueError(name)
            return v

        try:
            n = sim_wire.synthetic_count(num("events", "x-sim-events"), num("bytes"))
            delay = num("delay_ms") or 0
        except ValueError:
            return sim_wire.json_response(400, {"error": "sim: bad events/bytes/delay_ms"})
        if n > MAX_SYN_EVENTS:
            return sim_wire.json_response(400, {"error": "sim: too many events"})
        return sim_wire.synthetic_stream(n, delay, fault)

    def transmit(self, out, fault, destructive, entry):
        head = out.head(close=self.close_connection)
        writer = sim_faults.WireWriter(self.connection, fault, len(head), destructive)
        try:
            ok = writer.write(head)
            if ok:
                for piece in out.body_wire():
                    if not writer.write(piece):
                        break
            ended = writer.finish()
        except OSError:
            ended = "peer"
        entry.update({"complete": True, "wire_bytes": writer.off, "writes": writer.writes,
                      "ended": ended})
        if ended == "reset":
            self.abort_connection()
        elif ended is not None:
            self.end_connection()

    def end_connection(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def abort_connection(self):
        """RST instead of FIN: SO_LINGER 0 and close every reference to the fd."""
        self.close_connection = True
        time.sleep(sim_faults.RESET_GRACE_S)  # let the client read what was sent
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        for f in (self.rfile, self.wfile, self.connection):
            try:
                f.close()
            except OSError:
                pass

    def send_plain(self, out):
        try:
            for piece in [out.head(close=self.close_connection)] + list(out.body_wire()):
                self.connection.sendall(piece)
        except OSError:
            self.close_connection = True

    # -- control endpoints -------------------------------------------------------

    def control(self, path, body):
        sim, m = self.sim, self.command
        j = sim_wire.json_response
        if path == "/__sim/faults":
            if m == "POST":
                try:
                    spec = json.loads(body.decode("utf-8") or "{}")
                    n = sim.faults.push(sim_faults.Fault(spec))
                except (ValueError, UnicodeDecodeError) as e:
                    return j(400, {"error": "sim: bad fault spec: %s" % e})
                return j(200, {"queued": n})
            if m == "DELETE":
                return j(200, {"cleared": sim.faults.clear()})
            if m == "GET":
                return j(200, sim.faults.snapshot())
        elif path == "/__sim/log":
            if m == "GET":
                with sim.lock:
                    return j(200, [dict(e) for e in sim.log])
            if m == "DELETE":
                with sim.lock:
                    sim.log = []
                return j(200, {"cleared": True})
        elif path == "/__sim/stats" and m == "GET":
            with sim.lock:
                return j(200, dict(sim.stats))
        elif path == "/__sim/reset" and m == "POST":
            sim.reset()
            return j(200, {"reset": True})
        elif path == "/__sim/recordings" and m == "GET":
            return j(200, [ex.describe() for ex in sim.store.exchanges])
        elif path == "/__sim/health" and m == "GET":
            return j(200, {"ok": True, "exchanges": len(sim.store.exchanges)})
        return j(404, {"error": "sim: no control endpoint %s %s" % (m, path)})


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive threads must not delay exit
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, sim):
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        self.sim = sim
        ThreadingHTTPServer.__init__(self, addr, Handler)

    def handle_error(self, request, client_address):
        if self.sim.verbose:
            ThreadingHTTPServer.handle_error(self, request, client_address)


FAULT_FLAGS = (
    ("--split", "split", lambda s: [int(x) for x in s.split(",") if x]),
    ("--every", "every", int), ("--truncate-at", "truncate_at", int),
    ("--reset-at", "reset_at", int), ("--stall-ms", "stall_ms", int),
    ("--stall-at", "stall_at", int), ("--error-event-after", "error_event_after", int),
    ("--chunk-size", "chunk_size", int), ("--delay-ms", "delay_ms", int),
)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Hugging Face Inference API simulator (see README.md)")
    p.add_argument("--fixtures", help="recorded exchanges dir; 'none' to disable "
                   "(default: $HF_FIXTURES_DIR or <repo>/../shared/fixtures/recorded)")
    p.add_argument("--scenarios", default=DEFAULT_SCENARIOS, help="scenario dir; 'none' to disable")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", help="write the bound port here once listening")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    g = p.add_argument_group("run-wide faults (same meaning as POST /__sim/faults)")
    for flag, key, conv in FAULT_FLAGS:
        g.add_argument(flag, dest=key, type=conv)
    g.add_argument("--drip", action="store_true")
    g.add_argument("--status503", type=float, metavar="EST", help="estimated_time of the 503s")
    g.add_argument("--status503-times", type=int, default=1)
    g.add_argument("--status429", type=int, metavar="RETRY_AFTER", help="Retry-After of the 429s")
    g.add_argument("--status429-times", type=int, default=1)
    g.add_argument("--faults-json", help="a whole fault spec as JSON")
    return p.parse_args(argv)


def run_wide_fault(a):
    spec = json.loads(a.faults_json) if a.faults_json else {}
    for _, key, _ in FAULT_FLAGS:
        if getattr(a, key) is not None:
            spec[key] = getattr(a, key)
    if a.drip:
        spec["drip"] = True
    if a.status503 is not None:
        spec["status503"] = {"estimated_time": a.status503, "times": a.status503_times}
    if a.status429 is not None:
        spec["status429"] = {"retry_after": a.status429, "times": a.status429_times}
    return sim_faults.Fault(spec) if spec else None


def build_store(a):
    store = sim_store.Store()
    fixtures = a.fixtures or os.environ.get("HF_FIXTURES_DIR") or DEFAULT_FIXTURES
    if fixtures == "none":
        sys.stderr.write("hfsim: recordings disabled; serving scenarios only\n")
    elif os.path.isdir(fixtures):
        n = store.load_dir(fixtures, scenario=False)
        sys.stderr.write("hfsim: %d recordings from %s\n" % (n, fixtures))
    else:
        sys.stderr.write("hfsim: fixtures dir %s not found; serving scenarios only\n" % fixtures)
    if a.scenarios != "none" and os.path.isdir(a.scenarios):
        n = store.load_dir(a.scenarios, scenario=True)
        sys.stderr.write("hfsim: %d scenarios from %s\n" % (n, a.scenarios))
    return store


def write_port_file(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)  # readers never see a half-written file


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        default_fault = run_wide_fault(a)
    except (ValueError, sim_faults.FaultError) as e:
        sys.stderr.write("hfsim: bad fault flags: %s\n" % e)
        return 2
    sim = SimState(build_store(a), sim_faults.FaultQueue(default_fault), a.verbose)
    server = SimServer((a.host, a.port), sim)
    host, port = server.server_address[:2]
    shown = "[%s]" % host if ":" in host else host
    sys.stdout.write("listening on http://%s:%d\n" % (shown, port))
    sys.stdout.flush()
    if a.port_file:
        write_port_file(a.port_file, port)

    def stop(signum, frame):
        # shutdown() waits for serve_forever, which runs in this very thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
