"""Generate the hostile corpus: files crafted as an attacker would, one per known attack.

Run ``python tests/corpus/hostile/make_corpus.py OUT_DIR`` (the tests and ``bench/bench_hostile.py``
call ``generate``). Files go to ``OUT_DIR/files`` (screened by ``check`` and ``batch``) and
webhook bodies to ``OUT_DIR/webhooks`` (posted to the server). Every case is named after what
it attacks; the README beside this script lists the families. The invariant every case must
keep: exit 0 or 1, one clear message, no traceback, within the time budget, memory bounded.
"""

from __future__ import annotations

import io
import json
import random
import sys
import zipfile
from pathlib import Path

WORDS = ["ab", "cd", "ef", "gh", "ij"]


def _name(tokens: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(tokens))


def _app(**fields: object) -> dict[str, object]:
    return {"id": "hostile", "name": "Ana Lima", **fields}


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def files() -> dict[str, bytes | str]:
    """Application files by name."""
    out: dict[str, bytes | str] = {}

    def js(name: str, data: object) -> None:
        out[name] = json.dumps(data)

    # 1. time: huge names and handles (cubic fuzzy matching), through every name-bearing field
    for label, tokens in (("15kb", 5000), ("30kb", 10000), ("200kb", 66000)):
        name = _name(tokens)
        email = "x" * 60 + "." + "y" * min(tokens, 3000) + "@example.com"
        js(f"time-name-{label}.json", _app(name=name, emails=[email]))
    big = _name(6000)
    js("time-aliases.json", _app(aliases=[big, big[:9000]]))
    js("time-account-holder.json", _app(payment={"method": "bank", "account_holder": big}))
    js("time-references.json", _app(references=[{"name": big, "email": "r@example.com"}] * 20))
    js("time-jsonresume.json", {"basics": {"name": big, "email": "y" * 3000 + "@example.com"}})
    out["time-csv.csv"] = "name,emails,aliases\n" + f'"{big}",{"z" * 3000}@example.com,"{big}"\n'
    # 2. numbers: length and magnitude
    out["number-int-4301-digits.json"] = '{"id": "n1", "name": "Ana Lima", "x": ' + "9" * 4301 + "}"
    out["number-float-1e400.json"] = '{"id": "n2", "name": "Ana Lima", "x": 1e400}'
    out["number-nan.json"] = '{"id": "n3", "name": "Ana Lima", "x": NaN}'
    out["number-yaml-int.yml"] = "id: n4\nname: Ana Lima\nx: " + "7" * 5000 + "\n"
    out["number-utc-offset.json"] = json.dumps(
        _app(network=[{"ip": "203.0.113.9", "utc_offset_minutes": 10**30}])
    )
    # structure: depth, aliases, duplicates
    out["deep-json.json"] = "[" * 50_000 + "]" * 50_000
    out["deep-yaml.yml"] = "a: " + "[" * 20_000 + "]" * 20_000
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    out["billion-laughs.yml"] = "name: Ana Lima\n" + laughs
    out["duplicate-keys.json"] = '{"name": "Ana Lima", "name": "' + "D" * 100_000 + '"}'
    # 6. CSV quoting
    rows = "Bob Smith,bob@example.com\nCid Ray,cid@example.com\nDee Fox,dee@example.com\n"
    out["csv-stray-quote.csv"] = (
        'name,emails\nAna Lima,ana@example.com\n"Eve" X,e@example.com\n' + rows
    )
    out["csv-unterminated-quote.csv"] = 'name,emails\n"Ana Lima,ana@example.com\n' + rows
    out["csv-swallowing-quote.csv"] = 'name,emails\nAna Lima,"ana@example.com\n' + rows + 'Zed,z"\n'
    out["csv-formula.csv"] = 'name,emails\n=HYPERLINK("http://x"),a@example.com\n'
    # 8. the small ones
    for label, zone in (
        ("traversal", "../../etc/passwd"),
        ("nul", "Eu\x00rope"),
        ("long", "x" * 10_000),
    ):
        js(f"zone-{label}.json", _app(location={"timezone": zone}))
    js("name-numeric.json", {"id": "n", "name": 12345})
    js(
        "name-markup.json",
        _app(name="<script>alert(1)</script> Ana", source="<img src=x onerror=1>"),
    )
    out["empty.json"] = ""
    out["garbage.json"] = bytes(range(256)) * 4
    out["utf16.json"] = json.dumps(_app()).encode("utf-16")
    # 3 and 7. documents: a DTD after a long prolog, a zip bomb, XML expanding past the cap
    dtd = (
        b'<?xml version="1.0"?><!--'
        + b" " * 10_000
        + b'--><!DOCTYPE d [<!ENTITY a "b">]><d>&a;</d>'
    )
    out["docx-late-dtd.docx"] = _docx(dtd)
    out["docx-zip-bomb.docx"] = _docx(b"<d/>", {"word/media/pad.bin": b"\0" * (60 * 1024 * 1024)})
    # words from a small vocabulary compress about 8:1, under the ratio cap: only the cap on the
    # XML parts' expanded size stops python-docx from building a tree of 20 MB of XML
    rng = random.Random(12)
    vocabulary = [f"w{i:02d}".encode() for i in range(64)]
    words = b" ".join(rng.choice(vocabulary) for _ in range(4_800_000))
    out["docx-xml-expansion.docx"] = _docx(b"<d>" + words + b"</d>")
    out["pdf-truncated.pdf"] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n"
    return out


def webhooks() -> dict[str, bytes]:
    """Webhook and native bodies by name (``<endpoint>--<case>.json``)."""
    return {
        "applications--int-4301-digits.json": b'{"id": "w1", "name": "Ana", "x": '
        + b"9" * 4301
        + b"}",
        "applications--duplicate-keys.json": b'{"name": "' + b"I" * 900_000 + b'", "name": "x"}',
        "applications--numeric-name.json": b'{"id": "w2", "name": 42}',
        "applications--zone.json": json.dumps(_app(location={"timezone": "../x"})).encode(),
        "applications--huge-name.json": json.dumps(_app(id="w3", name=_name(20000))).encode(),
        "lever--triggered-at-1e400.json": b'{"token": "t", "signature": "s", "triggeredAt": 1'
        + b"0" * 400
        + b', "event": "applicationCreated"}',
        "greenhouse--int-4301-digits.json": b'{"action": "x", "payload": ' + b"9" * 4301 + b"}",
        "workable--not-json.json": b"\xff\xfe{",
    }


def generate(out: Path) -> tuple[list[Path], list[Path]]:
    """Write the corpus under ``out``; the application files and the webhook bodies."""
    (out / "files").mkdir(parents=True, exist_ok=True)
    (out / "webhooks").mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files().items():
        path = out / "files" / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        written.append(path)
    bodies = []
    for name, body in webhooks().items():
        path = out / "webhooks" / name
        path.write_bytes(body)
        bodies.append(path)
    return written, bodies


if __name__ == "__main__":
    generate(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus"))
