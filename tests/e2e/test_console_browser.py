"""The staff console in a real browser (Debian's Chromium) against the real `tiepdan run`.

Cases are lodged by a citizen through the sandbox and the real bot; staff accounts are
made with `tiepdan staff add`; replies must reach the citizen's chat through the outbox.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.cases.clock import local_today
from bot.texts import case_page as page_texts
from bot.texts import console as console_texts
from bot.texts.workflow import ERRORS
from tests.e2e.browser import adding_staff, chromium, fresh_context, log_in
from tests.e2e.intake import answer, press, stored_cases, summary_confirm, through_where
from tests.e2e.stack import Citizen, Stack

SCRIPT = "<script>alert(1)</script>"
PETITION = f"Cột điện nghiêng {SCRIPT} trước nhà số 12, tổ 7, sắp đổ"
DENOUNCER = {"name": "Lê Văn Cường", "phone": "0987654321", "id_number": "034099001122"}
REPLY = "Kính gửi ông/bà: tổ dân phố sẽ dựng lại cột điện trong tuần này."
PETITION_CHAT, DENUNCIATION_CHAT = 5101, 5102
STAFF = [  # username, role, unit, display name
    ("lanhdao.qh", "leader", "QH", "Phạm Minh Đức"),
    ("canbo.qh", "officer", "QH", "Nguyễn Văn An"),
    ("canbo2.qh", "officer", "QH", "Trần Thị Hoa"),
    ("canbo.cp", "officer", "CP", "Vũ Thị Mai"),
]

NewPage = Callable[[], Page]
OpenAs = Callable[[str], Page]


@dataclass(frozen=True)
class Lodged:
    """The two cases the citizens lodged, by code."""

    petition: str
    denunciation: str


def lodge_petition(citizen: Citizen) -> None:
    """An anonymous phản ánh in Quang Hanh whose content carries a <script> tag."""
    ask_location = through_where(citizen, answer(citizen, "/phananh"), "phan_anh")
    identity = press(citizen, ask_location, "case:skip")
    press(citizen, identity, "case:anon:yes")
    files = press(citizen, answer(citizen, PETITION), "case:done")
    summary_confirm(citizen, press(citizen, files, "case:done"))


def lodge_denunciation(citizen: Citizen) -> None:
    """A tố cáo in Quang Hanh with the denouncer's name, phone and ID number."""
    ask_location = through_where(citizen, answer(citizen, "/phananh"), "to_cao")
    press(citizen, press(citizen, ask_location, "case:skip"), "case:anon:no")
    for text in [*DENOUNCER.values(), "thôn Hà Thành, xã Hải Hòa"]:
        answer(citizen, text)
    answer(citizen, "ông X, cán bộ địa chính phường")
    press(citizen, answer(citizen, "nhận tiền để làm nhanh hồ sơ đất"), "case:done")
    summary_confirm(citizen, press(citizen, answer(citizen, "tháng 10/2026"), "case:done"))


@pytest.fixture(scope="module")
def lodged(stack: Stack) -> Lodged:
    """Staff accounts, and one case of each citizen lodged through the real bot."""
    with adding_staff(stack, STAFF):
        lodge_petition(Citizen(stack, chat_id=PETITION_CHAT))
        lodge_denunciation(Citizen(stack, chat_id=DENUNCIATION_CHAT))
    codes = {case.chat_id: case.code for case in stored_cases(stack)}
    return Lodged(petition=codes[PETITION_CHAT], denunciation=codes[DENUNCIATION_CHAT])


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def new_page(browser: Browser, stack: Stack, lodged: Lodged) -> Iterator[NewPage]:
    """Pages of this test, each in a browser context of its own (no shared cookies)."""
    del lodged  # the staff accounts exist
    with contextlib.ExitStack() as contexts:

        def open_page() -> Page:
            context = contexts.enter_context(fresh_context(browser, stack.console))
            return context.new_page()

        yield open_page


