"""The chain guard judges a cluster by its established names, not by its one-off typos."""

from __future__ import annotations

import numpy as np

from dedupe.cluster import cluster_links, clusters_from_labels
from dedupe.compare import name_score
from dedupe.engine import DedupeSettings
from enrich.name import own_words

USUAL_A = "koninklijke philips electronics"
TYPO_A = "koninklejke filips ehlektroniks"
USUAL_B = "philips gloeilampenfabrieken"
OTHER = "canon europa"


def _two_families(
    typos: int = 1, per_family: int = 10
) -> tuple[list[str], list[tuple[int, int, float]]]:
    """Family A: ``per_family`` usual spellings and ``typos`` one-off misspellings; family B:
    ``per_family`` usual spellings. Strong links inside each family, one weak link across."""
    names = [USUAL_A] * per_family + [TYPO_A] * typos + [USUAL_B] * per_family
    a = list(range(per_family + typos))
    b = list(range(per_family + typos, len(names)))
    links = [(a[0], i, 10.0) for i in a[1:]] + [(b[0], i, 10.0) for i in b[1:]]
    links.append((a[1], b[1], 5.0))
    return names, links


def _cluster(
    names: list[str], links: list[tuple[int, int, float]], share: float, own: bool = False
) -> list[list[int]]:
    left = np.array([x for x, _, _ in links], dtype=np.int64)
    right = np.array([y for _, y, _ in links], dtype=np.int64)
    weight = np.array([w for _, _, w in links], dtype=np.float64)
    labels, _ = cluster_links(
        len(names),
        left,
        right,
        weight,
        names=names,
        min_similarity=50,
        established_share=share,
        own_words=own_words if own else None,
    )
    return clusters_from_labels(labels)


def test_the_premise_usual_spellings_are_alike_and_the_typo_is_not() -> None:
    assert name_score(USUAL_A, USUAL_B) >= 50
    assert name_score(TYPO_A, USUAL_B) < 50
    assert name_score(USUAL_A, OTHER) < 50


def test_a_one_off_typo_vetoes_the_merge_when_every_name_counts() -> None:
    names, links = _two_families()
    assert len(_cluster(names, links, share=0.0)) == 2


def test_established_names_decide_and_the_typo_stays_in_its_family() -> None:
    names, links = _two_families()
    (whole,) = _cluster(names, links, share=0.1)
    assert whole == list(range(len(names)))


def test_a_misspelling_carried_by_enough_records_is_established_and_still_vetoes() -> None:
    names, links = _two_families(typos=3)  # 3 of 13 records: over a tenth of family A
    assert len(_cluster(names, links, share=0.1)) == 2


def test_established_names_that_differ_still_keep_two_businesses_apart() -> None:
    names = [USUAL_A] * 10 + [OTHER] * 10
    links = [(0, i, 10.0) for i in range(1, 10)] + [(10, i, 10.0) for i in range(11, 20)]
    links.append((3, 13, 5.0))
    assert len(_cluster(names, links, share=0.1)) == 2


def test_single_records_have_no_established_name_so_a_chain_still_breaks() -> None:
    # each name a few letters from the next: with no spelling on two records, every name counts
    base, target = "harbour photo supplies", "mqtwkzyv jxsbq dgfnclk"
    names = [target[:i] + base[i:] for i in range(0, 23, 2)]
    links = [(i, i + 1, 8.0) for i in range(len(names) - 1)]
    clusters = _cluster(names, links, share=0.1)
    assert len(clusters) > 1
    for members in clusters:
        assert all(name_score(names[a], names[b]) >= 50 for a in members for b in members)


def _big_pair(first: str, second: str) -> tuple[list[str], list[tuple[int, int, float]]]:
    """Ten records spelt ``first``, ten spelt ``second``, one weak link between them."""
    names = [first] * 10 + [second] * 10
    links = [(0, i, 10.0) for i in range(1, 10)] + [(10, i, 10.0) for i in range(11, 20)]
    links.append((4, 14, 5.0))
    return names, links


def test_a_shared_place_does_not_make_two_firms_alike_in_their_own_words() -> None:
    assert name_score("canon europa", "sony europa") >= 50  # alike on letters alone
    names, links = _big_pair("canon europa", "sony europa")
    assert len(_cluster(names, links, share=0.1)) == 1
    assert len(_cluster(names, links, share=0.1, own=True)) == 2


def test_a_firm_and_its_division_are_alike_in_their_own_words() -> None:
    # "koninklijke philips electronics" is "philips" in its own words: contained in the other
    names, links = _big_pair(USUAL_A, USUAL_B)
    assert len(_cluster(names, links, share=0.1, own=True)) == 1


def test_names_with_no_own_words_left_are_judged_on_their_letters() -> None:
    names, links = _big_pair("international trading", "international trade")
    assert own_words("international trading") == ""
    assert len(_cluster(names, links, share=0.1, own=True)) == 1


def test_the_lead_model_judges_clusters_by_established_names_in_their_own_words() -> None:
    model = DedupeSettings.load().model
    assert model.chain_column == "name" and 0 < model.chain_established_share < 1
    assert model.chain_own_words is True
