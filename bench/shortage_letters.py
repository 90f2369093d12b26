"""How long the Dinas of Kab. Kapuas waits for its shortage letters: CreateShortageLetters for
its 17 kecamatan and 231 kelurahan/desa (the real region list of ../shared/data), i.e. 248
letters and the dispatch list, through the real DistributionService on SQLite with the real
renderer and the encrypted file store (fsync per file); enrolment and inventory are in-process
stand-ins answering at once. Also the renderer alone, per letter.

    python -m bench.shortage_letters [--rounds 3]

Not part of `make bench` (the issue sets no target for it); run it when the letters change.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import pathlib
import statistics
import tempfile
import time

from documents import db
from documents.distribution import Region, ShortageNotice, StockState
from documents.distribution_service import DistributionService
from documents.domain import IssuerPolicy
from documents.metrics import DocumentsMetrics
from documents.render_letters import LetterRenderer
from documents.store import EncryptedDocumentStore, FileStore
from documents.unit_of_work import unit_of_work_factory
from servicekit.access import Principal, Role
from servicekit.db import create_engine
from servicekit.fieldcrypto import FieldCipher, Keyring
from servicekit.metrics import ServiceMetrics

REGIONS_CSV = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "wilayah_kemendagri.csv"
KAPUAS = "62.03"
OUT = StockState(KAPUAS, 0, 0, 0.0, "out", None, "Tender 2016 berstatus ditunda.")


class Regions:
    """Enrolment's region answers for one kabupaten, from the Kemendagri CSV."""

    def __init__(self, kabupaten: str) -> None:
        self.names: dict[str, str] = {}
        self.children: dict[str, list[Region]] = {}
        with REGIONS_CSV.open(newline="") as handle:
            for code, name in csv.reader(handle):
                if code == kabupaten or code.startswith(kabupaten + "."):
                    self.names[code] = name
                    if code != kabupaten:
                        self.children.setdefault(code.rsplit(".", 1)[0], []).append(
                            Region(code, name, code.count(".") == 3 and code.split(".")[-1].startswith("1")))

    def list_regions(self, parent_code: str) -> list[Region]:
        return self.children.get(parent_code, [])

    def region_name(self, code: str) -> str:
        return self.names.get(code, code)

    def get_recording(self, register_number: str):
        raise NotImplementedError


class OutOfStock:
    def get_forecast(self, office_code: str) -> StockState:
        return OUT


def run(rounds: int = 3) -> dict:
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="ektp-letters-"))
    engine = create_engine(f"sqlite:///{workdir / 'documents.db'}")
    db.metadata.create_all(engine)
    cipher = FieldCipher(Keyring.load(workdir / "keys", create=True))
    service = DistributionService(
        uow=unit_of_work_factory(engine, cipher, EncryptedDocumentStore(FileStore(workdir / "store"), cipher)),
        enrolment=Regions(KAPUAS), inventory=OutOfStock(), renderer=LetterRenderer(),
        issuers=IssuerPolicy("Kepala Dinas", {KAPUAS: "Kuala Kapuas"}), verify_url="http://127.0.0.1:8003/verifikasi",
        metrics=DocumentsMetrics(ServiceMetrics("documents")))
    actor = Principal("bench", Role.OPERATOR_DINAS, KAPUAS)
    seconds, letters = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        created = service.create_shortage_letters(actor, KAPUAS)
        seconds.append(time.perf_counter() - start)
        letters = len(created.letter_set.letters)
    issuer = IssuerPolicy("Kepala Dinas", {}).for_office(KAPUAS, "Kabupaten Kapuas")
    renderer, made = LetterRenderer(), created.letter_set.letters
    start = time.perf_counter()
    for letter in made:
        renderer.shortage_letter(ShortageNotice(letter, issuer, dt.date(2016, 11, 28), OUT, "x"))
    render_ms = (time.perf_counter() - start) / len(made) * 1000
    engine.dispose()
    return {"name": "shortage_letters", "letters": letters, "seconds_median": round(statistics.median(seconds), 2),
            "seconds_min": round(min(seconds), 2), "seconds_max": round(max(seconds), 2),
            "render_ms_per_letter": round(render_ms, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    result = run(parser.parse_args().rounds)
    print(f"{result['letters']} letters + dispatch list: median {result['seconds_median']} s "
          f"(min {result['seconds_min']}, max {result['seconds_max']}); "
          f"rendering alone {result['render_ms_per_letter']} ms per letter")


if __name__ == "__main__":
    main()
