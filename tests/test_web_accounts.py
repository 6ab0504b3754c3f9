"""Classroom accounts: sign-in, hashed passwords, signed sessions, who sees which job; and the
`serve` / `user` commands' refusals."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from leadharvest.cli import app as cli_app
from leadharvest.store import Store
from leadharvest.web import WebConfig, create_app
from leadharvest.web.accounts import AccountError, Accounts, LoginThrottle, users
from leadharvest.web.app import SESSION_COOKIE
from leadharvest.web.i18n import MESSAGES
from tests.web_support import run_practice_job

MakeClient = Callable[..., TestClient]
PASSWORDS = {"ann": "ann-secret-1", "bob": "bob-secret-2", "sue": "sue-secret-3"}


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store with three accounts; ann owns job ann-job, bob owns bob-job, the CLI ran cli-job."""
    out = tmp_path_factory.mktemp("classroom")
    store = f"sqlite:///{out / 'store.db'}"
    run_practice_job(out, store, "ann-job")
    db = Store(store)
    accounts = Accounts(db)
    accounts.add_user("ann", "trainee", PASSWORDS["ann"])
    accounts.add_user("bob", "trainee", PASSWORDS["bob"])
    accounts.add_user("sue", "supervisor", PASSWORDS["sue"])
    accounts.set_owner("ann-job", "ann")
    for job_id in ("bob-job", "cli-job"):
        job = next(r for r in db.job_rows() if r["job_id"] == "ann-job")
        from leadharvest.items import Job

        db.save_job(Job(job_id=job_id, query=job["query"], status="finished"), {})
    accounts.set_owner("bob-job", "bob")
    db.close()
    return out, store


@pytest.fixture
def make_client(classroom: tuple[Path, str]) -> Iterator[MakeClient]:
    out, store = classroom
    clients: list[TestClient] = []

    def make(name: str | None = None) -> TestClient:
        client = TestClient(create_app(WebConfig(store=store, out=out, accounts=True)))
        client.__enter__()
        clients.append(client)
        if name:
            sign_in(client, name, PASSWORDS[name])
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def sign_in(client: TestClient, name: str, password: str) -> Any:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return client.post(
        "/login",
        data={"csrf_token": token.group(1), "name": name, "password": password, "next": "/jobs"},
        follow_redirects=False,
    )


def test_passwords_are_stored_only_as_argon2_hashes(classroom: tuple[Path, str]) -> None:
    db = Store(classroom[1])
    with db.engine.connect() as conn:
        rows = conn.execute(select(users.c.name, users.c.password_hash)).all()
    db.close()
    assert len(rows) == 3
    for name, hashed in rows:
        assert hashed.startswith("$argon2id$")
        assert PASSWORDS[name] not in hashed


def test_pages_need_sign_in(make_client: MakeClient) -> None:
    client = make_client()
    for url in ["/jobs", "/jobs/new", "/jobs/ann-job", "/jobs/ann-job/leads"]:
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    assert client.get("/api/query/check?q=x").status_code == 401
    assert client.get("/jobs/ann-job/export?fmt=xlsx", follow_redirects=False).status_code == 303


def test_a_wrong_password_or_unknown_user_does_not_sign_in(make_client: MakeClient) -> None:
    client = make_client()
    for name, password in [("ann", "bob-secret-2"), ("nobody", "whatever-123"), ("ann", "")]:
        response = sign_in(client, name, password)
        assert response.status_code == 401
        assert MESSAGES["login_failed"][0] in response.text
    assert client.get("/jobs", follow_redirects=False).status_code == 303


def test_repeated_wrong_passwords_lock_that_name_for_a_while(make_client: MakeClient) -> None:
    client = make_client()
    for _ in range(5):
        assert sign_in(client, "bob", "guess-guess").status_code == 401
    # The sixth try is refused before the password is checked, even the right one...
    refused = sign_in(client, "bob", PASSWORDS["bob"])
    assert refused.status_code == 429
    assert MESSAGES["login_throttled"][0] in refused.text
    assert client.get("/jobs", follow_redirects=False).status_code == 303
    # ...while another account from the same address still signs in.
    assert sign_in(client, "ann", PASSWORDS["ann"]).status_code == 303


def test_login_throttle_forgets_failures_after_its_window() -> None:
    throttle = LoginThrottle(limit=2, window=60)
    throttle.failed("10.0.0.1", "Ann", now=0)
    throttle.failed("10.0.0.1", "ann", now=10)
    assert throttle.blocked("10.0.0.1", "ANN", now=20)
    assert not throttle.blocked("10.0.0.2", "ann", now=20)
    assert not throttle.blocked("10.0.0.1", "ann", now=61)
    throttle.failed("10.0.0.1", "ann", now=62)
    throttle.succeeded("10.0.0.1", "ann")
    assert not throttle.blocked("10.0.0.1", "ann", now=63)


