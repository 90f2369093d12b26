"""Helpers for the field-device tests: synthetic recordings (never real people) and a loopback
TCP proxy whose connections a test can cut in the middle of a stream."""
from __future__ import annotations

import datetime as dt
import select
import socket
import threading

from faker import Faker

from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import domain

KECAMATAN = tuple(f"62.03.{i:02d}" for i in range(1, 18))   # the demo kecamatan of Kab. Kapuas


def recordings(count: int, *, region_code: str | None = None, seed: int = 4) -> list[pb.RecordResidentRequest]:
    """`count` valid, distinct recordings in Kab. Kapuas: unique NIKs (kecamatan, birth date,
    serial), adults, names from Faker id_ID. `region_code`: one desa for all (default: each
    resident's kecamatan)."""
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    out = []
    for i in range(count):
        kecamatan = KECAMATAN[i % len(KECAMATAN)]
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=(i // len(KECAMATAN)) % 18000)
        female = i % 2 == 1
        issued = dt.date(2010, 1, 1) + dt.timedelta(days=i % 3000)   # the KK's date of issue
        sex = domain.Sex.FEMALE if female else domain.Sex.MALE
        nik = domain.encode_nik(kecamatan, birth, sex, 1 + i // (len(KECAMATAN) * 18000) + seed * 10)
        resident = pb.Resident(
            nik=nik, kk_number=f"{kecamatan.replace('.', '')}{issued:%d%m%y}{1 + i % 9999:04d}",
            full_name=fake.name_female() if female else fake.name_male(), birth_place="Kuala Kapuas",
            birth_date=birth.isoformat(), sex=pb.SEX_FEMALE if female else pb.SEX_MALE, blood_type="O",
            address="Jl. Lintas Kalimantan", rt="001", rw="002", region_code=region_code or kecamatan,
            religion=pb.RELIGION_ISLAM, marital_status=pb.MARITAL_STATUS_MARRIED, occupation="Petani/Pekebun",
            citizenship=pb.CITIZENSHIP_WNI)
        capture = pb.BiometricCapture(qualities=[pb.ModalityQuality(modality=pb.MODALITY_FACE, quality=85)])
        out.append(pb.RecordResidentRequest(resident=resident, office_code="62.03", biometrics=capture))
    return out


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to a target; `cut()` drops every open connection at once (as a
    network failure would) while new connections keep being accepted."""

    def __init__(self, target_port: int) -> None:
        self._target = ("127.0.0.1", target_port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = False
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self._target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 0.5)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    peers[source].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self) -> None:
        with self._lock:
            sockets, self._open = self._open, []
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.cuts += 1

    def stop(self) -> None:
        self._stopped = True
        self._server.close()
        self.cut()
