"""``bench_api`` reports the server's CPU per uncached request: the CPU time of the
server process and every process under it (its workers), read from /proc."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.bench_api import _server_cpu_ms_per_request, _tree_cpu_s

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")

# The grandchild burns 1 s of CPU, then waits for a line like its parent. Half of it
# is counted after the first reading unless that reading comes half a second late.
BURN = (
    "import time\nend = time.process_time() + 1.0\nwhile time.process_time() < end: pass\ninput()"
)
BUSY_CHILD = f"""
import subprocess, sys
worker = subprocess.Popen([sys.executable, "-c", {BURN!r}], stdin=subprocess.PIPE)
print("started", flush=True)
input()
worker.communicate(b"\\n")
"""


def test_a_process_tree_counts_the_cpu_of_its_grandchildren() -> None:
    # A parent that only waits, with a child that burns 1 s of CPU then waits too:
    # the tree's CPU must include the child's while it still runs.
    parent = subprocess.Popen(
        [sys.executable, "-c", BUSY_CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline() == "started\n"
        before = _tree_cpu_s(parent.pid)
        assert before is not None
        used = 0.0
        for _ in range(200):
            now = _tree_cpu_s(parent.pid)
            assert now is not None
            used = now - before
            if used >= 0.5:
                break
            time.sleep(0.05)
        assert used >= 0.5
    finally:
        assert parent.stdin is not None
        parent.communicate("\n", timeout=30)


def test_a_process_that_is_gone_has_no_tree() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert _tree_cpu_s(gone.pid) is None


def test_cpu_per_request_in_milliseconds() -> None:
    assert _server_cpu_ms_per_request(10.0, 12.6, 200) == 13.0
    assert _server_cpu_ms_per_request(None, 12.6, 200) is None
    assert _server_cpu_ms_per_request(10.0, 12.6, 0) is None
