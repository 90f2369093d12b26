import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from enrolment import db
from enrolment.bootstrap import apply_migrations, build_core
from enrolment.config import Settings
from enrolment.demo import DEMO_NAME, load_demo
from servicekit.access import Role
from servicekit.outbox import last_sequence
from tests.enrolment.factories import CLI, VILLAGE, request
from tests.enrolment.integration.conftest import CHEAP_HASHER


def test_migrations_create_exactly_the_tables_of_db_metadata(database_url):
    apply_migrations(database_url)
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []
    finally:
        engine.dispose()


def test_probes_and_metrics_answer_without_a_session_and_hold_no_personal_data(runtime):
    app_client = runtime.app.test_client()
    recorded = runtime.service.record_resident(CLI, request(full_name="Rahmat Hidayat"))
    assert app_client.get("/healthz").status_code == 200
    ready = app_client.get("/readyz")
    assert ready.status_code == 200 and ready.json == {"status": "ready"}
    metrics = app_client.get("/metrics").get_data(as_text=True)
    assert 'ektp_enrolment_recordings_total{office_code="62.03",state="PRINT_READY"} 1.0' in metrics
    assert "ektp_enrolment_validation_failures_total" in metrics
    assert recorded.resident.nik not in metrics and "Rahmat" not in metrics


def test_home_page_shows_the_kecamatan_of_the_officers_kabupaten(runtime, web):
    runtime.service.set_targets([("62.03.01", 40)])
    runtime.service.record_resident(CLI, request())
    page = web(Role.OPERATOR_KECAMATAN, "62.03.01").get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kabupaten Kapuas" in html and "Selat" in html and "Bataguh" in html
    assert "Siap cetak" in html and ">40<" in html


def test_a_province_wide_officer_sees_a_kabupaten_of_their_own_province(runtime, web):
    assert "Kabupaten Kapuas" in web(Role.ADMIN_PROVINSI, "62").get("/").get_data(as_text=True)
    page = web(Role.AUDITOR, "63").get("/")
    assert page.status_code == 200 and "Kabupaten Tanah Bumbu" in page.get_data(as_text=True)
    assert web(Role.AUDITOR, "63").get("/", query_string={"kantor": "62.03"}).status_code == 403


def test_recording_page_shows_status_and_region_but_no_personal_data(runtime, web):
    recording = runtime.service.record_resident(CLI, request(full_name="Rahmat Hidayat"))
    for role, scope in ((Role.OPERATOR_DINAS, "62.03"), (Role.LURAH, VILLAGE)):
        page = web(role, scope).get(f"/perekaman/{recording.register_number}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Siap cetak" in html and "Desa Uji Satu" in html
        assert recording.resident.nik not in html and "Rahmat" not in html


def test_recording_page_explains_a_malformed_number_and_404s_an_unknown_one(web):
    client = web()
    bad = client.get("/perekaman/abc")
    assert bad.status_code == 400 and "6203-20261128-000001" in bad.get_data(as_text=True)
    assert client.get("/perekaman/6203-20261128-000099").status_code == 404



def test_lookup_form_redirects_to_the_recording_and_explains_bad_input_next_to_the_field(runtime, web):
    recording = runtime.service.record_resident(CLI, request())
    client = web()
    found = client.get("/perekaman", query_string={"nomor": f"  {recording.register_number} "})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/perekaman/{recording.register_number}")
    bad = client.get("/perekaman", query_string={"nomor": "62O3-2026"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'id="nomor-error"' in html and 'value="62O3-2026"' in html
    unknown = client.get("/perekaman", query_string={"nomor": "6203-20261128-000099"})
    assert unknown.status_code == 404 and 'id="nomor-error"' in unknown.get_data(as_text=True)

def test_demo_load_is_idempotent(database_url, tmp_path, capsys):
    core = build_core(Settings(database_url=database_url, var_dir=tmp_path), password_hasher=CHEAP_HASHER)
    try:
        summary = load_demo(CLI, core.service, seed=7, residents=60)
        assert "0 refused" in summary and "synthetic residents" in summary
        assert core.service.demo_loaded(DEMO_NAME)
        events_after_first = last_sequence(core.engine)
        with core.engine.connect() as conn:
            recordings = conn.execute(sa.select(sa.func.count()).select_from(db.recordings)).scalar_one()
        assert recordings >= 60 * 6 // 5 * 8 // 10
        targets = {t.region_code: t.wajib_ktp for t in core.service.list_targets(CLI, "62")}
        assert targets == {"62.03": 60}
        assert load_demo(CLI, core.service, seed=7, residents=60) == "demo data already loaded; nothing changed"
        assert last_sequence(core.engine) == events_after_first
    finally:
        core.engine.dispose()


def test_full_kemendagri_csv_imports_in_one_go_and_reimports_as_no_change(database_url, tmp_path):
    from enrolment.demo import read_regions_csv
    from tests.conftest import SHARED_DATA

    rows = read_regions_csv(SHARED_DATA / "wilayah_kemendagri.csv")
    core = build_core(Settings(database_url=database_url, var_dir=tmp_path), password_hasher=CHEAP_HASHER)
    try:
        first = core.service.import_regions(rows)
        assert (first.inserted, len(rows)) == (91_599, 91_599)
        assert core.service.import_regions(rows).unchanged == 91_599
        assert len(core.service.list_regions(CLI, "62.03")) == 17
    finally:
        core.engine.dispose()
