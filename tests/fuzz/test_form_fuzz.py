"""Every HTML form (POST endpoint) of the four services, fuzzed through Flask's test client.

Each form is posted with a valid CSRF token, signed in as a role its access rule admits, with
the form's real field names (from its template and its view) present or missing at random,
random extra fields, and values mixed from random text and plausible ones (region codes,
serials, ids that exist). The answer is never a 5xx, and a 4xx stores nothing: every table of
the service's database has the same row count before and after. The pages (GET) take random
query strings (?wilayah=, ?page=, ?lang=, ...) and never answer 5xx either. The lists of forms
and pages name the tests; each is compared with the apps' url_map, so a new form or page fails
here until it is added (and so fuzzed).
"""
from __future__ import annotations

import functools
import inspect
import io
import pathlib
import re
from dataclasses import dataclass

import pytest
from flask import session, url_for
from flask_wtf.csrf import generate_csrf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicekit.web import OPEN_ENDPOINTS
from tests.fuzz.strategies import EDGE_BYTES, EXPLORE, form_value, text

EXAMPLES = 200
PAGE_EXAMPLES = 50
SERVICES = ("enrolment", "inventory", "documents", "reporting")
ROOT = pathlib.Path(__file__).resolve().parents[2]
QUERY_NAMES = ["wilayah", "region", "kantor", "page", "halaman", "lang", "q", "nomor", "status", "jenis", "tahun"]

_FORM_BLOCK = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_ACTION = re.compile(r"url_for\(\s*'(\w+)'")
_NAME_ATTRIBUTE = re.compile(r'name="([\w\-]+)"')
_MACRO_FIELD = re.compile(r"\{\{\s*[a-z]\w+\(\s*[\"']([a-z][a-z0-9_]*)[\"']")
_UPLOAD = re.compile(r"upload\(\s*[\"'](\w+)[\"']|type=\"file\"[^>]*name=\"(\w+)\"")
_READ = re.compile(r"(form|files|args)\.get(?:list)?\(\s*f?[\"']([^\"']+)[\"']|(form|files|args)\[\s*f?[\"']([^\"']+)[\"']")


@dataclass(frozen=True)
class Endpoint:
    service: str
    endpoint: str

    @property
    def id(self) -> str:
        return f"{self.service}.{self.endpoint}"


@functools.cache
def _template_forms(service: str) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """(form fields by the endpoint of the form's action, file fields, every field name) of a
    service's templates; the last also holds the filters of GET forms (?sampai=, ?jenis=)."""
    fields: dict[str, set[str]] = {}
    files: set[str] = set()
    names: set[str] = set()
    for template in (ROOT / "services" / service).rglob("templates/**/*.html"):
        source = template.read_text(encoding="utf-8")
        files.update(a or b for a, b in _UPLOAD.findall(source))
        names.update(_NAME_ATTRIBUTE.findall(source), _MACRO_FIELD.findall(source))
        for attributes, body in _FORM_BLOCK.findall(source):
            for endpoint in _ACTION.findall(attributes):
                fields.setdefault(endpoint, set()).update(_NAME_ATTRIBUTE.findall(body), _MACRO_FIELD.findall(body))
    return fields, files, names - {"csrf_token"}


def _view_reads(app, endpoint: str, kind: str) -> set[str]:
    """The names a view reads from request.form/files ("form") or request.args ("args")."""
    source = inspect.getsource(app.view_functions[endpoint])
    names = set()
    for first_kind, first, second_kind, second in _READ.findall(source):
        found_kind, name = (first_kind, first) if first else (second_kind, second)
        if (found_kind == "args") == (kind == "args"):
            names.add(re.sub(r"\{[^}]*\}", "1", name))   # f"saksi_{i}_nama" -> saksi_1_nama
    return names


def _rules(app, method: str):
    for rule in app.url_map.iter_rules():
        if method in rule.methods and rule.endpoint not in OPEN_ENDPOINTS:
            yield rule


def _form_endpoints(world) -> list[Endpoint]:
    return [Endpoint(name, rule.endpoint) for name in SERVICES
            for rule in _rules(world.services[name].runtime.app, "POST")]


