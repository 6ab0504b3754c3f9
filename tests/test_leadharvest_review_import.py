"""Review decisions: the trainee's Accept / Split on the sheet's Review tab, imported back.

A practice job fills a store (SQLite and PostgreSQL); the practice web has no borderline
pair, so each test seeds two leads of its own and a review pair for the job through the
Store API. `leadharvest export --job` writes the sheet, openpyxl sets the Decision as a
trainee would, `leadharvest import` reads it. Accept merges the two stored leads; Split keeps
them apart in later runs; a tampered Review sheet is refused with nothing written.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dedupe.engine import same_business
from exports.tables import review_headers
from leadharvest.items import Email, Evidence, Lead, Phone, ReviewPair
from leadharvest.store import (
    ReviewDecision,
    Store,
    evidence,
    job_leads,
    lead_keys,
    leads,
    new_leads,
    review_decisions,
    review_pairs,
    suppression,
    survivor_order,
)
from tests.cli_support import run_cli as _cli
from tests.cli_support import user_error
from tests.services import backend_store_url
from tests.web_support import run_practice_job

JOB = "practice-review"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def practice(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A store holding the practice job; each test seeds its own pair into that job."""
    folder = tmp_path_factory.mktemp(f"review-{request.param}")
    for url in backend_store_url(request.param, folder):
        stored = run_practice_job(folder / "run", url, JOB)
        assert stored, "the practice job found no leads"
        yield url


def _lead(
    name: str,
    *,
    phones: list[str],
    domain: str = "",
    city: str = "",
    emails: tuple[str, ...] = (),
    url: str,
) -> Lead:
    return Lead(
        name=name,
        normalized_name=name.lower(),
        domain=domain,
        website=f"https://{domain}/" if domain else "",
        city=city,
        phones=[Phone(raw=p, e164=p, type="landline", valid=True) for p in phones],
        emails=[Email(raw=e, address=e, valid=True) for e in emails],
        evidence=[Evidence(source="practice_directory", method="industry_site", url=url)],
    )


def _seed_pair(url: str, tag: str, *, other_job: str = "") -> tuple[Lead, Lead]:
    """Two leads a borderline pair could name — A with a website (the stronger key), B with
    only a phone and seen a year earlier — stored apart (no shared key), plus the pair."""
    digits = f"{zlib.crc32(tag.encode()) % 10_000:04d}"
    a = _lead(
        f"{tag} Lens Supply",
        phones=["+6174051" + digits],
        domain=f"{tag.lower()}-lens.example",
        city="Cairns",
        url=f"https://{tag.lower()}-lens.example/contact",
    )
    b = _lead(
        f"{tag} Lens Supplies",
        phones=["+6174052" + digits],
        url=f"https://directory.example/{tag.lower()}",
    )
    db = Store(url)
    try:
        (stored_b,) = db.upsert_leads([b], job_id=JOB, seen_at=datetime(2025, 1, 5, tzinfo=UTC))
        (stored_a,) = db.upsert_leads([a], job_id=JOB, seen_at=datetime(2026, 2, 1, tzinfo=UTC))
        assert stored_a.lead_id != stored_b.lead_id
        if other_job:
            db.save_job(db_job(other_job), {"query": "lens"})
            db.upsert_leads([b], job_id=other_job)
        db.apply_review([(stored_a.lead_id, "unverified", "called A: no answer")], [])
        db.apply_review([(stored_b.lead_id, "verified", "called B: owner Sam")], [])
        left, right = sorted((stored_a, stored_b), key=lambda x: x.lead_id)
        pairs = db.review_pairs(JOB, decided=True)
        pair = ReviewPair(left.lead_id, left.name, right.lead_id, right.name, 90.0, "similar name")
        db.save_review_pairs(JOB, [*pairs, pair])
        return stored_a, stored_b
    finally:
        db.close()


def db_job(job_id: str) -> Any:
    from leadharvest.items import Job

    return Job(job_id=job_id, query="lens", status="finished")


def _export(url: str, path: Path, capsys: pytest.CaptureFixture[str], lang: str = "en") -> Path:
    argv = ["export", "--job", JOB, "--store", url, "-f", "xlsx", "-o", str(path)]
    code, _out, err = _cli([*argv, "--lang", lang], capsys)
    assert code == 0, err
    return path


