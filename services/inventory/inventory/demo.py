"""Demo data: the November 2016 situation (the national tender postponed; Kab. Kapuas has no
blanks, Kab. Tanah Bumbu still holds one delivery, so the demo shows Sukets and a print queue
in Kapuas and printed cards in Tanah Bumbu)."""
from __future__ import annotations

import datetime as dt

from inventory.domain import ContractTerms, PackagePlan, PlannedStep, ProcurementChannel
from inventory.domain import ProcurementStatus as S
from inventory.service import InventoryService
from servicekit.access import Principal

MARKER = "kapuas-2016"
DEMO_VENDOR = "PT Kartu Nusantara (fiktif)"   # a made-up vendor: demo data names no real company
WIB = dt.timezone(dt.timedelta(hours=7))


def _day(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=WIB)


PLANS = (
    PackagePlan(
        package_id="blanko-ktp-el-2016", fiscal_year=2016, name="Pengadaan blanko KTP-el nasional 2016",
        quantity=8_000_000, estimated_value_idr=115_200_000_000, channel=ProcurementChannel.TENDER,
        planned_at=_day(2016, 3, 1),
        steps=(
            PlannedStep(S.ANNOUNCED, "Pengumuman tender", _day(2016, 4, 4)),
            PlannedStep(S.WINNER, "Penetapan pemenang", _day(2016, 7, 25),
                        ContractTerms(vendor="PT Blanko Indonesia (fiktif)")),
            PlannedStep(S.OBJECTION_PERIOD, "Masa sanggah peserta", _day(2016, 7, 26)),
            PlannedStep(S.REVIEW, "Reviu BPKP/Inspektorat atas proses tender", _day(2016, 8, 15)),
            PlannedStep(S.POSTPONED, "Ditunda: menunggu hasil reviu BPKP/Inspektorat", _day(2016, 11, 14)),
        )),
    PackagePlan(
        package_id="blanko-ktp-el-2017", fiscal_year=2017, name="Pengadaan blanko KTP-el nasional 2017",
        quantity=7_000_000, estimated_value_idr=82_250_000_000, channel=ProcurementChannel.TENDER,
        planned_at=_day(2017, 1, 9),
        steps=(
            PlannedStep(S.ANNOUNCED, "Pengumuman tender blanko 2017", _day(2017, 2, 6)),
            PlannedStep(S.WINNER, "Penetapan pemenang: penawaran Rp 82,25 miliar", _day(2017, 4, 10),
                        ContractTerms(vendor=DEMO_VENDOR)),
            PlannedStep(S.OBJECTION_PERIOD, "Masa sanggah peserta", _day(2017, 4, 11)),
            PlannedStep(S.REVIEW, "Reviu BPKP atas hasil tender", _day(2017, 4, 24)),
            PlannedStep(S.CONTRACT, "Penandatanganan kontrak", _day(2017, 5, 15),
                        ContractTerms(vendor=DEMO_VENDOR, contract_number="KTR-BLANKO-2017/001",
                                      contract_value_idr=82_250_000_000,
                                      expected_delivery_on=dt.date(2017, 7, 31))),
        )),
)


# The stock-holding offices of the demo (H5): Ditjen, Kalimantan Tengah with Kab. Kapuas and its
# kecamatan UPTs (and Kab. Katingan, a neighbour to lend to), Kalimantan Selatan with Kab. Tanah Bumbu.
_KAPUAS_UPT = ("Selat", "Kapuas Hilir", "Kapuas Timur", "Kapuas Kuala", "Kapuas Barat", "Pulau Petak",
               "Kapuas Murung", "Basarang", "Mantangai", "Timpah", "Kapuas Tengah", "Kapuas Hulu",
               "Tamban Catur", "Pasak Talawang", "Mandau Talawang", "Dadahup", "Bataguh")
OFFICES = (
    ("ID", "Ditjen Dukcapil Kemendagri (gudang pusat)"),
    ("62", "Disdukcapil Provinsi Kalimantan Tengah"),
    ("62.03", "Disdukcapil Kabupaten Kapuas"),
    *((f"62.03.{n:02d}", f"UPT Kecamatan {name}") for n, name in enumerate(_KAPUAS_UPT, start=1)),
    ("62.06", "Disdukcapil Kabupaten Katingan"),
    ("63", "Disdukcapil Provinsi Kalimantan Selatan"),
    ("63.10", "Disdukcapil Kabupaten Tanah Bumbu"),
)


# (office, first serial, last serial, delivery note): what the offices still hold.
DEMO_STOCK = (("63.10", "6310000001", "6310001000", "SPB-DEMO-TANBU-2016-10"),)


def load_demo(actor: Principal, service: InventoryService, offices: tuple[str, ...] = ()) -> str:
    """Loads the demo data once; returns a one-line summary of what `actor` sees."""
    service.seed_offices(actor, OFFICES)        # only the offices not registered yet
    loaded = service.seed_packages(MARKER, PLANS)
    for office, first, last, reference in DEMO_STOCK:
        if service.get_stock(actor, office).received == 0:
            service.receive_stock(actor, office, first, last, reference)
    packages = service.list_packages(actor)
    available = sum(stock.available for stock in service.stock_overview(actor, offices))
    verb = "loaded" if loaded else "already loaded"
    statuses = ", ".join(f"{p.fiscal_year} {p.status.value}" for p in packages)
    return (f"inventory demo {verb}: {len(packages)} procurement packages ({statuses}); "
            f"{available} blanks available")