def _signed_in(world, service_name: str, endpoint: str):
    """A test client of the service, signed in as a caller the endpoint's rule admits, holding
    a valid CSRF token in its form session (made the way Flask-WTF makes one)."""
    service = world.services[service_name]
    app = service.runtime.app
    client = service.web_client(service.http_policy.rule(endpoint))
    with app.test_request_context():
        token = generate_csrf()
        raw = session["csrf_token"]
    with client.session_transaction() as form_session:
        form_session["csrf_token"] = raw
    return client, token


def _path_values(world, rule):
    """Values for the rule's path variables (<int:drive_id>, <package_id>): ids that exist, or random ones."""
    values = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
        if converter == "int":
            values[name] = st.integers(0, 2**40) | st.sampled_from([1, 2, 3])
        else:
            values[name] = form_value(name, world.pool).filter(lambda v: v.strip() and "/" not in v)
    return st.fixed_dictionaries(values)


def _url(app, endpoint: str, values: dict, query: dict | None = None) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values, **(query or {}))


@pytest.fixture(scope="module")
def forms(world) -> dict[str, Endpoint]:
    return {f.id: f for f in _form_endpoints(world)}


FORM_IDS = [f"{s}.{e}" for s, e in (
    ("enrolment", "adjudication"), ("enrolment", "close_drive"), ("enrolment", "edit_targets"),
    ("enrolment", "login"), ("enrolment", "logout"), ("enrolment", "open_drive"), ("enrolment", "plan_drive"),
    ("enrolment", "record_form"), ("enrolment", "search"),
    ("inventory", "change_procurement_status"), ("inventory", "create_blank_request"),
    ("inventory", "create_procurement"), ("inventory", "decide_blank_request"), ("inventory", "receive_blank_request"),
    ("inventory", "record_count"), ("inventory", "record_delivery"), ("inventory", "spoil_blanks"),
    ("inventory", "withdraw_blank_request"),
    ("documents", "batch_sheet"), ("documents", "create_batches"), ("documents", "create_shortage_letters"),
    ("documents", "dispatch_batch"), ("documents", "hand_over_card"), ("documents", "issue_suket"),
    ("documents", "office_policy"), ("documents", "print_backlog"), ("documents", "receive_batch"),
    ("documents", "renew_suket"), ("documents", "reprint_card"), ("documents", "verification"),
    ("documents", "void_document"))]


def test_the_fuzzed_forms_are_all_the_forms(forms):
    """FORM_IDS names the tests; the url_map says what there is to fuzz (31 POST endpoints)."""
    assert sorted(forms) == sorted(FORM_IDS)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_fuzzed_forms_never_answer_5xx_and_a_4xx_stores_nothing(world, forms, form_id):
    form = forms[form_id]
    service = world.services[form.service]
    app = service.runtime.app
    [rule] = [r for r in _rules(app, "POST") if r.endpoint == form.endpoint]
    by_action, file_fields, _ = _template_forms(form.service)
    own = sorted(by_action.get(form.endpoint, set()) | _view_reads(app, form.endpoint, "form"))
    others = sorted(set().union(*by_action.values()) - set(own))
    uploads = sorted(set(own) & file_fields)
    client, csrf = _signed_in(world, form.service, form.endpoint)

    wild = st.fixed_dictionaries({}, optional={name: form_value(name, world.pool) for name in own})
    careful = st.fixed_dictionaries({name: form_value(name, world.pool, careful=True) for name in own
                                     if name not in uploads})
    fields = st.one_of(wild, wild, careful)   # one in three: every field plausible, to get past the checks
    extra = st.dictionaries(st.sampled_from(others) | text().filter(lambda n: n != "csrf_token") if others
                            else text().filter(lambda n: n != "csrf_token"), text(), max_size=2)
    files = st.fixed_dictionaries({}, optional={name: st.sampled_from(EDGE_BYTES) | st.binary(max_size=64)
                                                for name in uploads})

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not EXPLORE, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(path=_path_values(world, rule), values=fields, more=extra, upload=files)
    def check(path, values, more, upload):
        data = {**more, **values, "csrf_token": csrf}
        data.update({name: (io.BytesIO(content), f"{name}.bin") for name, content in upload.items()})
        before = service.rows()
        response = client.post(_url(app, form.endpoint, path), data=data,
                               content_type="multipart/form-data" if upload else None)
        assert response.status_code < 500, f"{form_id} answered {response.status_code} to {path} {data}"
        if 400 <= response.status_code < 500:
            assert service.rows() == before, f"{form_id} answered {response.status_code} but stored rows"

    check()


