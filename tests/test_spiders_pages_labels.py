"""Labels and labelled values: "Label: value", a label above its value, the next label cuts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages.labels import (
    ADDRESS_LABEL_RE,
    ANY_LABEL_RE,
    COMPANY_LABEL_RE,
    EMAIL_LABEL_RE,
    NOT_PHONE_RE,
    PERSON_LABEL_RE,
    PHONE_LABEL_RE,
    POSTCODE_LABEL_RE,
    PRODUCTS_LABEL_RE,
    REGISTRATION_LABEL_RE,
    _case_blind,
    find_labelled,
    normalise,
    phone_label,
    raw_value,
    words,
)


def test_phone_label_is_canonical_for_english_and_verbatim_for_chinese() -> None:
    assert phone_label("Telephone No.: ") == "tel"
    assert phone_label("Facsimile ") == "fax"
    assert phone_label("传 真：") == "传真"
    assert phone_label("E-mail: ") == ""


def test_find_labelled_cuts_value_at_next_label() -> None:
    text = "公司地址：江苏·南通市工农路445号宏信大厦五楼 邮编：226001"
    assert find_labelled(text, ADDRESS_LABEL_RE) == [
        ("公司地址", "江苏·南通市工农路445号宏信大厦五楼")
    ]


def test_find_labelled_reads_value_on_next_line() -> None:
    assert find_labelled("Address:\n12 Market Street", ADDRESS_LABEL_RE) == [
        ("Address", "12 Market Street")
    ]


def test_normalise_folds_full_width_forms() -> None:
    assert normalise("电话：０７５５－８８８８　１２３４") == "电话:0755-8888 1234"


@given(st.text(max_size=60))
def test_normalise_keeps_the_length_so_offsets_point_into_the_page(text: str) -> None:
    assert len(normalise(text)) == len(text)


@settings(max_examples=500)
@given(
    st.text(
        alphabet=st.sampled_from(
            [*"ab1 :\n电\xa0\u3000\u200b\u2013", *"\uff1a\uff10\uff08\uff09\uff41\u3001"]
        ),
        max_size=300,
    )
)
def test_normalise_is_the_translation_table(text: str) -> None:
    # a long text is folded run by run; every text as translate() folds it
    from spiders.pages.labels import _FULLWIDTH

    assert normalise(text) == text.translate(_FULLWIDTH)


@given(
    value=st.text(
        alphabet=st.sampled_from([*"ab ,;\n\t\xa0\u3000\u200b\u200e\ufeff\u2003\x1c电"]),
        max_size=16,
    )
)
def test_raw_value_is_its_regex_definition(value: str) -> None:
    """raw_value tidies with string methods; this is what it must give."""
    invisible = re.sub("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]", "", value)
    assert raw_value(value) == re.sub(r"\s+", " ", invisible).strip(" ,;")


# --------------------------------------------------------------------------------------
# the label patterns are their definitions under re.IGNORECASE, written to be fast

_PHONE_DEFINITIONS = (
    r"toll[- ]?free|free ?phone|free ?call|numéro vert",
    r"24\s*(?:/\s*7|hours?|hrs?\.?|h)(?:\s+(?:phone|line|service|support|emergency|hotline))?",
    r"emergency",
    r"hot ?line",
    r"tel(?:e)?fax|facsimile|fax(?:\s*(?:no|number|#)\.?)?",
    r"(?<![a-z])f(?=\s*[:.]\s*[+(\d])",
    r"whats ?app",
    r"mobile(?:\s*phone)?|mob\.?(?=\s*[:.\d+])|cell(?:ular)?(?:\s*phone)?|handy"
    r"|(?<![a-z])m(?=\s*[:.]\s*[+(\d])",
    r"sales(?:\s+(?:line|phone|tel(?:ephone)?|hotline|enquiries|inquiries))?(?=\s*[:：])",
    r"sales(?=\s*\d)",
    r"tele?phone(?:\s*(?:no|number|#)\.?)?|phone(?:\s*(?:no|number|#)\.?)?|tel\.?"
    r"|ph\.?(?=\s*[:.\d+(])|call(?:\s+us)?(?:\s+(?:on|at|now))?|landline|office(?=\s*[:：])"
    r"|direct(?:\s+line|\s+dial)?|switchboard|main(?:\s+line)?(?=\s*[:：])"
    r"|(?<![a-z])[tp](?=\s*[:.]\s*[+(\d])|téléphone|telefon|teléfono",
    r"传\s*真(?:号码)?|傳\s*真",
    r"手\s*机(?:号码)?|手\s*機|移动电话|移動電話",
    r"(?:服务|服務|销售|銷售|业务|業務|咨询|諮詢|客服|招商|订购|訂購|投诉|售后|售後|全国|全國)?"
    r"热\s*线|熱\s*線",
    r"400\s*电话|800\s*电话",
    r"(?:客服|售后|售後|销售|銷售|业务|業務|咨询|諮詢|订购|訂購|联系|聯系|聯繫|办公|辦公|公司|总机|"
    r"總機|值班|前台|采购|採購)?\s*电\s*话|電\s*話",
    r"座\s*机|固\s*话|总\s*机|總\s*機",
    r"客\s*服",
)
_DEFINITIONS = {
    "phone": "|".join(f"(?P<l{i}>{pat})" for i, pat in enumerate(_PHONE_DEFINITIONS)),
    "not phone": (
        r"icp|备\s*案|备|證|证|公网安|公安|许可证|許可證|经营许可|營業執照|营业执照|执照|"
        r"统一社会信用代码|信用代码|注册号|註冊號|注册资本|税号|稅號|纳税人|组织机构代码|"
        r"邮\s*编|邮政编码|郵編|郵遞區號|postcode|post\s*code|postal\s*code|zip(?:\s*code)?|plz|"
        r"cep|pin\s*code|abn|acn|arbn|vat|gst(?:in)?|tax|ein|tin|cin|crn|siret|siren|ust-?id|kvk|"
        r"company\s*(?:reg(?:istration)?\.?\s*)?(?:no|number|#)|registration|"
        r"registered\s+(?:no|number|in)|reg\.?\s*no|qq|微信号|wechat\s*id|skype|icq|"
        r"order|invoice|sku|model|型号|型號|货号|貨號|item|part\s*(?:no|number|#)|"
        r"art(?:icle)?\.?\s*no|ref(?:erence)?\.?\s*no|"
        r"isbn|issn|patent|专利|lot|batch|serial|s/n|price|价格|價格|单价|"
        r"[£$€¥￥₹]|rmb|usd|eur|gbp|cny|"
        r"lat(?:itude)?|lng|lon(?:gitude)?|coordinates|坐标|"
        r"account|账号|帐号|账户|bank|开户|银行|iban|swift|bic|sort\s*code"
    ),
    "email": (
        r"e-?mail|email\s*address|mail(?=\s*[:：])|邮\s*箱|郵\s*箱|电子邮件|電子郵件|电子信箱|电邮|"
        r"電郵|邮件|郵件|信箱|courriel"
    ),
    "address": (
        r"(?:公司|联系|聯系|聯繫|通讯|通訊|办公|辦公|工厂|工廠|厂|廠|注册|註冊|详细|詳細|经营|總部|总部|"
        r"生产|生產)?地\s*址"
        r"|(?:mailing|postal|office|business|street|registered|physical|company|head\s*office|"
        r"factory|shipping)?\s*address(?:es)?"
        r"|registered\s+office|head\s+office|(?:find|visit)\s+us(?=\s*(?:[:：]|$))|our\s+location|"
        r"location(?=\s*[:：])|(?<![a-z])add(?:r)?\.?(?=\s*[:：])|adresse|anschrift|dirección|"
        r"indirizzo"
    ),
    "postcode": (
        r"邮\s*编|邮政编码|郵編|郵遞區號|post\s*code|postal\s*code|zip(?:\s*code)?|plz|pin\s*code"
    ),
    "person": (
        r"联\s*系\s*人(?:姓名)?|聯\s*系\s*人|聯\s*繫\s*人|负\s*责\s*人|負\s*責\s*人|法定代表人|法人代表|"
        r"业务员|業務員|销售代表|销售经理|客户经理|联系人员|姓\s*名|"
        r"contact\s*(?:person|name)|contact(?=\s*[:：])|attn\.?|attention|"
        r"(?<![a-z])name(?=\s*[:：])|ansprechpartner|persona\s+de\s+contacto"
    ),
    "registration": (
        r"统一社会信用代码|統一社會信用代碼|社会信用代码|营业执照(?:注册)?号|注册号|註冊號|工商注册号|"
        r"company\s*(?:registration\s*)?(?:no|number)\.?|"
        r"registered\s+(?:in\s+[a-z ]+?\s+)?(?:no|number)\.?|"
        r"(?<!vat )(?<!tax )registration\s*(?:no|number)\.?|crn|abn|acn|cin|handelsregister|hrb"
    ),
    "company": (
        r"公司名称|公司名稱|单位名称|單位名稱|企业名称|企業名稱|公司全称|公司全稱|厂名|厂家名称|供应商|"
        r"company\s*name|company(?=\s*[:：])|business\s*name|firm(?=\s*[:：])|"
        r"organi[sz]ation(?=\s*[:：])"
    ),
}
_DEFINITIONS["products"] = (
    r"主营产品|主营业务|主营项目|主营|主要产品|经营产品|main\s+products?|products?(?:\s*&\s*services)?"
    r"(?=\s*[:：])|services?(?=\s*[:：])|categories(?=\s*[:：])|we\s+(?:sell|supply|offer)"
)
_DEFINITIONS["any"] = (
    "|".join(
        f"(?:{_DEFINITIONS[kind]})"
        for kind in ("phone", "email", "address", "postcode", "person", "registration", "company")
    )
    + r"|网\s*址|網\s*址|website|web(?=\s*[:：])|url(?=\s*[:：])|qq|微\s*信|wechat|skype"
)
_PATTERNS = {
    "phone": PHONE_LABEL_RE,
    "not phone": NOT_PHONE_RE,
    "email": EMAIL_LABEL_RE,
    "address": ADDRESS_LABEL_RE,
    "postcode": POSTCODE_LABEL_RE,
    "person": PERSON_LABEL_RE,
    "registration": REGISTRATION_LABEL_RE,
    "company": COMPANY_LABEL_RE,
    "products": PRODUCTS_LABEL_RE,
    "any": ANY_LABEL_RE,
}
_LABEL_WORDS = words(
    """
    toll-free toll free freephone free call numéro vert 24/7 24 hours 24h 24hrs. emergency
    hotline hot line telefax telfax facsimile fax fax no. f whatsapp mobile mobile phone mob.
    cell cellular phone handy m sales sales line sales telephone tel telephone phone #
    telephone number ph. call us on landline office direct line direct dial switchboard main
    line t p téléphone telefon teléfono
    icp postcode post code postal code zip code plz cep pin code abn acn arbn vat gstin tax
    ein tin cin crn siret siren ust-id kvk company reg. no registration number registered in
    no reg. no qq wechat id skype icq order invoice sku model item part article ref.
    reference isbn issn patent lot batch serial s/n price £ $ € ¥ ￥ ₹ rmb usd eur gbp cny
    lat latitude lng lon longitude coordinates account bank iban swift bic sort code
    e-mail email email address mail courriel mailing postal business street physical head
    factory shipping address addresses find visit us our location add addr. adresse anschrift
    dirección indirizzo contact person contact name attn. attention name ansprechpartner
    persona de contacto handelsregister hrb firm organisation organization website web url
    main products product services service & categories we sell supply offer
    传真 傳 真 号码 手机 手機 移动电话 移動電話 业务热线 服務 热线 熱線 400电话 800 电话 客服电话
    電話 座机 固话 总机 總機 客服 备案 备 證 证 公网安 许可证 营业执照 执照 统一社会信用代码 注册号
    邮编 邮政编码 郵編 微信号 型号 专利 价格 坐标 账号 银行 邮箱 郵 箱 电子邮件 电邮 信箱 地址
    公司地址 公司 联系 地 址 联系人 联 系 人 姓名 聯繫人 负责人 法定代表人 业务员 销售经理 姓 名
    營業執照注册号 工商注册号 公司名称 單位名稱 厂名 供应商 网址 網 址 微信
    主营产品 主营 主要产品 经营产品 项目
    """
)
_ODD_LETTERS = str.maketrans({"i": "ı", "I": "İ", "s": "ſ", "k": "\u212a", "K": "\u212a"})
_FULL_WIDTH = str.maketrans({cp: cp + 0xFEE0 for cp in range(0x21, 0x7F)})
_SPELL = st.sampled_from(
    [
        str,
        str.upper,
        str.title,
        lambda w: w.translate(_ODD_LETTERS),
        lambda w: w.upper().translate(_ODD_LETTERS),
        lambda w: w.translate(_FULL_WIDTH),
    ]
)
_LABEL_TEXT = st.lists(
    st.one_of(
        st.builds(lambda word, spell: spell(word), st.sampled_from(_LABEL_WORDS), _SPELL),
        st.sampled_from(
            [*" :：.,/+(#-\n\t", "  ", "\u3000", "0", "12", "ab", "İ", "ı", "ſ", "\u212a"]
        ),
    ),
    max_size=12,
).map("".join)


@pytest.mark.parametrize("kind", list(_PATTERNS))
@settings(max_examples=400, deadline=None)
@given(text=_LABEL_TEXT)
def test_label_patterns_are_their_case_blind_definitions(kind: str, text: str) -> None:
    """Same matches (spans and groups) as the definition under re.IGNORECASE, from search,
    match and fullmatch: the label patterns spell out what the flag takes for a letter."""
    pattern, definition = _PATTERNS[kind], re.compile(_DEFINITIONS[kind], re.IGNORECASE)
    assert pattern.groupindex == definition.groupindex

    def found(m: re.Match[str] | None) -> object:
        return m and (m.span(), m.groups())

    assert [found(m) for m in pattern.finditer(text)] == [
        found(m) for m in definition.finditer(text)
    ]
    for at in range(len(text)):
        assert found(pattern.match(text, at)) == found(definition.match(text, at))
    assert found(pattern.fullmatch(text.strip())) == found(definition.fullmatch(text.strip()))


def test_case_blind_refuses_an_alternative_it_cannot_spell() -> None:
    with pytest.raises(ValueError, match="holds letters"):
        _case_blind(r"(?<![a-z])name")


@pytest.mark.parametrize("kind", list(_PATTERNS))
@settings(max_examples=300, deadline=None)
@given(text=_LABEL_TEXT)
def test_find_labelled_reads_the_lines_a_read_of_every_line_does(kind: str, text: str) -> None:
    """Only the lines holding a label's piece are read: what reading them all finds."""
    from unittest import mock

    from spiders.pages import labels

    pattern = _PATTERNS[kind]
    found = find_labelled(text, pattern)
    with mock.patch.object(labels, "label_lines", lambda norm, regex: None):
        assert found == find_labelled(text, pattern)
