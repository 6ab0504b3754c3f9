"""The Boolean query language: parsing, errors, engine dialects, local matching, templates."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadharvest import query as query_module
from leadharvest.query import (
    And,
    Node,
    Not,
    Or,
    Query,
    QuerySyntaxError,
    Term,
    parse_query,
    translate,
)


def ast(text: str) -> Node:
    return parse_query(text).ast


A, B, C, D = Term("a"), Term("b"), Term("c"), Term("d")


# --------------------------------------------------------------------------- parsing


def test_adjacent_terms_are_anded() -> None:
    assert ast("digital camera") == And((Term("digital"), Term("camera")))
    assert ast("a AND b") == ast("a b")


def test_single_term_is_not_wrapped() -> None:
    assert ast("camera") == Term("camera")


def test_operators_are_case_sensitive_upper_case() -> None:
    assert ast("a or b") == And((A, Term("or"), B))
    assert ast("a and b") == And((A, Term("and"), B))
    assert ast("not a") == And((Term("not"), A))
    assert ast("a OR b") == Or((A, B))


def test_precedence_not_over_and_over_or() -> None:
    assert ast("a OR b c") == Or((A, And((B, C))))
    assert ast("a b OR c") == Or((And((A, B)), C))
    assert ast("a AND b OR c AND d") == Or((And((A, B)), And((C, D))))
    assert ast("NOT a b") == And((Not(A), B))
    assert ast("a OR NOT b c") == Or((A, And((Not(B), C))))


def test_parentheses_group() -> None:
    assert ast("(a OR b) c") == And((Or((A, B)), C))
    assert ast("NOT (a OR b)") == Not(Or((A, B)))
    assert ast("((a))") == A
    assert ast("a (b c)") == And((A, B, C))


def test_pipe_is_or() -> None:
    assert ast("a | b") == Or((A, B))
    assert ast("a|b") == Or((A, B))


def test_minus_plus_and_phrases() -> None:
    assert ast('-rental -"second hand"') == And(
        (Not(Term("rental")), Not(Term("second hand", phrase=True)))
    )
    assert ast("+camera") == Term("camera", required=True)
    assert ast('+"digital camera"') == Term("digital camera", phrase=True, required=True)
    assert ast("-(a OR b)") == Not(Or((A, B)))
    assert ast("--a") == Not(Not(A))
    assert ast("-AND") == Not(Term("AND"))  # right after "-", a word is always a word


def test_inner_hyphen_is_part_of_the_word() -> None:
    assert ast("e-commerce wi-fi") == And((Term("e-commerce"), Term("wi-fi")))


def test_phrase_whitespace_is_collapsed() -> None:
    assert ast('"digital    camera"') == Term("digital camera", phrase=True)


def test_site_is_its_own_term_kind() -> None:
    assert ast("camera site:Example.com") == And((Term("camera"), Term("example.com", site=True)))
    assert ast("-site:ebay.com") == Not(Term("ebay.com", site=True))


def test_chinese_terms_are_split_on_spaces_only() -> None:
    assert ast("数码相机 批发") == And((Term("数码相机"), Term("批发")))
    assert ast("数码相机　批发") == ast("数码相机 批发")  # ideographic space
    assert ast("数码相机，批发、厂家") == And((Term("数码相机"), Term("批发"), Term("厂家")))


def test_full_width_punctuation() -> None:
    q = parse_query("（数码相机 OR “单反 相机”） 批发 －二手")
    assert q.ast == And(
        (
            Or((Term("数码相机"), Term("单反 相机", phrase=True))),
            Term("批发"),
            Not(Term("二手")),
        )
    )
    assert ast("ＣＡＭＥＲＡ") == Term("CAMERA")
    assert ast("a ＯＲ b") == Or((A, B))


def test_canonical_str() -> None:
    q = parse_query("“Digital camera”  AND (wholesale | distributor)  NOT rental")
    assert str(q) == '"Digital camera" (wholesale OR distributor) -rental'
    assert parse_query(str(q)).ast == q.ast
    assert q.text == "“Digital camera”  AND (wholesale | distributor)  NOT rental"
    assert str(parse_query("NOT (a b) NOT +c")) == "NOT (a b) NOT +c"
    assert str(Query.from_ast(Term("OR"))) == '"OR"'


def test_positive_and_negative_terms() -> None:
    q = parse_query('"digital camera" (wholesale OR Camera) -rental NOT (used camera) site:x.com')
    assert q.positive_terms() == ["digital camera", "wholesale", "Camera"]
    assert q.negative_terms() == ["rental", "used", "camera"]
    assert q.sites() == ["x.com"]
    assert parse_query("NOT NOT a -b").positive_terms() == ["a"]
    assert parse_query("a A a").positive_terms() == ["a"]


# --------------------------------------------------------------------------- errors

ERRORS = [
    ("camera AND", 7, "expected a term after AND"),
    ("camera OR", 7, "expected a term after OR"),
    ("camera NOT", 7, "expected a term after NOT"),
    ("OR camera", 0, "expected a term before OR"),
    ("(AND camera)", 1, "expected a term before AND"),
    ("a AND OR b", 2, "expected a term after AND"),
    ("a ||", 2, "expected a term after |"),
    ("", 0, "empty query"),
    ("   ", 0, "empty query"),
    ("()", 0, "empty parentheses"),
    ("a ( )", 2, "empty parentheses"),
    ("-", 0, "expected a term right after -"),
    ("camera - rental", 7, "expected a term right after -"),
    ("+", 0, "expected a term right after +"),
    ("+(a b)", 0, "expected a word or phrase right after +"),
    ("(camera", 0, "unclosed parenthesis"),
    ("a (b (c)", 2, "unclosed parenthesis"),
    ("camera)", 6, "unmatched closing parenthesis"),
    (")", 0, "unmatched closing parenthesis"),
    ('buy "digital camera', 4, "unclosed quote"),
    ('""', 0, "empty phrase"),
    ("site:", 0, "expected a domain after site:"),
    ("（数码相机", 0, "unclosed parenthesis"),
]


@pytest.mark.parametrize(("text", "column", "message"), ERRORS)
def test_malformed_queries_raise_with_column(text: str, column: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.column, err.message) == (column, message)
    assert str(err) == f"query error at column {column}: {message}"
    assert "\n" not in str(err)
    first, caret = err.pointer(text).split("\n")
    assert first == text
    assert caret == " " * column + "^"  # ASCII-only queries: one cell per character


def test_pointer_counts_wide_characters_as_two_cells() -> None:
    text = "数码“相机 批发"
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    assert info.value.column == 2
    assert info.value.pointer(text) == "数码“相机 批发\n    ^"
    assert info.value.pointer() == info.value.pointer(text)


def test_pointer_after_full_width_text() -> None:
    text = "数码相机 AND"
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    assert info.value.column == 5
    assert info.value.pointer(text).split("\n")[1] == " " * 9 + "^"


def test_pointer_keeps_the_query_on_one_line() -> None:
    text = "a\tAND"
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    assert info.value.pointer(text) == "a AND\n  ^"


# --------------------------------------------------------------------------- engines

SAMPLE = '"digital camera" (wholesale OR distributor) -rental site:example.com'


@pytest.mark.parametrize(
    ("syntax", "expected"),
    [
        ("google", '"digital camera" (wholesale OR distributor) -rental site:example.com'),
        ("bing", '"digital camera" (wholesale OR distributor) -rental site:example.com'),
        (
            "duckduckgo",
            '"digital camera" wholesale -rental site:example.com'
            ' OR "digital camera" distributor -rental site:example.com',
        ),
        ("yandex", '"digital camera" (wholesale | distributor) -rental site:example.com'),
        ("baidu", '"digital camera" (wholesale | distributor) -rental site:example.com'),
        ("sogou", '"digital camera" (wholesale | distributor) -rental site:example.com'),
        ("plain", "digital camera wholesale distributor"),
    ],
)
def test_each_engine_syntax(syntax: str, expected: str) -> None:
    assert parse_query(SAMPLE).to_engine(syntax) == expected
    assert translate(SAMPLE, syntax) == expected


def test_and_inside_or_is_bracketed_for_every_engine() -> None:
    # Google binds OR tighter than AND, Bing the other way: brackets make both agree
    q = parse_query("a b OR c")
    assert q.to_engine("google") == "(a b) OR c"
    assert q.to_engine("baidu") == "(a b) | c"
    assert q.to_engine("duckduckgo") == "a b OR c"  # DNF already, Bing precedence


def test_negations_are_pushed_to_single_terms() -> None:
    assert translate("camera NOT (rental OR repair)", "google") == "camera -rental -repair"
    assert translate("camera NOT (used lens)", "bing") == "camera (-used OR -lens)"
    assert translate("NOT NOT camera", "google") == "camera"


def test_baidu_puts_a_space_before_minus() -> None:
    out = translate("-二手 数码相机 批发", "baidu")
    assert out == "数码相机 批发 -二手"
    assert re.search(r"\S-", out) is None


def test_required_terms_per_engine() -> None:
    assert translate("+camera lens", "google") == '"camera" lens'
    assert translate("+camera lens", "bing") == "+camera lens"
    assert translate("+camera lens", "yandex") == "+camera lens"
    assert translate("+camera lens", "baidu") == '"camera" lens'
    assert translate('+"digital camera"', "duckduckgo") == '+"digital camera"'


def test_operator_words_are_quoted_for_engines() -> None:
    assert translate("-AND camera", "google") == 'camera -"AND"'


def test_duckduckgo_keeps_brackets_when_expansion_is_too_big() -> None:
    q = parse_query("(a OR b) (c OR d) (e OR f) (g OR h)")  # 16 alternatives
    assert q.to_engine("duckduckgo") == "(a OR b) (c OR d) (e OR f) (g OR h)"


def test_unknown_syntax_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown query syntax 'altavista'"):
        translate("camera", "altavista")


def test_translate_accepts_a_parsed_query() -> None:
    assert translate(parse_query("a OR b"), "yandex") == "a | b"


# --------------------------------------------------------------------------- local matching


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("camera", "Camera, lens", True),
        ("camera", "We sell CAMERAS.", True),
        ("box", "gift boxes", True),
        ("battery", "lithium batteries", True),
        ("cam", "camera", False),
        ("cameras", "camera", False),
        ("camera", "camcorder", False),
        ("camera", "minicamera", False),
        ('"digital camera"', "Digital-Camera wholesale", True),
        ('"digital camera"', "digital\n  cameras", True),
        ('"digital camera"', "digital video camera", False),
        ('"digital camera"', "digitalcamera", False),
        ("wi-fi", "Wi Fi router", True),
        ("数码相机", "深圳市数码相机批发有限公司", True),
        ("数码相机", "数码 相机", False),
        ('"数码 相机"', "数码相机", True),
        ("camera", "ＣＡＭＥＲＡ ＳＨＯＰ", True),
        ("Ｃａｍｅｒａ", "camera", True),
        ("camera", "数码camera批发", True),
        ("USB数据线", "usb 数据线 厂家", True),
        ("a OR b", "b", True),
        ("a b", "b", False),
        ("camera -rental", "camera rental", False),
        ("camera -rental", "camera shop", True),
        ("camera NOT (used lens)", "used camera", True),
        ("camera NOT (used lens)", "used camera lens", False),
        ("camera site:example.com", "camera", True),
        ("camera -site:example.com", "camera", True),
        ("site:a.com OR site:b.com", "anything", True),
        ("-site:a.com", "", True),
        ("(site:a.com OR camera) lens", "lens", True),
        ("-camera (camera OR site:a.com)", "", True),
        ("and", "black and white", True),
    ],
)
def test_matches(query: str, text: str, expected: bool) -> None:
    assert parse_query(query).matches(text) is expected


def test_relevance_follows_the_query_structure() -> None:
    q = parse_query('"digital camera" (wholesale OR distributor) -rental')
    assert q.relevance("digital camera wholesale distributor") == 1.0
    # one alternative of the OR is enough
    assert q.relevance("Digital Cameras wholesale") == 1.0
    assert q.relevance("digital camera shop") == pytest.approx(1 / 2)
    assert q.relevance("nothing here") == 0.0
    assert q.relevance("digital camera wholesale rental") == 0.0
    assert parse_query("a b c").relevance("a b") == pytest.approx(2 / 3)
    either = parse_query('("digital camera" OR 数码相机) -rental')
    assert either.relevance("数码相机批发") == 1.0
    assert either.relevance("we sell digital cameras") == 1.0


def test_relevance_not_clause_zeroes_only_when_whole_clause_holds() -> None:
    q = parse_query("camera NOT (used lens)")
    assert q.relevance("used camera") == 1.0
    assert q.relevance("used camera lens") == 0.0


def test_relevance_without_positive_terms() -> None:
    assert parse_query("-rental").relevance("camera") == 1.0
    assert parse_query("-rental").relevance("rental") == 0.0


# --------------------------------------------------------------------------- templates


# --------------------------------------------------------------------------- properties

LATIN_WORDS = ["camera", "lens", "digital", "box"]
CJK_WORDS = ["数码", "相机", "批发"]
VOCAB = [
    *(Term(w) for w in LATIN_WORDS),
    *(Term(w) for w in CJK_WORDS),
    Term("digital camera", phrase=True),
    Term("数码 相机", phrase=True),
    Term("lens", required=True),
    Term("example.com", site=True),
]
TEXT_PIECES = [
    *LATIN_WORDS,
    "cameras",
    "Camera",
    "CAMERAS",
    "cam",
    "lenses",
    "boxes",
    "boxy",
    "Ｄｉｇｉｔａｌ",
    *CJK_WORDS,
    "数码相机",
    "rental",
]


def nodes() -> st.SearchStrategy[Node]:
    leaves = st.sampled_from(VOCAB)

    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        group = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(children.map(Not), group.map(lambda c: And(c)), group.map(lambda c: Or(c)))

    return st.recursive(leaves, extend, max_leaves=8)


texts = st.lists(
    st.tuples(st.sampled_from(TEXT_PIECES), st.sampled_from([" ", ", ", "-", "", "\n", "_"])),
    max_size=8,
).map(lambda parts: "".join(p + sep for p, sep in parts))


def reference(node: Node, text: str) -> bool:
    """Slow, obvious evaluation: words and CJK runs listed, then compared one by one.

    A ``site:`` filter holds whatever its sign: it yields "true" under an even number of NOTs
    and "false" under an odd number, which the NOT above it turns back into true.
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    runs = re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]+", norm)
    squeezed = "".join(ch for ch in norm if "\u4e00" <= ch <= "\u9fff" or ch.isalnum())

    def term(t: Term, negated: bool) -> bool:
        if t.site:
            return not negated
        words = t.value.casefold().split()
        if all("\u4e00" <= ch <= "\u9fff" for w in words for ch in w):
            return "".join(words) in squeezed
        *head, last = words
        forms = {last, last + "s", last + "es"}
        return any(
            runs[i : i + len(head)] == head and runs[i + len(head)] in forms
            for i in range(len(runs) - len(head))
        )

    def walk(n: Node, negated: bool = False) -> bool:
        if isinstance(n, Term):
            return term(n, negated)
        if isinstance(n, Not):
            return not walk(n.child, not negated)
        values = [walk(c, negated) for c in n.children]
        return all(values) if isinstance(n, And) else any(values)

    return walk(node)


