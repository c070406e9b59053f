"""TLS benchmark: instructions of a full and a resumed handshake (callgrind) and mbedTLS's heap
during the handshake and while streaming, through the mbedTLS port against nginx in front of
hfsim. Writes a Markdown report on stdout.

usage: python3 tests/tls/bench_tls.py [BUILD_DIR/tests/tls] [--runs N] [--server rsa|ec]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tlsenv import SAN, Front  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_BIN = os.environ.get("HF_TLS_BIN", os.path.join(ROOT, "build", "tests", "tls"))


def bench_argv(bin_dir, front, server, mode):
    return [os.path.join(bin_dir, "bench_tls"), SAN, str(front.ports[server]), front.certs.root, mode]


def callgrind_ir(argv):
    """Instructions counted inside bench_measured() (valgrind's totals line)."""
    with tempfile.TemporaryDirectory(prefix="hftls-cg-") as d:
        out = os.path.join(d, "callgrind.out")
        p = subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=bench_measured*",
                            "--callgrind-out-file=" + out] + argv, capture_output=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError("callgrind run failed: %s" % p.stderr.decode(errors="replace")[-2000:])
        with open(out) as f:
            text = f.read()
    m = re.search(r"^totals:\s+(\d+)", text, re.M) or re.search(r"^summary:\s+(\d+)", text, re.M)
    return int(m.group(1)), p.stdout.decode()


def handshake_ir(bin_dir, front, server, mode, runs):
    """[(instructions, nginx's $ssl_session_reused of that handshake)] for `runs` runs."""
    got = []
    for _ in range(runs):
        mark = front.log_mark()
        ir, out = callgrind_ir(bench_argv(bin_dir, front, server, mode))
        lines = front.server_log(server, 1 if mode == "full" else 2, mark)
        got.append((ir, lines[-1]["reused"], out.strip()))
    return got


def heap(bin_dir, front, server):
    p = subprocess.run(bench_argv(bin_dir, front, server, "heap"), capture_output=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("bench_tls heap failed: %s" % p.stderr.decode(errors="replace"))
    return p.stdout.decode()


def report(bin_dir, runs=3, server="rsa"):
    front = Front()
    try:
        full = handshake_ir(bin_dir, front, server, "full", runs)
        resumed = handshake_ir(bin_dir, front, server, "resumed", runs)
        heap_text = heap(bin_dir, front, server)
        cipher = front.server_log(server)[-1]["cipher"]
    finally:
        front.stop()
    return full, resumed, heap_text, cipher


def markdown(full, resumed, heap_text, cipher, server):
    def row(name, runs):
        irs = [r[0] for r in runs]
        return "| %s | %d | %d | %d | %s |" % (name, min(irs), max(irs), len(irs),
                                                " ".join(sorted(set(r[1] for r in runs))))
    out = ["## TLS handshake through the mbedTLS port (nginx %s leaf, %s)" % (server, cipher), "",
           "Instructions counted by callgrind inside one `connect` of the port (client side only),",
           "`$ssl_session_reused` as logged by nginx for that connection.", "",
           "| handshake | instructions (min) | (max) | runs | nginx reused |",
           "|---|---:|---:|---:|---|", row("full", full), row("resumed", resumed), "",
           "## mbedTLS heap (calloc/free wrapped, bytes)", "", heap_text.strip(), ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir", nargs="?", default=DEFAULT_BIN)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--server", default="rsa", choices=("rsa", "ec"))
    a = ap.parse_args()
    full, resumed, heap_text, cipher = report(a.bin_dir, a.runs, a.server)
    print(markdown(full, resumed, heap_text, cipher, a.server))


if __name__ == "__main__":
    main()
