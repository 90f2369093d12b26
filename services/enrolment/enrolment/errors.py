"""Enrolment's exceptions; the status code of each comes from servicekit's one table."""
from __future__ import annotations

from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound

__all__ = ["FieldViolation", "InvalidRecording", "InvalidRegionCode", "InvalidRegisterNumber", "InvalidSearch",
           "InvalidTargets", "InvalidRegions", "NotEligible", "RecordingNotFound", "RegionNotFound"]


class InvalidRecording(InvalidArgument):
    """A RecordResident request breaks one or more rules (all listed as violations)."""


class InvalidRegisterNumber(InvalidArgument):
    """Not shaped like a register number (KKKK-YYYYMMDD-NNNNNN)."""


class InvalidRegionCode(InvalidArgument):
    """Not shaped like a Kemendagri region code."""


class InvalidSearch(InvalidArgument):
    """A search for recordings without a valid NIK or name, or with a page below 1."""


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


class InvalidDrive(InvalidArgument):
    """A pick-up drive plan (or its id) breaks one or more rules."""


class DriveNotFound(NotFound):
    reason = "DRIVE_NOT_FOUND"


class DriveNotOpen(FailedPrecondition):
    """A recording under a drive that is not OPEN, or opening a CLOSED drive."""

    reason = "DRIVE_NOT_OPEN"


class RecordingTypeRefused(NotEligible):
    """A MOVED_IN / DATA_CHANGE / REPLACEMENT without an accepted earlier recording of the NIK,
    or one that does not fit it (a move to the same desa, a data change that changes nothing,
    a replacement with other data). Not eligible for *this* type of recording: a subclass of
    NotEligible, so that bulk entry and sync report it per item like any refusal."""

    reason = "RECORDING_TYPE_REFUSED"


class InvalidResolution(InvalidArgument):
    """A ResolveDuplicate request with a malformed register number, no decision or a bad note."""


class AdjudicationNotFound(NotFound):
    reason = "ADJUDICATION_NOT_FOUND"


class AdjudicationRefused(FailedPrecondition):
    """The entry is already resolved, or the decision breaks a rule (two people, one NIK)."""

    reason = "ADJUDICATION_REFUSED"
