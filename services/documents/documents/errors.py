"""The documents context's exceptions; their status codes come from servicekit.errors."""
from __future__ import annotations

from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound, Unavailable


class InvalidDocumentRequest(InvalidArgument):
    """A request field is malformed; `violations` name each field."""


class DocumentNotFound(NotFound):
    reason = "DOCUMENT_NOT_FOUND"


class InvalidQrPayload(InvalidArgument):
    """The QR content is not an ektp document payload."""

    reason = "INVALID_QR"


class ForgedQrPayload(InvalidArgument):
    """The QR payload's signature does not match its content."""

    reason = "FORGED_QR"


class RecordingNotFound(NotFound):
    """Enrolment knows no recording with this register number."""

    reason = "RECORDING_NOT_FOUND"


class NotPrintReady(FailedPrecondition):
    """A Suket is issued only for a print-ready (PRR) recording."""

    reason = "NOT_PRINT_READY"


class CardAlreadyPrinted(FailedPrecondition):
    """The register number has an active printed card: no Suket any more."""

    reason = "CARD_ALREADY_PRINTED"


class StoredDocumentCorrupt(FailedPrecondition):
    """A stored PDF is missing, does not decrypt or does not match its recorded sha256."""

    reason = "STORED_DOCUMENT_CORRUPT"


class WrongDocumentState(FailedPrecondition):
    reason = "WRONG_DOCUMENT_STATE"


class OutOfStock(FailedPrecondition):
    """Inventory has no blank for the office (ErrorInfo reason OUT_OF_STOCK)."""

    reason = "OUT_OF_STOCK"


class UpstreamError(Unavailable):
    """Another service failed or could not be reached; `code` is its gRPC status name."""

    reason = "UPSTREAM_ERROR"

    def __init__(self, message: str, *, code: str = "UNKNOWN", reason: str | None = None) -> None:
        super().__init__(message, reason=reason)
        self.code = code


class NotOutOfStock(FailedPrecondition):
    """A shortage letter is refused while the office still has blanks (it would be false)."""

    reason = "NOT_OUT_OF_STOCK"


class WrongBatchState(FailedPrecondition):
    """A distribution batch is not in the state this step needs."""

    reason = "WRONG_BATCH_STATE"


class BatchNotFound(NotFound):
    reason = "BATCH_NOT_FOUND"


class LetterNotFound(NotFound):
    reason = "LETTER_NOT_FOUND"
