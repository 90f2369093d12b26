import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrolment import domain
from enrolment.domain import MaritalStatus, RegionLevel, Sex
from tests.enrolment.factories import TODAY, VILLAGE, request

KNOWN = {"62.03.01": RegionLevel.DISTRICT, "62.03": RegionLevel.REGENCY, VILLAGE: RegionLevel.VILLAGE}


def fields(check) -> list[str]:
    return [v.field for v in check.violations]


class TestNik:
    def test_valid_male_nik_matching_the_record_has_no_flags(self):
        check = domain.check_nik("6203011705900001", dt.date(1990, 5, 17), Sex.MALE)
        assert check == domain.NikCheck()

    def test_female_nik_encodes_day_plus_forty(self):
        assert domain.encode_nik("62.03.01", dt.date(1990, 5, 17), Sex.FEMALE, 12) == "6203015705900012"
        assert domain.check_nik("6203015705900012", dt.date(1990, 5, 17), Sex.FEMALE) == domain.NikCheck()

    @pytest.mark.parametrize("nik", ["620301170590000", "62030117059000011", "62030117059O0001", "", "６２０３０１１７０５９０００１"])
    def test_nik_must_be_exactly_sixteen_ascii_digits(self, nik):
        assert fields(domain.check_nik(nik, dt.date(1990, 5, 17), Sex.MALE)) == ["resident.nik"]

    @pytest.mark.parametrize("nik", ["6203010005900001", "6203013205900001", "6203014005900001",
                                     "6203017205900001", "6203011700900001", "6203011713900001",
                                     "6203011705900000"])
    def test_day_month_and_serial_out_of_range_are_rejected(self, nik):
        assert fields(domain.check_nik(nik, dt.date(1990, 5, 17), Sex.MALE)) == ["resident.nik"]

    def test_impossible_encoded_date_is_rejected(self):
        assert fields(domain.check_nik("6203013102900001", dt.date(1990, 2, 28), Sex.MALE)) == ["resident.nik"]

    def test_29_february_depends_on_the_year_resolved_from_the_birth_date(self):
        nik = "6203012902000001"  # 29-02-00
        assert domain.check_nik(nik, dt.date(2000, 2, 29), Sex.MALE) == domain.NikCheck()
        # Born in the 1900s: the NIK's 00 resolves to 1900, not a leap year.
        assert fields(domain.check_nik(nik, dt.date(1900, 3, 1), Sex.MALE)) == ["resident.nik"]

    @pytest.mark.parametrize("born", [dt.date(2001, 3, 4), dt.date(1901, 3, 4)])
    def test_two_digit_year_is_resolved_in_the_century_of_the_stored_birth_date(self, born):
        check = domain.check_nik("6203010403010001", born, Sex.MALE)
        assert check.review_flags == () and check.violations == ()

    def test_birth_date_mismatch_is_a_review_flag_not_a_rejection(self):
        check = domain.check_nik("6203011705900001", dt.date(1990, 5, 18), Sex.MALE)
        assert check.violations == ()
        assert check.review_flags == (domain.FLAG_NIK_BIRTH_DATE_MISMATCH,)

    def test_sex_mismatch_is_a_review_flag_not_a_rejection(self):
        check = domain.check_nik("6203011705900001", dt.date(1990, 5, 17), Sex.FEMALE)
        assert check.review_flags == (domain.FLAG_NIK_SEX_MISMATCH,)

    def test_without_a_valid_birth_date_only_the_day_and_month_are_checked(self):
        # 29 February exists in some year: without a birth date the year cannot be resolved.
        assert domain.check_nik("6203012902010001", None, Sex.MALE) == domain.NikCheck()
        # 31 February exists in none.
        assert fields(domain.check_nik("6203013102900001", None, Sex.MALE)) == ["resident.nik"]

    @settings(max_examples=300, deadline=None)
    @given(nik=st.text(alphabet="0123456789", min_size=16, max_size=16),
           born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
           sex=st.sampled_from(list(Sex)))
    def test_any_sixteen_digit_string_validates_or_yields_violations(self, nik, born, sex):
        check = domain.check_nik(nik, born, sex)
        assert all(v.field == "resident.nik" and nik not in v.description for v in check.violations)
        assert not (check.violations and check.review_flags)

    @settings(max_examples=200, deadline=None)
    @given(nik=st.text(max_size=20), birth_date=st.text(max_size=12))
    def test_validating_arbitrary_input_never_crashes(self, nik, birth_date):
        checked = domain.validate_recording(request(nik=nik, birth_date=birth_date), today=TODAY, regions=KNOWN)
        assert checked.ok or checked.violations


