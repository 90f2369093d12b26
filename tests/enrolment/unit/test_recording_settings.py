"""The recording settings from the environment: quality gate, demographic threshold, release."""
import pytest

from enrolment.config import ALL_MODALITIES, Settings
from enrolment.domain import DEFAULT_MINIMUM_QUALITY, Modality, ModalityKind, QualityGate
from servicekit.config import ConfigError


def test_defaults_require_the_face_at_sensible_minimums(tmp_path):
    settings = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path)})
    assert settings.quality_gate == QualityGate(DEFAULT_MINIMUM_QUALITY, frozenset({Modality.FACE}))
    assert (settings.demographic_threshold, settings.release_interval_seconds) == (0.92, 3600)


def test_every_part_of_the_gate_and_the_threshold_is_configurable(tmp_path):
    settings = Settings.from_env({
        "EKTP_VAR_DIR": str(tmp_path), "ENROLMENT_MIN_QUALITY_FINGER": "55", "ENROLMENT_MIN_QUALITY_IRIS": "70",
        "ENROLMENT_REQUIRED_MODALITIES": "face, iris_left,IRIS_RIGHT", "ENROLMENT_DEMOGRAPHIC_THRESHOLD_PERCENT": "88",
        "ENROLMENT_RELEASE_INTERVAL_SECONDS": "0"})
    gate = settings.quality_gate
    assert (gate.minimum[ModalityKind.FINGER], gate.minimum[ModalityKind.IRIS], gate.minimum[ModalityKind.FACE]) == (
        55, 70, 40)
    assert gate.required == {Modality.FACE, Modality.IRIS_LEFT, Modality.IRIS_RIGHT}
    assert (settings.demographic_threshold, settings.release_interval_seconds) == (0.88, 0)
    everything = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "ENROLMENT_REQUIRED_MODALITIES": "ALL"})
    assert everything.quality_gate.required == ALL_MODALITIES and len(ALL_MODALITIES) == 14
    nothing = Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "ENROLMENT_REQUIRED_MODALITIES": "NONE"})
    assert nothing.quality_gate.required == frozenset()


def test_bad_recording_settings_fail_fast_naming_each(tmp_path):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"EKTP_VAR_DIR": str(tmp_path), "ENROLMENT_MIN_QUALITY_FACE": "101",
                           "ENROLMENT_REQUIRED_MODALITIES": "FACE,THIRD_EYE", "ENROLMENT_DEMOGRAPHIC_THRESHOLD_PERCENT": "30"})
    problems = "\n".join(caught.value.problems)
    for expected in ("ENROLMENT_MIN_QUALITY_FACE must be between 0 and 100", "unknown modalities THIRD_EYE",
                     "ENROLMENT_DEMOGRAPHIC_THRESHOLD_PERCENT must be between 50 and 100"):
        assert expected in problems
