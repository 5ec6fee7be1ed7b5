"""Wall time and peak memory of one child process."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    """One measured child process: wall seconds, CPU seconds (user + system), peak RSS in MB, exit code, output."""

    seconds: float
    cpu: float
    peak_mb: float
    code: int
    output: str


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None, *, timeout: float | None = None) -> Run:
    """Run `command` in a fresh process; peak RSS is the largest of it and any children it waited for.

    After `timeout` seconds the process is stopped and the run reports exit code -9 and a note.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer:
        timer.start()
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not every child of this process
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting again
    if timer:
        timer.cancel()
    if process.returncode == -signal.SIGKILL and timeout:
        output += f"\nstopped by the benchmark after {timeout:.0f} s (--timeout)\n"
    return Run(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, output)
