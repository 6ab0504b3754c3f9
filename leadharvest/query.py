"""The Boolean query language: one query, honoured by every search engine and by local matching.

A trainee writes one query such as ``"digital camera" (wholesale OR distributor) -rental``.
Each engine gets it in its own dialect (``to_engine``), directories that only take keywords
get the positive terms, and every extracted lead is checked against the whole expression
locally (``matches``), so a source whose search box ignores OR or NOT still honours them.

Grammar (precedence NOT > AND > OR, like Bing and every textbook)::

    query   := or
    or      := and (("OR" | "|") and)*
    and     := unary (["AND"] unary)*          adjacent terms are ANDed
    unary   := "NOT" unary | "-" unary | "+" term | "(" or ")" | term
    term    := word | "phrase" | site:domain

Operators are upper-case ``AND``/``OR``/``NOT`` (``and``/``or`` are plain words, as on Google).
Full-width forms typed with a Chinese IME work: ``（ ）``, ``“ ”``, ``－``, ``＋``, ``｜``, the
ideographic space. Chinese needs no spaces *inside* a term; ``数码相机 批发`` is two terms.

Local matching (``matches`` / ``relevance``), both sides NFKC-normalised and case-folded:

* a Latin word matches whole, optionally with an English plural ending ``s``/``es`` (a final
  consonant+``y`` may read ``ies``): ``camera`` matches ``Cameras,``, ``battery`` matches
  ``batteries``, but ``cam`` does not match ``camera`` and ``cameras`` does not match ``camera``;
* a phrase (or a word with inner punctuation such as ``wi-fi``) matches its words in order
  with any run of spaces/punctuation between them; only the last word may take ``s``/``es``;
* Chinese/Japanese/Korean text has no word boundaries, so CJK parts match as substrings;
* ``site:`` filters are for engines, which apply them before a page is ever fetched; a lead's
  text cannot show which site it came from, so locally every ``site:x`` and every
  ``-site:x`` counts as satisfied (``site:a.com camera`` matches any text mentioning cameras).
  This is plain Boolean logic on the negation-normal form, so the rewrites the engine
  dialects need (De Morgan, distributing AND over OR) keep the local meaning exactly.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

__all__ = [
    "SYNTAXES",
    "And",
    "Node",
    "Not",
    "Or",
    "Query",
    "QuerySyntaxError",
    "Term",
    "parse_query",
    "translate",
]

SYNTAXES = ("google", "bing", "duckduckgo", "yandex", "baidu", "sogou", "plain")
"""Dialects ``Query.to_engine`` writes."""

DDG_MAX_CLAUSES = 8
"""DuckDuckGo gets OR-of-ANDs spelled out up to this many alternatives, then parentheses."""

OPERATORS = frozenset({"AND", "OR", "NOT"})


# --------------------------------------------------------------------------- errors


class QuerySyntaxError(ValueError):
    """A malformed query; ``column`` is a 0-based index into the query string."""

    def __init__(self, message: str, column: int, query: str = "") -> None:
        self.message = message
        self.column = column
        self.query = query
        super().__init__(f"query error at column {column}: {message}")

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` ("en" or "zh"): trainees who type Chinese queries should
        not have to read English to find their missing bracket."""
        if lang != "zh":
            return self.message
        for pattern, text in _ZH_MESSAGES:
            match = pattern.fullmatch(self.message)
            if match:
                return text.format(*match.groups())
        return self.message

    def pointer(self, query: str | None = None) -> str:
        """The query and a caret under the error, on two lines, for a terminal.

        CJK characters take two terminal cells, so the caret is padded by display width.
        """
        text = self.query if query is None else query
        line = re.sub(r"[\t\r\n\v\f]", " ", text)
        return f"{line}\n{' ' * display_width(line[: self.column])}^"


