"""The capture device's export file, read into the domain's biometric capture.

At the counter the officer records fingerprints, irises and the face on the capture device (the
platform never receives raw fingerprint or iris images); the device exports one small JSON file
per person, which the record form uploads:

    {"format": "ektp-capture/1",
     "template_digest": "<SHA-256 of the biometric templates, 64 hex>",
     "qualities": {"FACE": 92, "FINGER_RIGHT_THUMB": 81, ..., "IRIS_LEFT": 88, "IRIS_RIGHT": 90}}

This module only translates the file's shape (like grpc_server translates a request); whether
the qualities and the digest are acceptable is decided by domain.validate_recording and the
quality gate, and reported against the form's capture field.
"""
from __future__ import annotations

import json

from enrolment.domain import Modality, ModalityQuality, Violation

FORMAT = "ektp-capture/1"
FIELD = "biometrics.capture_file"
MAX_BYTES = 64 * 1024


class CaptureFileError(ValueError):
    """The upload is not a capture file this platform reads; `violation` says what to fix."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.violation = Violation(FIELD, description)


def parse(data: bytes) -> tuple[tuple[ModalityQuality, ...], str]:
    """(qualities, template digest) of an exported capture file; empty input: nothing captured."""
    if not data.strip():
        return (), ""
    if len(data) > MAX_BYTES:
        raise CaptureFileError(f"Berkas hasil perekaman biometrik paling besar {MAX_BYTES // 1024} KiB.")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CaptureFileError("Berkas hasil perekaman biometrik harus berkas JSON dari alat perekam.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CaptureFileError(f"Berkas hasil perekaman biometrik harus berformat \"{FORMAT}\" (ekspor alat perekam).")
    digest, qualities = document.get("template_digest", ""), document.get("qualities", {})
    if not isinstance(digest, str):
        raise CaptureFileError("template_digest di berkas biometrik harus teks heksadesimal.")
    if not isinstance(qualities, dict):
        raise CaptureFileError("qualities di berkas biometrik harus pasangan modalitas: nilai.")
    known = {m.value for m in Modality} - {Modality.UNSPECIFIED.value}
    out = []
    for name, quality in qualities.items():
        if name not in known:
            raise CaptureFileError(f"Modalitas tidak dikenal di berkas biometrik: {name[:40]!r}.")
        if isinstance(quality, bool) or not isinstance(quality, int):
            raise CaptureFileError(f"Nilai kualitas {name} di berkas biometrik harus bilangan bulat 0-100.")
        out.append(ModalityQuality(Modality(name), quality))
    return tuple(out), digest


def export(qualities: dict[str, int], template_digest: str) -> bytes:
    """A capture file as the device writes it (tests, demo data)."""
    return json.dumps({"format": FORMAT, "template_digest": template_digest, "qualities": qualities}).encode()
