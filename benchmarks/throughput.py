"""Throughput and memory of enrich + dedupe on synthetic leads, beside a naive peer.

Usage: ``python benchmarks/throughput.py [--sizes 1000,10000,100000] [--seed 7]``.

The records are generated here, deterministically (``random.Random(seed)``): businesses in
AU, GB, IN and CN with 1-4 records each, as different pages would show them — the name with
and without its legal form (Pty Ltd, Ltd, Pvt Ltd, 有限公司 …), in other case and
punctuation, with typos, a Chinese name with or without its city or in pinyin; phones in the
local and international spellings of each country; a website in several spellings or a
directory listing instead; company or free-mail e-mail addresses; an address or a country.
Some numbers are shared on purpose: directory hotlines printed on many listings, and serviced
offices where two businesses answer one switchboard. The generator knows which business each
record belongs to; that truth is used only to score.

Every size runs in two fresh subprocesses, so peak RSS (``ru_maxrss``) belongs to that run:

* LeadHarvest: ``enrich_lead`` over every record (the job's region = the record's market),
  then ``dedupe_leads`` over the enriched records (with its merge). Clusters are read back
  from the merged leads' evidence URLs (one unique URL per record).
* PEER: ``peers.naive_peer`` (block on the first 3 characters of the lower-cased
  name, rapidfuzz token_sort_ratio >= 90, union-find) over the raw names. Not LeadHarvest.

"input MB" is the RSS once the records are generated (the same for both); "peak MB" is the
high-water mark at the end of that step. Pair precision / recall / F1 are against the
generator's truth. Speed goals live here, not in unit tests.

The vocabulary is fixed, so the more records, the more distinct businesses with near-identical
names (``Hamilton``/``Hampton Logistics Manufacturing``, ``华强电子`` / ``华辉电子``); 5% of
listings also leave out the last word (``Langley Freight`` for ``Langley Freight & Co``),
which can equal another business's name. Precision at 100,000 records is therefore harder
than at 1,000 by construction. The default sizes finish in about two minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

from peers import PEER, machine, naive_peer, scores

from dedupe.engine import dedupe_leads
from enrich.pipeline import enrich_lead
from leadharvest.items import Email, Evidence, Lead, Phone

DEFAULT_SIZES = (1_000, 10_000, 100_000)
SEED = 7
URL = "https://bench.example/record/"

# --- vocabulary ------------------------------------------------------------------------------

EN_LEADS = (
    "Harbour", "Coastal", "Summit", "Pioneer", "Redgum", "Southern", "Northern", "Eastern",
    "Western", "Capital", "Crown", "Royal", "Union", "Standard", "Premier", "Atlas", "Apex",
    "Vertex", "Orion", "Delta", "Sterling", "Granite", "Ironbark", "Bluegum", "Wattle", "Kestrel",
    "Falcon", "Osprey", "Pelican", "Heron", "Swift", "Maple", "Cedar", "Willow", "Oakfield",
    "Ashford", "Brighton", "Camden", "Chelsea", "Dover", "Elmwood", "Fairview", "Glenrose",
    "Hampton", "Kingsley", "Langley", "Marlow", "Newbury", "Oxley", "Preston", "Quarry",
    "Riverside", "Sandford", "Thornbury", "Upton", "Victoria", "Wembley", "Yarra", "Murray",
    "Hunter", "Barossa", "Clarence", "Derwent", "Mersey", "Tyne", "Avon", "Severn", "Smith",
    "Jones", "Brown", "Wilson", "Taylor", "Walker", "Wright", "Robinson", "Thompson", "Hughes",
    "Edwards", "Clarke", "Turner", "Hill", "Morgan", "Cooper", "Ward", "Baker", "Kelly", "Murphy",
    "Campbell", "Stewart", "Mitchell", "Fraser", "Hamilton", "Sinclair", "Bennett"
)  # fmt: skip
IN_LEADS = (
    "Patel", "Shah", "Mehta", "Gupta", "Sharma", "Agarwal", "Reddy", "Iyer", "Nair", "Menon", "Rao",
    "Desai", "Joshi", "Kapoor", "Malhotra", "Bansal", "Goyal", "Jain", "Singhal", "Chopra",
    "Bhatia", "Saxena", "Trivedi", "Pandey", "Mishra", "Kulkarni", "Chauhan", "Thakur", "Verma",
    "Sinha", "Ganesh", "Lakshmi", "Shree", "Sai", "Om", "Jai", "Bharat", "Hind", "Indus", "Ganga",
    "Yamuna", "Kaveri", "Narmada", "Himalaya", "Sahyadri", "Deccan", "Konark", "Ajanta", "Ellora",
    "Sunrise", "Navrang"
)  # fmt: skip
TRADES = (
    "Steel", "Timber", "Plumbing", "Electrical", "Packaging", "Textiles", "Spices", "Auto Parts",
    "Hydraulics", "Glass", "Concrete", "Roofing", "Fasteners", "Bearings", "Pumps", "Valves",
    "Cables", "Lighting", "Furniture", "Printing", "Chemicals", "Plastics", "Rubber", "Ceramics",
    "Tiles", "Paints", "Fabrics", "Garments", "Leather", "Footwear", "Seeds", "Fertilisers",
    "Dairy", "Bakery", "Coffee", "Tea", "Rice", "Pharma", "Surgical", "Dental", "Optical", "Solar",
    "Batteries", "Marine", "Aviation", "Logistics", "Freight", "Scaffolding", "Welding",
    "Engineering"
)  # fmt: skip
KINDS = (
    "Supplies", "Industries", "Services", "Trading", "Group", "Solutions", "Manufacturing",
    "Exports", "& Co", "Works", "Distributors", "Wholesale", "Enterprises", "Products", "Systems",
    "International"
)  # fmt: skip
LEGAL = {
    "AU": ("Pty Ltd", "Pty. Ltd.", "PTY LTD", "P/L", "Proprietary Limited", "Pty Limited"),
    "GB": ("Ltd", "Ltd.", "Limited", "LTD", "Ltd"),
    "IN": ("Pvt Ltd", "Pvt. Ltd.", "Private Limited", "Pvt Ltd.", "(P) Ltd", "Pvt. Limited"),
}  # fmt: skip
CN_CHARS = (
    "华hua", "强qiang", "鑫xin", "达da", "恒heng", "通tong", "宏hong", "发fa", "明ming",
    "光guang", "金jin", "源yuan", "盛sheng", "美mei", "德de", "利li", "兴xing", "隆long",
    "安an", "泰tai", "永yong", "昌chang", "富fu", "丰feng", "和he", "顺shun", "锦jin",
    "瑞rui", "祥xiang", "嘉jia", "博bo", "远yuan", "创chuang", "威wei", "力li", "辉hui",
    "誉yu", "佳jia", "立li", "正zheng"
)  # fmt: skip
"""Chinese name characters, each followed by its pinyin."""
CN_TRADES = (
    ("电子", "Electronics"),
    ("五金", "Hardware"),
    ("塑胶", "Plastic"),
    ("纺织", "Textile"),
    ("机械", "Machinery"),
    ("包装", "Packaging"),
    ("照明", "Lighting"),
    ("化工", "Chemical"),
    ("服饰", "Garment"),
    ("陶瓷", "Ceramics"),
    ("家具", "Furniture"),
    ("玩具", "Toys"),
    ("模具", "Mould"),
    ("光电", "Optoelectronic"),
    ("汽配", "Auto Parts"),
    ("食品", "Food"),
    ("医疗器械", "Medical Device"),
    ("新材料", "New Material"),
    ("印刷", "Printing"),
    ("电器", "Electric Appliance"),
)
CN_KINDS = (("科技", "Technology"), ("实业", "Industrial"), ("贸易", "Trading"), ("", ""))
CN_LEGAL = ("有限公司", "有限公司", "有限责任公司", "股份有限公司")

# (city, state or province, postcode or area, phone area code, mobile prefixes)
CITIES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "AU": (
        ("Sydney", "NSW", "2000", "29"),
        ("Parramatta", "NSW", "2150", "28"),
        ("Melbourne", "VIC", "3000", "39"),
        ("Dandenong", "VIC", "3175", "38"),
        ("Brisbane", "QLD", "4000", "73"),
        ("Cairns", "QLD", "4870", "74"),
        ("Perth", "WA", "6000", "89"),
        ("Adelaide", "SA", "5000", "88"),
    ),
    "GB": (
        ("London", "", "EC1A 1BB", "207"),
        ("London", "", "SE1 7PB", "208"),
        ("Leeds", "", "LS1 4AB", "113"),
        ("Manchester", "", "M1 1AE", "161"),
        ("Birmingham", "", "B1 1AA", "121"),
        ("Glasgow", "", "G1 1XQ", "141"),
        ("Bristol", "", "BS1 4DJ", "117"),
    ),
    "IN": (
        ("Mumbai", "Maharashtra", "400093", "22"),
        ("New Delhi", "Delhi", "110020", "11"),
        ("Bengaluru", "Karnataka", "560001", "80"),
        ("Chennai", "Tamil Nadu", "600001", "44"),
        ("Pune", "Maharashtra", "411001", "20"),
        ("Ahmedabad", "Gujarat", "380001", "79"),
    ),
    "CN": (
        ("深圳", "广东省", "Shenzhen", "755"),
        ("广州", "广东省", "Guangzhou", "20"),
        ("东莞", "广东省", "Dongguan", "769"),
        ("上海", "", "Shanghai", "21"),
        ("宁波", "浙江省", "Ningbo", "574"),
        ("义乌", "浙江省", "Yiwu", "579"),
        ("苏州", "江苏省", "Suzhou", "512"),
    ),
}
COUNTRIES = (("AU", 0.25), ("GB", 0.2), ("IN", 0.25), ("CN", 0.3))
TLDS = {"AU": ".com.au", "GB": ".co.uk", "IN": ".in", "CN": ".cn"}
FREE_MAIL = {
    "AU": ("gmail.com", "bigpond.com", "outlook.com"),
    "GB": ("gmail.com", "btinternet.com", "outlook.com"),
    "IN": ("gmail.com", "rediffmail.com", "yahoo.co.in"),
    "CN": ("qq.com", "163.com", "126.com"),
}
PORTALS = {
    "AU": "https://www.yellowpages.com.au/listing/",
    "GB": "https://www.yell.com/biz/",
    "IN": "https://www.indiamart.com/company/",
    "CN": "https://detail.1688.com/offer/",
}
METHODS = (
    ("search_engine", "duckduckgo"),
    ("yellow_pages", "yellowpages_com_au"),
    ("industry_site", "indiamart"),
    ("company_website", "company_site"),
)
STREETS = ("High St", "Station Rd", "George Street", "Industrial Ave", "Park Road", "Mill Lane")
CN_ROADS = ("工业区兴业路", "科技园北区", "经济开发区创业大道", "高新区科技路", "工业园区")

# --- generator -------------------------------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(2, 6)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _number(rng: random.Random, country: str, area: str, mobile: bool) -> str:
    """A national significant number of the country (no trunk 0)."""
    if country == "AU":
        return "4" + str(rng.randint(0, 3)) + _digits(rng, 7) if mobile else area + _digits(rng, 7)
    if country == "GB":
        if mobile:
            return "7" + rng.choice("4579") + _digits(rng, 8)
        return area + str(rng.randint(2, 4)) + _digits(rng, 6)
    if country == "IN":
        if mobile:
            return str(rng.randint(7, 9)) + _digits(rng, 9)
        return area + _digits(rng, 10 - len(area))
    if mobile:
        return "1" + rng.choice("358") + str(rng.randint(0, 9)) + _digits(rng, 8)
    return area + _digits(rng, 8)


def _spell(rng: random.Random, country: str, nsn: str) -> str:
    """One of the ways pages print that number."""
    if country == "CN" and nsn.startswith("1"):  # mobile
        a, b, c = nsn[:3], nsn[3:7], nsn[7:]
        forms = (f"{a} {b} {c}", f"+86 {a}-{b}-{c}", nsn, f"+86{nsn}", f"手机: {a}{b}{c}")
        return rng.choice(forms)
    if country == "CN":
        area = next(a for _, _, _, a in CITIES["CN"] if nsn.startswith(a))
        local = nsn[len(area) :]
        return rng.choice(
            (
                f"0{area}-{local[:4]} {local[4:]}",
                f"+86 {area} {local[:4]} {local[4:]}",
                f"86-{area}-{local}",
                f"(0{area}){local}",
                f"0{area} {local} 转 {rng.randint(800, 899)}",
            )
        )
    if country == "IN" and nsn[0] in "789":
        return rng.choice((f"+91 {nsn[:5]} {nsn[5:]}", f"+91-{nsn}", f"0{nsn}", nsn))
    if country == "IN":
        area = next(a for *_, a in CITIES["IN"] if nsn.startswith(a))
        local = nsn[len(area) :]
        return rng.choice(
            (f"+91 {area} {local[:4]} {local[4:]}", f"0{area}-{local}", f"(0{area}) {local}")
        )
    if country == "GB" and nsn.startswith("7"):
        return rng.choice((f"0{nsn[:4]} {nsn[4:]}", f"+44 {nsn[:4]} {nsn[4:]}", f"0{nsn}"))
    if country == "GB":
        cut = 2 if nsn.startswith("2") else 3
        a, rest = nsn[:cut], nsn[cut:]
        return rng.choice(
            (
                f"0{a} {rest[:4]} {rest[4:]}" if cut == 2 else f"0{a} {rest[:3]} {rest[3:]}",
                f"+44 {a} {rest}",
                f"+44 (0){a} {rest}",
                f"0{nsn}",
            )
        )
    if nsn.startswith("4"):
        return rng.choice(
            (f"0{nsn[:3]} {nsn[3:6]} {nsn[6:]}", f"+61 {nsn[:3]} {nsn[3:]}", f"0{nsn}")
        )
    a, rest = nsn[0], nsn[1:]
    return rng.choice(
        (
            f"(0{a}) {rest[:4]} {rest[4:]}",
            f"+61 {a} {rest[:4]} {rest[4:]}",
            f"0{nsn}",
            f"+61-{a}-{rest}",
        )
    )


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    long = [k for k, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    k = rng.choice(long)
    w = words[k]
    i = rng.randrange(1, len(w) - 1)
    edit = rng.randrange(4)
    if edit == 0:
        w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    elif edit == 1:
        w = w[:i] + w[i + 1 :]
    elif edit == 2:
        w = w[:i] + w[i] + w[i:]
    else:
        w = w[:i] + rng.choice("aeiourstn") + w[i + 1 :]
    words[k] = w
    return " ".join(words)


class Business:
    """One true business and everything its listings may show."""

    def __init__(self, rng: random.Random, number: int, country: str, taken: set[str]) -> None:
        self.id = number
        self.country = country
        self.city = rng.choice(CITIES[country])
        mobile = rng.random() < (0.5 if country in ("CN", "IN") else 0.3)
        self.phones = [_number(rng, country, self.city[3], mobile=False)]
        if mobile:
            self.phones.append(_number(rng, country, self.city[3], mobile=True))
        tries = 0
        while True:
            # past 1M records the two-word vocabulary runs out: after 50 misses in a row a
            # business gets a longer name (three characters / two leading words)
            long = tries >= 50
            tries += 1
            if country == "CN":
                chars = rng.sample(CN_CHARS, 3 if long else 2)
                trade, kind = rng.choice(CN_TRADES), rng.choice(CN_KINDS)
                self.core = "".join(c[0] for c in chars) + trade[0] + kind[0]
                pinyin = "".join(c[1:] for c in chars).capitalize()
                self.english = " ".join(x for x in (pinyin, trade[1], kind[1]) if x)
                slug = "".join(c[1:] for c in chars) + trade[1].split()[0].lower()[:4]
            else:
                pool = IN_LEADS if country == "IN" else EN_LEADS
                lead = " ".join(rng.sample(pool, 2)) if long else rng.choice(pool)
                self.core = f"{lead} {rng.choice(TRADES)} {rng.choice(KINDS)}"
                self.english = self.core
                slug = "".join(ch for ch in self.core.split(" & ")[0].lower() if ch.isalpha())
            if self.core not in taken:
                taken.add(self.core)
                break
        self.domain = ""
        if rng.random() < 0.65:
            domain = slug + (".com" if rng.random() < 0.4 else TLDS[country])
            if domain not in taken:
                taken.add(domain)
                self.domain = domain
        if self.domain:
            locals_ = rng.sample(("info", "sales", "contact", "enquiries", "admin", "export"), 2)
            self.emails = [f"{x}@{self.domain}" for x in locals_]
        else:
            free = rng.choice(FREE_MAIL[country])
            local = str(rng.randint(10_000_000, 2_999_999_999)) if free == "qq.com" else slug
            self.emails = [f"{local}{rng.randint(1, 99)}@{free}"]

    def name(self, rng: random.Random) -> str:
        if self.country == "CN":
            city = self.city[0]
            legal = rng.choice(CN_LEGAL)
            form = rng.random()
            if form < 0.4:
                return f"{city}市{self.core}{legal}"
            if form < 0.55:
                return f"{self.core}{rng.choice(('（', '('))}{city}{rng.choice(('）', ')'))}{legal}"
            if form < 0.75:
                return f"{self.core}{legal}"
            if form < 0.88:
                return f"{city}{self.core}{legal}"
            return f"{self.city[2]} {self.english} Co., Ltd."
        text = self.core
        if "&" in text and rng.random() < 0.4:
            text = text.replace("&", "and")
        if rng.random() < 0.05:
            text = text.rsplit(" ", 1)[0]  # the kind word left out
        if rng.random() < 0.12:
            text = _typo(rng, text)
        if rng.random() < 0.7:
            text += rng.choice((" ", ", ")) + rng.choice(LEGAL[self.country])
        case = rng.random()
        if case < 0.25:
            text = text.upper()
        elif case < 0.3:
            text = text.lower()
        if rng.random() < 0.03:
            text = "The " + text
        return text

    def address(self, rng: random.Random) -> str:
        city, state, post, _ = self.city
        number = rng.randint(1, 300)
        if self.country == "CN":
            province = state or ""
            return f"{province}{city}市{rng.choice(CN_ROADS)}{number}号"
        street = rng.choice(STREETS)
        if self.country == "AU":
            return f"{number} {street}, {city} {state} {post}"
        if self.country == "GB":
            return f"Unit {number % 20 + 1}, {number} {street}, {city} {post}"
        return f"Plot {number}, {street}, {city}, {state} {post}, India"


def generate(size: int, seed: int = SEED) -> tuple[list[Lead], list[int], list[str]]:
    """``size`` records, the true business of each, and the job region each was found in."""
    rng = random.Random(seed)
    taken: set[str] = set()
    codes = [c for c, _ in COUNTRIES]
    weights = [w for _, w in COUNTRIES]
    hotlines = {
        c: [_number(rng, c, CITIES[c][0][3], mobile=False) for _ in range(6)] for c in codes
    }
    leads: list[Lead] = []
    truth: list[int] = []
    regions: list[str] = []
    businesses: list[Business] = []
    while len(leads) < size:
        country = rng.choices(codes, weights)[0]
        business = Business(rng, len(businesses), country, taken)
        if businesses and rng.random() < 0.03:  # a serviced office: one switchboard, two firms
            other = rng.choice(businesses[-200:])
            if other.country == country:
                business.phones[0] = other.phones[0]
        businesses.append(business)
        for _ in range(rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0]):
            if len(leads) == size:
                break
            leads.append(_record(rng, business, hotlines[country], len(leads)))
            truth.append(business.id)
            regions.append(country)
    return leads, truth, regions


def _record(rng: random.Random, business: Business, hotlines: list[str], index: int) -> Lead:
    country = business.country
    method, source = rng.choice(METHODS)
    lead = Lead(name=business.name(rng))
    lead.evidence = [Evidence(source=source, method=method, url=f"{URL}{index}")]
    numbers = [n for n in business.phones if rng.random() < 0.75]
    if rng.random() < 0.06:
        numbers.append(rng.choice(hotlines))  # the directory's own call centre
    lead.phones = [Phone(raw=_spell(rng, country, n)) for n in numbers]
    if rng.random() < 0.55:
        raw = rng.choice(business.emails)
        raw = rng.choice((raw, raw.upper(), f"mailto:{raw}", f" {raw} "))
        lead.emails = [Email(raw=raw)]
    roll = rng.random()
    if business.domain and roll < 0.5:
        host = rng.choice((business.domain, "www." + business.domain))
        lead.website = rng.choice(
            (f"https://{host}/", f"http://{host}/contact-us", host, host.upper())
        )
    elif roll > 0.9:
        lead.website = f"{PORTALS[country]}{business.id}"
    if rng.random() < 0.6:
        lead.address_raw = business.address(rng)
    elif rng.random() < 0.3:
        lead.country = {"AU": "Australia", "GB": "UK", "IN": "India", "CN": "中国"}[country]
    return lead


# --- measuring -------------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _labels(merged: list[Lead], size: int) -> list[int]:
    label = [-1] * size
    for number, lead in enumerate(merged):
        for ev in lead.evidence:
            if ev.url.startswith(URL):
                label[int(ev.url[len(URL) :])] = number
    missing = label.count(-1)
    if missing:
        raise RuntimeError(f"{missing} records lost their evidence URL in dedupe")
    return label


def child(tool: str, size: int, seed: int) -> dict[str, object]:
    """One measured run in this (fresh) process; returns what the table needs."""
    leads, truth, regions = generate(size, seed)
    out: dict[str, object] = {
        "tool": tool,
        "size": size,
        "businesses": len(set(truth)),
        "input_mb": _rss_mb(),
    }
    if tool == "peer":
        started = time.perf_counter()
        label = naive_peer([lead.name for lead in leads])
        out["peer_s"] = time.perf_counter() - started
        out["peer_mb"] = _rss_mb()
        out["peer"] = scores(truth, label)
        return out
    started = time.perf_counter()
    for lead, region in zip(leads, regions, strict=True):
        enrich_lead(lead, region=region)
    out["enrich_s"] = time.perf_counter() - started
    out["enrich_mb"] = _rss_mb()
    started = time.perf_counter()
    merged = dedupe_leads(leads)
    out["dedupe_s"] = time.perf_counter() - started
    out["dedupe_mb"] = _rss_mb()
    out["dedupe"] = scores(truth, _labels(merged, size))
    out["merged"] = len(merged)
    return out


def _run_child(tool: str, size: int, seed: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", tool, "--sizes", str(size), "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{tool} at {size} records failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(
    size: int, businesses: object, what: str, seconds: float, input_mb: object, peak: object
) -> str:
    return (
        f"| {size:,} | {businesses:,} | {what} | {seconds:.1f} | {size / max(seconds, 1e-9):,.0f} "
        f"| {input_mb:,.0f} | {peak:,.0f} |"
    )


def _f1(s: dict[str, float]) -> str:
    return f" {s['pair_p']:.3f} | {s['pair_r']:.3f} | {s['pair_f1']:.3f} |"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="comma-separated record counts (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--child", choices=("leadharvest", "peer"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.child:
        print(json.dumps(child(args.child, sizes[0], args.seed)))
        return 0

    started = time.perf_counter()
    print(f"Throughput on synthetic leads (seed {args.seed}), {machine()}")
    print()
    print(
        "| records | businesses | step | seconds | records/s | input MB | peak MB "
        "| pair P | pair R | pair F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        lh = _run_child("leadharvest", size, args.seed)
        peer = _run_child("peer", size, args.seed)
        n, b, mb = size, lh["businesses"], lh["input_mb"]
        enrich_s, dedupe_s = float(lh["enrich_s"]), float(lh["dedupe_s"])
        print(_line(n, b, "LeadHarvest enrich_lead", enrich_s, mb, lh["enrich_mb"]) + " | | |")
        print(
            _line(n, b, "LeadHarvest dedupe_leads", dedupe_s, mb, lh["dedupe_mb"])
            + _f1(lh["dedupe"])
        )
        print(
            _line(n, b, "LeadHarvest enrich + dedupe", enrich_s + dedupe_s, mb, lh["dedupe_mb"])
            + _f1(lh["dedupe"])
        )
        print(
            _line(
                n,
                b,
                PEER,
                peer["peer_s"],
                peer["input_mb"],
                peer["peer_mb"],
            )
            + _f1(peer["peer"]),
            flush=True,
        )
    print()
    print(f"total {time.perf_counter() - started:.0f} s including generation in every subprocess")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
