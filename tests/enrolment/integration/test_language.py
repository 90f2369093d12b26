"""Bahasa Indonesia first, English on request (Flask-Babel): `?lang=en` switches any page and
the choice is remembered in a cookie; the English catalogues cover every marked string and the
committed .mo files are what the .po files compile to."""
from __future__ import annotations

import re

import pytest

from servicekit.access import Role
from servicekit.web import LANGUAGE_COOKIE
from tools import translations


def test_pages_are_in_bahasa_indonesia_by_default(runtime, web):
    page = web().get("/rekam").get_data(as_text=True)

    assert '<html lang="id">' in page
    assert "Nama lengkap" in page and "Simpan perekaman" in page and "Full name" not in page


def test_the_english_switch_translates_the_page_and_is_remembered(runtime, web):
    client = web()
    switched = client.get("/rekam?lang=en")

    assert switched.status_code == 200
    assert LANGUAGE_COOKIE + "=en" in switched.headers["Set-Cookie"]
    page = client.get("/rekam").get_data(as_text=True)   # no ?lang: the cookie keeps English
    assert '<html lang="en">' in page
    assert "Full name" in page and "Save the recording" in page and "Record a resident" in page
    assert ">Log out<" in page and ">Recording<" in page   # the shared navigation bar too
    back = client.get("/rekam?lang=id").get_data(as_text=True)
    assert "Nama lengkap" in back and "Full name" not in back


def test_the_switch_links_keep_the_page_and_its_query(runtime, web):
    page = web().get("/perekaman?nomor=6203-2026").get_data(as_text=True)

    links = dict(re.findall(r'hreflang="(id|en)" href="([^"]+)"', page))
    assert links["en"].replace("&amp;", "&") == "/perekaman?nomor=6203-2026&lang=en"


def test_an_unknown_language_falls_back_to_bahasa_indonesia(runtime, web):
    response = web().get("/cari?lang=xx")

    assert '<html lang="id">' in response.get_data(as_text=True)
    assert LANGUAGE_COOKIE not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("path", ["/", "/rekam", "/cari", "/masuk", "/keluar"])
def test_no_marked_indonesian_text_is_left_on_an_english_page(runtime, web, path):
    """Catches a catalogue that is not loaded (the page falls back to the Indonesian source)."""
    page = web(Role.OPERATOR_DINAS, "62.03").get(path + "?lang=en").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", page.split("<body>")[1])
    catalogue = {m.id: m.string for package in translations.PACKAGES for m in translations.read(package)
                 if m.id and isinstance(m.id, str)}
    left = [msgid for msgid, english in catalogue.items()
            if len(msgid) > 12 and msgid != english and "%(" not in msgid and msgid in text]
    assert left == []


@pytest.mark.parametrize("package", translations.PACKAGES, ids=lambda p: p.name)
def test_every_marked_string_has_an_english_translation(package):
    assert translations.untranslated(package) == [], "run python -m tools.translations update, then translate"


@pytest.mark.parametrize("package", translations.PACKAGES, ids=lambda p: p.name)
def test_the_committed_catalogue_is_compiled_from_its_po(package):
    assert not translations.stale(package), "run python -m tools.translations compile"
