"""The web UI's words in English and Chinese.

Trainees learn prospecting in both languages (DOMAIN.md), so every label exists in both; the
labels the lead sheet already has (collection methods, business types, verification) are
taken from the same tables the sheet uses, so the browser and the sheet never disagree.
A missing key is a KeyError, not a silent fallback: the tests render every page in both
languages and would catch it.
"""

from __future__ import annotations

from exports.columns import (
    BUSINESS_TYPE_LABELS,
    DATA_STATUS_ZH,
    PHONE_TYPE_LABELS,
    VERIFICATION_LABELS,
)
from leadharvest.items import DATA_STATUS, METHODS, METHODS_ZH

LANGS = ("en", "zh")

MESSAGES: dict[str, tuple[str, str]] = {
    # chrome
    "app": ("LeadHarvest", "LeadHarvest 客户信息采集"),
    "jobs": ("Jobs", "任务"),
    "new_job": ("New job", "新建任务"),
    "logout": ("Log out", "退出"),
    "login": ("Log in", "登录"),
    "signed_in_as": ("Signed in as", "当前用户"),
    "language": ("Language", "语言"),
    "third_party": (
        "Every lead is unverified third-party data: check it before you contact anyone.",
        "所有线索均为未经核实的第三方数据：联系前请先核实。",
    ),
    # login
    "username": ("User name", "用户名"),
    "password": ("Password", "密码"),
    "login_failed": ("Wrong user name or password.", "用户名或密码错误。"),
    "login_throttled": (
        "Too many failed attempts for this name. Wait ten minutes, or ask your supervisor.",
        "该用户名登录失败次数过多，请十分钟后再试，或联系主管。",
    ),
    # job list
    "no_jobs": ("No jobs yet.", "还没有任务。"),
    "job": ("Job", "任务"),
    "query": ("Query", "查询"),
    "status": ("Status", "状态"),
    "started": ("Started", "开始时间"),
    "owner": ("Owner", "创建者"),
    "leads": ("Leads", "线索"),
    "mode": ("Mode", "模式"),
    # new job form
    "product": ("Product keyword(s)", "产品关键词"),
    "product_help": (
        "Separate several keywords with commas, e.g. digital camera, 数码相机.",
        "多个关键词用逗号分隔，例如：digital camera, 数码相机。",
    ),
    "query_help": (
        'Proposed from the product keywords; edit it freely. Words, "phrases", AND, OR, '
        "NOT, -word, parentheses.",
        '根据产品关键词自动生成，可自行修改。支持词语、"短语"、AND、OR、NOT、-词、括号。',
    ),
    "searches": ("Search engines will be asked:", "搜索引擎将搜索："),
    "query_ok": ("Query is valid.", "查询语法正确。"),
    "query_error": ("Query error at column", "查询错误，位置：第"),
    "query_error_suffix": ("", "列"),
    "query_required": ("Type a query or a product keyword.", "请输入查询或产品关键词。"),
    "sources": ("Sources", "来源"),
    "sources_required": ("Choose at least one source.", "请至少选择一个来源。"),
    "practice_sources": ("Practice web sources", "练习网站来源"),
    "live_sources": ("Live sources", "在线来源"),
    "region": ("Region (ISO code)", "地区（ISO 代码）"),
    "region_help": (
        "Default phone region for numbers without a country code, e.g. CN, AU, GB.",
        "没有国家代码的电话号码默认所属地区，例如 CN、AU、GB。",
    ),
    "region_error": ("Region must be two letters such as CN.", "地区须为两个字母，例如 CN。"),
    "tiers": ("Grade by share (optional)", "按比例分级（可选）"),
    "tiers_help": (
        "Leave empty to grade by score thresholds, or give the shares of A, B, C and D in "
        "percent: 1,4,15,80 makes the top 1% A, the next 4% B, 15% C and the rest D.",
        "留空则按分数线分级；或填写 A、B、C、D 的百分比：1,4,15,80 表示得分最高的 1% 为 A，"
        "其后 4% 为 B，15% 为 C，其余为 D。",
    ),
    "tiers_error": (
        "Give four shares for A, B, C and D that add up to 100, such as 1,4,15,80.",
        "请填写 A、B、C、D 四个比例，合计 100，例如 1,4,15,80。",
    ),
    "mode_practice": ("Practice archive (replay, no network)", "练习存档（回放，无需联网）"),
    "mode_live": ("Live web", "在线采集"),
    "archive": ("Archive", "存档"),
    "archive_error": ("Choose one of the listed archives.", "请选择列表中的存档。"),
    "practice_web": ("Bundled practice web (fictional businesses)", "内置练习网站（虚构企业）"),
    "job_name": ("Job name (optional)", "任务名称（可选）"),
    "job_name_error": (
        "A job name may use letters, digits, - and _ (at most 80).",
        "任务名称只能包含字母、数字、- 和 _（最多 80 个）。",
    ),
    "job_exists": ("A job with that name exists.", "该名称的任务已存在。"),
    "start": ("Start job", "开始任务"),
    "fix_errors": ("Please fix the marked fields.", "请修改标出的字段。"),
    # progress
    "progress": ("Progress", "进度"),
    "source": ("Source", "来源"),
    "method": ("Collection method", "采集方法"),
    "requests": ("Requests", "请求"),
    "answered": ("Answered", "已响应"),
    "empty": ("Empty", "无结果"),
    "blocked": ("Blocked", "被拦截"),
    "robots": ("Robots", "robots 禁止"),
    "missing": ("Missing", "存档缺失"),
    "errors": ("Errors", "错误"),
    "why": ("Why", "原因"),
    "cancel": ("Cancel job", "取消任务"),
    "cancelling": ("Cancelling…", "正在取消…"),
    "cancel_note": (
        "Cancelling stops the crawl and keeps everything collected so far; Resume goes on from"
        " where it stopped.",
        "取消会停止采集，并保留已采集的内容；之后可以点“继续”从停止处接着采集。",
    ),
    "resume": ("Resume", "继续"),
    "resume_note": (
        "Goes on from where the job stopped: pages already fetched are not fetched again.",
        "从任务停止处继续：已抓取的页面不会重复抓取。",
    ),
    "view_leads": ("View leads", "查看线索"),
    "state_queued": ("Waiting for a free slot", "排队中"),
    "state_running": ("Running", "运行中"),
    "state_finished": ("Finished", "已完成"),
    "state_interrupted": ("Cancelled (what was collected is kept)", "已取消（已采集内容保留）"),
    "state_failed": ("Failed", "失败"),
    "state_cancelled": ("Cancelled before it started", "开始前已取消"),
    "no_pages": ("No pages fetched yet.", "尚未抓取任何页面。"),
    "refresh": ("Refresh", "刷新"),
    # leads
    "grade": ("Grade", "等级"),
    "name": ("Company", "公司名称"),
    "business_type": ("Business type", "客户性质"),
    "phone": ("Phone", "电话"),
    "email": ("E-mail", "电子邮件"),
    "city": ("City", "城市"),
    "verification": ("Verification", "核实状态"),
    "new": ("New", "新"),
    "new_only": ("New in this job only", "仅显示本次新增"),
    "search": ("Search", "搜索"),
    "filter": ("Filter", "筛选"),
    "clear": ("Clear", "清除"),
    "any": ("Any", "全部"),
    "sort": ("Sort by", "排序"),
    "sort_grade": ("Grade", "等级"),
    "sort_score": ("Score", "分数"),
    "sort_name": ("Company", "公司名称"),
    "sort_first_seen": ("First seen", "首次发现"),
    "sort_verification": ("Verification", "核实状态"),
    "ascending": ("ascending", "升序"),
    "descending": ("descending", "降序"),
    "shown": ("shown", "条显示"),
    "of": ("of", "/"),
    "pages": ("Pages", "分页"),
    "previous": ("Previous", "上一页"),
    "next": ("Next", "下一页"),
    "no_leads": ("No leads match.", "没有符合条件的线索。"),
    "download": ("Download (current filter)", "下载（当前筛选）"),
    "download_button": ("Download", "下载"),
    "format": ("Format", "格式"),
    "format_xlsx": ("Excel lead sheet", "Excel 客户信息表"),
    "format_vcard": ("vCard", "vCard 名片"),
    "format_jsonl": ("JSON lines", "JSON lines"),
    "format_error": ("Unknown download format.", "未知的下载格式。"),
    "suppressed": ("on the do-not-contact list", "在请勿联系名单上"),
    "suppressed_note": (
        "of these leads are on the do-not-contact list: downloads leave them out.",
        "条线索在请勿联系名单上，下载时不包含。",
    ),
    "health": ("Health report per source", "各来源健康报告"),
    # lead card
    "back": ("Back to the leads", "返回线索列表"),
    "score": ("Score", "分数"),
    "grade_reasons": ("Why this grade", "评级理由"),
    "company": ("Company", "公司信息"),
    "normalized_name": ("Normalised name", "标准化名称"),
    "products": ("Products", "主营产品"),
    "description": ("Description", "简介"),
    "registration_id": ("Registration id", "注册号"),
    "website": ("Website", "网站"),
    "domain": ("Domain", "域名"),
    "address": ("Address", "地址"),
    "country": ("Country", "国家"),
    "region_name": ("Region", "省/州"),
    "postcode": ("Postcode", "邮编"),
    "phones": ("Phones", "电话"),
    "emails": ("E-mails", "电子邮件"),
    "people": ("Contact people", "联系人"),
    "title": ("Title", "职务"),
    "social": ("Social links", "社交链接"),
    "masked": ("masked", "已隐藏"),
    "masked_lead": (
        "The page hid some of this business's contacts.",
        "该页面隐藏了部分联系方式。",
    ),
    "role_address": ("role address", "部门邮箱"),
    "free_mail": ("free mail", "免费邮箱"),
    "from_pages": ("from", "来源"),
    "evidence": ("Where it came from", "数据来源"),
    "url": ("Page", "页面"),
    "fetched_at": ("Fetched", "抓取时间"),
    "fields": ("Supplied", "提供的字段"),
    "merged": ("Merged duplicates", "合并的重复记录"),
    "merged_help": (
        "Each page above is a record that was merged into this lead; why they were merged:",
        "上面的每个页面都是合并进此线索的记录，合并理由：",
    ),
    "no_merge": ("Found on one page only; nothing was merged.", "只在一个页面发现，未合并。"),
    "review": ("Possible duplicates, not merged", "可能重复、未合并的记录"),
    "review_help": (
        "Too unlike to merge automatically: check whether they are one business.",
        "相似度不足以自动合并：请核实它们是否为同一家企业。",
    ),
    "alternates": ("Conflicting values kept", "保留的冲突值"),
    "first_seen": ("First seen", "首次发现"),
    "last_seen": ("Last seen", "最近发现"),
    "relevance": ("Relevance", "相关度"),
    "data_status": ("Data status", "数据状态"),
    "notes": ("Notes", "备注"),
    "save": ("Save", "保存"),
    "saved": ("Saved.", "已保存。"),
    "verification_error": ("Choose a verification status.", "请选择核实状态。"),
    "not_link": ("(not a web address, shown as text)", "（不是网址，仅显示文本）"),
    # errors
    "not_found": ("Not found.", "未找到。"),
    "forbidden": ("Not allowed.", "无权访问。"),
    "bad_request": ("Bad request.", "请求无效。"),
    "csrf_failed": (
        "This form has expired or did not come from this site. Reload the page and try again.",
        "表单已过期或并非来自本站。请刷新页面后重试。",
    ),
    "error": ("Error", "错误"),
}


