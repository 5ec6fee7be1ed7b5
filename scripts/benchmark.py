#!/usr/bin/env python3
"""Benchmarks with printed figures (targets live here, not in timed unit tests).

  validate 10,000 synthetic valid entries      target < 5 s
  a 50 MB file / a billion-laughs file         target: clear error < 5 s and < 500 MB

Run: make benchmark   (or .venv/bin/python scripts/benchmark.py)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENTRY = """\
- id: company-{n}
  name: Company {n}
  aliases: [Co {n}, C{n}]
  sector: {sector}
  countries: [ES]
  website: https://www.company{n}.es
  domains: [company{n}.es]
  timezone: Europe/Madrid
  channels:
    - type: phone
      address: "+34 900 {a:03d} {b:03d}"
      hours: "Mo-Fr 09:00-21:00; Sa 10:00-14:00; PH off"
      response_time: 30m
      source: https://www.company{n}.es/contacto
      source_kind: company
      checked: 2026-11-01
    - type: x
      address: "@company{n}"
      hours: "Mo-Su 08:00-22:00"
      response_time: 2h
      source: https://www.company{n}.es/contacto
      source_kind: company
      checked: 2026-11-01
    - type: email
      address: atencion@company{n}.es
      response_time: 3 working days
      source: https://www.company{n}.es/contacto
      source_kind: company
      checked: 2026-11-01
  complaints:
    url: https://www.company{n}.es/reclamaciones
    answer_within: 15 working days
    source: https://www.company{n}.es/reclamaciones
    source_kind: company
    checked: 2026-11-01
  escalation: [arbitraje-consumo]
"""
SECTORS = ["telecom", "energy", "banking", "insurance", "airline", "retail", "post", "water"]


def synthetic(count: int) -> str:
    return "".join(ENTRY.format(n=n, sector=SECTORS[n % len(SECTORS)], a=100 + n // 1000, b=n % 1000)
                   for n in range(count))


def run(label: str, path: Path, target_s: float, target_mb: float | None = None) -> tuple[float, float, str]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "generator", "validate", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    peak_mb = usage.ru_maxrss / 1024
    verdict = "ok" if seconds < target_s and (target_mb is None or peak_mb < target_mb) else "OVER TARGET"
    first = output.strip().splitlines()[0] if output.strip() else ""
    print(f"{label:<38} {seconds:6.2f} s  {peak_mb:7.1f} MB peak  exit {os.waitstatus_to_exitcode(status)}  "
          f"[{verdict}]\n    {first[:150]}")
    return seconds, peak_mb, output


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        valid = folder / "companies.yaml"
        valid.write_text(synthetic(10_000), encoding="utf-8")
        run("validate 10,000 entries (30,000 ch.)", valid, 5.0)

        big = folder / "big.yaml"
        chunk = synthetic(200)
        with big.open("w", encoding="utf-8") as out:
            while out.tell() < 50 * 1024 * 1024:
                out.write(chunk)
        run(f"{big.stat().st_size / 1048576:.0f} MB file", big, 5.0, 500)

        laughs = folder / "laughs.yaml"
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(9)]
        laughs.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run("billion laughs", laughs, 5.0, 500)
    return 0


if __name__ == "__main__":
    sys.exit(main())
