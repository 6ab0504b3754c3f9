"""Grading: thresholds, the rules that fire, reasons in both languages, config validation."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from leadharvest.grading import RULE_NAMES, GradingRules, grade_leads, score_lead
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
    ],
)
def test_bad_config_names_the_key(change: Any, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        GradingRules.from_dict(_broken(change), origin="grading.toml")
    assert f"grading.toml: {key}:" in str(info.value)


def test_load_from_a_file_reports_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "grading.toml"
    bad.write_text("[thresholds]\nA = 80\nB = 60\nC = 40\n[rules]\nphone = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"grading\.toml: rules\.phone"):
        GradingRules.load(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[rules\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        GradingRules.load(broken)
