"""The web application: FastAPI, server-rendered Jinja2 pages, a little JavaScript.

Everything a page shows came from the web and may be hostile (a company "named"
``<script>alert(1)</script>``), so: Jinja2 autoescapes every value, a strict
Content-Security-Policy allows only this site's own script and style files (no inline
script, no CDN, no external fonts: it must also work offline), and scraped URLs become links
only when they are http(s). Every form carries a CSRF token tied to the signed session
cookie (Starlette's SessionMiddleware, signed with itsdangerous), with or without accounts:
a page on another site must not be able to post to a trainee's local server.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import FormData
from starlette.middleware.sessions import SessionMiddleware

from leadharvest.runner import default_store_url
from leadharvest.store import Store
from leadharvest.web.accounts import LOCAL_USER, Accounts, LoginThrottle, User
from leadharvest.web.i18n import LANGS, Translator, pick_language
from leadharvest.web.jobs import JobManager
from leadharvest.web.leadview import safe_href

HERE = Path(__file__).resolve().parent

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
SESSION_COOKIE = "leadharvest_session"
LANG_COOKIE = "leadharvest_lang"


@dataclass
class WebConfig:
    """How ``leadharvest serve`` was started."""

    store: str = ""
    """Store URL; default ``OUT/leadharvest.db``, the same store ``collect`` uses."""
    out: Path = Path("leadharvest-out")
    """Where jobs write their sheets, work files and logs."""
    accounts: bool = False
    secret: str = ""
    """Key that signs session cookies; random per start (everyone signs in again after a
    restart) unless set, e.g. from ``LEADHARVEST_SECRET_KEY``."""
    parallel: int = 2
    archives: Path | None = None
    """Folder of extra ``.warc.gz`` practice archives offered in the new-job form
    (default ``OUT/archives``)."""
    session_hours: int = 12
    https: bool = False
    """Served to the browsers over HTTPS (a TLS proxy in front, as on a classroom server):
    cookies are marked ``Secure`` and browsers are told to keep to HTTPS (HSTS). Off by
    default because a plain-HTTP server would then never get its session cookie back."""

    @property
    def store_url(self) -> str:
        return self.store or default_store_url(Path(self.out))


@dataclass
class WebState:
    """What every request needs, kept on ``app.state.web``."""

    config: WebConfig
    store: Store
    accounts: Accounts
    jobs: JobManager
    env: Environment
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


class NotSignedInError(Exception):
    """Raised by :func:`current_user` when ``--accounts`` is on and nobody is signed in."""


def state(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web


def create_app(config: WebConfig) -> FastAPI:
    """The web UI over one store; see the module docstring for what keeps it safe."""
    from leadharvest.web.routes import router
    from leadharvest.web.routes_leads import router as leads_router

    store = Store(config.store_url)
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.filters["dt"] = _format_dt
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = WebState(
        config=config,
        store=store,
        accounts=Accounts(store),
        jobs=JobManager(parallel=config.parallel),
        env=env,
    )
    secret = config.secret or os.environ.get("LEADHARVEST_SECRET_KEY", "") or secrets.token_hex(32)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=config.session_hours * 3600,
        same_site="strict",
        https_only=config.https,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if config.https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not request.url.path.startswith("/static/"):
            # customer files are confidential: no copies in shared caches or the back button
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(NotSignedInError)
    async def login_required(request: Request, _exc: NotSignedInError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "login required"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)
        key = {404: "not_found", 403: "forbidden"}.get(exc.status_code, "bad_request")
        if isinstance(exc.detail, str) and exc.detail in ("csrf_failed",):
            key = exc.detail
        return render(request, "error.html", status_code=exc.status_code, message_key=key)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)
    app.include_router(leads_router)
    return app


# -- per-request helpers --------------------------------------------------------------------
def request_lang(request: Request) -> str:
    """The switch's choice (a cookie), else the browser's Accept-Language."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGS:
        return chosen
    return pick_language(request.headers.get("accept-language", ""))


def current_user(request: Request) -> User:
    """The signed-in user; without ``--accounts`` the local user, who sees every job."""
    web = state(request)
    if not web.config.accounts:
        return LOCAL_USER
    name = request.session.get("user")
    user = web.accounts.get(name) if isinstance(name, str) and name else None
    if user is None:  # never signed in, or the account was removed since
        raise NotSignedInError
    return user


CurrentUser = Annotated[User, Depends(current_user)]
"""A route parameter of this type is the signed-in user (sign-in first under --accounts)."""


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, after its CSRF token matched the session's; 403 otherwise."""
    form = await request.form()
    sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise HTTPException(status_code=403, detail="csrf_failed")
    return form


def local_path(target: str, default: str = "/") -> str:
    """``target`` when it is a path on this site; never a redirect to another host."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    web = state(request)
    lang = request_lang(request)
    try:
        user: User | None = current_user(request)
    except NotSignedInError:
        user = None
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = web.env.get_template(template).render(
        t=Translator(lang),
        lang=lang,
        user=user,
        accounts=web.config.accounts,
        csrf=csrf_token(request),
        here=here,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def _format_dt(value: Any) -> str:
    if value is None:
        return ""
    try:
        return str(value.strftime("%Y-%m-%d %H:%M UTC"))
    except AttributeError:
        return str(value)
