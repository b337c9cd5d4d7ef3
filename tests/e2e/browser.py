"""Driving the staff console in Debian's Chromium with Playwright (no browser download).

Playwright's own browser build cannot be fetched here, so the tests launch the system
Chromium (`make test` installs it when missing).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.stack import TIEPDAN, Stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every staff account the browser tests create gets this password.
PASSWORD = "Mat-khau-e2e-2026"


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on the way out."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test` or `apt-get install chromium`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def fresh_context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A context of its own (no cookies shared with other tests), in Vietnamese."""
    context = browser.new_context(
        base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


@contextlib.contextmanager
def adding_staff(
    stack: Stack, accounts: Sequence[tuple[str, str, str | None, str]]
) -> Iterator[None]:
    """Create accounts (username, role, unit, display name) with `tiepdan staff add`, all
    at once in the background while the body runs; every one must have succeeded at the end."""
    processes = []
    for username, role, unit, name in accounts:
        command = [TIEPDAN, "staff", "add", username, "--role", role, "--name", name]
        command += ["--password-stdin"] + (["--unit", unit] if unit else [])
        process = subprocess.Popen(
            command,
            env=stack.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdin is not None
        process.stdin.write(PASSWORD + "\n")
        process.stdin.close()
        processes.append(process)
    try:
        yield
    finally:
        for process in processes:
            output = process.stdout.read() if process.stdout else ""
            assert process.wait(60) == 0, output
            if process.stdout:
                process.stdout.close()


def log_in(page: Page, username: str, password: str = PASSWORD) -> Page:
    """Fill and send the log-in form; returns the page the console went on to."""
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form[action='/login'] button[type=submit]").click()
    return page
