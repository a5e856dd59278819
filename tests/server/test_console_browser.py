"""The reviewer console in a real browser (Playwright driving Debian's Chromium).

A reviewer signs in, works through the inbox, resolves two findings, decides, an admin sees the
audit entry, exports labels and screens an uploaded file; a hostile application renders inert;
the pages fit a 420 px screen and work from the keyboard. Screenshots land in docs/images/ when
SCREENING_SCREENSHOTS is set (how the pictures in docs/console.md are made).
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from consolekit import (
    EXAMPLES,
    PASSWORDS,
    close_clients,
    console_server,
    hostile_application,
    impostor_example,
    submit,
)
from serverkit import Server

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("SCREENING_TEST_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs a browser at {CHROMIUM} (.ci/run installs chromium)")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
Browser, Page = sync_api.Browser, sync_api.Page


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Secure cookies as in production: Chromium treats http://127.0.0.1 as a secure context
    running = console_server(tmp_path_factory.mktemp("browser"), secure=True)
    yield running
    close_clients()
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(
        base_url=str(server.client.base_url), viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    outside: list[str] = []
    dialogs: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(str(server.client.base_url)) else None
        ),
    )
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()
    assert outside == [], f"the page loaded from outside the server: {outside}"
    assert dialogs == [], f"script ran in the page: {dialogs}"


def sign_in(page: Page, name: str) -> None:
    page.goto("/ui/inbox")
    assert "/ui/login" in page.url
    page.fill("#name", name)
    page.fill("#password", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url("**/ui/inbox")


def shot(page: Page, name: str) -> None:
    if os.environ.get("SCREENING_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False)


def test_a_reviewer_works_through_an_application(
    page: Page, server: Server, tmp_path: Path
) -> None:
    app_id = submit(server, impostor_example())
    genuine = yaml.safe_load((EXAMPLES / "genuine-backend-engineer.yml").read_text())
    genuine.pop("resume", None)
    submit(server, json.loads(json.dumps(genuine, default=str)))
    sign_in(page, "alice")
    p = page
    row = p.locator("table.inbox tbody tr", has_text="Jonathan Miller")
    assert "critical" in row.inner_text()
    shot(p, "console-inbox.png")
    row.locator("a").first.click()
    p.wait_for_url(f"**/ui/applications/{app_id}")
    shot(p, "console-application.png")
    read = p.locator("section", has_text="What was read").inner_text()
    assert "Brightwave Digital" in read and "+15125550102" in read  # employment, E.164 phones
    findings = p.locator("article.finding")
    assert findings.count() >= 2
    for index, choice in ((0, "confirmed"), (1, "benign")):
        finding = p.locator("article.finding").nth(index)
        finding.locator("select").select_option(choice)
        finding.locator("input[name=note]").fill(f"checked {index}")
        finding.locator("button").click()
        p.wait_for_load_state()
    resolved = p.locator("article.finding p.resolution").all_inner_texts()
    assert resolved[0].startswith("Resolution: confirmed by alice")
    assert resolved[1].startswith("Resolution: benign — explained by alice")
    p.check("input[name=decision][value=verify_identity]")
    p.fill("#decision-note", "asked for a live video call")
    p.click("#decision button")
    p.wait_for_load_state()
    decision = p.locator("#decision").inner_text()
    assert "verify identity by alice" in decision
    assert "asked for a live video call" in decision
    audit = p.locator("section", has_text="Audit trail of this application").inner_text()
    assert "application.decided" in audit and "finding.resolved" in audit
    p.goto("/ui/inbox?status=decided")
    assert "verify identity" in p.locator("table.inbox").inner_text()
    # export: the decision is still open (verify identity), so no label yet; then escalate
    p.goto(f"/ui/applications/{app_id}")
    p.check("input[name=decision][value=escalate]")
    p.click("#decision button")
    p.wait_for_load_state()
    p.goto("/ui/inbox")
    with p.expect_download() as download:
        p.click("text=Export decisions as labels.csv")
    target = tmp_path / "labels.zip"
    download.value.save_as(target)
    with zipfile.ZipFile(target) as archive:
        labels = archive.read("labels.csv").decode().splitlines()
    assert labels[0] == "file,label" and labels[1].endswith(",impostor")
    p.goto("/ui/rules")
    assert "benign" in p.content().lower()


def test_upload_a_resume_and_see_its_report(page: Page) -> None:
    sign_in(page, "bob")
    p = page
    p.goto("/ui/upload")
    p.set_input_files("#file", str(EXAMPLES / "impostor-many-signals-resume.pdf"))
    p.click("form.stack button")
    p.wait_for_url("**/ui/applications/upload-*")
    p.wait_for_selector("#decision", timeout=180_000)
    assert "Next step:" in p.content()


def test_a_hostile_application_renders_inert(page: Page, server: Server) -> None:
    app_id = submit(server, hostile_application())
    sign_in(page, "bob")
    p = page
    p.goto(f"/ui/applications/{app_id}")
    assert "<script>" in p.locator("h1").inner_text()
    hrefs = p.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert all(h and not h.lower().startswith("javascript:") for h in hrefs)
    assert not any("evil.example" in h for h in hrefs)
    assert p.locator("img").count() == 0
    p.goto(f"/ui/applications/{app_id}/report")
    assert p.locator("script").count() == 0


def test_narrow_screen_and_keyboard(browser: Browser, server: Server) -> None:
    submit(server, impostor_example())
    context = browser.new_context(
        base_url=str(server.client.base_url), viewport={"width": 420, "height": 900}
    )
    p = context.new_page()
    try:
        sign_in(p, "bob")
        for path in ("/ui/inbox", "/ui/applications/native-example-impostor", "/ui/rules"):
            p.goto(path)
            width = p.evaluate("document.documentElement.scrollWidth")
            assert width <= 420, f"{path} scrolls sideways at 420 px ({width} px)"
        p.goto("/ui/inbox")
        p.keyboard.press("Tab")
        assert p.evaluate("document.activeElement.textContent") == "Skip to content"
        p.keyboard.press("Enter")
        assert p.evaluate("document.activeElement.id") == "main"
        # a band is never colour alone: the word is there
        assert p.locator(".band", has_text="critical").count() >= 1
    finally:
        context.close()


def test_csrf_and_missing_sessions_are_refused_in_the_browser(page: Page, server: Server) -> None:
    p = page
    answer = p.request.post(
        "/ui/applications/native-example-impostor/decision",
        form={"decision": "escalate", "csrf": "forged"},
        max_redirects=0,
    )
    assert answer.status == 303 and "/ui/login" in answer.headers["location"]
    sign_in(p, "bob")
    answer = p.request.post(
        "/ui/applications/native-example-impostor/decision",
        form={"decision": "escalate", "csrf": "forged"},
    )
    assert answer.status == 403
