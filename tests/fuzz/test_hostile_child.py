"""Hostile files of unbounded cost, each linted by `frontline lint` in a child process with a memory cap.

In process the properties keep inputs small; these few inputs are large on purpose (deep nesting, alias
bombs, huge numbers and conditions, many nodes, a file just under the size cap), so they run in a child
whose address space is capped, and the child's peak memory is read back from the kernel. The child must
exit 1 with diagnostics as JSON, never a traceback. The 60 s timeout only stops a hang from blocking the
suite; it is not a speed check.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.core import Diagnostic, Severity

from .support import KNOWN_CODES, check_diagnostics

# The child runs the command line in process and, however it ends, writes its peak resident memory
# (VmHWM, in kB): the kernel's rusage figures would count the parent's memory too, which a child
# inherits as its high-water mark across fork and exec.
CHILD = """
import runpy, sys
peak = sys.argv.pop(1)
sys.argv[0] = "frontline"
try:
    runpy.run_module("simulator", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status, open(peak, "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""
CAP_BYTES = 2 * 1024**3  # a hard stop for a runaway child, well above what it should use
PEAK_LIMIT_MB = 300  # issue 12: every hostile input is a diagnostic within 300 MB
HANG_GUARD_S = 60


def _nodes(count: int) -> str:
    head = "format: 1\nid: many\ntitle: T\nsummary: S\npersona: {name: P, kind: angry}\nsetting: s\nnodes:\n"
    node = "  - id: n{0}\n    customer: hi\n    replies:\n      - {{text: go, to: n{1}}}\n"
    return head + "".join(node.format(i, i + 1) for i in range(count))


HOSTILE: dict[str, Callable[[], bytes]] = {
    "deep-lists": lambda: ("a: " + "[" * 200_000 + "]" * 200_000).encode(),
    "deep-maps": lambda: ("a: " + "{b: " * 50_000 + "1" + "}" * 50_000).encode(),
    "alias-bomb": lambda: (
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
    ).encode(),
    "huge-int": lambda: ("format: " + "9" * 500_000 + "\n").encode(),
    "huge-condition": lambda: (
        _nodes(2).replace("{text: go, to: n1}", "{text: go, to: n1, if: '" + "x or " * 400_000 + "x'}")
    ).encode(),
    "deep-condition": lambda: (
        _nodes(2).replace("to: n1}", "to: n1, if: '" + "(" * 5000 + "x" + ")" * 5000 + "'}").encode()
    ),
    "many-nodes": lambda: _nodes(20_000).encode(),
    "long-scalar": lambda: ("title: '" + "x" * (8 * 1024 * 1024 - 20) + "'\n").encode(),
    "many-keys": lambda: "".join(f"k{i}: {i}\n" for i in range(400_000)).encode(),
    "long-list": lambda: ("focus: [" + ", ".join(["a"] * 1_100_000) + "]\n").encode(),
    "many-bad-nodes": lambda: _nodes(10_000).replace("customer: hi", "customr: 7\n    mood: x").encode(),
    "nul-and-bidi": lambda: ('id: "a\\0b"\npersona: {name: "\u202e", kind: angry, avatar: "a\\0b"}\n').encode(),
}


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the child's peak memory from /proc (Linux)")
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_a_diagnostic_in_a_capped_child(name: str, tmp_path: Path) -> None:
    data = HOSTILE[name]()
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    out, err, peak = tmp_path / "out.json", tmp_path / "err.txt", tmp_path / "peak.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(peak), "lint", "--format", "json", str(path)],
            stdout=stdout,
            stderr=stderr,
            preexec_fn=_cap,  # noqa: PLW1509 - only setrlimit, in a child of a single-threaded test
        )
        try:
            status = _wait(child.pid)
        finally:
            if child.poll() is None:
                child.kill()
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr_text = err.read_text(errors="replace")
    assert "Traceback" not in stderr_text, stderr_text[-2000:]
    assert child.returncode == 1, (child.returncode, stderr_text[-2000:])
    report = json.loads(out.read_text())
    diags = report["diagnostics"]
    assert diags and all(d["code"] in KNOWN_CODES for d in diags), diags
    check_diagnostics(
        [Diagnostic(d["path"], d["line"], d["col"], d["code"], Severity(d["severity"]), d["message"]) for d in diags],
        str(path),
        data,
    )
    peak_mb = int(peak.read_text()) / 1024
    assert peak_mb < PEAK_LIMIT_MB, f"{name}: the child peaked at {peak_mb:.0f} MB"


def _wait(pid: int) -> int:
    """waitpid with a hang guard: poll without blocking until the child ends or the guard runs out."""
    stop = time.monotonic() + HANG_GUARD_S
    while True:
        found, status = os.waitpid(pid, os.WNOHANG)
        if found == pid:
            return status
        if time.monotonic() > stop:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the child was still running after {HANG_GUARD_S} s: a hang")
        time.sleep(0.05)  # polling a child process, not waiting for a result to appear