def _review_rows(path: Path) -> list[tuple[str, str, Any]]:
    ws = load_workbook(path)["Review"]
    return [(r[0], r[2], r[6]) for r in ws.iter_rows(min_row=2, values_only=True)]


def _decide(src: Path, dst: Path, decisions: dict[frozenset[str], object]) -> Path:
    """Set the Decision cell of the rows naming these pairs, as a trainee picks from the list."""
    wb = load_workbook(src)
    ws = wb["Review"]
    header = [c.value for c in ws[1]]
    at = header.index(review_headers("zh" if "处理决定" in header else "en")[6]) + 1
    found = 0
    for row in range(2, ws.max_row + 1):
        pair = frozenset((ws.cell(row, 1).value, ws.cell(row, 3).value))
        if pair in decisions:
            ws.cell(row, at).value = decisions[pair]
            found += 1
    assert found == len(decisions), "a seeded pair is missing from the Review sheet"
    wb.save(dst)
    return dst


def _lead_ids(path: Path) -> list[str]:
    ws = load_workbook(path)["Leads"]
    header = [c.value for c in ws[1]]
    at = header.index("Lead ID")
    return [r[at] for r in ws.iter_rows(min_row=2, values_only=True)]


def test_accept_merges_the_two_stored_leads(
    practice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = practice
    a, b = _seed_pair(url, "Osprey", other_job="lens-weekly")
    sheet = _export(url, tmp_path / "exported.xlsx", capsys)
    assert any({r[0], r[1]} == {a.lead_id, b.lead_id} for r in _review_rows(sheet))
    db = Store(url)
    try:
        listed_before = db.suppression_list()
        count_before = db.count_leads()
    finally:
        db.close()

    decided = _decide(
        sheet, tmp_path / "decided.xlsx", {frozenset((a.lead_id, b.lead_id)): "Accept"}
    )
    code, out, err = _cli(["import", str(decided), "--store", url], capsys)
    assert code == 0, err
    assert "1 accepted (merged), 0 split" in out

    db = Store(url)
    try:
        # A keeps its id: a website is a stronger key than B's phone, though B is older
        assert db.get_lead(b.lead_id) is None
        merged = db.get_lead(a.lead_id)
        assert merged is not None
        assert db.count_leads() == count_before - 1
        assert {e.url for e in merged.evidence} == {
            *(e.url for e in a.evidence),
            *(e.url for e in b.evidence),
        }
        assert {p.e164 for p in merged.phones} == {p.e164 for p in [*a.phones, *b.phones]}
        # B was verified, A not: the more decided state wins; both notes are kept
        assert merged.verification == "verified"
        assert merged.notes == "called A: no answer\ncalled B: owner Sam"
        assert "merged by the trainee (review sheet decided.xlsx)" in merged.match_reasons
        assert merged.first_seen == datetime(2025, 1, 5, tzinfo=UTC)  # B's, the older
        assert b.lead_id in merged.alternates["lead_id"]
        # B's keys, job links and New mark now belong to A
        assert db.find_existing(b) == a.lead_id
        assert a.lead_id in db.job_lead_ids("lens-weekly")
        assert a.lead_id in db.new_lead_ids("lens-weekly")
        with db.engine.connect() as conn:
            for table in (lead_keys, evidence, job_leads, new_leads):
                gone = conn.execute(select(table).where(table.c.lead_id == b.lead_id)).all()
                assert gone == [], table.name
            (decision,) = conn.execute(select(review_decisions)).all()
        assert (decision.decision, decision.kept_id) == ("accept", a.lead_id)
        assert db.suppression_list() == listed_before  # keyed by contacts: untouched
    finally:
        db.close()

    again = _export(url, tmp_path / "again.xlsx", capsys)
    ids = _lead_ids(again)
    assert ids.count(a.lead_id) == 1 and b.lead_id not in ids
    assert not any(b.lead_id in (r[0], r[1]) for r in _review_rows(again))

    # the same sheet a second time: B's Leads row names a merged lead, said plainly
    code, _out, err = _cli(["import", str(decided), "--store", url], capsys)
    assert code == 2
    assert f"lead id {b.lead_id}" in err and "merged into another lead" in err


def test_split_keeps_the_pair_apart_and_out_of_later_review_sheets(
    practice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = practice
    a, b = _seed_pair(url, "Heron")
    sheet = _export(url, tmp_path / "线索.xlsx", capsys, lang="zh")
    pair = frozenset((a.lead_id, b.lead_id))
    decided = _decide(sheet, tmp_path / "分开.xlsx", {pair: "分开"})
    code, out, err = _cli(["import", str(decided), "--store", url], capsys)
    assert code == 0, err
    assert "0 accepted (merged), 1 split" in out
    db = Store(url)
    try:
        assert db.get_lead(a.lead_id) is not None and db.get_lead(b.lead_id) is not None
        assert not any({p.left_id, p.right_id} == pair for p in db.review_pairs(JOB))
        assert any({p.left_id, p.right_id} == pair for p in db.review_pairs(JOB, decided=True))
    finally:
        db.close()
    again = _export(url, tmp_path / "again.xlsx", capsys)
    assert {a.lead_id, b.lead_id} <= set(_lead_ids(again))
    assert not any({r[0], r[1]} == pair for r in _review_rows(again))
    # importing the same sheet again changes nothing and is no error
    code, out, err = _cli(["import", str(decided), "--store", url], capsys)
    assert code == 0, err
    assert "0 accepted (merged), 0 split" in out


# -- tampered Review sheets: refused, nothing written --------------------------------------
def _snapshot(url: str) -> dict[str, Any]:
    db = Store(url)
    try:
        with db.engine.connect() as conn:
            return {
                table.name: sorted(map(repr, conn.execute(select(table)).all()))
                for table in (
                    leads,
                    lead_keys,
                    evidence,
                    job_leads,
                    new_leads,
                    review_pairs,
                    review_decisions,
                    suppression,
                )
            }
    finally:
        db.close()


def _set_review(ws: Any, row: int, column: int, value: object) -> None:
    ws.cell(row, column).value = value


TAMPERS: dict[str, tuple[str, str]] = {
    "bad decision": (
        "decision:Merge",
        "decision 'Merge' is not one of Accept / Split (合并 / 分开)",
    ),
    "id from another store": ("id:L0123456789ab", "lead id L0123456789ab is not in this store"),
    "id mangled": ("id:9.1E+17", "'9.1E+17' is not a LeadHarvest lead id"),
    "pair not under review": ("other-pair", "is not a review pair of job 'practice-review'"),
    "renamed Decision header": ("header:Choice", "'Choice' is not a column"),
    "accept and split the same pair": ("twice", "decide the same pair differently"),
    "no job id": ("no-job", "the About sheet has no Job ID"),
}


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_a_tampered_review_sheet_is_refused_and_nothing_changes(
    tamper: str, practice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = practice
    a, b = _seed_pair(url, "Ibis" + "".join(c for c in tamper if c.isalpha())[:6].title())
    sheet = _export(url, tmp_path / "exported.xlsx", capsys)
    pair = frozenset((a.lead_id, b.lead_id))
    # a valid Accept on the seeded pair: a streaming import would merge before failing
    decided = _decide(sheet, tmp_path / "decided.xlsx", {pair: "Accept"})
    wb = load_workbook(decided)
    ws = wb["Review"]
    # a valid Leads edit too
    leads_ws = wb["Leads"]
    header = [c.value for c in leads_ws[1]]
    leads_ws.cell(2, header.index("Notes") + 1).value = "checked"
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 7).value == "Accept")
    kind, _, value = TAMPERS[tamper][0].partition(":")
    extra = ws.max_row + 1
    if kind == "decision":
        _set_review(ws, row, 7, value)
    elif kind == "id":
        _set_review(ws, row, 3, value)
    elif kind == "header":
        _set_review(ws, 1, 7, value)
    elif kind == "other-pair":  # two real leads of the store, but never a pair
        stranger = next(i for i in _lead_ids(sheet) if i not in pair)
        ws.append([a.lead_id, a.name, stranger, "", 80, "", "Split"])
    elif kind == "twice":
        ws.append([b.lead_id, b.name, a.lead_id, a.name, 90, "", "Split"])
    elif kind == "no-job":
        about = wb["About"]
        for cells in about.iter_rows():
            if cells[0].value == "Job ID":
                cells[1].value = None
    assert extra > row
    tampered = tmp_path / "tampered.xlsx"
    wb.save(tampered)

    before = _snapshot(url)
    line = user_error(["import", str(tampered), "--store", url], capsys)
    assert TAMPERS[tamper][1] in line
    assert line.endswith("nothing was imported")
    assert _snapshot(url) == before

    # the control: the same sheet without the tamper imports and merges
    code, out, err = _cli(["import", str(decided), "--store", url], capsys)
    assert code == 0, err
    assert "1 accepted (merged)" in out


# -- a split pair in later runs -----------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from backend_store_url(request.param, tmp_path)


P1, P2 = "+61740511111", "+61740512222"


@pytest.mark.parametrize("split", [True, False], ids=["split", "control"])
def test_a_split_pair_stays_apart_when_records_would_join_them(store_url: str, split: bool) -> None:
    """A and B are one business by dedupe's rules (same name) but share no key, so the store
    holds them apart; the trainee says Split. Records that would pull B's phone into A, or
    B's record into A, then go to the business they belong to — and without the Split (the
    control) they would not."""
    a = _lead(
        "Harbour Lens Supply",
        phones=[P1],
        domain="harbourlens.example",
        city="Cairns",
        emails=("orders@harbourlens.example",),
        url="https://harbourlens.example/",
    )
    b = _lead("Harbour Lens Supply", phones=[P2], url="https://directory.example/harbour")
    db = Store(store_url)
    try:
        db.save_job(db_job("week-1"), {"query": "lens"})
        stored_a, stored_b = db.upsert_leads([a, b], job_id="week-1")
        assert stored_a.lead_id != stored_b.lead_id
        assert same_business(stored_a, stored_b).match  # what makes the Split matter
        if split:
            pair = sorted((stored_a.lead_id, stored_b.lead_id))
            db.apply_review([], [], [ReviewDecision(pair[0], pair[1], "split", "week-1")])

        db.save_job(db_job("week-2"), {"query": "lens"})
        # a directory page listing A with both numbers
        bridge = _lead(
            "Harbour Lens Supply",
            phones=[P1, P2],
            domain="harbourlens.example",
            city="Cairns",
            url="https://another-directory.example/harbour",
        )
        (on,) = db.upsert_leads([bridge], job_id="week-2")
        assert on.lead_id == stored_a.lead_id
        with db.engine.connect() as conn:
            owners = set(
                conn.execute(select(lead_keys.c.lead_id).where(lead_keys.c.key == f"phone:{P2}"))
                .scalars()
                .all()
            )
        # B's number stays B's key when they are split; without, A takes it as well
        assert owners == ({stored_b.lead_id} if split else {stored_a.lead_id, stored_b.lead_id})

        # B's number with A's name, city and e-mail: more keys shared with A, but its
        # strongest key (the phone) is B's
        mixed = _lead(
            "Harbour Lens Supply",
            phones=[P2],
            city="Cairns",
            emails=("orders@harbourlens.example",),
            url="https://listing.example/harbour-lens",
        )
        (went,) = db.upsert_leads([mixed], job_id="week-2")
        assert went.lead_id == (stored_b.lead_id if split else stored_a.lead_id)
        (again_b,) = db.upsert_leads([b], job_id="week-2")
        assert again_b.lead_id == stored_b.lead_id
        assert db.count_leads() == 2
    finally:
        db.close()


def test_the_survivor_is_the_stronger_key_then_the_older_lead() -> None:
    old = datetime(2024, 1, 1, tzinfo=UTC)
    new = datetime(2026, 1, 1, tzinfo=UTC)
    site = _lead("Kite Optics", phones=[P1], domain="kite.example", url="https://kite.example/")
    phone_only = _lead("Kite Optics Co", phones=[P2], url="https://dir.example/kite")
    site.first_seen, phone_only.first_seen = new, old
    site.lead_id, phone_only.lead_id = "Lbbbbbbbbbbbb", "Laaaaaaaaaaaa"
    assert min((phone_only, site), key=survivor_order) is site  # domain beats age
    younger = _lead("Kite Optics Co", phones=[P1], url="https://dir.example/k2")
    younger.first_seen, younger.lead_id = new, "L000000000000"
    assert min((younger, phone_only), key=survivor_order) is phone_only  # then the older
