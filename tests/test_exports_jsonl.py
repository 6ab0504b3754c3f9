"""JSON lines: full leads round-trip; `extract`'s lighter lines read as leads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exports.jsonl import read_leads_jsonl, write_jsonl
from leadharvest.items import Email, Evidence, Lead, Person, Phone


def _full_lead() -> Lead:
    return Lead(
        name="深圳市玩具批发有限公司",
        business_type="wholesaler_distributor",
        products="玩具 批发",
        website="https://toys.example.cn",
        domain="toys.example.cn",
        address_raw="广东省深圳市南山区科技园 518000",
        country="CN",
        city="深圳",
        postcode="518000",
        phones=[
            Phone(
                raw="0755-8888 1234",
                e164="+8675588881234",
                type="landline",
                valid=True,
                sources=["https://toys.example.cn/contact"],
            )
        ],
        emails=[Email(raw="sales@toys.example.cn", address="sales@toys.example.cn", role=True)],
        people=[
            Person(name="王经理", title="销售经理", phones=[Phone(raw="139****1234", masked=True)])
        ],
        evidence=[
            Evidence(
                source="company",
                method="company_website",
                url="https://toys.example.cn/contact",
                fetched_at=datetime(2024, 5, 1, 8, 0, tzinfo=UTC),
                query="玩具 批发",
                fields=["name", "phones"],
            )
        ],
        lead_id="L-0001",
        first_seen=datetime(2024, 5, 1, 8, 0, tzinfo=UTC),
        last_seen=datetime(2024, 5, 2, 9, 0, tzinfo=UTC),
        relevance=0.75,
        score=62.5,
        grade="B",
        grade_reasons=["B：经营该产品"],
        notes="=not a formula in JSON",
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    lead = _full_lead()
    path = write_jsonl([lead, Lead(name="Acme")], tmp_path / "out" / "leads.jsonl")
    text = path.read_text(encoding="utf-8")
    assert "深圳市玩具批发有限公司" in text  # ensure_ascii=False: readable Chinese
    assert len(text.splitlines()) == 2
    back = read_leads_jsonl(path)
    assert [b.to_dict() for b in back] == [lead.to_dict(), Lead(name="Acme").to_dict()]
    assert back[0].people[0].phones[0].masked is True
    assert back[0].evidence[0].fetched_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert back[0].notes == "=not a formula in JSON"


def test_reads_extract_lines(tmp_path: Path) -> None:
    lines = [
        {
            "kind": "page",
            "status": "ok",
            "source": "yellowpages_com_au",
            "url": "https://yp.example/toys",
        },
        {
            "kind": "search_result",
            "rank": 1,
            "url": "https://x.example",
            "title": "X",
            "snippet": "",
            "ad": False,
        },
        {
            "kind": "lead",
            "name": "Cairns Toys ",
            "phones": ["(07) 4051 1234", "0412 *** 678"],
            "emails": ["info@cairnstoys.example"],
            "website": "https://cairnstoys.example",
            "address": "1 Lake St, Cairns QLD 4870",
            "people": [
                {"name": "Jo Citizen", "title": "Owner", "phones": ["0412 345 678"], "emails": []}
            ],
            "masked": True,
        },
        {
            "kind": "lead",
            "name": "玩具批发部",
            "phones": [],
            "emails": [],
            "website": None,
            "address": "",
            "people": [],
            "masked": False,
        },
    ]
    path = tmp_path / "extract.jsonl"
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8"
    )
    leads = read_leads_jsonl(path)
    assert [lead.name for lead in leads] == ["Cairns Toys", "玩具批发部"]
    cairns = leads[0]
    assert [p.raw for p in cairns.phones] == ["(07) 4051 1234", "0412 *** 678"]
    assert [p.masked for p in cairns.phones] == [False, True]
    assert cairns.phones[0].e164 is None  # raw until enrichment parses it
    assert cairns.emails[0].raw == "info@cairnstoys.example"
    assert cairns.website == "https://cairnstoys.example"
    assert cairns.address_raw == "1 Lake St, Cairns QLD 4870"
    assert cairns.masked is True
    assert cairns.people[0].name == "Jo Citizen"
    assert cairns.people[0].phones[0].raw == "0412 345 678"
    # the page line becomes evidence, so the lead still points at its page
    assert cairns.evidence[0].url == "https://yp.example/toys"
    assert cairns.evidence[0].source == "yellowpages_com_au"
    assert cairns.phones[0].sources == ["https://yp.example/toys"]
    assert leads[1].website == ""
    assert leads[1].data_status == "Unverified third-party data"


def test_bad_lines_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"name": "ok"}\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2:"):
        read_leads_jsonl(path)
    path.write_text('{"kind": "lead", "phones": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r":1: a lead line needs a text 'name'"):
        read_leads_jsonl(path)
    path.write_text('{"kind": "banana", "name": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown kind 'banana'"):
        read_leads_jsonl(path)
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a JSON object"):
        read_leads_jsonl(path)