@pytest.fixture
def open_as(new_page: NewPage) -> OpenAs:
    """A page logged in as `username`; confirmation dialogs are accepted."""

    def open_page(username: str) -> Page:
        page = new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return log_in(page, username)

    return open_page


def case_link(page: Page, code: str) -> Locator:
    return page.get_by_role("link", name=code, exact=True)


def form(page: Page, action: str) -> Locator:
    """The case page's form posting to /cases/<CODE>/<action>."""
    return page.locator(f"form[action$='/{action}']")


def choose(select: Locator, text: str) -> None:
    """Pick the option whose label contains `text` (labels may add a unit or a count)."""
    value = select.locator("option", has_text=text).first.get_attribute("value")
    assert value is not None, f"no option with {text!r}"
    select.select_option(value)


def filter_inbox(page: Page, **fields: str) -> None:
    """Set the inbox filters (selects by value, inputs by text) and send the form."""
    filters = page.locator("form.filters")
    for name, value in fields.items():
        field = filters.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        filters.locator("button[type=submit]").first.click()


def chat_texts(stack: Stack, chat_id: int) -> list[str]:
    """Everything the bot has sent to this sandbox chat so far."""
    messages = httpx.get(f"{stack.api}/messages", params={"chat_id": chat_id, "after": 0}).json()
    return [str(message["text"]) for message in messages]


def test_log_in_refuses_a_wrong_password_then_opens_the_inbox(new_page: NewPage) -> None:
    page = new_page()
    page.goto("/cases")
    expect(page).to_have_url(re.compile(r"/login"))
    log_in(page, "canbo.qh", "sai-mat-khau-roi")
    expect(page.get_by_text(console_texts.LOGIN_BAD)).to_be_visible()
    expect(page.locator("input[name=username]")).to_have_value("canbo.qh")
    log_in(page, "canbo.qh")
    expect(page).to_have_url(re.compile(r"/cases$"))
    expect(page.get_by_role("heading", name=console_texts.NAV_INBOX)).to_be_visible()
    expect(page.locator("header .person")).to_contain_text("Nguyễn Văn An")


def test_inbox_filters_and_searches_with_and_without_diacritics(
    open_as: OpenAs, lodged: Lodged
) -> None:
    page = open_as("lanhdao.qh")
    for words in ["Cột điện nghiêng", "cot dien nghieng", "COT DIEN"]:
        filter_inbox(page, q=words)
        expect(case_link(page, lodged.petition)).to_be_visible()
        expect(case_link(page, lodged.denunciation)).to_have_count(0)
    filter_inbox(page, q="", kind="to_cao")
    expect(case_link(page, lodged.denunciation)).to_be_visible()
    expect(case_link(page, lodged.petition)).to_have_count(0)
    filter_inbox(page, kind="phan_anh", status="received")
    expect(case_link(page, lodged.petition)).to_be_visible()
    expect(case_link(page, lodged.denunciation)).to_have_count(0)
    filter_inbox(page, kind="", status="closed")
    expect(case_link(page, lodged.petition)).to_have_count(0)
    today = local_today()
    filter_inbox(page, status="all", **{"from": today.isoformat(), "to": today.isoformat()})
    expect(case_link(page, lodged.petition)).to_be_visible()
    filter_inbox(page, **{"from": (today + timedelta(days=1)).isoformat(), "to": ""})
    expect(case_link(page, lodged.petition)).to_have_count(0)


def test_a_citizens_script_shows_as_text_in_the_inbox_and_on_the_case_page(
    open_as: OpenAs, lodged: Lodged
) -> None:
    page = open_as("canbo.qh")
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog))
    filter_inbox(page, q="cot dien nghieng")
    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    case_link(page, lodged.petition).click()
    expect(page).to_have_url(re.compile(f"/cases/{lodged.petition}$"))
    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    injected = "() => [...document.scripts].filter(s => s.textContent.includes('alert(1)')).length"
    assert page.evaluate(injected) == 0
    assert [d.type for d in dialogs if d.type == "alert"] == []