class TestEligibility:
    def test_seventeenth_birthday_is_the_first_eligible_day(self):
        born = dt.date(2009, 11, 28)
        assert domain.is_wajib_ktp(born, MaritalStatus.SINGLE, dt.date(2026, 11, 28))
        assert not domain.is_wajib_ktp(born, MaritalStatus.SINGLE, dt.date(2026, 11, 27))

    @pytest.mark.parametrize("status", [MaritalStatus.MARRIED, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED])
    def test_married_or_ever_married_sixteen_year_old_is_eligible(self, status):
        assert domain.is_wajib_ktp(dt.date(2010, 1, 1), status, TODAY)

    def test_single_sixteen_year_old_is_not_eligible(self):
        assert not domain.is_wajib_ktp(dt.date(2010, 1, 1), MaritalStatus.SINGLE, TODAY)

    def test_born_on_29_february_turns_seventeen_on_1_march(self):
        born = dt.date(2008, 2, 29)
        assert not domain.is_wajib_ktp(born, MaritalStatus.SINGLE, dt.date(2025, 2, 28))
        assert domain.is_wajib_ktp(born, MaritalStatus.SINGLE, dt.date(2025, 3, 1))


class TestRegisterNumber:
    def test_format_is_office_digits_day_and_six_digit_sequence(self):
        assert domain.format_register_number("62.03", dt.date(2026, 11, 28), 1) == "6203-20261128-000001"

    @pytest.mark.parametrize("sequence", [0, 1_000_000])
    def test_sequence_outside_the_daily_range_is_refused(self, sequence):
        with pytest.raises(ValueError):
            domain.format_register_number("62.03", TODAY, sequence)

    @pytest.mark.parametrize("value,ok", [
        ("6203-20261128-000001", True), ("6203-20261128-999999", True), ("6203-20261128-000000", False),
        ("6203-20260230-000001", False), ("62.03-20261128-000001", False), ("6203-2026112-000001", False),
        ("6203-20261128-0000001", False), ("", False), ("6203_20261128_000001", False)])
    def test_register_number_shape_is_checked(self, value, ok):
        assert domain.is_register_number(value) is ok


class TestRegions:
    @pytest.mark.parametrize("code,level", [("62", RegionLevel.PROVINCE), ("62.03", RegionLevel.REGENCY),
                                            ("62.03.01", RegionLevel.DISTRICT), ("62.03.01.2001", RegionLevel.VILLAGE),
                                            ("6203", None), ("62.3", None), ("62.03.01.201", None), ("", None)])
    def test_level_follows_the_code_shape(self, code, level):
        assert domain.region_level(code) is level

    def test_village_starting_with_one_is_a_kelurahan(self):
        assert domain.make_region("62.03.01.1001", "Selat Hilir").is_kelurahan
        assert not domain.make_region("62.03.01.2001", "Desa").is_kelurahan
        assert domain.make_region("62.03.01.2001", "Desa").parent_code == "62.03.01"

    def test_malformed_rows_make_no_region(self):
        assert domain.make_region("62.3", "X") is None
        assert domain.make_region("62", "  ") is None


