"""Reading rendered PDFs back in tests."""
from __future__ import annotations

import io

from pypdf import PdfReader

ID1_POINTS = (242.6, 153.1)
A4_POINTS = (595.3, 841.9)


def page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return float(box.width), float(box.height)


def text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def has_size(pdf: bytes, expected: tuple[float, float], tolerance: float = 0.5) -> bool:
    width, height = page_size(pdf)
    return abs(width - expected[0]) <= tolerance and abs(height - expected[1]) <= tolerance


def images(page) -> list[tuple[str, int, int]]:
    """(last filter, width, height) of each image XObject drawn on a pypdf `page`, sorted."""
    found = []
    for xobject in page["/Resources"].get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject["/Subtype"] == "/Image":
            filters = xobject["/Filter"]
            found.append((filters[-1] if isinstance(filters, list) else filters, xobject["/Width"],
                          xobject["/Height"]))
    return sorted(found)