_ZH_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"empty query", "查询为空"),
        (r"unclosed quote", "引号没有闭合"),
        (r"empty phrase", "引号里没有内容"),
        (r"unclosed parenthesis", "括号没有闭合"),
        (r"unmatched closing parenthesis", "多了一个右括号"),
        (r"empty parentheses", "括号里没有内容"),
        (r"expected a domain after site:", "site: 后面应是一个域名"),
        (r"expected a word or phrase right after \+", "+ 后面应紧跟一个词或短语"),
        (r"expected a term right after (.+)", "{0} 后面应紧跟一个词"),
        (r"expected a term after (.+)", "{0} 后面缺少一个词"),
        (r"expected a term before (.+)", "{0} 前面缺少一个词"),
        (r"expected a term", "这里缺少一个词"),
    )
)
"""Chinese for every message the parser raises; an unknown message stays English."""


def display_width(text: str) -> int:
    """Terminal cells ``text`` occupies: wide/full-width characters 2, combining marks 0."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Term:
    """A word, a quoted phrase (``phrase``), a ``+word`` (``required``) or a ``site:`` filter."""

    value: str
    phrase: bool = False
    required: bool = False
    site: bool = False


@dataclass(frozen=True)
class Not:
    """Excludes texts where ``child`` holds (``NOT x`` and ``-x``)."""

    child: Node


@dataclass(frozen=True)
class And:
    """All children hold (written ``AND`` or just side by side)."""

    children: tuple[Node, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "children", tuple(self.children))


@dataclass(frozen=True)
class Or:
    """At least one child holds (written ``OR`` or ``|``)."""

    children: tuple[Node, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "children", tuple(self.children))


Node = Term | Not | And | Or


# --------------------------------------------------------------------------- tokenizer

OPEN_QUOTES = frozenset('"“＂')
CLOSE_QUOTES = frozenset('"”＂')
_SEPARATORS = frozenset(",;，；、")
_DELIMS = frozenset("()|")


@dataclass(frozen=True)
class _Token:
    kind: str  # TERM, LPAREN, RPAREN, AND, OR, NOT, MINUS, PLUS, EOF
    col: int
    name: str = ""  # how error messages call it: AND, |, -, (
    term: Term | None = None


def _fold(ch: str) -> str:
    """One character as its NFKC form, so full-width （ － ＋ ｜ act like ( - + |."""
    return unicodedata.normalize("NFKC", ch)


def _is_break(ch: str) -> bool:
    folded = _fold(ch)
    return (
        ch.isspace()
        or folded.isspace()
        or folded in _SEPARATORS
        or ch in _SEPARATORS
        or folded in _DELIMS
        or ch in OPEN_QUOTES
        or ch in CLOSE_QUOTES
    )


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    literal_next = False  # a word right after - or + is a term even if it spells AND/OR/NOT
    while i < n:
        ch = text[i]
        folded = _fold(ch)
        if ch.isspace() or folded.isspace() or folded in _SEPARATORS:
            i += 1
            continue
        if folded == "(":
            tokens.append(_Token("LPAREN", i, "("))
        elif folded == ")":
            tokens.append(_Token("RPAREN", i, ")"))
        elif folded == "|":
            tokens.append(_Token("OR", i, "|"))
        elif ch in OPEN_QUOTES:
            end = next((j for j in range(i + 1, n) if text[j] in CLOSE_QUOTES), -1)
            if end < 0:
                raise QuerySyntaxError("unclosed quote", i, text)
            value = " ".join(unicodedata.normalize("NFKC", text[i + 1 : end]).split())
            if not value:
                raise QuerySyntaxError("empty phrase", i, text)
            tokens.append(_Token("TERM", i, value, Term(value, phrase=True)))
            i = end + 1
            literal_next = False
            continue
        elif folded in ("-", "+") and (i == 0 or _is_break(text[i - 1]) or literal_next):
            nxt = _fold(text[i + 1]) if i + 1 < n else ""
            if not nxt or nxt.isspace() or nxt in (")", "|") or nxt in _SEPARATORS:
                raise QuerySyntaxError(f"expected a term right after {folded}", i, text)
            tokens.append(_Token("MINUS" if folded == "-" else "PLUS", i, folded))
            i += 1
            literal_next = True
            continue
        else:
            start = i
            while i < n and not _is_break(text[i]):
                i += 1
            raw = text[start:i]
            word = unicodedata.normalize("NFKC", raw)
            if word in OPERATORS and not literal_next:
                tokens.append(_Token(word, start, word))
            elif word[:5].casefold() == "site:":
                domain = word[5:].strip().lower()
                if not domain:
                    raise QuerySyntaxError("expected a domain after site:", start, text)
                tokens.append(_Token("TERM", start, word, Term(domain, site=True)))
            else:
                tokens.append(_Token("TERM", start, word, Term(word)))
            literal_next = False
            continue
        literal_next = False
        i += 1
    tokens.append(_Token("EOF", n, "end of query"))
    return tokens


# --------------------------------------------------------------------------- parser

_STARTS_OPERAND = frozenset({"TERM", "LPAREN", "NOT", "MINUS", "PLUS"})


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def fail(self, message: str, column: int) -> QuerySyntaxError:
        return QuerySyntaxError(message, column, self.text)

    def parse(self) -> Node:
        if self.peek().kind == "EOF":
            raise self.fail("empty query", 0)
        node = self.parse_or()
        tok = self.peek()
        if tok.kind == "RPAREN":
            raise self.fail("unmatched closing parenthesis", tok.col)
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and(None)]
        while self.peek().kind == "OR":
            op = self.take()
            children.append(self.parse_and(op))
        return _join(Or, children)

    def parse_and(self, after: _Token | None = None) -> Node:
        children = [self.parse_unary(after)]
        while True:
            tok = self.peek()
            if tok.kind == "AND":
                self.take()
                children.append(self.parse_unary(tok))
            elif tok.kind in _STARTS_OPERAND:
                children.append(self.parse_unary(None))
            else:
                return _join(And, children)

    def parse_unary(self, after: _Token | None) -> Node:
        tok = self.peek()
        if tok.kind not in _STARTS_OPERAND:
            if after is not None:
                raise self.fail(f"expected a term after {after.name}", after.col)
            if tok.kind in ("AND", "OR"):
                raise self.fail(f"expected a term before {tok.name}", tok.col)
            if tok.kind == "RPAREN":
                raise self.fail("unmatched closing parenthesis", tok.col)
            raise self.fail("expected a term", tok.col)  # pragma: no cover - EOF is caught above
        self.take()
        if tok.kind in ("NOT", "MINUS"):
            return Not(self.parse_unary(tok))
        if tok.kind == "PLUS":
            nxt = self.peek()
            if nxt.kind != "TERM" or nxt.term is None or nxt.term.site:
                raise self.fail("expected a word or phrase right after +", tok.col)
            self.take()
            return Term(nxt.term.value, phrase=nxt.term.phrase, required=True)
        if tok.kind == "LPAREN":
            if self.peek().kind == "RPAREN":
                raise self.fail("empty parentheses", tok.col)
            inner = self.parse_or()
            if self.peek().kind != "RPAREN":
                raise self.fail("unclosed parenthesis", tok.col)
            self.take()
            return inner
        assert tok.term is not None
        return tok.term


def _join(kind: type[And] | type[Or], children: Sequence[Node]) -> Node:
    """One node for a list of operands, flattening ``a (b c)`` into one And."""
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


# --------------------------------------------------------------------------- canonical form


def needs_quotes(term: Term) -> bool:
    v = term.value
    return (
        term.phrase
        or v in OPERATORS
        or v[:1] in "-+－＋"
        or v[:5].casefold() == "site:"
        or any(_is_break(ch) for ch in v)
    )


def _format_term(term: Term) -> str:
    if term.site:
        return f"site:{term.value}"
    body = f'"{term.value}"' if needs_quotes(term) else term.value
    return f"+{body}" if term.required else body


def _format(node: Node) -> str:
    if isinstance(node, Term):
        return _format_term(node)
    if isinstance(node, Not):
        child = node.child
        if isinstance(child, Term) and not child.required:
            return "-" + _format_term(child)
        inner = _format(child)
        return f"NOT ({inner})" if isinstance(child, And | Or) else f"NOT {inner}"
    if isinstance(node, And):
        return " ".join(
            f"({_format(c)})" if isinstance(c, Or) else _format(c) for c in node.children
        )
    return " OR ".join(_format(c) for c in node.children)


# --------------------------------------------------------------------------- local matching

_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff"
)
_CJK_RUN = f"[{_CJK}]+"
_LATIN_CLASS = rf"[^\W_{_CJK}]"  # a word character that is not CJK
_SEGMENT = re.compile(rf"{_CJK_RUN}|{_LATIN_CLASS}+")
_CJK_RE = re.compile(_CJK_RUN)


def _normalise(text: str) -> str:
    """NFKC + casefold: full-width Ｃａｍｅｒａ and Camera compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


@functools.lru_cache(maxsize=4096)
def _term_pattern(value: str) -> re.Pattern[str]:
    """The regex one term or phrase is matched with (rules in the module docstring)."""
    norm = _normalise(value)
    segments = _SEGMENT.findall(norm)
    if not segments:  # punctuation only, e.g. "&": a plain substring is all we can do
        return re.compile(re.escape(norm))
    parts: list[str] = []
    for idx, seg in enumerate(segments):
        cjk = bool(_CJK_RE.fullmatch(seg))
        if idx:
            prev_cjk = bool(_CJK_RE.fullmatch(segments[idx - 1]))
            parts.append(r"[\W_]*" if cjk or prev_cjk else r"[\W_]+")
        if cjk:
            parts.append(re.escape(seg))
        else:
            body = re.escape(seg)
            if idx == len(segments) - 1:  # English plural on the last word only
                if len(seg) > 2 and seg.endswith("y") and seg[-2] not in "aeiou":
                    body = re.escape(seg[:-1]) + "(?:y|ies)"
                else:
                    body += "(?:s|es)?"
            parts.append(rf"(?<!{_LATIN_CLASS}){body}(?!{_LATIN_CLASS})")
    return re.compile("".join(parts))


def _term_in(term: Term, norm_text: str) -> bool:
    return _term_pattern(term.value).search(norm_text) is not None


def _evaluate(nnf: Node, norm_text: str) -> bool:
    """Truth of a negation-normal-form tree; ``site:`` literals of either sign hold."""
    if isinstance(nnf, Not):
        term = nnf.child
        assert isinstance(term, Term)
        return term.site or not _term_in(term, norm_text)
    if isinstance(nnf, Term):
        return nnf.site or _term_in(nnf, norm_text)
    results = (_evaluate(c, norm_text) for c in nnf.children)
    return all(results) if isinstance(nnf, And) else any(results)


def _terms_by_polarity(node: Node, negative: bool = False) -> Iterator[tuple[Term, bool]]:
    if isinstance(node, Term):
        yield node, negative
    elif isinstance(node, Not):
        yield from _terms_by_polarity(node.child, not negative)
    else:
        for child in node.children:
            yield from _terms_by_polarity(child, negative)


def _exclusions(node: Node, negative: bool = False) -> Iterator[Node]:
    """Children of the NOT clauses that exclude (an even number of NOTs above them)."""
    if isinstance(node, Not):
        if not negative:
            yield node.child
        yield from _exclusions(node.child, not negative)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _exclusions(child, negative)


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        seen.setdefault(v.casefold(), v)
    return list(seen.values())


# --------------------------------------------------------------------------- engines


def _nnf(node: Node, negate: bool = False) -> Node:
    """Negation pushed down to single terms (De Morgan), since engines only know ``-term``."""
    if isinstance(node, Term):
        return Not(node) if negate else node
    if isinstance(node, Not):
        return _nnf(node.child, not negate)
    kids = [_nnf(c, negate) for c in node.children]
    flip = isinstance(node, And) == negate  # And→Or, Or→And under negation
    return _join(Or if flip else And, kids)


def _dnf(node: Node) -> list[list[Node]]:
    """OR of AND-clauses of literals, for engines without grouping (node must be in NNF)."""
    if isinstance(node, Or):
        return [clause for c in node.children for clause in _dnf(c)]
    if isinstance(node, And):
        clauses: list[list[Node]] = [[]]
        for child in node.children:
            clauses = [left + right for left in clauses for right in _dnf(child)]
            if len(clauses) > DDG_MAX_CLAUSES:
                raise OverflowError
        return clauses
    return [[node]]


@dataclass(frozen=True)
class _Dialect:
    or_sep: str
    required: str  # "plus": +word; "quote": "word"


_DIALECTS = {
    "google": _Dialect(" OR ", "quote"),  # Google dropped "+word"; quotes mean "exactly this"
    "bing": _Dialect(" OR ", "plus"),
    "duckduckgo": _Dialect(" OR ", "plus"),
    "yandex": _Dialect(" | ", "plus"),
    "baidu": _Dialect(" | ", "quote"),
    "sogou": _Dialect(" | ", "quote"),
}


def _engine_term(term: Term, dialect: _Dialect) -> str:
    if term.site:
        return f"site:{term.value}"
    quoted = term.phrase or (term.required and dialect.required == "quote") or needs_quotes(term)
    body = f'"{term.value}"' if quoted else term.value
    return f"+{body}" if term.required and dialect.required == "plus" else body


def _engine_order(node: Node) -> int:
    literal = node.child if isinstance(node, Not) else node
    if isinstance(literal, Term) and literal.site:
        return 2
    return 1 if isinstance(node, Not) else 0


def _render(node: Node, dialect: _Dialect) -> str:
    if isinstance(node, Term):
        return _engine_term(node, dialect)
    if isinstance(node, Not):
        assert isinstance(node.child, Term)
        return "-" + _engine_term(node.child, dialect)
    if isinstance(node, And):
        # words first, then -words, then site: ("-rental camera" reads badly; Baidu wants a
        # space before "-", which a leading -term would not have)
        ordered = sorted(node.children, key=_engine_order)
        return " ".join(
            f"({_render(c, dialect)})" if isinstance(c, Or) else _render(c, dialect)
            for c in ordered
        )
    assert isinstance(node, Or)
    # Google binds OR tighter than AND, Bing the other way: bracket every AND inside an OR
    return dialect.or_sep.join(
        f"({_render(c, dialect)})" if isinstance(c, And) else _render(c, dialect)
        for c in node.children
    )


# --------------------------------------------------------------------------- Query


class Query:
    """A parsed query: the original text, its tree, and what each consumer needs from it."""

    def __init__(self, text: str, ast: Node) -> None:
        self.text = text
        self.ast = ast
        self._nnf_of: tuple[Node, Node] | None = None

    def _nnf(self) -> Node:
        if self._nnf_of is None or self._nnf_of[0] is not self.ast:
            self._nnf_of = (self.ast, _nnf(self.ast))
        return self._nnf_of[1]

    @classmethod
    def from_ast(cls, ast: Node) -> Query:
        """A query built in code; ``text`` is its canonical form."""
        return cls(_format(ast), ast)

    def __str__(self) -> str:
        """Canonical form: parsing it gives the same tree (operators upper-case, ASCII quotes)."""
        return _format(self.ast)

    def __repr__(self) -> str:
        return f"Query({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Query) and self.ast == other.ast

    def __hash__(self) -> int:
        return hash(self.ast)

    def positive_terms(self) -> list[str]:
        """Terms not excluded by a NOT, in order, de-duplicated (case-insensitively).

        Phrases come without quotes and ``site:`` filters are left out: this is what a
        keyword-only directory search box gets.
        """
        return _unique(t.value for t, neg in _terms_by_polarity(self.ast) if not neg and not t.site)

    def negative_terms(self) -> list[str]:
        """Terms under an odd number of NOTs (``-rental``, ``NOT (a b)``), without ``site:``."""
        return _unique(t.value for t, neg in _terms_by_polarity(self.ast) if neg and not t.site)

    def sites(self) -> list[str]:
        """Domains of the positive ``site:`` filters, for sources that can restrict by site."""
        return _unique(t.value for t, neg in _terms_by_polarity(self.ast) if not neg and t.site)

    def to_engine(self, syntax: str) -> str:
        """The query in one engine's dialect (see ``translate``)."""
        if syntax == "plain":
            return " ".join(self.positive_terms())
        dialect = _DIALECTS.get(syntax)
        if dialect is None:
            raise ValueError(f"unknown query syntax {syntax!r}; choose one of {SYNTAXES}")
        nnf = self._nnf()
        if syntax == "duckduckgo":
            try:
                clauses = _dnf(nnf)
            except OverflowError:
                return _render(nnf, dialect)
            rendered = [_render(_join(And, list(dict.fromkeys(c))), dialect) for c in clauses]
            return " OR ".join(dict.fromkeys(rendered))
        return _render(nnf, dialect)

    def matches(self, text: str) -> bool:
        """Whether ``text`` (a lead's ``.text()``) satisfies the whole expression."""
        return _evaluate(self._nnf(), _normalise(text))

    def relevance(self, text: str) -> float:
        """How well ``text`` fits, 0..1, for grading.

        Rule: 0.0 when any excluding NOT clause holds in the text (``-rental`` and "rental" is
        there; ``NOT (used camera)`` and both are there). Otherwise the query's own structure
        scores it: a term is 1 when present, AND is the mean of its parts, OR the best of its
        alternatives (``"digital camera" OR 数码相机`` is fully met by either one). It is
        independent of ``matches``: a lead missing one of three ANDed terms still scores 2/3.
        """
        norm = _normalise(text)
        if any(not _evaluate(_nnf(clause, True), norm) for clause in _exclusions(self.ast)):
            return 0.0
        if not self.positive_terms():
            return 1.0
        return _score(self.ast, norm)


def _score(node: Node, norm: str) -> float:
    """Graded truth of a node (see ``Query.relevance``); NOT parts are left to the caller."""
    if isinstance(node, Term):
        return 1.0 if node.site or _term_in(node, norm) else 0.0
    if isinstance(node, Or):
        return max((_score(child, norm) for child in node.children), default=0.0)
    if isinstance(node, And):
        parts = [_score(child, norm) for child in node.children if not isinstance(child, Not)]
        return sum(parts) / len(parts) if parts else 1.0
    return 1.0


def parse_query(text: str) -> Query:
    """Parse a query; a malformed one raises ``QuerySyntaxError`` pointing at the problem."""
    return Query(text, _Parser(text).parse())


def translate(query: str | Query, syntax: str) -> str:
    """``query`` written for one engine.

    Dialects: ``google``/``bing``/``duckduckgo`` write phrases in quotes, ``OR``, ``-term`` and
    implicit AND; ``yandex`` writes ``|`` for OR; ``baidu``/``sogou`` write ``|`` for OR and put
    a space before every ``-term``. NOT is pushed down to single terms (``NOT (a OR b)`` becomes
    ``-a -b``) because ``-`` only applies to one term. Every AND inside an OR is bracketed, so
    Google (OR binds tighter) and Bing (AND binds tighter) read the same thing.
    ``+word`` stays ``+word`` where the engine knows it and becomes ``"word"`` elsewhere.
    DuckDuckGo handles brackets poorly, so ``a (b OR c)`` is spelled out as ``a b OR a c``
    (its Bing back end binds AND tighter than OR); past ``DDG_MAX_CLAUSES`` alternatives the
    brackets are kept rather than sending a huge query. Every lead is re-checked with
    ``matches`` anyway. ``plain`` is the positive terms joined by spaces, for directories.
    """
    q = parse_query(query) if isinstance(query, str) else query
    return q.to_engine(syntax)
