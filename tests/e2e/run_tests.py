#!/usr/bin/env python3
"""Runs the end-to-end scenarios (tests/e2e/test_*.py) with unittest.

    run_tests.py [-k PATTERN ...] [-v] [test modules / names ...]

Prints the Claude Code version, one line per test with its time, the assertions failing while
a product fix is pending (E2ETestCase.product_fix_pending), then the closing line
`N passed, N failed` (`, N skipped` when some were skipped); N counts tests, a test with a
failing sub-test once. Exit status 0 only when nothing failed.
Normally started by scripts/e2e.sh, which provides CLAUDE_BIN.
"""
import argparse
import os
import sys
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def owner(test):
    """The test a sub-test belongs to (the test itself otherwise)."""
    return getattr(test, "test_case", test)


class Result(unittest.TextTestResult):
    def startTest(self, test):
        self._t0 = time.monotonic()
        self._lined = False
        super().startTest(test)

    def stopTest(self, test):
        if not self._lined:  # only sub-tests failed: unittest reports no outcome of its own
            self._line("FAIL", test)
        super().stopTest(test)

    def _line(self, status, test):
        dt = time.monotonic() - getattr(self, "_t0", time.monotonic())
        self.stream.writeln(f"{status:5} {dt:6.1f}s  {test.id()}")
        self.stream.flush()
        self._lined = True

    def addSubTest(self, test, subtest, err):
        unittest.TestResult.addSubTest(self, test, subtest, err)
        if err is not None:
            self.stream.writeln(f"             failed: {subtest._subDescription()}")

    def addSuccess(self, test):
        unittest.TestResult.addSuccess(self, test)
        self._line("ok", test)

    def addFailure(self, test, err):
        unittest.TestResult.addFailure(self, test, err)
        self._line("FAIL", test)

    def addError(self, test, err):
        unittest.TestResult.addError(self, test, err)
        self._line("ERROR", test)

    def addSkip(self, test, reason):
        unittest.TestResult.addSkip(self, test, reason)
        self._line("skip", test)
        self.stream.writeln(f"             ({reason})")

    def addExpectedFailure(self, test, err):
        unittest.TestResult.addExpectedFailure(self, test, err)
        self._line("xfail", test)

    def addUnexpectedSuccess(self, test):
        unittest.TestResult.addUnexpectedSuccess(self, test)
        self._line("XPASS", test)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", action="append", default=[], help="only tests matching (substring)")
    ap.add_argument("-v", action="store_true")
    ap.add_argument("names", nargs="*", help="test module or test names (default: all)")
    args = ap.parse_args()

    loader = unittest.TestLoader()
    if args.k:
        loader.testNamePatterns = [f"*{k}*" for k in args.k]
    if args.names:
        suite = loader.loadTestsFromNames(args.names)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)

    import harness
    try:
        version = harness.version_text()
    except Exception as e:  # no claude: the scenarios skip themselves
        version = f"unknown ({e})"
    print(f"e2e: Claude Code {version}")
    t0 = time.monotonic()
    runner = unittest.TextTestRunner(stream=sys.stdout, resultclass=Result,
                                     verbosity=2 if args.v else 1)
    # The Result prints its own per-test lines; keep unittest's dots out of the way.
    runner.verbosity = 0
    result = runner.run(suite)
    bad = result.failures + result.errors
    failed = len({owner(t).id() for t, _ in bad} | {t.id() for t in result.unexpectedSuccesses})
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped - len(result.expectedFailures)
    pending = [(owner(t).id(), t.params["product_fix_pending"]) for t, _ in bad
               if "product_fix_pending" in getattr(t, "params", {})]
    if pending:
        print(f"pending product fixes ({len(pending)} failing assertions, marked in the tests):")
        for test_id, what in pending:
            print(f"  {test_id}: {what}")
    print(f"e2e: Claude Code {version}: {result.testsRun} tests in {time.monotonic() - t0:.1f}s")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
