"""Query templates: product keyword → buyer-intent queries, validated config."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadharvest.query import parse_query
from leadharvest.settings import ConfigError
from leadharvest.templates import expand_product, load_templates


def test_expand_english_product() -> None:
    assert expand_product("camera", languages=("en",)) == [
        "buy camera",
        "camera wholesale",
        "camera distributor",
    ]


def test_expand_multi_word_product_is_a_phrase() -> None:
    out = expand_product("  digital   camera ")
    assert out[:3] == [
        'buy "digital camera"',
        '"digital camera" wholesale',
        '"digital camera" distributor',
    ]
    assert '"digital camera" 批发' in out
    for text in out:
        assert "digital camera" in parse_query(text).positive_terms()


def test_expand_chinese_product() -> None:
    out = expand_product("数码相机", languages=("zh",))
    assert out == ["求购 数码相机", "数码相机 批发", "数码相机 厂家"]
    assert parse_query(out[1]).positive_terms() == ["数码相机", "批发"]


def test_expand_default_languages_and_order() -> None:
    out = expand_product("lens")
    assert len(out) == 6
    assert out[0] == "buy lens" and out[3] == "求购 lens"
    assert expand_product("lens", languages=("zh", "en"))[0] == "求购 lens"


def test_expand_product_that_looks_like_syntax_is_quoted() -> None:
    assert expand_product("OR", languages=("en",))[0] == 'buy "OR"'
    assert expand_product('"camera"', languages=("en",))[0] == "buy camera"
    assert expand_product("-camera", languages=("en",))[1] == '"-camera" wholesale'


def test_expand_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="empty"):
        expand_product("  ")
    with pytest.raises(ValueError, match="'fr'"):
        expand_product("camera", languages=("fr",))


@pytest.fixture
def config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private config folder (load_toml caches per absolute path, so a new folder is read)."""
    monkeypatch.setenv("LEADHARVEST_CONFIG", str(tmp_path))
    yield tmp_path


def test_templates_load_from_the_repository() -> None:
    templates = load_templates()
    assert {"en", "zh"} <= set(templates)
    assert "{product} 批发" in templates["zh"]


def test_product_alone_template_is_not_quoted(config_folder: Path) -> None:
    (config_folder / "queries.toml").write_text(
        '[templates]\nen = ["{product}", "{product} OEM"]\n', encoding="utf-8"
    )
    assert expand_product("digital camera", languages=("en",)) == [
        "digital camera",
        '"digital camera" OEM',
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[templates]\nen = ["buy product"]\n', "must contain {product}"),
        ('[templates]\nen = ["buy {prodcut} {product}"]\n', "unknown placeholder {prodcut}"),
        ('[templates]\nen = ["{product} AND"]\n', "expected a term after AND"),
        ("[templates]\nen = []\n", "non-empty list"),
        ("[templates]\nen = [3]\n", "must be a string"),
        ('title = "no templates"\n', "[templates]"),
        ("[templates\n", "queries.toml"),
    ],
)
def test_malformed_templates_name_the_file(config_folder: Path, content: str, problem: str) -> None:
    (config_folder / "queries.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        expand_product("camera")
    assert "queries.toml" in str(info.value)
    assert problem in str(info.value)


def test_missing_templates_file(config_folder: Path) -> None:
    with pytest.raises(ConfigError, match=r"queries\.toml"):
        load_templates()
