"""21food (食品商务网) page object: a real error page saved as mojibake, and a contact page.

The real page is 21food's "没有找到您所要的页面" (Error 404) with the full site chrome; its GBK
bytes were decoded as Latin-1 and saved as UTF-8, so it reads "Ã»ÓÐÕÒµ½…". It must be
"no_results" / "not found" and never a lead of 21food (ICP证 浙B2-20090288-1 in its footer).
The contact page below is synthetic, about a fictional company.
"""

from __future__ import annotations

import pytest

from spiders.pages import extract_page, source_for_url
from spiders.pages.b2b import repair_mojibake
from spiders.pages.base import Page
from tests.realpages import real_page

ERROR_PAGE = (
    "b2b/21food_cn/NOT_FOUND_404_page_gbk-meta_latin1-mojibake-as-utf8_2021__worksproject.html"
)
URL = "https://www.21food.cn/company/lxfangshi.html"


def test_hosts_pick_the_source() -> None:
    assert source_for_url(URL).name == "food21"
    assert source_for_url("https://www.21food.com/showroom/1/contact.html").name == "food21"


@pytest.mark.realpages
def test_error_page_is_no_results_not_a_lead() -> None:
    result = extract_page(real_page(ERROR_PAGE, URL))
    assert (result.status, result.reason, result.source) == ("no_results", "not found", "food21")
    assert result.leads == [] and result.links == []


def test_mojibake_is_repaired() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gbk" />'
    garbled = meta + "没有找到您所要的页面".encode("gbk").decode("latin-1") * 3
    assert repair_mojibake(garbled) == meta + "没有找到您所要的页面" * 3
    assert repair_mojibake("Café au lait") == "Café au lait"  # too little to be mojibake
    assert repair_mojibake("食品商务网 Ã") == "食品商务网 Ã"  # already Chinese


def test_company_contact_page() -> None:
    html = """<html><head><title>示例食品有限公司联系方式</title></head><body>
    <div class="top">客服热线：0571-5555 0100 <a href="mailto:service@21food.cn">客服</a></div>
    <div class="contact_box"><h1>示例食品有限公司</h1><dl>
     <dt>联系人：</dt><dd>王芳 （销售经理）</dd>
     <dt>电话：</dt><dd>0571-5555 0101</dd>
     <dt>邮箱：</dt><dd>sales@shili-food.example</dd>
     <dt>地址：</dt><dd>浙江省杭州市示例路1号</dd>
    </dl></div>
    <div class="footer">食品商务网 版权所有 ICP证: 浙B2-20090288-1</div></body></html>"""
    result = extract_page(Page(url="https://www.21food.cn/company/contact-1.html", text=html))
    assert result.status == "ok"
    (lead,) = result.leads
    assert lead.name == "示例食品有限公司"
    assert [(p.raw, p.label) for p in lead.phones] == [("0571-5555 0101", "电话")]
    assert [e.raw for e in lead.emails] == ["sales@shili-food.example"]
    assert [(p.name, p.title) for p in lead.people] == [("王芳", "销售经理")]
    assert lead.address_raw == "浙江省杭州市示例路1号"


def test_accented_latin_page_is_not_taken_for_mojibake() -> None:
    french = (
        "<html><head><meta charset='iso-8859-1'></head><body>" + "Société Générale à Créteil " * 5
    )
    assert repair_mojibake(french) == french
