"""Dedupe end to end (with enrichment first, as the runner does), plus its settings."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from dedupe.compare import name_score, word_swap
from dedupe.engine import (
    DedupeSettings,
    dedupe_leads,
    dedupe_with_review,
    find_clusters,
)
from dedupe.table import Table, city_key
from enrich.pipeline import enrich_lead
from leadharvest.items import Email, Evidence, Lead, Person, Phone
from leadharvest.settings import ConfigError, load_toml


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


def _settings(**sections: Any) -> DedupeSettings:
    """The shipped config with some tables replaced; ``blocking`` updates every rule."""
    data = copy.deepcopy(load_toml("dedupe.toml"))
    for section, table in sections.items():
        if section == "blocking":
            data["blocking"] = [{**rule, **table} for rule in data["blocking"]]
        else:
            data[section] = {**data.get(section, {}), **table}
    return DedupeSettings.from_mapping(data)


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
    # every link says which levels fired, with their weights, and the total
    assert any(
        r.startswith("similar name (100) +") and "same phone +61740511234 +" in r
        for r in merged.match_reasons
    )
    assert any("same domain brightlens-optics.example +" in r for r in merged.match_reasons)
    assert all("; match weight " in r for r in merged.match_reasons)
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
    (reason,) = merged.match_reasons
    assert reason.startswith("different names -")  # the names count against it...
    assert "; same domain brightlens-optics.example +" in reason  # ...the domain outweighs them


def test_free_mail_domain_is_not_a_shared_domain() -> None:
    a = _lead("Brightlens Optics", emails=["zhang@qq.com"])
    b = _lead("Harbour Freight", emails=["li@qq.com"])
    assert len(dedupe_leads([a, b], settings=SETTINGS)) == 2


def test_chinese_name_variants_merge_on_name_alone() -> None:
    a = _lead("深圳市明镜光学有限公司", city="深圳")
    b = _lead("明镜光学（深圳）有限公司", city="深圳市")
    (merged,) = dedupe_leads([a, b], settings=SETTINGS)
    (reason,) = merged.match_reasons
    assert reason.startswith("similar name (100) +") and "; same city 深圳 +" in reason


def test_a_chinese_name_and_its_pinyin_listing_are_one_business() -> None:
    # 1688 lists the Chinese name, Alibaba the English one spelt in pinyin, one number: the
    # names share no letter, so only the pinyin key shows they are the same name
    a = _lead("深圳市明镜光学有限公司", phones=["+86 755 8888 1234"])
    b = _lead("Shenzhen Mingjing Optics Co., Ltd.", phones=["+86 (755) 8888-1234"])
    (merged,) = dedupe_leads([a, b], settings=SETTINGS)
    (reason,) = merged.match_reasons
    assert "same pinyin mingjing optics" in reason and "same phone +8675588881234" in reason


def test_a_pinyin_name_alone_does_not_merge_a_chinese_name() -> None:
    # homophones share a pinyin key (华美 / 华梅): without anything else agreeing, two
    a = _lead("深圳市明镜光学有限公司", phones=["+86 755 8888 1234"])
    b = _lead("Mingjing Optics Co., Ltd.", phones=["+86 20 3333 4444"])
    assert len(dedupe_leads([a, b], settings=SETTINGS)) == 2


def test_another_chinese_business_on_the_same_number_stays_apart() -> None:
    a = _lead("深圳市明镜光学有限公司", phones=["+86 755 8888 1234"])
    b = _lead("Shenzhen Guangying Optics Co., Ltd.", phones=["+86 (755) 8888-1234"])
    assert len(dedupe_leads([a, b], settings=SETTINGS)) == 2


def test_a_country_written_as_a_name_or_a_code_is_one_country() -> None:
    a = _lead("Coral Cameras Pty Ltd", country="Australia", phones=["(07) 4051 2222"])
    b = _lead("Coral Cameras", country="AU", phones=["(07) 4051 3333"])
    c = _lead("Coral Cameras", country="New Zealand", phones=["(07) 4051 4444"])
    clusters = find_clusters([a, b, c], settings=SETTINGS)
    assert [cl.members for cl in clusters] == [[0, 1], [2]]


def test_a_chinese_city_in_pinyin_is_the_same_city() -> None:
    a = _lead("深圳市明镜光学有限公司", city="深圳")
    b = _lead("明镜光学有限公司", city="Shenzhen")
    c = _lead("明镜光学有限公司", city="Guangzhou")
    clusters = find_clusters([a, b, c], settings=SETTINGS)
    assert [cl.members for cl in clusters] == [[0, 1], [2]]


@pytest.mark.parametrize(
    ("city", "key"),
    [
        ("深圳市", "深圳"),
        ("Shenzhen", "深圳"),
        ("shenzhen city", "深圳"),
        ("Xi'an", "西安"),
        ("Suzhou", "suzhou"),  # 苏州 or 宿州: left as written
        ("苏州", "苏州"),
        ("Cairns", "cairns"),
    ],
)
def test_city_key(city: str, key: str) -> None:
    assert city_key(city) == key


def test_same_name_in_different_cities_stays_apart() -> None:
    a = _lead("Star Electronics", city="Cairns")
    b = _lead("Star Electronics Pty Ltd", city="Perth")
    assert len(dedupe_leads([a, b], settings=SETTINGS)) == 2


def test_chaining_is_not_catastrophic() -> None:
    # each name is one or two letters away from the next and shares a number with it, so
    # every neighbour pair merges; the two ends have nothing in common
    base, target = "harbour photo supplies", "mqtwkzyv jxsbq dgfnclk"
    names = [target[:i] + base[i:] for i in range(0, 23, 2)]
    leads = [
        _lead(name, phones=[f"(07) 4051 10{i:02}", f"(07) 4051 10{i + 1:02}"])
        for i, name in enumerate(names)
    ]
    keys = [lead.normalized_name for lead in leads]
    assert name_score(keys[0], keys[-1]) < 50
    guarded = find_clusters(leads, settings=SETTINGS)
    assert len(guarded) > 1
    for cluster in guarded:  # what the guard promises: no two names in a cluster far apart
        assert all(
            name_score(keys[a], keys[b]) >= 50 for a in cluster.members for b in cluster.members
        )
    unguarded = _settings(cluster={"min_similarity": 0})
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
    small = _settings(blocking={"max_block_size": 5, "window": 2})
    clusters = find_clusters(leads, settings=small)
    assert clusters[0].members == list(range(30))


def test_default_settings_come_from_config() -> None:
    model = SETTINGS.model
    assert SETTINGS.shared_contact_limit == 3
    assert "1688.com" in SETTINGS.portal_domains
    name = model.comparison("name")
    assert name.levels[0].label == "exact" and name.levels[-1].kind == "else"
    assert {"same phone", "same domain", "same e-mail"} <= {b.name for b in model.blocking}
    assert {"switchboard", "numbers differ"} <= {g.name for g in model.guards}


def _level(label: str, **kw: Any) -> dict[str, Any]:
    return {"label": label, "m": 0.5, "u": 0.5, **kw}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"model": {"threshold": "high"}}, "model.threshold"),
        ({"model": {"prior": 0}}, "model.prior"),
        ({"model": {"typo": 1}}, "typo"),
        ({"cluster": {"min_similarity": 120}}, "cluster.min_similarity"),
        ({"cluster": {"established_share": 1.5}}, "cluster.established_share"),
        ({"cluster": {"own_words": "yes"}}, "cluster.own_words"),
        ({"review": {"margin": -1}}, "review.margin"),
        ({"review": {"signals": 1}}, "signals"),
        ({"estimate": {"em_iterations": -1}}, "estimate.em_iterations"),
        ({"shared": {"shared_contact_limit": 0}}, "shared.shared_contact_limit"),
        ({"shared": {"portal_domains": "1688.com"}}, "shared.portal_domains"),
        ({"shared": {"typo": 1}}, "shared.typo"),
        ({"extra": {}}, "extra"),
        ({"blocking": [{"name": "b", "column": "name", "max_block_size": 1}]}, "blocking b"),
        ({"blocking": [{"name": "b", "column": "phone"}]}, "'phone'"),
        ({"blocking": [{"name": "b", "column": "name", "kind": "fuzzy"}]}, "blocking b.kind"),
        (
            {"comparison": [{"name": "n", "levels": [_level("x", kind="exact")]}]},
            "comparison n.levels",
        ),
        (
            {"comparison": [{"name": "n", "levels": [_level("x", scorer="jaro"), _level("e")]}]},
            "comparison n.levels[0].min",
        ),
        (
            {
                "comparison": [
                    {
                        "name": "n",
                        "levels": [_level("x", scorer="soundex", min=1), _level("e")],
                    }
                ]
            },
            "comparison n.levels[0].scorer",
        ),
        (
            {
                "comparison": [
                    {
                        "name": "n",
                        "levels": [
                            _level("a", scorer="jaro_winkler", min=0.8),
                            _level("b", scorer="jaro_winkler", min=0.9),
                            _level("e"),
                        ],
                    }
                ]
            },
            "comparison n.levels.b",
        ),
        (
            {
                "comparison": [
                    {"name": "n", "levels": [_level("x", scorer="ratio", min=101), _level("e")]}
                ]
            },
            "comparison n.levels[0].min",
        ),
        (
            {
                "comparison": [
                    {"name": "n", "levels": [_level("x", kind="exact", m=0), _level("e")]}
                ]
            },
            "comparison n.levels[0].m",
        ),
        (
            {
                "comparison": [
                    {"name": "n", "levels": [_level("w", kind="word_swap", min=2), _level("e")]}
                ]
            },
            "comparison n.levels[0].min",
        ),
        ({"guard": [{"name": "g", "when": ["nosuch.same"]}]}, "guard g.when"),
        ({"guard": [{"name": "g", "when": ["name.nosuch"]}]}, "guard g.when"),
    ],
)
def test_invalid_settings_name_the_key(change: dict[str, Any], named: str) -> None:
    data = copy.deepcopy(load_toml("dedupe.toml"))
    for section, value in change.items():
        if isinstance(value, dict) and isinstance(data.get(section), dict):
            data[section] = {**data[section], **value}
        else:
            data[section] = value
    with pytest.raises(ConfigError, match=re.escape(named)) as caught:
        DedupeSettings.from_mapping(data)
    assert "\n" not in str(caught.value)  # one line


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


# -- borderline pairs for the Review sheet -------------------------------------------------
def _harbour_pair() -> list[Lead]:
    """Two listings a person would call "maybe the same shop": names score 86 (below the 92
    that merges on a name), both in Sydney 2000, different phones, no website."""
    return [
        _lead(
            "Harbour Photo Supplies",
            phones=["(02) 9555 0101"],
            city="Sydney",
            postcode="2000",
        ),
        _lead(
            "Harbour Photographic Supplies",
            "industry_site",
            phones=["(02) 9555 0199"],
            city="Sydney",
            postcode="2000",
        ),
    ]


def test_a_near_miss_with_a_supporting_signal_is_reviewed_not_merged() -> None:
    leads = _harbour_pair()
    result = dedupe_with_review(leads, settings=SETTINGS)
    assert len(result.leads) == 2
    assert [lead.name for lead in result.leads] == [lead.name for lead in leads]
    (pair,) = result.review
    assert (pair.left, pair.right) == (0, 1)
    assert 80 <= pair.score < 92  # the "mid" name level: not enough alone
    assert pair.reason.startswith(f"similar name ({pair.score:.0f}) +")
    assert "same city sydney +" in pair.reason and "same postcode 2000 +" in pair.reason
    assert "different phones -" in pair.reason
    weight = float(pair.reason.rsplit("match weight ", 1)[1].split(",")[0])
    margin = SETTINGS.model.review_margin
    assert SETTINGS.model.threshold - margin <= weight < SETTINGS.model.threshold


def test_a_shared_phone_with_different_names_is_reviewed() -> None:
    leads = [
        _lead("Alpha Camera Trading", phones=["(07) 4051 2222"], city="Cairns"),
        _lead("Alpha Camera Imports", "search_engine", phones=["07 4051 2222"]),
    ]
    result = dedupe_with_review(leads, settings=SETTINGS)
    assert len(result.leads) == 2  # 70 is below the "low" level: a shared phone is not enough
    (pair,) = result.review
    assert pair.reason.startswith("names differ (70) -")
    assert "same phone +61740512222 +" in pair.reason
    assert "not merged: a shared number or address, but the names are not alike" in pair.reason


def test_no_signal_or_different_numbers_is_not_borderline() -> None:
    bare = [_lead("Harbour Photo Supplies"), _lead("Harbour Photographic Supplies")]
    assert dedupe_with_review(bare, settings=SETTINGS).review == []
    numbered = [
        _lead("Harbour Photo Supplies 12", city="Sydney"),
        _lead("Harbour Photographic Supplies 21", city="Sydney"),
    ]
    assert dedupe_with_review(numbered, settings=SETTINGS).review == []
    strict = _settings(review={"min_support": 3})
    assert dedupe_with_review(_harbour_pair(), settings=strict).review == []


def test_review_never_changes_the_merge_and_drops_pairs_merged_anyway() -> None:
    harbour = _harbour_pair()
    # a third record with the first one's phone and the second one's exact name joins them
    bridge = _lead("Harbour Photographic Supplies", phones=["(02) 9555 0101"], city="Sydney")
    batch = [*harbour, bridge, _lead("Unrelated Freight", city="Sydney")]
    result = dedupe_with_review(batch, settings=SETTINGS)
    plain = dedupe_leads(batch, settings=SETTINGS)
    assert [lead.to_dict() for lead in result.leads] == [lead.to_dict() for lead in plain]
    assert len(result.leads) == 2
    assert result.review == []


# -- term frequency of name words ---------------------------------------------------------
def test_word_swap_is_two_common_words_not_a_typo_or_a_dropped_word() -> None:
    names = (
        ["clarke tiles group"] * 4
        + ["clarke textiles group"] * 4
        + ["coastal packaging"] * 4
        + ["coaastal packaging", "ward bakery"]
        + ["ward bakery systems"] * 3
    )
    table = Table.from_columns({"name": names})
    codes, _ = table.codes("name")
    pairs = [(0, 4), (8, 12), (13, 14), (0, 1), (13, 8)]
    left = codes[[a for a, _ in pairs]]
    right = codes[[b for _, b in pairs]]
    # tiles/textiles: both on 4 records (>= 3); coaastal is on one; "ward bakery" has no
    # word of its own against "ward bakery systems"; identical names swap nothing; "ward
    # bakery" / "coastal packaging" differ in every word, all common: a swap too
    assert word_swap(table, "name", left, right, 0.001).tolist() == [
        True,
        False,
        False,
        False,
        True,
    ]
    # with a share of 1/2, four records of seventeen is no longer common
    assert not word_swap(table, "name", left, right, 0.5).any()


def test_look_alike_firms_of_a_common_vocabulary_stay_apart_unless_a_contact_agrees() -> None:
    words = ["tiles", "textiles", "timber", "tools"]
    leads = [Lead(name=f"Clarke {word} Group", city="Sydney") for word in words for _ in range(3)]
    # twelve leads, four firms; every trade word is on three leads, so a common word
    assert len(dedupe_leads(leads)) == 4
    shared = [
        *leads,
        _lead("Clarke Tiles Group", phones=["(02) 9555 0101"], city="Sydney"),
        _lead("Clarke Textiles Group", phones=["(02) 9555 0101"], city="Sydney"),
    ]
    # two more listings share a number: the guard's `unless = phone.same` lets that link
    # through, which makes the tiles and textiles listings one business; timber and tools stay
    assert len(dedupe_leads(shared)) == 3


def test_alike_names_with_a_different_phone_each_are_reviewed_not_merged() -> None:
    leads = [
        _lead("Reef Photo Studio", phones=["(07) 4051 3000"], city="Cairns"),
        _lead("Reef Photos Studio", "industry_site", phones=["(07) 4051 3999"], city="Cairns"),
    ]
    assert name_score("reef photo studio", "reef photos studio") >= 92  # the "high" level
    deduped = dedupe_with_review(leads, settings=SETTINGS)
    # names one letter apart, but each listing has its own number and nothing else agrees
    assert len(deduped.leads) == 2
    assert len(deduped.review) == 1 and "own phone" in deduped.review[0].reason
    # the same two with one shared e-mail are one business
    for lead in leads:
        lead.emails = [Email(raw="shop@reefphoto.example")]
    assert len(dedupe_leads([enrich_lead(lead, region="AU") for lead in leads])) == 1


def test_guard_only_comparisons_are_made_for_the_pairs_a_guard_could_change() -> None:
    from dedupe.compare import NULL
    from dedupe.engine import link
    from dedupe.table import lead_table

    leads = [
        _lead("Clarke Tiles Group", phones=["(07) 4051 2222"]),
        _lead("Clarke Textiles Group", phones=["(07) 4051 3333"]),  # near: a word swapped
        _lead("Harbour Photo Supplies", phones=["(07) 4051 4444"]),
        _lead("Clarke Tiles Group", phones=["(07) 4051 5555"]),
    ]
    linkage = link(lead_table(leads), SETTINGS.model)
    model = SETTINGS.model
    k = [c.name for c in linkage.comparisons].index("name_words")
    near = linkage.weight >= model.threshold - model.review_margin
    assert near.any() and (~near).any()
    assert (linkage.levels[~near, k] == NULL).all()  # far pairs: nothing a guard could change
    assert (linkage.levels[near, k] != NULL).all()
