"""The source catalogue: every configured source is valid and tested on a saved page."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadharvest.archive import ArchiveIndex
from leadharvest.practice import archive_path
from spiders.pages import catalogue, source_for_url
from spiders.pages.base import PageParser
from tests.realpages import real_page_path

TESTS = Path(__file__).resolve().parent


def _test_sources() -> str:
    """Test code and expected outputs (tests/expected/**.json name their fixture)."""
    files = [*TESTS.glob("test_*.py"), *(TESTS / "expected").rglob("*.json")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_source_has_a_fixture_that_a_test_reads(name: str) -> None:
    src = catalogue()[name]
    fixtures = src.extra.get("fixtures") or []
    assert fixtures, (
        f"config/sources/{name}.toml lists no fixtures: add a saved page and its expected output"
    )
    assert isinstance(src.parser_instance(), PageParser)
    practice = ArchiveIndex.load(archive_path())
    tests_text = _test_sources()
    for fixture in fixtures:
        if fixture.startswith("api:"):
            recorded = TESTS / "fixtures" / "api" / f"{fixture[4:]}.json"
            assert src.api, f"{name}: api: fixtures are for official API sources"
            assert recorded.is_file(), f"{name}: no recorded API answer at {recorded}"
            assert recorded.stem in tests_text
        elif fixture.startswith("https://"):
            assert src.practice, f"{name}: only practice sources may use archive URLs as fixtures"
            assert fixture in practice, f"{name}: {fixture} is not in the practice archive"
            assert source_for_url(fixture) is src
        elif fixture.startswith("tests/fixtures/"):
            # a source a user added in their own clone, with the page they saved
            assert (TESTS.parent / fixture).is_file(), f"{name}: {fixture} does not exist"
            assert Path(fixture).name in tests_text, f"{name}: no test reads {fixture}"
        else:
            real_page_path(fixture)
            assert Path(fixture).name in tests_text, f"{name}: no test reads {fixture}"


def test_hosts_pick_their_source() -> None:
    for src in catalogue().values():
        for host in src.hosts:
            assert source_for_url(f"https://{host}/x").name == src.name
    assert source_for_url("https://some-company.example/contact").name == "company_website"