def pick_language(accept_language: str) -> str:
    """The first of en/zh in an Accept-Language header, by q-value; English when neither."""
    best: tuple[float, int, str] | None = None
    for index, part in enumerate(accept_language.split(",")):
        fields = part.strip().split(";")
        tag = fields[0].strip().lower()
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary in LANGS and q > 0:
            candidate = (-q, index, primary)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else "en"


class Translator:
    """``t("key")`` in one language, plus the lead sheet's own labels."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else "en"
        self._index = LANGS.index(self.lang)

    def __call__(self, key: str) -> str:
        return MESSAGES[key][self._index]

    def method(self, key: str) -> str:
        table = METHODS_ZH if self.lang == "zh" else METHODS
        return table.get(key, key)

    def business_type(self, key: str) -> str:
        return BUSINESS_TYPE_LABELS.get(key, {}).get(self.lang, key)

    def verification(self, key: str) -> str:
        return VERIFICATION_LABELS.get(key, {}).get(self.lang, key)

    def phone_type(self, key: str) -> str:
        return PHONE_TYPE_LABELS.get(key, {}).get(self.lang, key)

    def state(self, key: str) -> str:
        return MESSAGES.get(f"state_{key}", (key, key))[self._index]

    def data_status(self) -> str:
        return DATA_STATUS_ZH if self.lang == "zh" else DATA_STATUS
