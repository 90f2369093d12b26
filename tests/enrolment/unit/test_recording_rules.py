"""Recording rules of issue 4 in the domain: recording types, the NIK's year and the KK,
pre-recording of 16-year-olds, the capture quality gate, similarity and de-duplication,
adjudication decisions."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrolment import domain
from enrolment.domain import (
    AdjudicationDecision,
    Eligibility,
    MaritalStatus,
    Modality,
    ModalityKind,
    ModalityQuality,
    RecordingState,
    RecordingType,
    RegionLevel,
    Sex,
)
from tests.enrolment.factories import TODAY, VILLAGE, digest, request, resident

KNOWN = {"62.03.01": RegionLevel.DISTRICT, "62.03": RegionLevel.REGENCY, VILLAGE: RegionLevel.VILLAGE}
AT = dt.datetime(2026, 11, 28, 3, tzinfo=dt.timezone.utc)


def fields(violations) -> list[str]:
    return [v.field for v in violations]


def recording(number="6203-20261128-000009", kind=RecordingType.NEW, qualities=(), **changes):
    req = request(**changes)
    bio = domain.Biometrics(qualities or req.biometrics.qualities, req.biometrics.template_digest)
    return domain.Recording(number, RecordingState.CAPTURED, req.resident, "62.03", AT, bio, recording_type=kind)


def candidate(number, nik="6203011705900099", state=RecordingState.PRINT_READY, template="", modality_digests=(),
              who=None):
    return domain.DuplicateCandidate(number, nik, template, state, VILLAGE, tuple(modality_digests), who)


# ---- NIK and KK ------------------------------------------------------------------------------

class TestNikYear:
    @pytest.mark.parametrize(("yy", "born", "year"), [
        (0, dt.date(1999, 12, 31), 2000),     # across the century boundary: nearest, not 1900
        (99, dt.date(2000, 1, 1), 1999),
        (1, dt.date(2001, 3, 4), 2001),
        (1, dt.date(1901, 3, 4), 1901),
        (90, dt.date(1990, 5, 17), 1990),
        (50, dt.date(2000, 6, 1), 1950),      # equally near both ways: the earlier
    ])
    def test_two_digit_year_resolves_to_the_year_nearest_the_stored_birth_date(self, yy, born, year):
        assert domain.resolve_nik_year(yy, born) == year

    def test_nik_across_the_century_boundary_is_a_review_flag_not_a_wrong_century(self):
        nik = domain.encode_nik("62.03.01", dt.date(2000, 1, 1), Sex.MALE, 1)   # 010100
        check = domain.check_nik(nik, dt.date(1999, 12, 31), Sex.MALE)
        assert check.violations == () and check.review_flags == (domain.FLAG_NIK_BIRTH_DATE_MISMATCH,)

    @given(born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 28)),
           sex=st.sampled_from([Sex.MALE, Sex.FEMALE]), serial=st.integers(1, 9999))
    @settings(max_examples=300, deadline=None)
    def test_any_encoded_nik_checks_clean_against_its_own_birth_date_and_sex(self, born, sex, serial):
        assert domain.check_nik(domain.encode_nik("62.03.01", born, sex, serial), born, sex) == domain.NikCheck()

    @pytest.mark.parametrize("kk", ["6203010013100001", "6203013213100001", "6203013002100001",
                                    "6203011500100001", "6203011505100000"])
    def test_kk_issue_date_and_serial_must_exist(self, kk):
        checked = domain.validate_recording(request(kk_number=kk), today=TODAY, regions=KNOWN)
        assert fields(checked.violations) == ["resident.kk_number"]

    def test_kk_issue_date_on_29_february_is_accepted(self):
        assert domain.kk_problem("6203012902080001") is None


# ---- eligibility and pre-recording ---------------------------------------------------------

class TestEligibility:
    @pytest.mark.parametrize(("born", "status", "expected"), [
        (dt.date(2009, 11, 28), MaritalStatus.SINGLE, Eligibility.WAJIB_KTP),       # 17 today
        (dt.date(2009, 11, 29), MaritalStatus.SINGLE, Eligibility.PRE_RECORDING),   # 17 tomorrow
        (dt.date(2010, 11, 28), MaritalStatus.SINGLE, Eligibility.PRE_RECORDING),   # 16 today
        (dt.date(2010, 11, 29), MaritalStatus.SINGLE, Eligibility.NOT_ELIGIBLE),    # 15
        (dt.date(2012, 1, 1), MaritalStatus.MARRIED, Eligibility.WAJIB_KTP),        # ever married
    ])
    def test_wajib_ktp_pre_recording_or_not_eligible(self, born, status, expected):
        assert domain.eligibility(born, status, TODAY) is expected

    def test_pre_recording_is_held_until_the_seventeenth_birthday(self):
        assert domain.wajib_ktp_from(dt.date(2010, 5, 17)) == dt.date(2027, 5, 17)
        assert domain.wajib_ktp_from(dt.date(2012, 2, 29)) == dt.date(2029, 3, 1)   # as age_on counts

    def test_a_held_pre_recording_is_sent_with_a_flag_then_released_on_the_day(self):
        rec = recording()
        rec.settle(None, hold_until=dt.date(2027, 5, 17))
        assert (rec.state, rec.review_flags) == (RecordingState.SENT, (domain.FLAG_PRE_RECORDING,))
        assert domain.settled_event(rec) is None and rec.hold_until == dt.date(2027, 5, 17)
        assert not domain.is_released_on(rec.hold_until, dt.date(2027, 5, 16))
        assert domain.is_released_on(rec.hold_until, dt.date(2027, 5, 17))


# ---- quality gate ----------------------------------------------------------------------------

FULL_SET = tuple(ModalityQuality(m, 80) for m in Modality if m != "UNSPECIFIED")


class TestQualityGate:
    def test_default_gate_needs_the_face_and_the_minimum_of_what_was_captured(self):
        gate = domain.QualityGate()
        assert gate.failure(domain.Biometrics(FULL_SET)) == ""
        assert gate.failure(domain.Biometrics((ModalityQuality(Modality.FACE, 40),))) == ""
        assert "belum direkam: wajah" in gate.failure(domain.Biometrics((ModalityQuality(Modality.IRIS_LEFT, 90),)))

    def test_failure_names_each_low_modality_with_its_score_and_minimum(self):
        low = (ModalityQuality(Modality.FACE, 90), ModalityQuality(Modality.FINGER_RIGHT_INDEX, 25),
               ModalityQuality(Modality.IRIS_LEFT, 39))
        reason = domain.QualityGate().failure(domain.Biometrics(low))
        assert "telunjuk kanan 25 (minimum 40)" in reason and "iris kiri 39 (minimum 40)" in reason

    def test_configured_gate_requires_every_modality_and_its_own_minimums(self):
        gate = domain.QualityGate({ModalityKind.FACE: 50, ModalityKind.FINGER: 60, ModalityKind.IRIS: 70,
                                   ModalityKind.SIGNATURE: 10}, frozenset(m for m in Modality if m != "UNSPECIFIED"))
        assert gate.failure(domain.Biometrics(FULL_SET)) == ""
        missing_iris = tuple(q for q in FULL_SET if q.modality is not Modality.IRIS_RIGHT)
        assert "belum direkam: iris kanan" in gate.failure(domain.Biometrics(missing_iris))
        assert "ibu jari kiri 55 (minimum 60)" in gate.failure(domain.Biometrics(tuple(
            ModalityQuality(q.modality, 55) if q.modality is Modality.FINGER_LEFT_THUMB else q for q in FULL_SET)))

    def test_failed_recording_keeps_the_reason_and_is_not_checked_for_duplicates(self):
        rec = recording()
        rec.settle(domain.DuplicateMatch("X", (domain.REASON_NIK,), 1.0), failure="Gagal gerbang kualitas — x.")
        assert (rec.state, rec.failure_reason, rec.duplicate_of) == (RecordingState.FAILED, "Gagal gerbang kualitas — x.", "")
        assert domain.settled_event(rec) == domain.RecordingFailed(rec.register_number, "62.03", VILLAGE, "QUALITY")

    def test_per_modality_digests_are_only_for_fingers_and_irises_and_unique_in_a_capture(self):
        bio = domain.Biometrics((ModalityQuality(Modality.FACE, 90, digest("f")),
                                 ModalityQuality(Modality.IRIS_LEFT, 90, "xyz"),
                                 ModalityQuality(Modality.FINGER_LEFT_INDEX, 90, digest("a")),
                                 ModalityQuality(Modality.FINGER_LEFT_RING, 90, digest("a").upper())))
        checked = domain.validate_recording(domain.RecordingRequest(resident(), "62.03", bio), today=TODAY,
                                            regions=KNOWN)
        assert fields(checked.violations) == ["biometrics.qualities[0].template_digest",
                                              "biometrics.qualities[1].template_digest",
                                              "biometrics.qualities[3].template_digest"]


# ---- recording types -------------------------------------------------------------------------

class TestRecordingTypes:
    def test_follow_up_types_link_to_the_latest_accepted_recording_of_the_nik(self):
        same = [candidate("A", state=RecordingState.PRINT_READY), candidate("B", state=RecordingState.DUPLICATE),
                candidate("C", state=RecordingState.SENT), candidate("D", state=RecordingState.FAILED)]
        assert domain.previous_recording(RecordingType.REPLACEMENT, same).register_number == "C"
        assert domain.previous_recording(RecordingType.NEW, same) is None
        assert domain.previous_recording(RecordingType.MOVED_IN, same[1:2] + same[3:]) is None

    def test_moved_in_needs_another_desa_and_data_change_a_change_and_replacement_none(self):
        before = resident()
        assert fields(domain.follow_up_violations(RecordingType.MOVED_IN, before, before)) == ["resident.region_code"]
        assert fields(domain.follow_up_violations(RecordingType.DATA_CHANGE, before, before)) == ["recording_type"]
        changed = resident(nik=before.nik, address="Jl. Baru 9", marital_status=MaritalStatus.MARRIED)
        assert domain.follow_up_violations(RecordingType.DATA_CHANGE, before, changed) == []
        assert domain.changed_fields(before, changed) == ("address", "marital_status")
        assert fields(domain.follow_up_violations(RecordingType.REPLACEMENT, before, changed)) == ["recording_type"]
        assert domain.follow_up_violations(RecordingType.REPLACEMENT, before, before) == []

    def test_follow_up_recording_is_not_a_duplicate_of_its_own_nik(self):
        rec = recording(kind=RecordingType.DATA_CHANGE)
        assert domain.find_duplicate_match(rec, [candidate("A", nik=rec.resident.nik)]) is None
        new = recording()
        assert domain.find_duplicate_match(new, [candidate("A", nik=new.resident.nik)]).reasons == ("NIK",)


# ---- similarity and de-duplication ----------------------------------------------------------

class TestSimilarity:
    @pytest.mark.parametrize(("a", "b", "low", "high"), [
        ("MARTHA", "MARHTA", 0.96, 0.97),          # the textbook values: 0.961
        ("DWAYNE", "DUANE", 0.84, 0.85),           # 0.84
        ("DIXON", "DICKSONX", 0.81, 0.82),         # 0.813
        ("abc", "xyz", 0.0, 0.0),
    ])
    def test_jaro_winkler_matches_the_published_examples(self, a, b, low, high):
        assert low <= domain.jaro_winkler(a, b) <= high

    def test_name_similarity_ignores_case_accents_punctuation_and_word_order(self):
        assert domain.name_similarity("Budi Santoso", "SANTOSO, Budi") == 1.0
        assert domain.name_similarity("Nur'aini", "Nur Aini") == 1.0
        assert domain.name_similarity("Siti Aminah", "") is None
        assert domain.name_similarity("Siti Aminah", "Joko Widodo") < 0.7

    @given(st.text(max_size=30), st.text(max_size=30))
    @settings(max_examples=200, deadline=None)
    def test_similarity_is_symmetric_and_between_zero_and_one(self, a, b):
        score = domain.jaro_winkler(a, b)
        assert 0.0 <= score <= 1.0 and abs(score - domain.jaro_winkler(b, a)) < 1e-9


class TestDeduplication:
    def _person(self, **changes):
        values = dict(full_name="Siti Rahmawati", birth_place="Kuala Kapuas", mother_name="Aminah", father_name="")
        values.update(changes)
        return resident(**values)

    def test_same_person_under_another_nik_is_a_demographic_duplicate_with_its_comparison(self):
        rec = recording(full_name="Siti Rahmawaty", birth_place="Kuala Kapuas", mother_name="Aminah")
        match = domain.find_duplicate_match(rec, [candidate("A", who=self._person())])
        assert match.register_number == "A" and match.reasons == ("DEMOGRAPHIC",) and match.score >= 0.92
        verdicts = {c.field: c for c in match.comparison}
        assert verdicts["birth_date"].similarity == 1.0 and verdicts["mother_name"].similarity == 1.0
        assert not verdicts["father_name"].compared

    def test_without_a_parent_on_both_sides_demographics_alone_never_match(self):
        rec = recording(full_name="Siti Rahmawati", birth_place="Kuala Kapuas")
        assert domain.find_duplicate_match(rec, [candidate("A", who=self._person())]) is None

    def test_another_birth_date_or_another_name_is_not_a_demographic_duplicate(self):
        rec = recording(full_name="Siti Rahmawati", birth_place="Kuala Kapuas", mother_name="Aminah")
        other_day = self._person(birth_date="1990-05-18")
        other_name = self._person(full_name="Dewi Lestari")
        assert domain.find_duplicate_match(rec, [candidate("A", who=other_day), candidate("B", who=other_name)]) is None

    def test_threshold_is_configurable(self):
        rec = recording(full_name="Siti Rahmawati", birth_place="Palangka Raya", mother_name="Aminah")
        candidates = [candidate("A", who=self._person())]
        assert domain.find_duplicate_match(rec, candidates, threshold=0.99) is None
        assert domain.find_duplicate_match(rec, candidates, threshold=0.6).register_number == "A"

    def test_any_same_finger_or_iris_digest_under_another_nik_is_a_duplicate_naming_the_modality(self):
        rec = recording(qualities=(ModalityQuality(Modality.FACE, 90),
                                   ModalityQuality(Modality.FINGER_LEFT_RING, 80, digest("ring")),
                                   ModalityQuality(Modality.IRIS_RIGHT, 80, digest("iris"))))
        other = candidate("A", modality_digests=[(Modality.FINGER_RIGHT_INDEX, digest("ring"))])
        match = domain.find_duplicate_match(rec, [candidate("Z"), other])
        assert (match.register_number, match.reasons, match.score) == ("A", ("FINGER_LEFT_RING",), 1.0)

    def test_nik_and_template_matches_win_over_a_better_demographic_score_later(self):
        rec = recording(full_name="Siti Rahmawati", birth_place="Kuala Kapuas", mother_name="Aminah", digest=digest("t"))
        found = domain.find_duplicate_match(rec, [candidate("A", who=self._person()), candidate("B", template=digest("t"))])
        assert found.register_number == "B" and found.reasons == ("TEMPLATE",)


# ---- adjudication ----------------------------------------------------------------------------

class TestAdjudication:
    def _duplicate(self, hold_until=None):
        rec = recording()
        rec.settle(domain.DuplicateMatch("A", ("DEMOGRAPHIC",), 0.95), hold_until=hold_until)
        return rec

    def test_different_person_goes_print_ready_and_a_held_one_stays_held(self):
        rec = self._duplicate()
        rec.resolve_duplicate(AdjudicationDecision.DIFFERENT_PERSON, TODAY)
        assert (rec.state, rec.duplicate_of) == (RecordingState.PRINT_READY, "")
        held = self._duplicate(hold_until=dt.date(2027, 1, 1))
        held.resolve_duplicate(AdjudicationDecision.DIFFERENT_PERSON, TODAY)
        assert held.state is RecordingState.SENT

    def test_fraud_fails_and_flags_and_same_person_stays_duplicate(self):
        fraud = self._duplicate()
        fraud.resolve_duplicate(AdjudicationDecision.FRAUD, TODAY)
        assert fraud.state is RecordingState.FAILED and domain.FLAG_FRAUD in fraud.review_flags
        assert domain.settled_event(fraud).reason_code == "FRAUD"
        same = self._duplicate()
        same.resolve_duplicate(AdjudicationDecision.SAME_PERSON, TODAY)
        assert same.state is RecordingState.DUPLICATE

    def test_a_decision_needs_a_decision_and_a_note_unless_same_person(self):
        assert fields(domain.resolution_violations("bad", None, "x" * 501)) == ["register_number", "decision", "note"]
        number = "6203-20261128-000001"
        assert fields(domain.resolution_violations(number, AdjudicationDecision.FRAUD, " ")) == ["note"]
        assert domain.resolution_violations(number, AdjudicationDecision.SAME_PERSON, "") == []

    def test_two_people_cannot_share_one_nik(self):
        entry = domain.Adjudication("X", "A", ("NIK",), 1.0, VILLAGE, "62.03", AT)
        assert domain.resolution_refusal(entry, AdjudicationDecision.DIFFERENT_PERSON).field == "decision"
        assert domain.resolution_refusal(entry, AdjudicationDecision.SAME_PERSON) is None

    def test_an_entry_is_decided_once(self):
        entry = domain.Adjudication("X", "A", ("DEMOGRAPHIC",), 0.95, VILLAGE, "62.03", AT)
        entry.resolve(AdjudicationDecision.SAME_PERSON, "petugas", "", AT)
        assert not entry.is_open
        with pytest.raises(ValueError):
            entry.resolve(AdjudicationDecision.FRAUD, "petugas", "x", AT)