class TestValidation:
    def test_a_valid_request_is_normalised(self):
        checked = domain.validate_recording(request(rt="1", rw="12", blood_type="ab"), today=TODAY, regions=KNOWN)
        assert checked.ok
        assert (checked.request.resident.rt, checked.request.resident.rw) == ("001", "012")
        assert checked.request.resident.blood_type == "AB"

    def test_all_violations_are_reported_together(self):
        bad = request(office_code="62.03.01", kk_number="123", full_name="B0b", birth_place=" ", rt="000",
                      rw="1234", region_code="62.03", sex=Sex.UNSPECIFIED, religion=domain.Religion.UNSPECIFIED,
                      marital_status=MaritalStatus.UNSPECIFIED, citizenship=domain.Citizenship.UNSPECIFIED,
                      blood_type="C", address="", occupation="")
        checked = domain.validate_recording(bad, today=TODAY, regions=KNOWN)
        assert set(fields(checked)) == {
            "office_code", "resident.kk_number", "resident.full_name", "resident.birth_place", "resident.rt",
            "resident.rw", "resident.region_code", "resident.sex", "resident.religion", "resident.marital_status",
            "resident.citizenship", "resident.blood_type", "resident.address", "resident.occupation"}

    def test_nik_and_kk_prefix_must_be_a_known_kecamatan(self):
        checked = domain.validate_recording(request(nik="6299011705900001", kk_number="6299010101010001"),
                                            today=TODAY, regions=KNOWN)
        assert fields(checked) == ["resident.nik", "resident.kk_number"]

    @pytest.mark.parametrize("birth_date", ["2030-01-01", "1899-12-31", "17-05-1990", "1990-02-30"])
    def test_birth_date_must_be_a_real_date_between_1900_and_today(self, birth_date):
        checked = domain.validate_recording(request(birth_date=birth_date), today=TODAY, regions=KNOWN)
        assert "resident.birth_date" in fields(checked)

    def test_biometric_violations_name_the_item(self):
        face = domain.ModalityQuality(domain.Modality.FACE, 90)
        bio = domain.Biometrics((face, domain.ModalityQuality(domain.Modality.FACE, 101),
                                 domain.ModalityQuality(domain.Modality.UNSPECIFIED, -1)), "xyz")
        req = domain.RecordingRequest(request().resident, "62.03", bio)
        assert fields(domain.validate_recording(req, today=TODAY, regions=KNOWN)) == [
            "biometrics.qualities[1].modality", "biometrics.qualities[1].quality",
            "biometrics.qualities[2].modality", "biometrics.qualities[2].quality", "biometrics.template_digest"]

    @pytest.mark.parametrize("name", ["Budi", "Ni Made Ayu", "Muh. Yusuf, S.Pd", "D'Costa", "Siti-Aminah", "Çağrı"])
    def test_names_with_letters_and_common_punctuation_are_accepted(self, name):
        assert domain.validate_recording(request(full_name=name), today=TODAY, regions=KNOWN).ok

    def test_no_violation_repeats_personal_data(self):
        bad = request(nik="6203019999999999", full_name="Rahasia123")
        for v in domain.validate_recording(bad, today=TODAY, regions=KNOWN).violations:
            assert "6203019999999999" not in v.description and "Rahasia" not in v.description


