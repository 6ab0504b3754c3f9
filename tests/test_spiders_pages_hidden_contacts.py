"""Contacts a directory keeps outside its card text: attributes and the embedded app state.

The synthetic pages are practice-web style (fictional businesses on .example hosts); the real
page's expected values were read from the saved HTML in ../shared/fixtures.
"""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from leadharvest.items import Lead
from spiders.pages.attributes import element_contacts
from spiders.pages.base import Page
from spiders.pages.generic import GenericPage
from spiders.pages.state import state_businesses
from tests.realpages import real_page


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def phones(lead: Lead) -> list[str]:
    return [digits(p.raw) for p in lead.phones]


def emails(lead: Lead) -> list[str]:
    return [e.raw for e in lead.emails]


def test_element_contacts_reads_named_attributes_and_links() -> None:
    el = lxml_html.fromstring(
        """<li><h3>Harbour Lens Repairs</h3>
        <a class="reveal" data-phone="(02) 5550 7788" href="#">Show number</a>
        <a href="tel:+61255507799">Call</a>
        <a href="mailto:desk@harbourlens.example?subject=Quote">E-mail</a>
        <input type="checkbox" data-email="owner@harbourlens.example" value="42">
        <span data-track-id="5550123456" data-price="1234567" data-id="99887766"></span>
        <a data-email="not an address">x</a>
        </li>"""
    )
    found = element_contacts(el)
    assert found.emails == ["desk@harbourlens.example", "owner@harbourlens.example"]
    # tracking ids and prices in other data-* attributes are never numbers to call
    assert found.phones == ["(02) 5550 7788", "+61255507799"]


REVEAL_DIRECTORY = """<html><head><title>Camera repairs in Springfield - ShopFinder</title></head>
<body><header><a href="/">ShopFinder</a><a href="mailto:help@shopfinder.example">Help</a></header>
<main><h1>Camera repairs</h1><div class="results">
 <div class="card"><h2><a href="/biz/1">Aperture Camera Repairs</a></h2>
  <p>14 Example Street, Springfield NSW 2999</p><p>Phone: (02) 5550 11**</p>
  <button class="show" data-phone="(02) 5550 1144">Show number</button>
  <input type="checkbox" data-email="fix@aperture.example"></div>
 <div class="card"><h2><a href="/biz/2">Bellows Photo Service Pty Ltd</a></h2>
  <p>2 Sample Road, Springfield NSW 2999</p>
  <a href="tel:0255502255">Call now</a></div>
 <div class="card"><h2><a href="/biz/3">Cinefix Lab</a></h2>
  <p>9 Demo Lane, Springfield NSW 2999</p><p>Phone: (02) 5550 3366</p></div>
</div></main>
<footer>ShopFinder Pty Ltd, call 1800 555 019</footer></body></html>"""


def test_reveal_buttons_and_checkbox_emails_complete_the_cards() -> None:
    result = GenericPage().parse(
        Page(url="https://www.shopfinder.example/camera-repairs", text=REVEAL_DIRECTORY)
    )
    aperture, bellows, cinefix = result.leads
    assert aperture.name == "Aperture Camera Repairs"
    # the masked number stays as printed (masked), the button's whole number is added
    assert "0255501144" in phones(aperture)
    assert emails(aperture) == ["fix@aperture.example"]
    assert phones(bellows) == ["0255502255"]
    assert phones(cinefix) == ["0255503366"]
    every = {e for lead in result.leads for e in emails(lead)}
    assert "help@shopfinder.example" not in every


def _state_page(state: dict[str, object]) -> str:
    cards = "".join(
        f"<div class='card'><h3><a href='/listing/{i}'>{name}</a></h3>"
        f"<p>{street}, Springfield QLD 4870</p><a href='tel:{tel}'>{tel}</a></div>"
        for i, (name, street, tel) in enumerate(
            [
                ("Alder Plumbing", "3 Example St", "0491 570 006"),
                ("Birch Drainage Pty Ltd", "5 Sample Rd", "0491 570 110"),
                ("Cedar Gas Fitting", "8 Demo Ave", "0491 570 156"),
            ]
        )
    )
    return (
        "<html><head><title>Plumbers - LocalBook</title></head><body>"
        f"<main><h1>Plumbers</h1>{cards}</main>"
        f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>"
        "<footer>LocalBook</footer></body></html>"
    )


STATE = {
    "loggedInUser": {"name": "Alder Plumbing", "email": "visitor@mailbox.example"},
    "footer": {"offices": [{"name": "Cedar Gas Fitting", "email": "press@localbook.example"}]},
    "search": {
        "results": [
            {
                "name": "Alder Plumbing",
                "primaryEmail": "alder@alderplumbing.example",
                "contactNumbers": [{"displayValue": "0491 570 006", "type": "MOBILE"}],
                "website": "https://alderplumbing.example/",
            },
            {
                "name": "Birch Drainage Pty Ltd",
                "emails": ["office@birch.example", {"value": "jobs@birch.example"}],
                "faxNumber": "(07) 5550 2299",
            },
            {"name": "Someone Not Listed", "email": "stray@elsewhere.example"},
        ]
    },
}


def test_the_embedded_state_completes_the_cards_of_the_same_name() -> None:
    page = Page(url="https://www.localbook.example/plumbers", text=_state_page(STATE))
    names = [b.name for b in state_businesses(page)]
    # the visitor and the site's own office are never walked into
    assert names == ["Alder Plumbing", "Birch Drainage Pty Ltd", "Someone Not Listed"]
    result = GenericPage().parse(page)
    by_name = {lead.name: lead for lead in result.leads}
    assert set(by_name) == {"Alder Plumbing", "Birch Drainage Pty Ltd", "Cedar Gas Fitting"}
    alder, birch = by_name["Alder Plumbing"], by_name["Birch Drainage Pty Ltd"]
    assert emails(alder) == ["alder@alderplumbing.example"]
    assert phones(alder) == ["0491570006"]  # the state's copy of the card's number: once
    assert alder.website == "https://alderplumbing.example/"
    assert emails(birch) == ["office@birch.example", "jobs@birch.example"]
    assert [(digits(p.raw), p.label) for p in birch.phones] == [
        ("0491570110", ""),  # the card's number, as the card shows it
        ("0755502299", "fax"),
    ]
    every = {e for lead in result.leads for e in emails(lead)}
    assert every.isdisjoint(
        {"visitor@mailbox.example", "press@localbook.example", "stray@elsewhere.example"}
    )


def test_a_broken_state_is_ignored() -> None:
    text = _state_page({}).replace("{};", "{name: 'x', broken")
    page = Page(url="https://www.localbook.example/plumbers", text=text)
    assert list(state_businesses(page)) == []
    assert len(GenericPage().parse(page).leads) == 3


@pytest.mark.realpages
def test_generic_extractor_reads_yellowpages_au_state_emails() -> None:
    page = real_page(
        "directories/yellowpages_com_au/srp_plumber_cairns__client-crawler.html",
        "https://www.yellowpages.com.au/search/listings?clue=plumber&locationClue=Cairns+QLD",
    )
    result = GenericPage().parse(page)
    by_name = {lead.name: lead for lead in result.leads}
    # the cards print no e-mail; the page state has them beside each listing's name
    assert emails(by_name["Alexander Plumbing & Draining"]) == ["mrsa50@hotmail.com"]
    assert emails(by_name["Bayview Plumbers"]) == ["bayviewplumbers@gmail.com"]
    assert emails(by_name["PWN Plumbing"]) == ["info@pwnplumbing.com.au"]
    assert "0418184428" in phones(by_name["Alexander Plumbing & Draining"])
