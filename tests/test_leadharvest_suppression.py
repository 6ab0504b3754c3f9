"""The suppression (do-not-contact) list: keys, matching, the CLI, and exports honouring it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exports.jsonl import write_jsonl
from leadharvest.items import Email, Lead, Person, Phone
from leadharvest.store import Store, SuppressionEntry
from leadharvest.suppression import (
    SuppressionValueError,
    apply_suppression,
    lead_keys,
    normalise_key,
    normalise_regid,
)
from tests.cli_support import run_cli as _cli
from tests.cli_support import user_error
from tests.services import postgres_schema_url


@pytest.mark.parametrize(
    ("value", "kind", "region", "expected"),
    [
        ("Sales@Brightlens-Optics.EXAMPLE", None, "", ("email", "sales@brightlens-optics.example")),
        (
            "mailto:trade@kestrel-camera.example",
            None,
            "",
            ("email", "trade@kestrel-camera.example"),
        ),
        ("+61 2 5550 1234", None, "", ("phone", "+61255501234")),
        ("(02) 5550 1234", None, "AU", ("phone", "+61255501234")),
        ("0755-8888 1234", None, "cn", ("phone", "+8675588881234")),
        ("https://www.foo-bar.co.uk/contact?utm_source=x", None, "", ("domain", "foo-bar.co.uk")),
        ("shop.brightlens-optics.example", None, "", ("domain", "brightlens-optics.example")),
        # a real-format unified social credit code (valid check character) is recognised
        ("9111 0000 6000 3734 1l", None, "", ("regid", "91110000600037341L")),
        ("统一社会信用代码：91110000600037341L", None, "", ("regid", "91110000600037341L")),
        ("ABN 51 824 753 556", "regid", "", ("regid", "51824753556")),
        ("brightlens-optics.example", "domain", "", ("domain", "brightlens-optics.example")),
    ],
)
def test_values_are_normalised_like_lead_values(
    value: str, kind: str | None, region: str, expected: tuple[str, str]
) -> None:
    assert normalise_key(value, kind, region=region) == expected


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("(02) 5550 1234", None, "--region"),  # a local number without its country
        ("hello", None, "cannot tell what kind"),
        ("not-an-address@", "email", "not a usable e-mail"),
        ("s***@qq.com", "email", "not a usable e-mail"),
        ("12", "phone", "not a phone number"),
        ("nothing", "domain", "not a domain"),
        ("AB-C", "regid", "not a registration id"),
        ("x@y.example", "fax", "unknown kind"),
        ("   ", None, "empty"),
    ],
)
def test_unusable_values_are_refused(value: str, kind: str | None, message: str) -> None:
    with pytest.raises(SuppressionValueError, match=message):
        normalise_key(value, kind)


def test_regid_keeps_the_id_not_its_label() -> None:
    assert normalise_regid("ABN 00 000 000 142") == "00000000142"
    assert normalise_regid("9133 0782-ma00 0000 0x") == "91330782MA0000000X"
    assert normalise_regid("注册号：4403-0110-6543-210") == "440301106543210"


def _lead(name: str, **kwargs: object) -> Lead:
    return Lead(name=name, normalized_name=name.lower(), **kwargs)  # type: ignore[arg-type]


def test_lead_keys_cover_people_and_skip_masked_and_free_mail_domains() -> None:
    lead = _lead(
        "Kestrel Camera Distributors",
        website="https://kestrel-camera.example",
        domain="kestrel-camera.example",
        registration_id="ABN 00 000 000 142",
        phones=[
            Phone(raw="(03) 5550 0188", e164="+61355500188", valid=True),
            Phone(raw="139****1234", masked=True),
        ],
        emails=[Email(raw="boss@qq.com", address="boss@qq.com", free_mail=True, valid=True)],
        people=[
            Person(
                name="Priya Raman",
                phones=[Phone(raw="0412 555 019", e164="+61412555019", valid=True)],
                emails=[
                    Email(
                        raw="Priya@trade-kestrel.example",
                        address="Priya@trade-kestrel.example",
                        valid=True,
                    )
                ],
            )
        ],
    )
    assert lead_keys(lead) == {
        ("phone", "+61355500188"),
        ("phone", "+61412555019"),
        ("email", "boss@qq.com"),
        ("email", "priya@trade-kestrel.example"),
        ("domain", "kestrel-camera.example"),
        ("domain", "trade-kestrel.example"),  # her own company's mail domain, not qq.com
        ("regid", "00000000142"),
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        with postgres_schema_url() as url:
            yield url


def test_apply_suppression_splits_and_counts(store_url: str) -> None:
    leads = [
        _lead("A", domain="a-shop.example"),
        _lead("B", phones=[Phone(raw="x", e164="+61255500001", valid=True)]),
        _lead("C", emails=[Email(raw="c@c-shop.example", address="c@c-shop.example")]),
        _lead("D", registration_id="91110000600037341L"),
        _lead("E", domain="e-shop.example"),
        _lead("F", verification="do_not_contact"),  # marked, but no key to put on the list
    ]
    db = Store(store_url)
    try:
        assert apply_suppression(leads, db).kept == leads[:5]  # an empty list: only F held
        added = db.add_suppression(
            [
                SuppressionEntry("domain", "a-shop.example"),
                SuppressionEntry("phone", "+61255500001"),
                SuppressionEntry("domain", "c-shop.example"),  # C's mail domain
                SuppressionEntry("regid", "91110000600037341L"),
                SuppressionEntry("regid", "91110000600037341L"),
            ]
        )
        assert added == 4
        shown = apply_suppression(leads, db)
        assert [lead.name for lead in shown.kept] == ["E"]
        assert [lead.name for lead in shown.suppressed] == ["A", "B", "C", "D", "F"]
    finally:
        db.close()
    # by URL too, as `export` calls it
    assert [lead.name for lead in apply_suppression(leads, store_url).kept] == ["E"]


def test_a_missing_sqlite_store_has_no_list_and_is_not_created(tmp_path: Path) -> None:
    leads = [_lead("A", domain="a-shop.example"), _lead("B", verification="do_not_contact")]
    shown = apply_suppression(leads, str(tmp_path / "none.db"))
    assert (shown.kept, shown.suppressed) == (leads[:1], leads[1:])
    assert not (tmp_path / "none.db").exists()


def test_suppress_add_list_remove(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    s = ["--store", store_url]
    assert _cli(["suppress", "add", "Trade@Kestrel-Camera.example", *s], capsys)[1] == (
        "added: email trade@kestrel-camera.example\n"
    )
    code, out, _ = _cli(["suppress", "add", "trade@kestrel-camera.example", *s], capsys)
    assert (code, out) == (0, "already listed: email trade@kestrel-camera.example\n")
    _cli(
        ["suppress", "add", "(03) 5550 0188", "--region", "AU", "--reason", "asked 1 Dec", *s],
        capsys,
    )
    _cli(["suppress", "add", "ABN 51 824 753 556", "--kind", "regid", *s], capsys)
    code, out, err = _cli(["suppress", "list", *s], capsys)
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    assert [(kind, value) for kind, value, _, _ in lines] == [
        ("email", "trade@kestrel-camera.example"),
        ("phone", "+61355500188"),
        ("regid", "51824753556"),
    ]
    assert lines[1][3] == "asked 1 Dec"
    assert "3 keys" in err
    code, out, _ = _cli(["suppress", "remove", "+61 3 5550 0188", *s], capsys)
    assert (code, out) == (0, "removed: phone +61355500188\n")
    code, _, err = _cli(["suppress", "remove", "+61 3 5550 0188", *s], capsys)
    assert code == 2 and "not on the suppression list" in err
    assert len(_cli(["suppress", "list", *s], capsys)[1].splitlines()) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["suppress", "add", "hello"],
        ["suppress", "add", "x@y.example", "--kind", "fax"],
        ["suppress", "add", "(02) 5550 1234"],
        ["suppress", "remove", "12", "--kind", "phone"],
        ["suppress", "add", "a@b.example", "--store", "notadb+nothing://x"],
    ],
)
def test_bad_suppress_input_is_one_line_and_exit_2(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    user_error(argv, capsys)


def test_export_from_a_leads_file_honours_the_store_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = [
        _lead("Kept Camera Shop", website="https://kept.example", domain="kept.example"),
        _lead("Gone Camera Shop", website="https://gone.example", domain="gone.example"),
    ]
    source = write_jsonl(leads, tmp_path / "in.jsonl")
    store = str(tmp_path / "store.db")
    _cli(["suppress", "add", "https://www.gone.example/contact", "--store", store], capsys)
    out_file = tmp_path / "out.csv"
    code, out, _ = _cli(
        ["export", "--input", str(source), "--store", store, "-f", "csv", "-o", str(out_file)],
        capsys,
    )
    assert code == 0
    assert "1 lead left out: on the suppression list" in out
    text = out_file.read_text(encoding="utf-8-sig")
    assert "Kept Camera Shop" in text and "Gone Camera Shop" not in text


def test_customer_file_commands_have_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["import", "--help"],
        ["suppress", "--help"],
        ["suppress", "add", "--help"],
        ["suppress", "list", "--help"],
        ["suppress", "remove", "--help"],
        ["purge", "--help"],
    ):
        code, out, _ = _cli(argv, capsys)
        assert code == 0 and "Usage" in out, argv


def test_review_pairs_naming_a_suppressed_lead_are_left_out_too() -> None:
    from leadharvest.items import ReviewPair
    from leadharvest.suppression import Suppressed

    kept, gone = _lead("Kept", lead_id="L1"), _lead("Gone", lead_id="L2")
    other = _lead("Other", lead_id="L3")
    pairs = [
        ReviewPair("L1", "Kept", "L2", "Gone", 90.0, "similar name"),
        ReviewPair("L1", "Kept", "L3", "Other", 88.0, "similar name"),
    ]
    assert Suppressed(kept=[kept, other], suppressed=[gone]).pairs(pairs) == pairs[1:]
    assert Suppressed(kept=[kept, gone, other]).pairs(pairs) == pairs
