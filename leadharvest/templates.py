"""Query templates: one product keyword expanded into buyer-intent queries.

``config/queries.toml`` holds the templates per language ("buy {product}", "{product}
wholesale", "求购 {product}", "{product} 批发" …): sales courses teach trainees to search the way
buyers and sellers write, and the templates are data so a classroom can add its own.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from leadharvest.query import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    QuerySyntaxError,
    Term,
    needs_quotes,
    parse_query,
)
from leadharvest.settings import ConfigError, config_dir, load_toml

QUERIES_TOML = "queries.toml"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def load_templates() -> dict[str, list[str]]:
    """``[templates]`` of config/queries.toml by language, validated so a typo fails on load."""
    data: Any = load_toml(QUERIES_TOML)
    path = config_dir() / QUERIES_TOML

    def bad(why: str) -> ConfigError:
        return ConfigError(f"{path}: {why}")

    templates = data.get("templates") if isinstance(data, dict) else None
    if not isinstance(templates, dict) or not templates:
        raise bad("needs a [templates] table with one list of templates per language")
    out: dict[str, list[str]] = {}
    for lang, items in templates.items():
        if not isinstance(items, list) or not items:
            raise bad(f"templates.{lang} must be a non-empty list of strings")
        for idx, template in enumerate(items):
            where = f"templates.{lang}[{idx}]"
            if not isinstance(template, str):
                raise bad(f"{where} must be a string")
            names = _PLACEHOLDER.findall(template)
            if "product" not in names:
                raise bad(f"{where} {template!r} must contain {{product}}")
            unknown = sorted(set(names) - {"product"})
            if unknown:
                raise bad(f"{where} {template!r} has unknown placeholder {{{unknown[0]}}}")
            try:
                parse_query(template.replace("{product}", "x"))
            except QuerySyntaxError as exc:
                raise bad(f"{where} {template!r}: {exc}") from exc
        out[str(lang)] = list(items)
    return out


def expand_product(product: str, *, languages: tuple[str, ...] = ("en", "zh")) -> list[str]:
    """One product keyword turned into buyer-intent queries from the configured templates.

    A multi-word product becomes a phrase when the template puts other words beside it
    (``"digital camera" wholesale``), so engines keep the words together; alone it stays as
    typed. Results keep template order, languages in the order asked, without duplicates.
    """
    templates = load_templates()
    missing = [lang for lang in languages if lang not in templates]
    if missing:
        raise ValueError(
            f"no query templates for language {missing[0]!r}; "
            f"{QUERIES_TOML} has {', '.join(templates)}"
        )
    unquoted = "".join(" " if ch in OPEN_QUOTES | CLOSE_QUOTES else ch for ch in product)
    cleaned = " ".join(unicodedata.normalize("NFKC", unquoted).split())
    if not cleaned:
        raise ValueError("product keyword is empty")
    words = cleaned.split()
    special = any(needs_quotes(Term(w)) for w in words)  # "OR", "-x", "(": never operators
    out: list[str] = []
    for lang in languages:
        for template in templates[lang]:
            alone = template.strip() == "{product}"
            quote = special or (len(words) > 1 and not alone)
            text = f'"{cleaned}"' if quote else cleaned
            query = " ".join(template.replace("{product}", text).split())
            parse_query(query)  # a product like "(" must not produce a broken query
            if query not in out:
                out.append(query)
    return out


def propose_query(products: list[str]) -> str:
    """The Boolean query a set of product keywords suggests: any of them, each as a phrase
    when it has several words. It filters what the sources return; the search engines get
    the template expansions (``leadharvest.web.routes.template_searches``). ``collect
    --product`` without a QUERY uses it too, so a trainee can start from the keyword alone."""
    terms = []
    for product in products:
        words = product.split()
        quote = len(words) > 1 or any(needs_quotes(Term(w)) for w in words)
        terms.append(f'"{product}"' if quote else product)
    query = " OR ".join(terms)
    parse_query(query)
    return query
