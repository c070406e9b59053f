"""The README's library example, built as an add_subdirectory consumer and run against the
simulator's synthetic stream with the README's 1 KB I/O buffer and 2 KB arena.

Expected: the listing in README.md is the file examples/stream_chat/main.c; the consumer build
does not build hfmicro's tests or CLI; the printed text is the concatenation of the stream's
content deltas (read here from the simulator's own bytes); the arena peak fits 2048 bytes.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "sim"))
from simclient import Sim  # noqa: E402


class ConsumerTest(unittest.TestCase):
    def test_readme_listing_is_the_example_file(self):
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        with open(os.path.join(ROOT, "examples", "stream_chat", "main.c"), encoding="utf-8") as f:
            example = f.read()
        blocks = re.findall(r"```c\n(.*?)```\n", readme, re.S)
        self.assertIn(example, blocks)

    def test_add_subdirectory_build_and_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            build = os.path.join(tmp, "b")
            subprocess.run(["cmake", "-S", os.path.join(HERE, "consumer"), "-B", build,
                            "-DHFMICRO_DIR=" + ROOT], check=True, capture_output=True, timeout=120)
            subprocess.run(["cmake", "--build", build, "-j2"], check=True, capture_output=True, timeout=600)
            # hfmicro's own CLI and tests are not built for a consumer
            self.assertFalse(os.path.exists(os.path.join(build, "hfmicro", "hfmicro")))
            self.assertFalse(os.path.exists(os.path.join(build, "hfmicro", "tests")))
            sim = Sim("--fixtures", "none")
            try:
                base = "http://127.0.0.1:%d" % sim.port
                p = subprocess.run([os.path.join(build, "consumer"), base, "sim", "Hello"],
                                   capture_output=True, timeout=60)
                _, raw = sim.http("POST", "/sim/v1/chat/completions", b'{"stream":true}')
            finally:
                sim.stop()
            self.assertEqual(p.returncode, 0, p.stderr)
            events = [e[6:] for e in raw.decode().split("\n\n") if e.startswith("data: {")]
            want = "".join(c["delta"].get("content") or "" for e in events for c in json.loads(e)["choices"])
            self.assertEqual(p.stdout.decode(), want + "\n")
            peak = int(re.search(rb"arena peak: (\d+) of 2048", p.stderr).group(1))
            self.assertLessEqual(peak, 2048)


if __name__ == "__main__":
    unittest.main()
