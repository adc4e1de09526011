"""Fuzzing every reader: random bytes and mutated fixture files. Only a KeepwarmError with a message may
escape a reader; everything else would be a traceback in front of a user."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepwarm.errors import KeepwarmError
from keepwarm.formats import READERS, detect, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix in (".csv", ".vcf"))
SAMPLES += sorted(p for p in (Path(__file__).parent / "fixtures").rglob("*") if p.is_file())
SAMPLE_BYTES = [p.read_bytes() for p in SAMPLES]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def consume(fmt: str | None, data: bytes) -> None:
    f = io.BytesIO(data)
    f.name = "fuzz.bin"
    try:
        for rec in read(fmt, f):
            assert rec.line >= 1
            assert rec.problem is None or rec.problem.strip()
    except KeepwarmError as exc:
        assert exc.message.strip()


@FAST
@given(fmt=st.sampled_from((None, *READERS)), data=st.binary(max_size=600))
def test_random_bytes_never_escape_as_anything_but_keepwarm_errors(fmt: str | None, data: bytes) -> None:
    consume(fmt, data)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(("flip", "insert", "delete", "truncate", "dup")))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from([b",", b'"', b"\r\n", b";", b":", b"=", b"\\", b"\x00",
                                                  b"BEGIN:VCARD\r\n", b"END:VCARD\r\n", b" ::: ", b"\xff"]))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 20))]
        elif op == "truncate":
            del data[pos:]
        elif op == "dup":
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 80))]
    return bytes(data)


@FAST
@given(fmt=st.sampled_from((None, *READERS)), data=mutated())
def test_mutated_fixture_files_never_escape_as_anything_but_keepwarm_errors(fmt: str | None,
                                                                          data: bytes) -> None:
    consume(fmt, data)


@FAST
@given(text=st.text(max_size=300))
def test_any_text_in_a_linkedin_cell_is_read_or_reported(text: str) -> None:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    w.writerow([text, text, text, text, text, text, text])
    consume("linkedin", buf.getvalue().encode("utf-8"))


def test_every_fixture_is_detected_and_read_without_errors() -> None:
    # the samples are the repository's own: an empty glob would make this and the mutation test vacuous
    assert {p.parent.name for p in SAMPLES} >= {"linkedin", "google", "outlook", "vcard"}
    for path in SAMPLES:
        if "malformed" in path.name:
            continue
        assert list(read(detect(path), path))


KEYS = ["id", "name", "uid", "person_id", "email", "position", "bday_month", "bday_day", "met_on", "extra",
        "kind", "on_date", "url", "tag", "topic", "phone"]
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
                           max_leaves=30)


@FAST
@given(tables=st.dictionaries(st.sampled_from(["people", "person_emails", "person_links", "life_events",
                                                "circles", "person_tags"]),
                              st.lists(st.dictionaries(st.sampled_from(
                                  ["id", "name", "uid", "person_id", "email", "position", "bday_month",
                                   "bday_day", "met_on", "extra", "kind", "on_date", "url", "tag"]),
                                  json_values, max_size=8), max_size=4), max_size=6))
def test_odd_json_backups_never_escape_as_anything_but_keepwarm_errors(tables: dict) -> None:
    import json

    doc = {"format": "keepwarm-backup", "version": 1, "tables": tables}
    consume("json", json.dumps(doc).encode())
