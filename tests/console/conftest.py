"""Fixtures: the console app on a migrated database with the units and a few staff."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.console.app import create_app
from bot.db import session_factory
from bot.settings import Settings
from bot.staff.roles import Role
from bot.staff.service import add_staff
from bot.units.service import import_units, read_units_file

PASSWORD = "mat-khau-thu-nghiem-1"
# username → (role, unit)
STAFF = {
    "canbo.qh": (Role.OFFICER, "QH"),
    "canbo2.qh": (Role.OFFICER, "QH"),
    "canbo.cp": (Role.OFFICER, "CP"),
    "lanhdao.qh": (Role.LEADER, "QH"),
    "lanhdao.all": (Role.LEADER, None),
    "quantri": (Role.ADMIN, None),
}


@pytest.fixture
def console_settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings for a console on the test database."""
    with session_factory(db_url)() as session, session.begin():
        import_units(session=session, rows=read_units_file())
        for username, (role, unit) in STAFF.items():
            add_staff(
                session=session, username=username, password=PASSWORD, role=role, unit_code=unit
            )
    return Settings(database_url=db_url, var_dir=tmp_path / "var")


def make_client(settings: Settings) -> httpx.AsyncClient:
    """An HTTP client talking to a console app in process."""
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")


@pytest.fixture
async def client(console_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the console (not logged in)."""
    async with make_client(console_settings) as test_client:
        yield test_client


async def csrf_token(client: httpx.AsyncClient, path: str = "/login") -> str:
    """The CSRF token of a page's form (the cookie is set on the client as a side effect)."""
    html = (await client.get(path)).text
    match = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> None:
    """Log in through the form; fails the test if it does not work."""
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={"username": username, "password": password, "csrftoken": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


# --- Issue 9: the FAQ knowledge (answers, topics, examples) for the admin pages' tests ---
@pytest.fixture
def knowledge(console_settings: Settings) -> Settings:
    """The console's database with the repository's answers, topics and examples."""
    from bot.faq.examples import seed_examples
    from bot.faq.service import import_answers, read_answer_files
    from bot.faq.topics import import_topics, read_topics_file

    with session_factory(console_settings.database_url)() as session, session.begin():
        import_topics(session=session, rows=read_topics_file())
        import_answers(session=session, answers=read_answer_files())
        seed_examples(session=session)
    return console_settings
