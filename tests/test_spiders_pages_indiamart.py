"""IndiaMART cards: the product name read from the card's marks is the query it replaced."""

from __future__ import annotations

import pytest

from spiders.pages.base import Page
from spiders.pages.indiamart import _PRODUCT, _cards, _links_text, _paragraphs_text, _text

CARDS = [
    # a title and a name apart
    '<div class="producttitle"><a>Baby <b>Carrier</b></a> x</div><p class="prd-name">Bag</p>',
    # a name that is the title's link, or inside it
    '<div class="producttitle"><span><a class="cardlinks prd-name">Child Bag</a></span></div>',
    '<div class="producttitle"><a><span class="prd-name">In <i>link</i></span> tail</a></div>',
    # a name inside the title but outside its link: only its text under the link is shared
    '<div class="producttitle"><span class="prd-name">Name <a>Link</a></span></div>',
    # a title inside a name, a name inside a name, one element with both classes
    '<div class="prd-name">Outer <div class="producttitle"><a>Inner</a></div></div>',
    '<div class="prd-name">A <span class="prd-name">B</span> C</div>'
    '<div class="producttitle"><a>T</a></div>',
    '<div class="producttitle prd-name"><a>Both</a> text</div>',
    # the name before the title
    '<p class="prd-name">First</p><div class="producttitle"><a>Second</a></div>',
]


@pytest.mark.parametrize("inner", CARDS)
def test_product_texts_are_the_product_query(inner: str) -> None:
    html = (
        f'<html><body><div class="card" data-glid="1"><h2 class="companyname"><a href="/c">C</a>'
        f"</h2>{inner}</div></body></html>"
    )
    root = Page.from_bytes("https://dir.indiamart.com/impcat/x.html", html.encode()).root
    ((card, marks),) = _cards(root)[0].items()
    assert marks.product_text(card) == "".join(_PRODUCT(card))


TEXT_MARKUP = [
    "<div>one</div>",
    "<div></div>",
    "<div>a<!-- c -->b<?pi x?>c<b>d<i>e</i>f</b>g</div>",
    "<div><a>A <b>bold</b></a> between <p>P<a>in <a>nested</a> link</a><p>next</p></p></div>",
    "<div><p>outer <span><p>inner</p></span></p> tail <span><a>x</a></span></div>",
    "<div>" + "<span>d" * 40 + "deep" + "</span>t" * 40 + "</div>",
]


@pytest.mark.parametrize("markup", TEXT_MARKUP)
def test_text_readers_are_the_queries(markup: str) -> None:
    root = Page.from_bytes("https://a.example/", f"<html><body>{markup}</body></html>".encode())
    div = root.root.find(".//div")
    assert _text(div) == "".join(div.itertext()) == "".join(div.xpath(".//text()"))
    assert _links_text(div) == "".join(div.xpath(".//a//text()"))
    assert _paragraphs_text(div) == "".join(div.xpath(".//p//text()"))