def test_sign_in_goes_back_to_the_page_asked_for_and_only_on_this_site(
    make_client: MakeClient,
) -> None:
    client = make_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = client.post(
        "/login",
        data={
            "csrf_token": token.group(1),
            "name": "ann",
            "password": PASSWORDS["ann"],
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_a_trainee_sees_only_their_own_jobs(make_client: MakeClient) -> None:
    ann = make_client("ann")
    bob = make_client("bob")
    assert "ann-job" in ann.get("/jobs").text
    listing = bob.get("/jobs").text
    assert "bob-job" in listing and "ann-job" not in listing and "cli-job" not in listing
    lead_id = re.search(r'data-lead="([^"]+)"', ann.get("/jobs/ann-job/leads").text)
    assert lead_id
    for url in [
        "/jobs/ann-job",
        "/jobs/ann-job/progress.json",
        "/jobs/ann-job/leads",
        f"/jobs/ann-job/leads/{lead_id.group(1)}",
        "/jobs/ann-job/export?fmt=xlsx",
        "/jobs/cli-job",
    ]:
        assert bob.get(url).status_code == 404, url
        assert ann.get(url).status_code == (404 if "cli-job" in url else 200), url
    # nor can bob write to ann's lead through his own session's token
    token = re.search(r'name="csrf_token" value="([^"]+)"', bob.get("/jobs/bob-job").text)
    assert token
    response = bob.post(
        f"/jobs/ann-job/leads/{lead_id.group(1)}/verification",
        data={"csrf_token": token.group(1), "verification": "invalid", "notes": "x"},
    )
    assert response.status_code == 404


def test_a_supervisor_sees_every_job(make_client: MakeClient) -> None:
    sue = make_client("sue")
    listing = sue.get("/jobs").text
    assert {"ann-job", "bob-job", "cli-job"} <= set(re.findall(r"/jobs/([\w-]+)\"", listing))
    assert sue.get("/jobs/ann-job/leads").status_code == 200
    assert sue.get("/jobs/bob-job").status_code == 200


def test_a_tampered_session_cookie_is_not_a_sign_in(make_client: MakeClient) -> None:
    ann = make_client("ann")
    cookie = ann.cookies.get(SESSION_COOKIE)
    assert cookie
    data, _, rest = cookie.partition(".")  # base64 session data, then timestamp and signature
    assert data and rest
    forged = data[:-2] + ("AA" if data[-2:] != "AA" else "BB") + "." + rest
    ann.cookies.clear()
    ann.cookies.set(SESSION_COOKIE, forged)
    assert ann.get("/jobs", follow_redirects=False).status_code == 303
    # a cookie signed by another server (another secret) is refused too
    other = make_client()
    other.cookies.clear()
    other.cookies.set(SESSION_COOKIE, cookie)
    assert other.get("/jobs", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session(make_client: MakeClient) -> None:
    ann = make_client("ann")
    token = re.search(r'name="csrf_token" value="([^"]+)"', ann.get("/jobs").text)
    assert token
    response = ann.post("/logout", data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert response.headers["location"] == "/login"
    assert ann.get("/jobs", follow_redirects=False).status_code == 303


def test_a_removed_account_loses_its_session(
    make_client: MakeClient, classroom: tuple[Path, str]
) -> None:
    db = Store(classroom[1])
    accounts = Accounts(db)
    accounts.add_user("tmp", "trainee", "temporary-pass")
    PASSWORDS["tmp"] = "temporary-pass"
    client = make_client("tmp")
    assert client.get("/jobs", follow_redirects=False).status_code == 200
    accounts.remove_user("tmp")
    db.close()
    assert client.get("/jobs", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("name", "role", "password", "why"),
    [
        ("ann", "trainee", "long-enough-1", "exists"),
        ("new one", "trainee", "long-enough-1", "user name"),
        ("carl", "admin", "long-enough-1", "role"),
        ("carl", "trainee", "short", "at least"),
    ],
)
def test_bad_accounts_are_refused(
    classroom: tuple[Path, str], name: str, role: str, password: str, why: str
) -> None:
    db = Store(classroom[1])
    try:
        with pytest.raises(AccountError, match=why):
            Accounts(db).add_user(name, role, password)
    finally:
        db.close()


# -- the commands ---------------------------------------------------------------------------
def test_user_add_and_list(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    added = runner.invoke(
        cli_app,
        ["user", "add", "tina", "--role", "supervisor", "--store", store, "--password-stdin"],
        input="a-good-password\n",
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(cli_app, ["user", "list", "--store", store])
    assert listed.output.splitlines() == ["tina (supervisor)"]
    db = Store(store)
    assert Accounts(db).authenticate("tina", "a-good-password") is not None
    assert Accounts(db).authenticate("tina", "a-good-password\n") is None
    db.close()


def run_main(args: list[str], stdin: str = "") -> tuple[int, str]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "leadharvest", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["serve", "--host", "0.0.0.0"], "", "add --accounts"),  # noqa: S104
        (["serve", "--accounts"], "", "no accounts yet"),
        (["user", "add", "x", "--password-stdin"], "short\n", "at least 8"),
        (["user", "add", "x", "--role", "boss", "--password-stdin"], "long-enough\n", "role"),
        (["user", "remove", "nobody"], "", "no user"),
    ],
)
def test_commands_refuse_bad_input_in_one_line(
    tmp_path: Path, args: list[str], stdin: str, message: str
) -> None:
    code, err = run_main([*args, "--store", str(tmp_path / "s.db")], stdin)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("https", [False, True])
def test_cookies_are_secure_when_served_over_https(
    classroom: tuple[Path, str], https: bool
) -> None:
    out, store = classroom
    config = WebConfig(store=store, out=out, accounts=True, https=https)
    with TestClient(create_app(config), base_url="https://testserver") as client:
        response = sign_in(client, "ann", PASSWORDS["ann"])
        assert response.status_code == 303
        session = response.headers["set-cookie"].lower()
        assert session.startswith("leadharvest_session=")
        assert ("; secure" in session) is https
        assert "samesite=strict" in session and "httponly" in session
        lang = client.get("/lang/zh", follow_redirects=False).headers["set-cookie"].lower()
        assert ("; secure" in lang) is https
        hsts = client.get("/login").headers.get("strict-transport-security")
        assert (hsts == "max-age=31536000") is https
