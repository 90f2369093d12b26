"""Pages of the ledger by serial (Bahasa Indonesia): stock per office, the ledger of an office
with filters, the spoilage form with its witnessed destruction record, and the physical count
with its variance report. Translation only: every rule is in the use cases."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask import Flask, redirect, render_template, request, url_for

from inventory.access import HTTP_POLICY
from inventory.domain import (
    OFFICE_TIME,
    LedgerFilter,
    LedgerKind,
    OfficeLevel,
    Stock,
    Witness,
    parse_ranges,
)
from inventory.errors import FieldViolation, raise_if_invalid
from inventory.service import InventoryService
from servicekit.errors import FailedPrecondition, InvalidArgument, ServiceError
from servicekit.status import status_for
from servicekit.web import current_officer

KIND_LABELS = {
    LedgerKind.RECEIVED: "Diterima (pengiriman)",
    LedgerKind.TRANSFERRED_OUT: "Dikirim ke kantor lain",
    LedgerKind.TRANSFERRED_IN: "Diterima dari kantor lain",
    LedgerKind.LOANED: "Dipinjamkan",
    LedgerKind.REPAID: "Pengembalian pinjaman",
    LedgerKind.RESERVED: "Dipesan untuk cetak",
    LedgerKind.RELEASED: "Dilepas kembali",
    LedgerKind.CONSUMED: "Tercetak",
    LedgerKind.SPOILED: "Rusak (dimusnahkan)",
    LedgerKind.MISPRINTED: "Rusak setelah dicetak (cetak ulang)",
    LedgerKind.LOST: "Hilang",
    LedgerKind.COUNT_ADJUSTED: "Selisih stok opname",
}
LEVEL_NAMES = {OfficeLevel.CENTRAL: "Pusat (Ditjen)", OfficeLevel.PROVINCE: "Provinsi",
               OfficeLevel.KABUPATEN: "Kabupaten/kota", OfficeLevel.KECAMATAN: "Kecamatan (UPT)"}
WITNESS_ROWS = 3


def _problems(exc: ServiceError) -> tuple[dict[str, str], str]:
    return {v.field: v.description for v in exc.violations}, exc.message


def _day(name: str) -> tuple[dt.date | None, list[FieldViolation]]:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None, []
    try:
        return dt.date.fromisoformat(raw), []
    except ValueError:
        return None, [FieldViolation(name, "tanggal berformat YYYY-MM-DD, mis. 2016-11-14")]


def _ledger_filter() -> LedgerFilter:
    """The filter typed in the ledger page's form (a GET form: no personal data in it)."""
    kind_name = request.args.get("jenis", "")
    violations = []
    kinds: tuple[LedgerKind, ...] = ()
    if kind_name:
        try:
            kinds = (LedgerKind(kind_name),)
        except ValueError:
            violations.append(FieldViolation("jenis", "pilih jenis mutasi dari daftar"))
    since, bad_since = _day("dari")
    until, bad_until = _day("sampai")
    raise_if_invalid(violations + bad_since + bad_until)
    return LedgerFilter(kinds=kinds, since=since, until=until, serial=request.args.get("seri", "").strip())


# The use case names its fields in English; the form's fields are Indonesian words.
_FILTER_FIELDS = {"until": "sampai", "since": "dari", "serial": "seri", "kinds": "jenis"}


def register_ledger_pages(app: Flask, service: InventoryService, offices: Sequence[str] = ()) -> None:
    app.jinja_env.globals.update(kind_labels=KIND_LABELS, level_names=LEVEL_NAMES, ledger_kinds=list(LedgerKind),
                                 wib=OFFICE_TIME)

    @app.get("/stok")
    def stock_offices():
        """Stock of every office the officer sees: registered offices and any holding blanks."""
        officer = current_officer()
        registered = {o.code: o for o in service.list_offices(officer)}
        stocks = {s.office_code: s for s in service.stock_overview(officer, offices)}
        codes = sorted(set(registered) | set(stocks), key=lambda c: (c != "ID", c))
        rows = [(code, registered.get(code), stocks.get(code, Stock(code))) for code in codes]
        return render_template("stok.html", rows=rows, may_spoil=HTTP_POLICY.permits("spoil_form", officer),
                               may_count=HTTP_POLICY.permits("count_form", officer))

    @app.get("/stok/<office_code>/buku")
    def ledger_page(office_code: str):
        officer = current_officer()
        errors, problem, entries = {}, "", []
        try:
            entries = service.ledger(officer, office_code, _ledger_filter())
        except InvalidArgument as exc:
            errors, problem = _problems(exc)
            errors = {_FILTER_FIELDS.get(f, f): d for f, d in errors.items()}
        return render_template("buku_stok.html", office_code=office_code, entries=entries, errors=errors,
                               problem=problem, form=request.args,
                               stock=service.get_stock(officer, office_code)), (400 if problem else 200)

    # -- spoilage with its witnessed destruction record ---------------------------------

    def spoil_page(office_code: str, status: int = 200, errors: dict | None = None, problem: str = ""):
        officer = current_officer()
        return render_template("rusak.html", office_code=office_code, stock=service.get_stock(officer, office_code),
                               errors=errors or {}, problem=problem, form=request.form,
                               witness_rows=range(1, WITNESS_ROWS + 1)), status

    @app.get("/stok/<office_code>/rusak")
    def spoil_form(office_code: str):
        current_officer().require_region(office_code)
        return spoil_page(office_code)

    @app.post("/stok/<office_code>/rusak")
    def spoil_blanks(office_code: str):
        form = request.form
        try:
            ranges, violations = parse_ranges(form.get("serial_ranges", ""))
            raise_if_invalid(violations)
            witnesses = [Witness(form.get(f"saksi_{i}_nama", ""), form.get(f"saksi_{i}_nip", ""))
                         for i in range(1, WITNESS_ROWS + 1)
                         if form.get(f"saksi_{i}_nama", "").strip() or form.get(f"saksi_{i}_nip", "").strip()]
            service.spoil(current_officer(), office_code, ranges, form.get("cause", ""), witnesses,
                          form.get("reference", ""))
        except (InvalidArgument, FailedPrecondition) as exc:
            return spoil_page(office_code, status_for(exc)[1], *_problems(exc))
        return redirect(url_for("ledger_page", office_code=office_code, jenis=LedgerKind.SPOILED.value), code=303)

    # -- physical count (stok opname) and its variance report ---------------------------

    def count_page(office_code: str, status: int = 200, errors: dict | None = None, problem: str = "",
                   report=None):
        officer = current_officer()
        return render_template("opname.html", office_code=office_code, stock=service.get_stock(officer, office_code),
                               errors=errors or {}, problem=problem, form=request.form, report=report), status

    # The store counted may be a UPT's (62.03.01) as well as a Dinas' or a province's.
    @app.get("/stok/<store_code>/opname")
    def count_form(store_code: str):
        current_officer().require_region(store_code)
        return count_page(store_code)

    @app.post("/stok/<store_code>/opname")
    def record_count(store_code: str):
        office_code = store_code
        form = request.form
        try:
            text = form.get("counted", "")
            ranges, violations = parse_ranges(text, "counted") if text.strip() else ([], [])
            raise_if_invalid(violations)
            report = service.count(current_officer(), office_code, ranges, form.get("reference", ""))
        except (InvalidArgument, FailedPrecondition) as exc:
            return count_page(office_code, status_for(exc)[1], *_problems(exc))
        return count_page(office_code, report=report)


__all__ = ["register_ledger_pages"]
