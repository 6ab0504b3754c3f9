"""Grading: thresholds, the rules that fire, reasons in both languages, config validation."""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from leadharvest.grading import (
    RULE_NAMES,
    GradingRules,
    Tiers,
    TiersError,
    grade_leads,
    last_fetched,
    score_lead,
)
from leadharvest.items import Email, Evidence, Lead, Person, Phone
from leadharvest.settings import ConfigError, load_toml

JO = "jo@cairnstoys.example.com.au"


def _rules() -> GradingRules:
    return GradingRules.load()


def _mobile() -> Phone:
    return Phone(raw="0412 345 678", e164="+61412345678", type="mobile", valid=True)


def _landline() -> Phone:
    return Phone(raw="(07) 4051 1234", e164="+61740511234", type="landline", valid=True)


def _evidence(*sources: str) -> list[Evidence]:
    return [
        Evidence(source=s, method="search_engine", url=f"https://{s}.example/") for s in sources
    ]


def _strong_lead() -> Lead:
    return Lead(
        name="Cairns Toy Wholesale Pty Ltd",
        products="toy wholesale and distribution",
        website="https://cairnstoys.example.com.au",
        domain="cairnstoys.example.com.au",
        phones=[_landline(), _mobile()],
        emails=[
            Email(
                raw="jo@cairnstoys.example.com.au",
                address="jo@cairnstoys.example.com.au",
                valid=True,
            )
        ],
        people=[Person(name="Jo Citizen", title="Buyer")],
        evidence=_evidence("duckduckgo", "yellowpages_com_au", "industry"),
        business_type="wholesaler_distributor",
        relevance=1.0,
    )


def test_shipped_rules_load_and_are_complete() -> None:
    rules = _rules()
    assert set(rules.points) == set(RULE_NAMES)
    assert rules.thresholds["A"] > rules.thresholds["B"] > rules.thresholds["C"]
    assert "批发" in rules.seller_words
    assert "求购" in rules.buyer_words


def test_strong_lead_gets_a_with_every_rule_explained() -> None:
    rules = _rules()
    lead = _strong_lead()
    result = score_lead(lead, rules=rules, target_types=("wholesaler_distributor",))
    assert result.grade == "A"
    assert result.score == 100.0  # every positive rule fired; clamped at 100
    assert result.reasons[0].startswith("A: ")
    assert "direct mobile" in result.reasons[0]
    assert "sells the product" in result.reasons[0]
    body = "\n".join(result.reasons[1:])
    assert f"+{rules.points['mobile']:g} mobile number (+61412345678)" in body
    assert "+10 named contact person (Jo Citizen)" in body
    assert "personal e-mail address (jo@cairnstoys.example.com.au)" in body
    assert "found on 3 distinct sources" in body
    assert "wholesale (seller)" in body
    assert "business type is a target (wholesaler_distributor)" in body
    # score_lead is pure: the lead is untouched
    assert lead.grade == "" and lead.score == 0.0


def test_score_is_the_sum_of_the_reasons_points() -> None:
    lead = Lead(
        name="Shop",
        phones=[_landline()],
        emails=[Email(raw="info@shop.example", address="info@shop.example", role=True, valid=True)],
        relevance=0.6,
        evidence=_evidence("a", "b"),
    )
    result = score_lead(lead, rules=_rules())
    points = [float(reason.split(" ", 1)[0]) for reason in result.reasons[1:]]
    assert result.score == pytest.approx(sum(points))
    assert any("only a role e-mail address (info@shop.example)" in r for r in result.reasons)
    assert not any("personal e-mail" in r for r in result.reasons)


def test_thresholds_decide_the_grade() -> None:
    rules = GradingRules.from_dict(
        {
            **load_toml("grading.toml"),
            "thresholds": {"A": 90, "B": 40, "C": 20},
        }
    )
    assert rules.grade_for(90) == "A"
    assert rules.grade_for(89.9) == "B"
    assert rules.grade_for(40) == "B"
    assert rules.grade_for(39.9) == "C"
    assert rules.grade_for(20) == "C"
    assert rules.grade_for(19.9) == "D"
    assert rules.grade_for(0) == "D"


def test_b_lead_summary_names_the_missing_contact() -> None:
    lead = Lead(
        name="Toys Direct",
        products="toys",
        website="toysdirect.example.com",
        phones=[_mobile()],
        relevance=1.0,
        evidence=_evidence("a", "b"),
    )
    result = score_lead(lead, rules=_rules())
    # 15 phone + 10 mobile + 5 website + 25 relevance + 5 corroboration = 60
    assert result.score == 60.0
    assert result.grade == "B"
    assert (
        result.reasons[0] == "B: sells the product; direct mobile; has a website; no named contact"
    )


