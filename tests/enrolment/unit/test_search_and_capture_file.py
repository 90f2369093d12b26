"""Pure rules of the search (name words, what a search must ask for) and the capture device's
export file."""
from __future__ import annotations

import pytest

from enrolment import capture_file, domain
from enrolment.domain import Modality, ModalityQuality
from tests.enrolment.factories import digest


@pytest.mark.parametrize(("name", "tokens"), [
    ("Siti Nur'aini-Hasan", ["siti", "nur", "aini", "hasan"]),
    ("  BUDI   santoso ", ["budi", "santoso"]),
    ("Muhammad Muhammad", ["muhammad"]),
    ("Ni Luh Putu Ayu Ástuti", ["ni", "luh", "putu", "ayu", "astuti"]),
    ("I. G. A. Ngurah", ["i", "g", "a", "ngurah"]),
    ("'-- . ,", []),
])
def test_a_name_is_matched_on_its_folded_whole_words(name, tokens):
    assert domain.name_tokens(name) == tokens


@pytest.mark.parametrize(("nik", "name", "page", "fields"), [
    ("6203011705900001", "", 1, []),
    ("", "budi", 3, []),
    ("", "", 1, ["nik"]),
    ("6203011705900001", "budi", 1, ["name"]),
    ("62030117059000", "", 1, ["nik"]),
    ("62030117059000０1", "", 1, ["nik"]),          # a full-width digit is not a NIK digit
    ("", "- -", 1, ["name"]),
    ("", "x" * 101, 1, ["name"]),
    ("", " ".join("abcdefghi"), 1, ["name"]),   # nine words: more than MAX_SEARCH_TOKENS
    ("", "budi", 0, ["page"]),
    ("", "budi", domain.MAX_SEARCH_PAGE + 1, ["page"]),
])
def test_a_search_asks_for_one_nik_or_name_and_a_page_from_one(nik, name, page, fields):
    assert [v.field for v in domain.search_violations(nik=nik, name=name, page=page)] == fields


def test_a_capture_file_gives_the_qualities_and_the_template_digest():
    data = capture_file.export({"FACE": 90, "IRIS_RIGHT": 77}, digest("x"))

    assert capture_file.parse(data) == (
        (ModalityQuality(Modality.FACE, 90), ModalityQuality(Modality.IRIS_RIGHT, 77)), digest("x"))


def test_no_capture_file_means_nothing_captured():
    assert capture_file.parse(b"") == ((), "")


@pytest.mark.parametrize(("data", "says"), [
    (b"\xff\xfe not text", "JSON"),
    (b"[1, 2]", "ektp-capture/1"),
    (b'{"format": "ektp-capture/2"}', "ektp-capture/1"),
    (b'{"format": "ektp-capture/1", "qualities": {"NOSE": 50}}', "tidak dikenal"),
    (b'{"format": "ektp-capture/1", "qualities": {"FACE": "90"}}', "bilangan bulat"),
    (b'{"format": "ektp-capture/1", "qualities": {"FACE": true}}', "bilangan bulat"),
    (b'{"format": "ektp-capture/1", "qualities": [90]}', "pasangan"),
    (b'{"format": "ektp-capture/1", "template_digest": 5}', "heksadesimal"),
    (b" " * 10 + b"{" * (capture_file.MAX_BYTES + 1), "KiB"),
])
def test_a_file_that_is_not_a_capture_export_says_what_is_wrong(data, says):
    with pytest.raises(capture_file.CaptureFileError) as refused:
        capture_file.parse(data)
    assert refused.value.violation.field == capture_file.FIELD and says in refused.value.violation.description
