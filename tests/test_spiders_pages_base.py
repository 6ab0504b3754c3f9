"""Helpers every page object uses: site block markers."""

from __future__ import annotations

from spiders.pages.base import marker_reason

MARKERS = (("x5secdata", "slider captcha"), ("安全验证", "security check (安全验证)"))


def test_marker_reason_finds_the_first_marker_whatever_the_case() -> None:
    assert marker_reason("<script>var X5SecData = 1</script>", MARKERS) == "slider captcha"
    assert marker_reason("<title>百度安全验证</title>", MARKERS) == "security check (安全验证)"


def test_marker_reason_is_empty_without_a_marker() -> None:
    assert marker_reason("<p>Kestrel cameras</p>", MARKERS) == ""
