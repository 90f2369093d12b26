"""The reporting context's exceptions; their status codes come from servicekit's one table."""
from __future__ import annotations

from servicekit.errors import FieldViolation, InvalidArgument, NotFound

REGION_FORMAT = ("Kode wilayah harus berbentuk provinsi (62), kabupaten/kota (62.03) "
                 "atau kecamatan (62.03.01): dua digit per tingkat, dipisah titik.")


class InvalidRegionCode(InvalidArgument):
    """The region code does not have a province, kabupaten or kecamatan shape."""

    reason = "INVALID_REGION_CODE"

    def __init__(self, field: str = "region_code") -> None:
        super().__init__("Kode wilayah tidak valid.", violations=[FieldViolation(field, REGION_FORMAT)])


class InvalidDate(InvalidArgument):
    """A date that is not an ISO date, or a date range the other way round or too long."""

    reason = "INVALID_DATE"

    def __init__(self, field: str, description: str) -> None:
        super().__init__("Tanggal tidak valid.", violations=[FieldViolation(field, description)])


class RegionNotFound(NotFound):
    """No target and no fact is known for the region or anything under it."""

    reason = "REGION_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("Belum ada target maupun data perekaman untuk wilayah ini.")


class FoldCollision(Exception):
    """Another consumer's transaction created the same row first (never leaves the service:
    the fold is retried from the start)."""