class TestParentsAndImages:
    JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
    PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60

    def _with_images(self, face_photo: bytes = b"", signature: bytes = b""):
        req = request()
        return domain.RecordingRequest(req.resident, req.office_code,
                                       domain.Biometrics(req.biometrics.qualities, "", face_photo, signature))

    def test_parents_names_are_optional_and_normalised_like_the_full_name(self):
        assert domain.validate_recording(request(), today=TODAY, regions=KNOWN).ok
        checked = domain.validate_recording(request(mother_name="  Siti   Aminah ", father_name="Muh. Yusuf, S.Pd"),
                                            today=TODAY, regions=KNOWN)
        assert checked.ok
        assert (checked.request.resident.mother_name, checked.request.resident.father_name) == (
            "Siti Aminah", "Muh. Yusuf, S.Pd")

    @pytest.mark.parametrize("name", ["Siti 2", "x" * 101, "...", "Budi <b>"])
    def test_a_parents_name_with_digits_symbols_or_over_100_characters_names_the_field(self, name):
        checked = domain.validate_recording(request(mother_name=name, father_name=name), today=TODAY, regions=KNOWN)
        assert fields(checked) == ["resident.mother_name", "resident.father_name"]

    def test_jpeg_and_png_up_to_512_kib_are_accepted_and_empty_means_not_captured(self):
        for face, signature in ((self.JPEG, self.PNG), (b"", b""), (self.PNG[:8] + b"\x00" * (512 * 1024 - 8), b"")):
            assert domain.validate_recording(self._with_images(face, signature), today=TODAY, regions=KNOWN).ok

    @pytest.mark.parametrize("data", [b"GIF89a" + b"\x00" * 10, b"%PDF-1.7", b"\xff\xd8", b"\x89PNG",
                                      PNG[:8] + b"\x00" * (512 * 1024 - 7)])
    def test_an_image_that_is_not_jpeg_or_png_or_is_too_large_names_the_field(self, data):
        checked = domain.validate_recording(self._with_images(data, data), today=TODAY, regions=KNOWN)
        assert fields(checked) == ["biometrics.face_photo", "biometrics.signature"]

    def test_office_must_be_the_kabupaten_of_the_residents_region(self):
        regions = {**KNOWN, "63.10": RegionLevel.REGENCY}
        checked = domain.validate_recording(request(office_code="63.10"), today=TODAY, regions=regions)
        assert fields(checked) == ["office_code"]
        assert domain.validate_recording(request(office_code="62.03"), today=TODAY, regions=regions).ok

    def test_status_only_keeps_where_and_how_far_and_blanks_the_person(self):
        req = request(mother_name="Siti Aminah", father_name="Ahmad")
        full = domain.Recording("6203-20261128-000009", domain.RecordingState.DUPLICATE, req.resident, "62.03",
                                dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc),
                                domain.Biometrics(req.biometrics.qualities, "a" * 64, self.JPEG, self.PNG),
                                review_flags=("NIK_SEX_MISMATCH",), duplicate_of="6203-20261128-000001",
                                request_id="tablet/1")
        status = full.status_only()
        assert (status.register_number, status.state, status.office_code, status.captured_at,
                status.resident.region_code) == (full.register_number, full.state, "62.03", full.captured_at, VILLAGE)
        personal = {name: value for name, value in vars(status.resident).items() if name != "region_code"}
        assert all(value in ("", "UNSPECIFIED") for value in personal.values()), personal
        assert status.biometrics == domain.Biometrics()
        assert (status.review_flags, status.duplicate_of, status.request_id) == ((), "", "")


class TestDuplicates:
    def _recording(self, nik="6203011705900001", digest=""):
        req = request(nik=nik, digest=digest)
        return domain.Recording("6203-20261128-000009", domain.RecordingState.CAPTURED, req.resident, "62.03",
                                dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc), req.biometrics)

    def test_same_nik_earlier_is_a_duplicate_unless_that_one_failed(self):
        rec = self._recording()
        failed = domain.DuplicateCandidate("A", rec.resident.nik, "", domain.RecordingState.FAILED)
        ready = domain.DuplicateCandidate("B", rec.resident.nik, "", domain.RecordingState.PRINT_READY)
        assert domain.find_duplicate(rec, [failed]) is None
        assert domain.find_duplicate(rec, [failed, ready]) == "B"

    def test_same_template_digest_under_another_nik_is_a_duplicate(self):
        rec = self._recording(digest="a" * 64)
        other = domain.DuplicateCandidate("C", "6203011705900002", "a" * 64, domain.RecordingState.PRINT_READY)
        assert domain.find_duplicate(rec, [other]) == "C"

    def test_a_recording_is_not_its_own_duplicate(self):
        rec = self._recording(digest="a" * 64)
        itself = domain.DuplicateCandidate(rec.register_number, rec.resident.nik, "a" * 64, domain.RecordingState.CAPTURED)
        assert domain.find_duplicate(rec, [itself]) is None

    def test_settle_moves_captured_to_print_ready_or_duplicate_once(self):
        rec = self._recording()
        rec.settle(None)
        assert rec.state is domain.RecordingState.PRINT_READY
        with pytest.raises(ValueError):
            rec.settle("X")


def test_coverage_counts_people_so_a_duplicate_recording_does_not_raise_it():
    counts = domain.RecordingCounts({domain.RecordingState.PRINT_READY: 94, domain.RecordingState.DUPLICATE: 1})
    assert (counts.recorded, counts.persons) == (95, 94)


def test_demo_targets_count_residents_per_desa_kecamatan_and_regency():
    from enrolment.demo import _targets
    from tests.enrolment.factories import resident

    population = [("62.03", resident(region_code="62.03.01.2001")), ("62.03", resident(region_code="62.03.01.2002")),
                  ("62.03", resident(region_code="62.03.02"))]
    assert dict(_targets(population)) == {"62.03.01.2001": 1, "62.03.01.2002": 1, "62.03.01": 2,
                                          "62.03.02": 1, "62.03": 3}