def test_masked_only_and_no_contact_penalties() -> None:
    rules = _rules()
    masked = Lead(name="玩具批发部", masked=True, phones=[Phone(raw="139****1234", masked=True)])
    result = score_lead(masked, rules=rules)
    assert result.grade == "D"
    assert any(r.startswith("-15 only masked contacts") for r in result.reasons)
    assert "contacts masked" in result.reasons[0]

    nothing = Lead(name="Ghost Co", relevance=1.0)
    result = score_lead(nothing, rules=rules)
    assert result.score == 0.0  # 25 relevance - 30 no contact, clamped at zero
    assert any(r.startswith("-30 no usable phone") for r in result.reasons)
    assert "no contact details" in result.reasons[0]


def test_a_shared_switchboard_earns_no_contact_points() -> None:
    rules = _rules()
    line = Phone(raw="1300 975 708", e164="+611300975708", type="shared_cost", valid=True)
    own = Lead(name="Own Line Pty Ltd", relevance=1.0, phones=[line])
    shared_line = Phone(**{**line.__dict__, "shared": True})
    listed = Lead(name="Listed Pty Ltd", relevance=1.0, phones=[shared_line])
    own_result = score_lead(own, rules=rules)
    shared_result = score_lead(listed, rules=rules)
    assert any(r.startswith("+15 valid phone") for r in own_result.reasons)
    assert not any(r.startswith("+15 valid phone") for r in shared_result.reasons)
    assert any(
        r.startswith("-20 only contacts that many other companies list too (+611300975708)")
        for r in shared_result.reasons
    )
    assert "only shared contacts" in shared_result.reasons[0]
    assert shared_result.score == own_result.score - 15 - 20
    zh = score_lead(listed, rules=rules, lang="zh")
    assert "仅有共用联系方式" in zh.reasons[0]


def test_invalid_or_unchecked_phone_earns_nothing_and_javascript_is_no_website() -> None:
    lead = Lead(
        name="X",
        website="javascript:alert(1)",
        phones=[Phone(raw="12", valid=False)],
    )
    result = score_lead(lead, rules=_rules())
    assert not any("phone number" in r and r.startswith("+") for r in result.reasons)
    assert not any("own website" in r for r in result.reasons)


def test_buyer_intent_in_chinese_and_english() -> None:
    rules = _rules()
    zh = score_lead(Lead(name="某公司", products="求购数码相机"), rules=rules, lang="zh")
    assert any("意向关键词：求购（买方）" in r for r in zh.reasons)
    en = score_lead(Lead(name="Acme", description="We are importers of cameras"), rules=rules)
    assert any("intent word: importer (buyer)" in r for r in en.reasons)
    # Latin words match at a word start only: "reimport" is not "import"
    none = score_lead(Lead(name="Acme", description="reimported goods"), rules=rules)
    assert not any("intent word" in r for r in none.reasons)


def test_corroboration_is_capped() -> None:
    rules = _rules()
    lead = Lead(name="Acme", evidence=_evidence(*(f"s{i}" for i in range(10))))
    result = score_lead(lead, rules=rules)
    expected = rules.points["corroboration"] * (rules.max_sources - 1)
    assert f"+{expected:g} found on 10 distinct sources" in result.reasons


def test_type_fit_only_with_target_types() -> None:
    rules = _rules()
    lead = Lead(name="Acme", business_type="manufacturer")
    assert not any("target" in r for r in score_lead(lead, rules=rules).reasons[1:])
    fit = score_lead(lead, rules=rules, target_types=("manufacturer",))
    assert any("business type is a target" in r for r in fit.reasons)
    miss = score_lead(lead, rules=rules, target_types=("retailer",))
    assert not any("business type is a target" in r for r in miss.reasons)