def test_assign_status_and_reply_reach_the_citizen(
    open_as: OpenAs, lodged: Lodged, stack: Stack, tmp_path: Path
) -> None:
    leader = open_as("lanhdao.qh")
    leader.goto(f"/cases/{lodged.petition}")
    choose(form(leader, "assign").locator("select[name=assignee]"), "Nguyễn Văn An")
    form(leader, "assign").locator("button[type=submit]").click()
    expect(leader.get_by_text(page_texts.DONE["assign"])).to_be_visible()

    officer = open_as("canbo.qh")
    officer.goto(f"/cases/{lodged.petition}")
    status = form(officer, "status")
    status.locator("select[name=status]").select_option("not_accepted")
    status.locator("[name=note]").fill("Đã xem xét đơn của ông/bà.")
    status.locator("button[type=submit]").click()
    expect(officer.get_by_text(ERRORS["reason_required"])).to_be_visible()
    expect(form(officer, "status").locator("[name=note]")).to_have_value(
        "Đã xem xét đơn của ông/bà."
    )
    status = form(officer, "status")
    status.locator("select[name=status]").select_option("accepted")
    status.locator("[name=note]").fill("Đơn đã được thụ lý.")
    status.locator("button[type=submit]").click()
    expect(officer.get_by_text(page_texts.DONE["status"])).to_be_visible()
    expect(officer.get_by_text(console_texts.STATUS_LABELS["accepted"]).first).to_be_visible()

    form(officer, "reply").locator("textarea[name=reply]").fill(REPLY)
    form(officer, "reply").locator("button[type=submit]").click()
    expect(officer.get_by_text(page_texts.DONE["reply"])).to_be_visible()
    expect(officer.get_by_text(REPLY).first).to_be_visible()
    shot = tmp_path / "case.png"
    officer.screenshot(path=str(shot), full_page=True)
    print(f"case page screenshot: {shot}")
    officer.goto("/cases")
    filter_inbox(officer, assignee="me", status="accepted")
    expect(case_link(officer, lodged.petition)).to_be_visible()
    deadline = time.monotonic() + 20
    while not any(REPLY in text for text in chat_texts(stack, PETITION_CHAT)):
        assert time.monotonic() < deadline, chat_texts(stack, PETITION_CHAT)
        time.sleep(0.2)


def test_an_officer_of_another_unit_gets_403(open_as: OpenAs, lodged: Lodged) -> None:
    page = open_as("canbo.cp")
    response = page.goto(f"/cases/{lodged.petition}")
    assert response is not None and response.status == 403
    expect(page.get_by_text(console_texts.FORBIDDEN)).to_be_visible()
    page.goto("/cases")
    filter_inbox(page, q="cot dien nghieng")
    expect(case_link(page, lodged.petition)).to_have_count(0)


def test_a_denouncers_identity_stays_masked_until_the_unit_leader_reveals_it(
    open_as: OpenAs, lodged: Lodged, stack: Stack
) -> None:
    officer = open_as("canbo2.qh")
    officer.goto(f"/cases/{lodged.denunciation}")
    expect(officer.get_by_text(console_texts.MASKED).first).to_be_visible()
    html = officer.content()
    assert [value for value in DENOUNCER.values() if value in html] == []
    expect(officer.get_by_role("button", name=re.compile("^Hiện danh tính"))).to_have_count(0)

    leader = open_as("lanhdao.qh")
    leader.goto(f"/cases/{lodged.denunciation}")
    assert DENOUNCER["name"] not in leader.content()
    leader.get_by_role("button", name=re.compile("^Hiện danh tính")).click()
    expect(leader.get_by_text(page_texts.REVEALED_NOTE)).to_be_visible()
    for value in DENOUNCER.values():
        expect(leader.get_by_text(value).first).to_be_visible()
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        reveals = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "reveal_identity"))
        )
    engine.dispose()
    who = [(entry.actor, entry.target_type, entry.target_id) for entry in reveals]
    assert who == [("staff:lanhdao.qh", "case", lodged.denunciation)]