@settings(deadline=None, max_examples=300)
@given(nodes(), st.lists(texts, min_size=1, max_size=4))
def test_canonical_form_is_stable_and_matching_agrees_with_reference(
    node: Node, samples: list[str]
) -> None:
    canonical = str(Query.from_ast(node))
    q = parse_query(canonical)
    assert str(q) == canonical
    for text in samples:
        assert q.matches(text) is reference(node, text), text


@settings(deadline=None, max_examples=200)
@given(nodes(), st.lists(texts, min_size=1, max_size=4))
def test_engine_translations_mean_the_same_as_the_query(node: Node, samples: list[str]) -> None:
    q = Query.from_ast(node)
    for syntax in ("google", "bing", "duckduckgo", "yandex", "baidu", "sogou"):
        back = parse_query(q.to_engine(syntax))
        for text in samples:
            assert back.matches(text) is q.matches(text), (syntax, text)


def test_module_exports_its_public_names() -> None:
    for name in query_module.__all__:
        assert hasattr(query_module, name)


@pytest.mark.parametrize(
    "query",
    [
        '"camera',
        '""',
        "camera AND",
        "AND camera",
        "(camera",
        "camera )",
        "()",
        "+ camera",
        "site:",
        "",
        "-",
    ],
)
def test_every_parser_message_has_chinese(query: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query)
    zh = info.value.message_in("zh")
    assert zh != info.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert info.value.message_in("en") == info.value.message