def _page_endpoints() -> list[str]:
    return [f"{s}.{e}" for s, e in (
        ("enrolment", "index"), ("enrolment", "login"), ("enrolment", "logout"), ("enrolment", "find_recording"),
        ("enrolment", "recording"), ("enrolment", "record_form"), ("enrolment", "search"), ("enrolment", "targets"),
        ("enrolment", "edit_targets"), ("enrolment", "drives"), ("enrolment", "plan_drive"), ("enrolment", "drive"),
        ("enrolment", "open_drive"), ("enrolment", "close_drive"), ("enrolment", "adjudications"),
        ("enrolment", "adjudication"),
        ("inventory", "index"), ("inventory", "procurement_board"), ("inventory", "procurement_package"),
        ("inventory", "blank_requests"), ("inventory", "blank_request"), ("inventory", "stock_announcement"),
        ("inventory", "stock_offices"), ("inventory", "ledger_page"), ("inventory", "spoil_form"),
        ("inventory", "count_form"),
        ("documents", "index"), ("documents", "document_pdf"), ("documents", "verification"), ("documents", "jwks"),
        ("documents", "void_document"), ("documents", "print_queue"), ("documents", "shortage_letters"),
        ("documents", "shortage_letter_pdf"), ("documents", "shortage_dispatch_pdf"), ("documents", "distribution"),
        ("documents", "batch_detail"), ("documents", "batch_manifest_pdf"), ("documents", "batch_receipt_pdf"),
        ("reporting", "coverage_page"), ("reporting", "funnel_page"), ("reporting", "stock_page"),
        ("reporting", "drives_page"), ("reporting", "voters_page"))]


PAGE_IDS = _page_endpoints()


def test_the_fuzzed_pages_are_all_the_pages(world):
    pages = [f"{name}.{rule.endpoint}" for name in SERVICES for rule in _rules(world.services[name].runtime.app, "GET")]
    assert sorted(pages) == sorted(PAGE_IDS)


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_pages_with_random_query_strings_never_answer_5xx(world, page_id):
    service_name, endpoint = page_id.split(".", 1)
    service = world.services[service_name]
    app = service.runtime.app
    [rule] = [r for r in _rules(app, "GET") if r.endpoint == endpoint]
    names = sorted(set(QUERY_NAMES) | _view_reads(app, endpoint, "args") | _template_forms(service_name)[2])
    client = service.web_client(service.http_policy.rule(endpoint))
    odd = st.sampled_from(["id", "en", "fr", "62.03", "-1", "0", "99999999999999999999"])
    query = st.lists(st.sampled_from(names) | text(), max_size=4, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({key: form_value(key, world.pool) | odd for key in keys}))

    @settings(max_examples=PAGE_EXAMPLES, deadline=None, derandomize=not EXPLORE, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(path=_path_values(world, rule), args=query)
    def check(path, args):
        query = {k: v for k, v in args.items() if k not in path and not k.startswith("_")}   # url_for's own: _anchor
        response = client.get(_url(app, endpoint, path, query))
        assert response.status_code < 500, f"{page_id} answered {response.status_code} to {path} {args}"

    check()


def test_the_ledger_page_up_to_the_last_day_there_is_is_a_400(world):
    """Found by the RPC fuzzer (ListLedger until=9999-12-31: OverflowError, INTERNAL); the page
    takes the same filter from ?sampai=, and now both refuse it as a field error."""
    service = world.services["inventory"]
    client = service.web_client(service.http_policy.rule("ledger_page"))
    assert client.get("/stok/62.03/buku?sampai=9999-12-31").status_code == 400
    assert client.get("/stok/62.03/buku?sampai=9999-12-30").status_code == 200
