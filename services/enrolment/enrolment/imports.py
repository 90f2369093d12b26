"""Reading the operator's CSV files for the bulk imports, with line numbers for the errors.

File handling only (encoding, header, column count); what a row means is decided by the use
cases (EnrolmentService.import_regions / import_targets), which name the bad lines.
"""
from __future__ import annotations

import csv
import pathlib
from dataclasses import dataclass

from enrolment.errors import FieldViolation, InvalidRegions, InvalidTargets
from servicekit.errors import InvalidArgument

REGION_COLUMNS = ("kode", "nama")
TARGET_COLUMNS = ("kode", "wajib_ktp")


@dataclass(frozen=True)
class CsvRows:
    lines: list[int]                  # the physical line each row starts on (the header is line 1)
    rows: list[tuple[str, ...]]


def read_csv(path: pathlib.Path, columns: tuple[str, ...], error: type[InvalidArgument]) -> CsvRows:
    """Rows of a UTF-8 CSV whose header is `columns`; blank lines are skipped. A wrong header,
    or rows with another number of fields, fail with every such line named."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise error(f"Berkas tidak dapat dibuka: {exc.strerror}.",
                    violations=[FieldViolation("path", "Periksa nama dan izin berkas.")]) from exc
    lines, rows, bad = [], [], []
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None or tuple(h.strip().lower() for h in header) != columns:
                raise error("Baris judul berkas tidak sesuai.", violations=[FieldViolation(
                    "line 1", "Baris pertama harus " + ",".join(columns) + ".")])
            start = reader.line_num + 1
            for fields in reader:
                if fields and any(f.strip() for f in fields):
                    if len(fields) != len(columns):
                        bad.append(FieldViolation(f"line {start}", f"Harus tepat {len(columns)} kolom "
                                                                   f"({','.join(columns)}), ada {len(fields)}."))
                    else:
                        lines.append(start)
                        rows.append(tuple(fields))
                start = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as exc:
            raise error("Berkas bukan CSV UTF-8 yang sah.", violations=[FieldViolation(
                f"line {reader.line_num or 1}", "Simpan berkas sebagai CSV UTF-8.")]) from exc
    if bad:
        raise error(f"{len(bad)} baris tidak valid; tidak ada yang disimpan.", violations=bad[:100])
    return CsvRows(lines, rows)


def read_regions(path: pathlib.Path) -> CsvRows:
    return read_csv(path, REGION_COLUMNS, InvalidRegions)


def read_targets(path: pathlib.Path) -> CsvRows:
    return read_csv(path, TARGET_COLUMNS, InvalidTargets)
