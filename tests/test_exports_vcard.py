"""vCard 4.0 / 3.0: read back with vobject, escaping, folding, one card per person or company."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject

from exports.vcard import escape, fold, vcards, write_vcard
from leadharvest.cli import main
from leadharvest.items import Email, Evidence, Lead, Person, Phone

FETCHED = datetime(2024, 5, 1, tzinfo=UTC)


def _lead() -> Lead:
    return Lead(
        name='Acme; Toys, "Ltd"\\ 批发',
        lead_id="L0000000000c",
        website="https://acme.example/shop;x",
        address_raw="1 Main St, Cairns; QLD",
        city="Cairns",
        postcode="4870",
        country="AU",
        grade="B",
        score=55,
        phones=[
            Phone(raw="(07) 4051 1234", e164="+61740511234", type="landline", extension="12"),
            Phone(raw="139****1234", masked=True),
        ],
        emails=[Email(raw="info@acme.example", address="info@acme.example", role=True)],
        people=[
            Person(
                name="Jo Citizen",
                title="Head buyer, toys; imports",
                phones=[Phone(raw="0412345678", e164="+61412345678", type="mobile")],
                emails=[Email(raw="jo@acme.example", address="jo@acme.example")],
            ),
            Person(name="王小明", title="经理"),
        ],
        evidence=[
            Evidence(
                source="yp",
                method="yellow_pages",
                url="https://yp.example/acme",
                fetched_at=FETCHED,
            )
        ],
    )


def _company_only() -> Lead:
    return Lead(
        name="Lonely Lens Co",
        lead_id="L0000000000d",
        phones=[Phone(raw="x", e164="+442071234567", type="landline")],
        evidence=[Evidence(source="s", method="search_engine", url="https://s.example/?q=lens")],
    )


def _parse(text: str) -> list[vobject.base.Component]:
    return list(vobject.readComponents(text))


def test_vcard_4_reads_back_with_types_and_extension() -> None:
    cards = _parse("".join(vcards([_lead(), _company_only()])))
    assert [c.fn.value for c in cards] == ["Jo Citizen", "王小明", "Lonely Lens Co"]
    jo, wang, shop = cards
    assert [c.kind.value for c in cards] == ["individual", "individual", "org"]
    assert jo.n.value.family == "Citizen" and jo.n.value.given == "Jo"
    assert jo.org.value == ['Acme; Toys, "Ltd"\\ 批发']
    assert jo.title.value == "Head buyer, toys; imports"
    tels = {t.value: t.params["TYPE"] for t in jo.contents["tel"]}
    assert tels == {
        "tel:+61412345678": ["work", "cell"],
        "tel:+61740511234;ext=12": ["work", "voice"],
    }
    assert all(t.params["VALUE"] == ["uri"] for t in jo.contents["tel"])
    # the masked number is never a TEL
    assert all("****" not in t.value for c in cards for t in c.contents["tel"])
    assert sorted(e.value for e in jo.contents["email"]) == ["info@acme.example", "jo@acme.example"]
    assert "email" not in wang.contents  # another person's / the shared address is not his
    assert "tel:+61412345678" not in [t.value for t in wang.contents["tel"]]
    assert jo.url.value == "https://acme.example/shop%3Bx"
    adr = jo.adr.value
    assert (adr.street, adr.city, adr.code, adr.country) == (
        "1 Main St, Cairns; QLD",
        "Cairns",
        "4870",
        "AU",
    )
    note = jo.note.value
    assert note.startswith("Unverified third-party data: check before contact.\n")
    assert "https://yp.example/acme" in note and "2024-05-01" in note
    assert shop.org.value == ["Lonely Lens Co"]
    assert "n" not in shop.contents
    assert len({c.uid.value for c in cards}) == 3


def test_vcard_3_has_no_kind_and_text_phones() -> None:
    cards = _parse("".join(vcards([_lead(), _company_only()], version="3.0")))
    assert all(c.version.value == "3.0" for c in cards)
    assert all("kind" not in c.contents for c in cards)
    jo, _, shop = cards
    assert {t.value for t in jo.contents["tel"]} == {"+61412345678", "+61740511234 ext. 12"}
    assert jo.contents["tel"][0].params["TYPE"][0] == "WORK"
    assert shop.x_addressbookserver_kind.value == "org"
    assert shop.n.value.family == ""  # N is required in 3.0, empty for a company


def test_injection_through_newlines_and_separators_stays_in_its_value() -> None:
    evil = "Evil Co\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected\nTEL:+1900;x,y"
    lead = Lead(name=evil, people=[Person(name="=cmd|' /C calc'!A0")])
    text = "".join(vcards([lead]))
    cards = _parse(text)
    assert len(cards) == 1
    assert cards[0].org.value == [evil.replace("\r\n", "\n")]
    assert cards[0].fn.value == "'=cmd|' /C calc'!A0"
    assert "tel" not in cards[0].contents
    assert text.count("BEGIN:VCARD") == 1 + 1  # ours, and the escaped text inside ORG
    assert text.count("\r\nBEGIN:VCARD\r\n") == 0


def test_escape_follows_the_rfc() -> None:
    assert escape("a\\b,c;d\ne\r\nf") == "a\\\\b\\,c\\;d\\ne\\nf"
    assert escape("=1+1") == "'=1+1"


def test_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "NOTE:" + "数码相机批发" * 30
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    lead = Lead(
        name="长" * 200, evidence=[Evidence(source="s", method="x", url="https://s.example")]
    )
    text = "".join(vcards([lead]))
    assert all(len(raw) <= 75 for raw in text.encode("utf-8").split(b"\r\n"))
    assert _parse(text)[0].org.value == ["长" * 200]


def test_write_vcard_is_utf8_without_bom(tmp_path: Path) -> None:
    path, count = write_vcard([_lead()], tmp_path / "a.vcf")
    raw = path.read_bytes()
    assert count == 2
    assert raw.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "王小明".encode() in raw


def test_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match=r"4\.0, 3\.0"):
        vcards([_lead()], version="2.1")


def test_cli_vcard_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from exports.jsonl import write_jsonl

    src = write_jsonl([_company_only()], tmp_path / "in.jsonl")
    out = tmp_path / "c.vcf"
    with pytest.raises(SystemExit) as exc:
        main(
            ["export", "--input", str(src), "-f", "vcard", "--vcard-version", "3.0", "-o", str(out)]
        )
    assert exc.value.code in (0, None)
    assert "VERSION:3.0" in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(
            ["export", "--input", str(src), "-f", "vcard", "--vcard-version", "2.1", "-o", str(out)]
        )
    assert exc.value.code == 2
    assert "--vcard-version must be 4.0 or 3.0" in capsys.readouterr().err
