"""The targets and pick-up drive pages in a real browser (the machine's Chromium): a Dinas
officer edits a wajib-KTP target (a wrong number is explained next to its field), plans a drive
to the proposed lowest-coverage desa, opens it, and closes it with its reconciliation.

One enrolment runtime in this process (its pages are all that is exercised) with the officer's
session cookie set in the browser, as the login page would set it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from enrolment.domain import RecordingRequest
from servicekit.access import Role
from servicekit.web import SESSION_COOKIE
from tests.enrolment.factories import CLI, request
from tests.enrolment.integration.conftest import build_runtime, stop_runtime
from tests.identity import TestIdentity

pytestmark = pytest.mark.e2e

KAPUAS, SELAT, MURUNG, KELURAHAN = "62.03", "62.03.01", "62.03.01.1006", "62.03.01.1002"


@pytest.fixture
def enrolment(tmp_path):
    runtime = build_runtime(f"sqlite:///{tmp_path / 'enrolment.db'}", tmp_path)
    runtime.accounts.create(CLI, "kapuas.operator", "operator_dinas", KAPUAS, "kata-sandi-uji-123")
    runtime.service.set_targets([(MURUNG, 40), (KELURAHAN, 40), ("62.03.01.2001", 10)])
    for _ in range(20):   # the kelurahan is half done; Murung Keramat has the lowest coverage
        runtime.service.record_resident(CLI, request(region_code=KELURAHAN))
    yield runtime
    stop_runtime(runtime)


@pytest.fixture
def officer_page(browser, enrolment, tmp_path):
    base = f"http://127.0.0.1:{enrolment.process.http.port}"
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="id-ID")
    token = TestIdentity(tmp_path / "keys").officer(Role.OPERATOR_DINAS, KAPUAS, subject="kapuas.operator")
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": base}])
    page = context.new_page()
    page.base = base
    yield page
    context.close()


def test_an_officer_edits_a_target_and_a_wrong_number_is_explained_next_to_it(officer_page, enrolment):
    page = officer_page
    page.goto(page.base + f"/target?wilayah={KAPUAS}")
    page.get_by_role("link", name="Selat", exact=True).click()
    expect(page).to_have_url(re.compile(rf"wilayah={re.escape(SELAT)}$"))
    page.get_by_role("link", name="Ubah target").click()
    field = page.get_by_label("Murung Keramat")
    field.fill("empat puluh")
    page.get_by_role("button", name="Simpan target").click()
    expect(page.locator(f'[id="wajib_ktp-{MURUNG}-error"]')).to_be_visible()
    expect(page.get_by_label("Murung Keramat")).to_have_value("empat puluh")
    expect(page.get_by_label("Murung Keramat")).to_have_class(re.compile("is-invalid"))
    page.get_by_label("Murung Keramat").fill("1.250")
    page.get_by_role("button", name="Simpan target").click()
    expect(page.locator("#targets-saved")).to_contain_text("1 wilayah berubah")
    expect(page.locator("#targets")).to_contain_text("1.250")
    assert {t.region_code: t.wajib_ktp for t in enrolment.service.list_targets(CLI, SELAT)}[MURUNG] == 1250


def test_an_officer_plans_opens_records_under_and_closes_a_drive(officer_page, enrolment):
    page = officer_page
    page.goto(page.base + "/")
    page.get_by_role("link", name="Jemput bola").click()
    page.get_by_role("link", name="Rencanakan jemput bola").click()
    proposed = page.locator(f'[id="desa-{MURUNG}"]')
    expect(proposed).to_be_checked()                                   # the lowest coverage, proposed
    expect(page.locator("#coverage tbody tr").first).to_contain_text("Murung Keramat")
    page.get_by_label("Tanggal").fill("2026-11-01")                    # in the past
    page.get_by_role("button", name="Simpan rencana").click()
    expect(page.locator("#tanggal-error")).to_be_visible()
    page.get_by_label("Tanggal").fill("2026-12-02")
    page.get_by_role("button", name="Simpan rencana").click()
    expect(page.locator("#drive-state")).to_have_text("Direncanakan")
    drive_id = int(re.search(r"/jemput-bola/(\d+)$", page.url).group(1))

    page.get_by_role("link", name="Buka jemput bola").click()
    page.get_by_role("button", name="Ya, buka").click()
    expect(page.locator("#drive-state")).to_have_text("Dibuka (merekam)")
    under = request(region_code=MURUNG)
    enrolment.service.record_resident(CLI, RecordingRequest(under.resident, under.office_code, under.biometrics,
                                                            drive_id=drive_id))
    page.reload()
    expect(page.locator("#total-recorded")).to_have_text("1")          # the tally so far

    page.get_by_role("link", name="Tutup jemput bola").click()
    page.get_by_role("button", name="Ya, tutup dan simpan rekonsiliasi").click()
    expect(page.locator("#drive-state")).to_have_text("Ditutup")
    expect(page.get_by_role("heading", name="Rekonsiliasi")).to_be_visible()
    expect(page.locator("#total-planned")).to_have_text("70")            # 40 + 20 + 10 still to record
    expect(page.locator("#total-recorded")).to_have_text("1")
    expect(page.locator("#total-failed")).to_have_text("0")
    expect(page.get_by_role("link", name="Tutup jemput bola")).to_have_count(0)
    page.screenshot(path=str(enrolment.settings.var_dir / "drive-closed.png"), full_page=True)
