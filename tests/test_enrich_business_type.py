"""Business type from English and Chinese words, with the deciding words as the reason."""

from __future__ import annotations

import pytest

from enrich.business_type import classify_business


@pytest.mark.parametrize(
    ("text", "kind", "word"),
    [
        ("Brightlens Optics factory, OEM lens manufacturer", "manufacturer", "factory"),
        ("专业生产光学镜头的工厂", "manufacturer", "生产"),
        ("东莞市华强电子厂", "manufacturer", "厂"),
        ("Digital camera wholesale and distribution", "wholesaler_distributor", "wholesale"),
        ("数码相机批发 经销", "wholesaler_distributor", "批发"),
        ("Camera shop and retail store", "retailer", "retail"),
        ("数码相机零售门店", "retailer", "零售"),
        ("Import/Export trading company", "agent_trading", "trading"),
        ("深圳市明镜贸易有限公司 进出口", "agent_trading", "贸易"),
        ("Camera repair service", "service", "repair"),
        ("相机维修服务", "service", "维修"),
    ],
)
def test_types_in_both_languages(text: str, kind: str, word: str) -> None:
    found, reason = classify_business(text)
    assert found == kind
    assert reason.startswith(f"{kind}: ")
    assert f"'{word}'" in reason


def test_reason_lists_every_deciding_word() -> None:
    assert classify_business("Our factory 生产 lenses") == (
        "manufacturer",
        "manufacturer: 'factory', '生产'",
    )


def test_customer_service_does_not_make_a_service_firm() -> None:
    assert classify_business("OEM lenses. Customer service: 9-5")[0] == "manufacturer"
    assert classify_business("服务热线 400-820-8820")[0] == "unknown"


def test_nothing_known_is_unknown() -> None:
    assert classify_business("Hello world") == ("unknown", "")
    assert classify_business("") == ("unknown", "")


def test_words_match_whole_words_only() -> None:
    assert classify_business("Shopify themes")[0] == "unknown"
