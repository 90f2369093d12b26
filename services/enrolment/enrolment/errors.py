"""Enrolment's exceptions; the status code of each comes from servicekit's one table."""
from __future__ import annotations

from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound

__all__ = ["FieldViolation", "InvalidRecording", "InvalidRegionCode", "InvalidRegisterNumber",
           "InvalidTargets", "InvalidRegions", "NotEligible", "RecordingNotFound", "RegionNotFound"]


class InvalidRecording(InvalidArgument):
    """A RecordResident request breaks one or more rules (all listed as violations)."""


class InvalidRegisterNumber(InvalidArgument):
    """Not shaped like a register number (KKKK-YYYYMMDD-NNNNNN)."""


class InvalidRegionCode(InvalidArgument):
    """Not shaped like a Kemendagri region code."""


class InvalidTargets(InvalidArgument):
    """A wajib-KTP target for an unknown region or a negative number."""


class InvalidRegions(InvalidArgument):
    """Malformed rows in a region import."""


class NotEligible(FailedPrecondition):
    """The resident is not (yet) wajib KTP."""

    reason = "NOT_ELIGIBLE"


class RecordingNotFound(NotFound):
    reason = "RECORDING_NOT_FOUND"


class RegionNotFound(NotFound):
    reason = "REGION_NOT_FOUND"
