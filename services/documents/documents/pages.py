"""What the documents pages say when a form is refused (shared by the page modules)."""
from __future__ import annotations

from servicekit.errors import ServiceError, Unavailable

UNAVAILABLE_MESSAGE = ("Layanan data perekaman atau blanko tidak dapat dihubungi saat ini. "
                       "Coba lagi sebentar lagi.")


def problem_text(exc: ServiceError) -> str:
    """What the officer reads next to the form: the fields' descriptions, or the message (an
    unreachable neighbour's message is for the log, not the officer)."""
    if isinstance(exc, Unavailable):
        return UNAVAILABLE_MESSAGE
    return "; ".join(v.description for v in exc.violations) or exc.message
