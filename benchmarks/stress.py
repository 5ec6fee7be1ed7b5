"""Hostile inputs the validator must refuse quickly and without running out of memory.

  a 50 MB file        target: a clear error in < 5 s and < 500 MB
  "billion laughs"    target: a clear error in < 5 s and < 500 MB
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks import synthetic
from benchmarks.measure import measure

TARGET_S, TARGET_MB = 5.0, 500.0


def _check(label: str, path: Path, cwd: Path) -> list[str]:
    run = measure([sys.executable, "-m", "generator", "validate", str(path)], cwd)
    ok = run.seconds < TARGET_S and run.peak_mb < TARGET_MB
    first = run.output.strip().splitlines()[0] if run.output.strip() else ""
    print(f"{label:<28} {run.seconds:6.2f} s  {run.peak_mb:7.1f} MB peak  exit {run.code}  "
          f"[{'ok' if ok else 'OVER TARGET'}: < {TARGET_S:.0f} s, < {TARGET_MB:.0f} MB]\n    {first[:150]}", flush=True)
    # Both files are invalid on purpose: exit 1 with a message is the expected outcome.
    return [] if run.code == 1 and first else [f"{label}: expected a clear error (exit 1), got exit {run.code}"]


def run_all() -> list[str]:
    """Validate both hostile files; returns the problems (an unexpected outcome), if any."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dr-stress-") as tmp:
        folder = Path(tmp)
        big = folder / "big.yaml"
        chunk = synthetic.dump(list(synthetic.companies(200)))
        with big.open("w", encoding="utf-8") as out:
            while out.tell() < 50 * 1024 * 1024:
                out.write(chunk)
        problems += _check(f"{big.stat().st_size / 1048576:.0f} MB file", big, folder)

        laughs = folder / "laughs.yaml"
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(9)]
        laughs.write_text("\n".join(lines) + "\n", encoding="utf-8")
        problems += _check("billion laughs", laughs, folder)
    return problems
