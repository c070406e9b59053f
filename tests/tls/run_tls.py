"""Run TLS suites (unittest modules in tests/tls) and end with "N passed, M failed".

usage: python3 tests/tls/run_tls.py MODULE [MODULE ...]
Exits 77 (ctest's SKIP_RETURN_CODE) with a message when nginx or openssl is missing, 0 when
every test passed, 1 otherwise. The hfmicro suites read HFMICRO (the CLI) and HF_TLS_BIN (the
directory of the test programs) from the environment.
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tlsenv import missing_tools  # noqa: E402

SKIP = 77


def main(modules):
    missing = missing_tools()
    if missing:
        print("SKIP: %s not installed; the TLS proofs need them (Debian: apt-get install "
              "nginx-light openssl; .ci/run installs them)" % " and ".join(missing))
        return SKIP
    suite = unittest.TestSuite(unittest.defaultTestLoader.loadTestsFromName(m) for m in modules)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    line = "%d passed, %d failed" % (passed, failed)
    print(line + (", %d skipped" % skipped if skipped else ""))
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
