"""The composer's personal-data detectors (docs/javascripts/dr-kit.js), run under Node on the shared case file.

tests/cases/pii.json lists text a person might type in a public post and every personal datum in it (DNI and NIE
with their control letter, IBAN by mod 97, card numbers by Luhn, phones, e-mails, addresses and postcodes,
customer numbers after "cliente", "contrato", "póliza"…), and innocent text with dates and prices that must raise
nothing.  The browser test (tests/test_kit.py) types some of the same cases into the real page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CASES, ROOT

SCRIPT = ROOT / "docs" / "javascripts" / "dr-kit.js"
CASE_FILE = CASES / "pii.json"
HARNESS = """
const fs = require('fs');
global.window = {};
eval(fs.readFileSync(process.argv[1], 'utf8'));
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
console.log(JSON.stringify({
  finds: input.texts.map(t => window.drKit.findPersonalData(t).map(f => [f.kind, f.text, t.slice(f.start, f.end)])),
  iban: input.ibans.map(window.drKit.ibanOk), luhn: input.cards.map(window.drKit.luhnOk),
  x: input.x.map(window.drKit.xLength)}));
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the browser script")


def run(texts: list[str], ibans: list[str] = [], cards: list[str] = [], x: list[str] = []) -> dict:  # noqa: B006
    out = subprocess.run(["node", "-e", HARNESS, str(SCRIPT)], input=json.dumps({"texts": texts, "ibans": ibans, "cards": cards, "x": x}),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def cases() -> list[dict]:
    return json.loads(Path(CASE_FILE).read_text(encoding="utf-8"))["cases"]


def test_every_case_in_the_shared_file() -> None:
    all_cases = cases()
    got = run([c["text"] for c in all_cases])["finds"]
    for case, finds in zip(all_cases, got, strict=True):
        assert [[kind, text] for kind, text, _ in finds] == case["finds"], case["text"]
        assert all(text == span for _, text, span in finds)  # start/end point at the datum, for the "remove" button


def test_the_case_file_covers_every_kind_and_innocent_text() -> None:
    kinds = {kind for case in cases() for kind, _ in case["finds"]}
    assert kinds == {"dni", "nie", "iban", "card", "phone", "email", "postcode-address", "customer-number"}
    innocent = [c["text"] for c in cases() if not c["finds"]]
    assert any("3 semanas" in t and "12/03/2026" in t and "49,99 €" in t for t in innocent)


def test_check_digits() -> None:
    out = run([], ibans=["ES9121000418450200051332", "ES9121000418450200051333", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"],
              cards=["4111111111111111", "4111111111111112", "0000000000000000", "378282246310005"])
    assert out["iban"] == [True, False, True, True]
    assert out["luhn"] == [True, False, False, True]


def test_x_counts_each_link_as_23() -> None:
    out = run([], x=["hola", "mira https://example.com/una/ruta/muy/larga/que/no/importa", "á" * 280, "字"])
    assert out["x"] == [4, 5 + 23, 280, 2]
