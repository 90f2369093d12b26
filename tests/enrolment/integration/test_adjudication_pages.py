"""The adjudication pages: the queue, the side-by-side comparison (verdicts, not values) and
the decision form with its CSRF token, errors next to the fields and what was typed kept."""
import re

from enrolment import domain
from servicekit.access import Role
from tests.enrolment.factories import CLI, request
from tests.identity import TANAH_BUMBU


def csrf(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def queued(runtime) -> tuple[domain.Recording, domain.Recording]:
    first = runtime.service.record_resident(CLI, request(full_name="Rina Marlina", mother_name="Sumiati"))
    second = runtime.service.record_resident(CLI, request(full_name="Rina Marlinah", mother_name="Sumiati"))
    assert second.state is domain.RecordingState.DUPLICATE
    return first, second


def test_the_queue_lists_open_entries_with_reasons_and_a_link_to_decide(runtime, web):
    first, second = queued(runtime)
    page = web(Role.OPERATOR_DINAS).get("/adjudikasi").get_data(as_text=True)
    assert second.register_number in page and first.register_number in page
    assert "Data demografi mirip" in page and f"/adjudikasi/{second.register_number}" in page
    assert "Rina" not in page and second.resident.nik not in page      # no personal data in the queue
    elsewhere = web(Role.OPERATOR_DINAS, TANAH_BUMBU).get("/adjudikasi").get_data(as_text=True)
    assert second.register_number not in elsewhere


def test_the_comparison_shows_which_fields_agree_without_their_values(runtime, web):
    _, second = queued(runtime)
    page = web(Role.OPERATOR_DINAS).get(f"/adjudikasi/{second.register_number}").get_data(as_text=True)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*<td[^>]*>(?:<span[^>]*>)?([^<]+)<', page))
    assert rows["Nama ibu"] == "sama" and rows["Tanggal lahir"] == "sama" and rows["Nama lengkap"] == "mirip"
    assert rows["Nama ayah"].startswith("tidak dibandingkan")
    for personal in ("Rina", "Sumiati", "Kuala Kapuas", second.resident.nik, second.resident.birth_date):
        assert personal not in page


def test_a_refused_decision_is_explained_next_to_the_field_and_keeps_the_note(runtime, web):
    _, second = queued(runtime)
    client, path = web(Role.OPERATOR_DINAS), f"/adjudikasi/{second.register_number}"
    refused = client.post(path, data={"csrf_token": csrf(client, path), "catatan": "Akta lahir sudah dicek"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="keputusan-error"' in page and "Akta lahir sudah dicek" in page
    no_note = client.post(path, data={"csrf_token": csrf(client, path), "keputusan": "FRAUD"})
    assert no_note.status_code == 400 and 'id="catatan-error"' in no_note.get_data(as_text=True)
    assert runtime.service.get_recording(CLI, second.register_number).state is domain.RecordingState.DUPLICATE


def test_a_decision_posted_with_its_token_is_stored_and_shown_in_the_queue(runtime, web):
    _, second = queued(runtime)
    client, path = web(Role.KEPALA_DINAS), f"/adjudikasi/{second.register_number}"
    without_token = client.post(path, data={"keputusan": "DIFFERENT_PERSON", "catatan": "KK berbeda"})
    assert without_token.status_code == 400
    done = client.post(path, data={"csrf_token": csrf(client, path), "keputusan": "DIFFERENT_PERSON",
                                   "catatan": "KK dan akta berbeda"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"diputuskan={second.register_number}")
    assert runtime.service.get_recording(CLI, second.register_number).state is domain.RecordingState.PRINT_READY
    listing = client.get("/adjudikasi?semua=1").get_data(as_text=True)
    assert "Orang berbeda" in listing
    closed = client.get(path).get_data(as_text=True)
    assert "Diputuskan" in closed and "KK dan akta berbeda" in closed and 'name="keputusan"' not in closed


def test_the_recording_page_shows_type_hold_and_failure_reason(runtime, web):
    import datetime as dt
    held = runtime.service.record_resident(CLI, request(birth=dt.date(2010, 1, 1)))
    page = web(Role.OPERATOR_DINAS).get(f"/perekaman/{held.register_number}").get_data(as_text=True)
    assert 'id="ditahan"' in page and "01-01-2027" in page and "Baru" in page
    lurah = web(Role.LURAH, "62.03.01.2001").get(f"/perekaman/{held.register_number}").get_data(as_text=True)
    assert 'id="ditahan"' not in lurah            # the hold date would tell the birth date
