"""Dedupe end to end (with enrichment first, as the runner does), plus its settings."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from dedupe.engine import DedupeSettings, dedupe_leads, find_clusters
from enrich.pipeline import enrich_lead
from leadharvest.items import Email, Evidence, Lead, Person, Phone
from leadharvest.settings import ConfigError


def _ev(method: str, url: str) -> Evidence:
    return Evidence(
        source=method, method=method, url=url, fetched_at=datetime(2025, 1, 1, tzinfo=UTC)
    )


def _lead(name: str, method: str = "yellow_pages", **kw: Any) -> Lead:
    url = f"https://{method}.example/{abs(hash(name)) % 10_000}"
    phones = [Phone(raw=p, sources=[url]) for p in kw.pop("phones", [])]
    emails = [Email(raw=e, sources=[url]) for e in kw.pop("emails", [])]
    lead = Lead(name=name, phones=phones, emails=emails, evidence=[_ev(method, url)], **kw)
    return enrich_lead(lead, region="AU")


SETTINGS = DedupeSettings.load()


def test_one_company_spelled_three_ways_merges_with_all_evidence() -> None:
    site = _lead(
        "Brightlens Optics Pty Ltd",
        "company_website",
        website="https://www.brightlens-optics.example/contact?utm_source=x",
        phones=["(07) 4051 1234"],
        emails=["sales@brightlens-optics.example"],
        address_raw="12 Lake St, Cairns QLD 4870",
        city="Cairns",
    )
    directory = _lead(
        "BRIGHTLENS OPTICS PTY. LTD.",
        "yellow_pages",
        phones=["07 4051 1234", "0412 345 678"],
        address_raw="12 Lake Street Cairns",
        city="Cairns",
    )
    search = _lead(
        "Brightlens Optics – lenses & repairs",
        "search_engine",
        emails=["Sales@Brightlens-Optics.example"],
        description="Camera lens repair service in Cairns",
    )
    other = _lead("Harbour Freight Logistics", phones=["(07) 4051 9999"])
    out = dedupe_leads([search, other, directory, site], settings=SETTINGS)

    assert len(out) == 2
    merged = next(lead for lead in out if len(lead.evidence) > 1)
    assert merged.name == "Brightlens Optics Pty Ltd"  # the company's own website wins
    assert len(merged.evidence) == 3
    assert {ev.method for ev in merged.evidence} == {
        "company_website",
        "yellow_pages",
        "search_engine",
    }
    assert sorted(p.e164 for p in merged.phones) == ["+61412345678", "+61740511234"]
    shared = next(p for p in merged.phones if p.e164 == "+61740511234")
    assert len(shared.sources) == 2
    assert [e.address for e in merged.emails] == ["sales@brightlens-optics.example"]
    assert len(merged.emails[0].sources) == 2
    assert merged.address_raw == "12 Lake St, Cairns QLD 4870"
    assert merged.alternates["address_raw"] == ["12 Lake Street Cairns"]
    assert "BRIGHTLENS OPTICS PTY. LTD." in merged.alternates["name"]
    assert any(
        r.startswith("same phone +61740511234 and similar name") for r in merged.match_reasons
    )
    assert any("brightlens-optics.example" in r for r in merged.match_reasons)
    assert other in out  # untouched lead is returned as it was
    assert search.evidence and len(search.evidence) == 1  # inputs not changed


def test_switchboard_shared_by_two_different_names_stays_apart() -> None:
    a = _lead("Brightlens Optics", phones=["(07) 4051 1234"])
    b = _lead("Harbour Freight Logistics", phones=["07 4051 1234"])
    out = dedupe_leads([a, b], settings=SETTINGS)
    assert out == [a, b]


def test_directory_hotline_shared_by_five_companies_is_no_evidence() -> None:
    names = ["Brightlens Optics", "Brightlens Optical", "Coral Cameras", "Reef Photo", "Lens Hub"]
    leads = [
        _lead(n, phones=["1300 123 456"], emails=["listings@directory.example"]) for n in names
    ]
    clusters = find_clusters(leads, settings=SETTINGS)
    # without the shared-contact rule "Brightlens Optics"/"Optical" would merge on the number
    assert [c.members for c in clusters] == [[0], [1], [2], [3], [4]]


def test_same_domain_merges_even_with_different_names() -> None:
    a = _lead("深圳市明镜光学有限公司", website="http://www.brightlens-optics.example")
    b = _lead("Brightlens Optics", emails=["info@brightlens-optics.example"])
    (merged,) = dedupe_leads([a, b], settings=SETTINGS)
    assert merged.match_reasons == ["same domain brightlens-optics.example"]


def test_free_mail_domain_is_not_a_shared_domain() -> None:
    a = _lead("Brightlens Optics", emails=["zhang@qq.com"])
    b = _lead("Harbour Freight", emails=["li@qq.com"])
    assert len(dedupe_leads([a, b], settings=SETTINGS)) == 2


def test_chinese_name_variants_merge_on_name_alone() -> None:
    a = _lead("深圳市明镜光学有限公司", city="深圳")
    b = _lead("明镜光学（深圳）有限公司", city="深圳市")
    (merged,) = dedupe_leads([a, b], settings=SETTINGS)
    assert merged.match_reasons == ["similar name (100) in the same city 深圳"]


def test_same_name_in_different_cities_stays_apart() -> None:
    a = _lead("Star Electronics", city="Cairns")
    b = _lead("Star Electronics Pty Ltd", city="Perth")
    assert len(dedupe_leads([a, b], settings=SETTINGS)) == 2


def test_chaining_is_not_catastrophic() -> None:
    # neighbours share a number and have similar-enough names; the ends share nothing
    names = [
        "Coral Optics",
        "Coral Optics Cairns",
        "Optics Cairns",
        "Optics Cairns QLD",
        "Cairns QLD",
    ]
    leads = [
        _lead(name, phones=[f"(07) 4051 100{i}", f"(07) 4051 100{i + 1}"])
        for i, name in enumerate(names)
    ]
    guarded = find_clusters(leads, settings=SETTINGS)
    assert [c.members for c in guarded] == [[0, 1, 2, 3], [4]]
    unguarded = DedupeSettings.from_mapping({"thresholds": {"cluster_min_similarity": 0}})
    assert len(find_clusters(leads, settings=unguarded)) == 1  # what the guard prevents


def test_people_and_masked_contacts_survive_a_merge() -> None:
    a = _lead("Coral Cameras", phones=["(07) 4051 2222"])
    a.people = [Person(name="Zhang Wei", title="Sales", phones=[Phone(raw="0412 000 111")])]
    b = _lead("Coral Cameras Pty Ltd", phones=["07 4051 2222", "0412****11"])
    b.people = [Person(name="zhang  wei", emails=[Email(raw="zw@coral.example")])]
    b = enrich_lead(b, region="AU")
    (merged,) = dedupe_leads([a, b], settings=SETTINGS)
    assert merged.masked is True
    assert len(merged.people) == 1
    assert merged.people[0].title == "Sales"
    assert len(merged.people[0].phones) == 1 and len(merged.people[0].emails) == 1


def test_do_not_contact_survives_a_merge() -> None:
    a = _lead("Coral Cameras", phones=["(07) 4051 2222"])
    b = _lead("Coral Cameras", phones=["(07) 4051 2222"], verification="do_not_contact")
    (merged,) = dedupe_leads([a, b], settings=SETTINGS)
    assert merged.verification == "do_not_contact"


def test_empty_input() -> None:
    assert dedupe_leads([], settings=SETTINGS) == []
    assert find_clusters([], settings=SETTINGS) == []


def test_a_busy_block_is_capped_but_identical_names_still_meet() -> None:
    leads = [_lead("Reef Photo", phones=[f"(07) 4051 {3000 + i}"]) for i in range(30)]
    leads += [_lead(f"Reef Photo Studio {i}") for i in range(30)]
    small = DedupeSettings.from_mapping({"blocking": {"max_block_size": 5, "window": 2}})
    clusters = find_clusters(leads, settings=small)
    assert clusters[0].members == list(range(30))


def test_default_settings_come_from_config() -> None:
    assert SETTINGS.name_high == 92
    assert SETTINGS.shared_contact_limit == 3
    assert "1688.com" in SETTINGS.portal_domains


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"thresholds": {"name_high": 120}}, "thresholds.name_high"),
        ({"thresholds": {"name_low": "high"}}, "thresholds.name_low"),
        ({"thresholds": {"scorer": "jaro"}}, "thresholds.scorer"),
        ({"thresholds": {"name_high": 50, "name_low": 80}}, "thresholds.name_low"),
        ({"blocking": {"max_block_size": 1}}, "blocking.max_block_size"),
        ({"blocking": {"window": True}}, "blocking.window"),
        ({"shared": {"shared_contact_limit": 0}}, "shared.shared_contact_limit"),
        ({"shared": {"portal_domains": "1688.com"}}, "shared.portal_domains"),
        ({"shared": {"typo": 1}}, "shared.typo"),
        ({"extra": {}}, "extra"),
    ],
)
def test_invalid_settings_name_the_key(data: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        DedupeSettings.from_mapping(data)


# enrich.pipeline, which every lead passes through before dedupe


def test_enrich_lead_fills_parsed_fields_and_is_idempotent() -> None:
    raw = Lead(
        name="深圳市明镜光学有限公司",
        description="专业生产光学镜头",
        website="www.brightlens-optics.com.cn",
        phones=[
            Phone(raw="0755-8888 1234 转 8", label="电话", sources=["u1"]),
            Phone(raw="+86 755 8888 1234", sources=["u2"]),
            Phone(raw="139****1234", label="手机"),
        ],
        emails=[
            Email(raw="Sales@Brightlens-Optics.com.cn", sources=["u1"]),
            Email(raw="sales@brightlens-optics.com.cn", sources=["u3"]),
        ],
    )
    lead = enrich_lead(raw)
    assert lead is raw  # filled in place, like an item pipeline
    assert lead.normalized_name == "明镜光学"
    assert lead.website == "http://www.brightlens-optics.com.cn"
    assert lead.domain == "brightlens-optics.com.cn"
    assert lead.business_type == "manufacturer"
    assert lead.business_type_reason == "manufacturer: '生产'"
    assert [p.e164 for p in lead.phones] == ["+8675588881234", None]
    assert lead.phones[0].sources == ["u1", "u2"]
    assert lead.masked is True
    assert len(lead.emails) == 1 and lead.emails[0].sources == ["u1", "u3"]
    again = copy.deepcopy(lead)
    assert enrich_lead(again) == lead


def test_names_that_differ_only_in_a_number_stay_apart() -> None:
    leads = [
        Lead(
            name=f"Wombat Camera Traders {i} Pty Ltd", city="Sydney", address_raw="Sydney NSW 2000"
        )
        for i in (1, 2, 12)
    ]
    assert len(dedupe_leads(leads)) == 3
    same = [
        Lead(name="Wombat Camera Traders 1 Pty Ltd", city="Sydney"),
        Lead(name="WOMBAT CAMERA TRADERS 1", city="Sydney"),
    ]
    assert len(dedupe_leads(same)) == 1