def test_grade_leads_sets_fields_in_chinese() -> None:
    leads = grade_leads([_strong_lead()], lang="zh")
    lead = leads[0]
    assert lead.grade == "A"
    assert lead.score == 95.0  # no target types given: type_fit cannot fire
    assert lead.grade_reasons[0].startswith("A：")
    assert "有手机号" in lead.grade_reasons[0]
    assert any("手机号码（+61412345678）" in r for r in lead.grade_reasons)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        grade_leads([Lead(name="x")], lang="fr")


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(load_toml("grading.toml"))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d["rules"].update(phnoe=5), "rules.phnoe"),
        (lambda d: d["rules"].pop("mobile"), "rules.mobile"),
        (lambda d: d["rules"].update(mobile="ten"), "rules.mobile"),
        (lambda d: d["rules"].update(mobile=True), "rules.mobile"),
        (lambda d: d["rules"].update(no_contact=30), "rules.no_contact"),
        (lambda d: d["rules"].update(website=-5), "rules.website"),
        (lambda d: d["thresholds"].update(A=150), "thresholds.A"),
        (lambda d: d["thresholds"].update(E=5), "thresholds.E"),
        (lambda d: d["thresholds"].pop("C"), "thresholds.C"),
        (lambda d: d["thresholds"].update(A=10), "thresholds"),
        (lambda d: d["corroboration"].update(max_sources=0), "corroboration.max_sources"),
        (lambda d: d["intent"].update(buyer="buy"), "intent.buyer"),
        (lambda d: d.update(extra={}), "extra"),
        (lambda d: d.pop("rules"), "rules"),
        (lambda d: d["rules"].update(stale=5), "rules.stale"),
        (lambda d: d["rules"].pop("aging"), "rules.aging"),
        (lambda d: d["freshness"].update(aging_days=0), "freshness.aging_days"),
        (lambda d: d["freshness"].update(stale_days="a year"), "freshness.stale_days"),
        (lambda d: d["freshness"].update(stale_days=30), "freshness"),
        (lambda d: d["freshness"].update(fresh_days=7), "freshness.fresh_days"),
    ],
)
def test_bad_config_names_the_key(change: Any, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        GradingRules.from_dict(_broken(change), origin="grading.toml")
    assert f"grading.toml: {key}:" in str(info.value)
    assert "\n" not in str(info.value)  # the CLI prints it as one line


def test_load_from_a_file_reports_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "grading.toml"
    bad.write_text("[thresholds]\nA = 80\nB = 60\nC = 40\n[rules]\nphone = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"grading\.toml: rules\.phone"):
        GradingRules.load(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[rules\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        GradingRules.load(broken)


# -- data freshness ------------------------------------------------------------------------
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def _b_lead(fetched: datetime) -> Lead:
    """15 phone + 10 mobile + 5 website + 25 relevance + 5 corroboration = 60 points (B)."""
    return Lead(
        name="Toys Direct",
        products="toys",
        website="toysdirect.example.com",
        phones=[_mobile()],
        relevance=1.0,
        evidence=[
            Evidence(source=s, method="search_engine", url=f"https://{s}.example/", fetched_at=t)
            for s, t in (("a", fetched - timedelta(days=30)), ("b", fetched))
        ],
    )


def test_fresh_data_costs_nothing() -> None:
    result = score_lead(_b_lead(NOW - timedelta(days=3)), rules=_rules(), now=NOW)
    assert result.score == 60.0 and result.grade == "B"
    assert not any("fetched" in r or "old" in r for r in result.reasons)


def test_aging_and_stale_data_lose_points_and_say_so() -> None:
    rules = _rules()
    # the newest evidence counts: one page 230 days old, the other 200 days old
    aging = score_lead(_b_lead(NOW - timedelta(days=200)), rules=rules, now=NOW)
    assert aging.score == 60.0 + rules.points["aging"]
    assert "-5 data last fetched 200 days ago (2024-12-12)" in aging.reasons
    assert "data getting old" in aging.reasons[0]

    stale = score_lead(_b_lead(NOW - timedelta(days=400)), rules=rules, now=NOW)
    assert stale.score == 60.0 + rules.points["stale"] == 45.0
    assert stale.grade == "C"  # 45 is below B's 55: old data cost the lead its grade
    assert stale.reasons[0].startswith("C: ")
    assert "stale data" in stale.reasons[0]
    assert "-15 stale: data last fetched 400 days ago (2024-05-26)" in stale.reasons
    assert not any("getting old" in r for r in stale.reasons)  # stale replaces aging

    zh = score_lead(_b_lead(NOW - timedelta(days=400)), rules=rules, now=NOW, lang="zh")
    assert "-15 数据已过时：最近抓取于400 天前（2024-05-26）" in zh.reasons
    assert "数据已过时" in zh.reasons[0]


def test_the_age_limits_are_exclusive_and_configurable() -> None:
    rules = _rules()
    at_limit = score_lead(_b_lead(NOW - timedelta(days=rules.aging_days)), rules=rules, now=NOW)
    assert at_limit.score == 60.0
    strict = GradingRules.from_dict(
        {**load_toml("grading.toml"), "freshness": {"aging_days": 10, "stale_days": 20}}
    )
    assert score_lead(_b_lead(NOW - timedelta(days=15)), rules=strict, now=NOW).score == 55.0


def test_last_seen_dates_a_lead_without_evidence() -> None:
    seen = NOW - timedelta(days=500)
    lead = Lead(name="Acme", phones=[_landline()], last_seen=seen)
    assert last_fetched(lead) == seen
    assert any("500 days ago" in r for r in score_lead(lead, rules=_rules(), now=NOW).reasons)
    assert last_fetched(Lead(name="undated")) is None


# -- grading by share ----------------------------------------------------------------------
def _ranked_leads(n: int) -> list[Lead]:
    """n leads whose scores differ: a phone (15) plus relevance i/n of 25 points."""
    leads = [
        Lead(name=f"Shop {i:03d}", lead_id=f"L{i:03d}", phones=[_landline()], relevance=i / n)
        for i in range(n)
    ]
    random.Random(5).shuffle(leads)
    return leads


def test_tiers_split_100_leads_exactly_1_4_15_80() -> None:
    leads = grade_leads(_ranked_leads(100), tiers=Tiers.parse("1,4,15,80"), now=NOW)
    assert len({lead.score for lead in leads}) == 100
    by_grade: dict[str, set[str]] = {}
    for lead in leads:
        by_grade.setdefault(lead.grade, set()).add(lead.lead_id)
    # relevance rises with the number, so the highest numbers are the best leads
    assert by_grade["A"] == {"L099"}
    assert by_grade["B"] == {f"L{i:03d}" for i in range(95, 99)}
    assert by_grade["C"] == {f"L{i:03d}" for i in range(80, 95)}
    assert by_grade["D"] == {f"L{i:03d}" for i in range(80)}
    best = next(lead for lead in leads if lead.grade == "A")
    assert best.grade_reasons[0].startswith("A (top 1% by score): ")
    some_b = next(lead for lead in leads if lead.grade == "B")
    assert some_b.grade_reasons[0].startswith("B (next 4% by score): ")
    some_d = next(lead for lead in leads if lead.grade == "D")
    assert some_d.grade_reasons[0].startswith("D (bottom 80% by score): ")


def test_tiers_ignore_the_thresholds() -> None:
    # every score here is below C's threshold (35 at most 15 + 25 * 0.9 = 37.5, mostly less)
    leads = grade_leads(_ranked_leads(10), tiers=Tiers.parse("10,20,30,40"), now=NOW)
    assert sorted(lead.grade for lead in leads) == ["A", "B", "B", "C", "C", "C"] + ["D"] * 4
    plain = grade_leads(_ranked_leads(10), now=NOW)
    assert {lead.grade for lead in plain} <= {"C", "D"}


def test_ties_are_broken_by_the_stable_key_whatever_the_order() -> None:
    tiers = Tiers.parse("10,20,30,40")
    expected = {"L00": "A", "L01": "B", "L02": "B", "L03": "C", "L04": "C", "L05": "C"}
    for seed in range(3):
        leads = [Lead(name="Same", lead_id=f"L{i:02d}", phones=[_landline()]) for i in range(10)]
        random.Random(seed).shuffle(leads)
        graded = {lead.lead_id: lead.grade for lead in grade_leads(leads, tiers=tiers, now=NOW)}
        assert {k: v for k, v in graded.items() if v != "D"} == expected


def test_tier_reasons_in_chinese() -> None:
    leads = grade_leads(_ranked_leads(100), tiers=Tiers.parse("1,4,15,80"), lang="zh", now=NOW)
    best = next(lead for lead in leads if lead.grade == "A")
    assert best.grade_reasons[0].startswith("A（得分前 1%）：")


@pytest.mark.parametrize(
    ("text", "shares"),
    [
        ("1,4,15,80", (1, 4, 15, 80)),
        (" 1% , 4%, 15% ,80% ", (1, 4, 15, 80)),
        ("0.5,4.5,15,80", (Fraction(1, 2), Fraction(9, 2), 15, 80)),
        ("0,0,0,100", (0, 0, 0, 100)),
    ],
)
def test_tiers_parse(text: str, shares: tuple[Any, ...]) -> None:
    assert Tiers.parse(text).shares == tuple(Fraction(s) for s in shares)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,4,15", "four percentages"),
        ("1,4,15,80,0", "four percentages"),
        ("", "four percentages"),
        ("1,4,15,81", "add up to 100, not 101"),
        ("a,4,15,80", "A share 'a' is not a number"),
        ("1,4,,80", "C share '' is not a number"),
        ("1,4,nan,80", "not a number"),
        ("-1,5,16,80", "must not be negative"),
    ],
)
def test_bad_tiers_are_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(TiersError, match=message) as info:
        Tiers.parse(text)
    assert "\n" not in str(info.value)


def test_tier_counts_always_add_up() -> None:
    tiers = Tiers.parse("1,4,15,80")
    for n in range(300):
        counts = tiers.counts(n)
        assert sum(counts) == n and min(counts) >= 0
    # 1% of 7 leads is 0.07 of a lead and 20% (A to C) is 1.4: rounded, one C and six D
    assert tiers.counts(7) == (0, 0, 1, 6)
    assert tiers.counts(1000) == (10, 40, 150, 800)
    assert tiers.counts(150) == (2, 6, 22, 120)  # boundaries 1.5→2, 7.5→8, 30, 150
