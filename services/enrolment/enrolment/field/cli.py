"""`ektp field ...`: the field device's commands (see enrolment.field).

    ektp field init --server HOST:PORT --office 62.03 [--device-id ID] [--ca-file PEM]
    ektp field login [--username NAME] [--password-stdin]   # token (0600) + regions for offline checks
    ektp field record [--json FILE]                          # JSON object or list; else prompts
    ektp field fix LOCAL_ID [--json FILE]                    # a refused recording, corrected
    ektp field list [--status STATUS]
    ektp field status
    ektp field sync [--chunk N] [--deadline SECONDS] [--max-attempts N] [--quiet]

The data directory is `--data-dir`, else $EKTP_FIELD_DIR, else ~/.ektp-field.
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import pathlib
import sys
from collections.abc import Callable, Sequence

from google.protobuf import json_format

from ektp.enrolment.v1 import enrolment_pb2 as pb
from enrolment import domain
from enrolment.field import client
from enrolment.field.store import PENDING, FieldStore, StoreError
from enrolment.grpc_server import request_from_pb
from servicekit.errors import ServiceError

TOKEN_FILE = "token.json"
LABELS = {PENDING: "MENUNGGU", "ACCEPTED": "DITERIMA", "DUPLICATE": "DUPLIKAT", "FAILED": "GAGAL",
          "INVALID": "TIDAK VALID", "NOT_ELIGIBLE": "BELUM WAJIB KTP", "OUT_OF_SCOPE": "DI LUAR WILAYAH"}


class Refused(Exception):
    """A command cannot go on; its message is for the officer."""


# ---- validating on the device -------------------------------------------------------------

def offline_problems(store: FieldStore, message: pb.RecordResidentRequest,
                     today: dt.date | None = None) -> list[domain.Violation]:
    """The server's rules, checked against the cached regions: what to fix before it is kept."""
    request = request_from_pb(message)
    today = today or dt.datetime.now(domain.RECORDING_TZ).date()
    checked = domain.validate_recording(request, today=today,
                                        regions=store.region_levels(domain.region_codes_to_check(request)))
    if not checked.ok:
        return list(checked.violations)
    resident = checked.request.resident
    born = dt.date.fromisoformat(resident.birth_date)
    if domain.eligibility(born, resident.marital_status, today) is domain.Eligibility.NOT_ELIGIBLE:
        return [domain.ineligible_violation()]   # a 16-year-old is pre-recorded, as on the server
    return []


def parse_json(path: pathlib.Path, office_code: str) -> list[pb.RecordResidentRequest]:
    """RecordResidentRequests from a JSON object or list (proto JSON: field names as in the
    .proto, enums by name such as SEX_FEMALE); an empty office_code is the device's office."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Refused(f"Berkas {path} tidak dapat dibaca sebagai JSON: {exc.__class__.__name__}.") from None
    messages = []
    for i, entry in enumerate(data if isinstance(data, list) else [data]):
        message = pb.RecordResidentRequest()
        try:
            json_format.ParseDict(entry, message)
        except (json_format.ParseError, TypeError, AttributeError) as exc:
            raise Refused(f"Perekaman ke-{i + 1} di {path}: {exc}") from None
        message.office_code = message.office_code or office_code
        messages.append(message)
    return messages


# ---- prompting (no JSON file) -------------------------------------------------------------

_TEXT_FIELDS = (("nik", "NIK (16 angka)"), ("kk_number", "Nomor KK (16 angka)"), ("full_name", "Nama lengkap"),
                ("birth_place", "Tempat lahir"), ("birth_date", "Tanggal lahir (YYYY-MM-DD)"))
_ENUM_FIELDS = {"sex": ("Jenis kelamin", pb.Sex, "SEX_"), "religion": ("Agama", pb.Religion, "RELIGION_"),
                "marital_status": ("Status perkawinan", pb.MaritalStatus, "MARITAL_STATUS_"),
                "citizenship": ("Kewarganegaraan", pb.Citizenship, "CITIZENSHIP_")}
_MORE_TEXT = (("blood_type", "Golongan darah (A/B/AB/O, boleh kosong)"), ("address", "Alamat"), ("rt", "RT"),
              ("rw", "RW"), ("region_code", "Kode desa/kelurahan (mis. 62.03.01.2001)"), ("occupation", "Pekerjaan"),
              ("mother_name", "Nama ibu (boleh kosong)"), ("father_name", "Nama ayah (boleh kosong)"))
PROMPT_ORDER = [name for name, _ in _TEXT_FIELDS] + ["sex"] + [n for n, _ in _MORE_TEXT] + \
               ["religion", "marital_status", "citizenship"]


def prompt_recording(message: pb.RecordResidentRequest, ask: Callable[[str], str],
                     only: set[str] | None = None) -> None:
    """Ask for the resident's fields (all, or `only` those named); Enter keeps what is there."""
    labels = dict(_TEXT_FIELDS) | dict(_MORE_TEXT)
    for name in PROMPT_ORDER:
        if only is not None and name not in only:
            continue
        if name in _ENUM_FIELDS:
            label, wrapper, prefix = _ENUM_FIELDS[name]
            choices = [n.removeprefix(prefix) for n in wrapper.keys() if not n.endswith("UNSPECIFIED")]
            current = wrapper.Name(getattr(message.resident, name)).removeprefix(prefix)
            answer = ask(f"{label} [{'/'.join(choices)}] ({current}): ").strip().upper()
            if answer in choices:
                setattr(message.resident, name, wrapper.Value(prefix + answer))
        else:
            current = getattr(message.resident, name)
            answer = ask(f"{labels[name]} ({current}): ").strip()
            if answer:
                setattr(message.resident, name, answer)


def _fields_to_fix(problems: Sequence[domain.Violation]) -> set[str]:
    names = {v.field.removeprefix("resident.") for v in problems}
    return {n for n in names if n in PROMPT_ORDER} or set(PROMPT_ORDER)


def _interactive(store: FieldStore, message: pb.RecordResidentRequest, ask: Callable[[str], str], out) -> bool:
    """Prompt until the recording passes the offline rules; False when the officer gives up."""
    prompt_recording(message, ask)
    while problems := offline_problems(store, message):
        _print_violations(problems, out)
        if ask("Perbaiki sekarang? [Y/n]: ").strip().lower() in ("n", "tidak"):
            return False
        prompt_recording(message, ask, _fields_to_fix(problems))
    return True


def _print_violations(problems: Sequence[domain.Violation], out) -> None:
    for v in problems:
        print(f"  - {v.field}: {v.description}", file=out)


# ---- commands ----------------------------------------------------------------------------------

def _token(store: FieldStore) -> str:
    path = store.data_dir / TOKEN_FILE
    if not path.exists():
        raise Refused("Belum masuk: jalankan `ektp field login` dahulu.")
    return json.loads(path.read_text())["token"]


def _write_token(store: FieldStore, answer: pb.LoginResponse) -> None:
    path = store.data_dir / TOKEN_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"token": answer.token, "username": answer.username, "role": answer.role, "scope": answer.scope,
                   "expires_at": (dt.datetime.now(dt.timezone.utc)
                                  + dt.timedelta(seconds=answer.expires_in_seconds)).isoformat(timespec="seconds")}, f)
    os.chmod(path, 0o600)


def cmd_init(args, store: FieldStore, out, ask) -> int:
    if domain.region_level(args.office) is not domain.RegionLevel.REGENCY:
        raise Refused("--office harus kode kabupaten/kota Dinas, mis. 62.03.")
    device = store.init(args.server, args.office, args.device_id or "", args.ca_file or "")
    print(f"perangkat {device.device_id} siap: server {device.server}, Dinas {device.office_code}.", file=out)
    print("Langkah berikut: `ektp field login` (menyimpan token dan data wilayah untuk pemeriksaan offline).", file=out)
    return 0


def cmd_login(args, store: FieldStore, out, ask) -> int:
    device = store.device()
    username = args.username or ask("Nama pengguna: ").strip()
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Kata sandi: ")
    channel = client.open_channel(device.server, token=None, ca_file=device.ca_file)
    try:
        answer = client.login(channel, username, password)
    finally:
        channel.close()
    _write_token(store, answer)
    print(f"masuk sebagai {answer.username} ({answer.role}, wilayah {answer.scope}).", file=out)
    channel = client.open_channel(device.server, token=answer.token, ca_file=device.ca_file)
    try:
        cached = store.cache_regions(client.fetch_regions(channel, device.office_code))
    finally:
        channel.close()
    print(f"{cached} wilayah disimpan untuk pemeriksaan offline.", file=out)
    return 0


def cmd_record(args, store: FieldStore, out, ask) -> int:
    device = store.device()
    if args.json:
        messages = parse_json(args.json, device.office_code)
        refused = [(i, p) for i, m in enumerate(messages) if (p := offline_problems(store, m))]
        if refused:   # nothing is kept until every recording of the file passes
            for i, problems in refused[:20]:
                print(f"perekaman ke-{i + 1} ditolak, perbaiki:", file=out)
                _print_violations(problems, out)
            print(f"{len(refused)} dari {len(messages)} perekaman perlu diperbaiki; tidak ada yang disimpan.", file=out)
            return 2
    else:
        message = pb.RecordResidentRequest(office_code=device.office_code)
        if not _interactive(store, message, ask, out):
            print("dibatalkan; tidak ada yang disimpan.", file=out)
            return 2
        messages = [message]
    ids = store.add([m.SerializeToString() for m in messages])
    for local_id in ids[:20]:
        print(f"disimpan: {local_id} (menunggu sinkronisasi)", file=out)
    if len(ids) > 20:
        print(f"... {len(ids)} perekaman disimpan, menunggu sinkronisasi.", file=out)
    return 0


def cmd_fix(args, store: FieldStore, out, ask) -> int:
    device = store.device()
    item = store.get(args.local_id)
    if args.json:
        messages = parse_json(args.json, device.office_code)
        if len(messages) != 1:
            raise Refused("Berkas perbaikan harus berisi satu perekaman.")
        message = messages[0]
        if problems := offline_problems(store, message):
            _print_violations(problems, out)
            return 2
    else:
        message = pb.RecordResidentRequest.FromString(item.payload)
        _print_violations(item.violations, out)
        prompt_recording(message, ask, _fields_to_fix(item.violations) if item.violations else None)
        while problems := offline_problems(store, message):
            _print_violations(problems, out)
            if ask("Perbaiki sekarang? [Y/n]: ").strip().lower() in ("n", "tidak"):
                return 2
            prompt_recording(message, ask, _fields_to_fix(problems))
    store.fix(args.local_id, message.SerializeToString())
    print(f"diperbaiki: {args.local_id} (menunggu sinkronisasi, ID lokal yang sama)", file=out)
    return 0


def _describe(local_id: str, status: str, register_number: str, state: str, duplicate_of: str,
              violations: Sequence[domain.Violation], message: str) -> list[str]:
    line = f"{local_id}  {LABELS.get(status, status):<16}"
    if register_number:
        line += f" {register_number} {state}"
    if duplicate_of:
        line += f" (duplikat dari {duplicate_of})"
    if message:   # why it was refused, or why a stored recording FAILED
        line += f" {message}"
    return [line, *(f"    - {v.field}: {v.description}" for v in violations)]


def cmd_list(args, store: FieldStore, out, ask) -> int:
    for item in store.items(args.status):
        name = pb.RecordResidentRequest.FromString(item.payload).resident.full_name
        lines = _describe(item.local_id, item.status, item.register_number, item.state, item.duplicate_of,
                          item.violations, item.message)
        print(f"{lines[0]}  {name}", file=out)
        for extra in lines[1:]:
            print(extra, file=out)
    return 0


def cmd_status(args, store: FieldStore, out, ask) -> int:
    device = store.device()
    counts = store.counts()
    print(f"perangkat {device.device_id} · server {device.server} · Dinas {device.office_code}", file=out)
    for status, n in counts.items():
        print(f"  {LABELS[status]:<16} {n}", file=out)
    return 0


def cmd_sync(args, store: FieldStore, out, ask) -> int:
    device = store.device()
    channel = client.open_channel(device.server, token=_token(store), ca_file=device.ca_file)

    def stream(items):
        return client.stream_items(channel, device.device_id, items, deadline=args.deadline)

    def shown(result: domain.SyncResult) -> None:
        if not args.quiet:
            for line in _describe(result.local_id, result.outcome.value, result.register_number,
                                  result.state.value if result.state else "", result.duplicate_of,
                                  result.violations, result.message):
                print(line, file=out)

    def retrying(attempt: int, wait: float, problem: ServiceError) -> None:
        print(f"jaringan/server tidak tersedia ({problem.message}); percobaan ulang ke-{attempt} "
              f"dalam {wait:.1f} detik", file=out)

    try:
        report = client.sync(store, stream, chunk=args.chunk, max_attempts=args.max_attempts,
                             on_result=shown, on_retry=retrying)
    except client.SyncStopped as stopped:
        print(f"sinkronisasi berhenti: {stopped}", file=out)
        print("perekaman yang belum mendapat hasil tetap MENUNGGU; jalankan `ektp field sync` lagi.", file=out)
        return 1
    finally:
        channel.close()
    totals = ", ".join(f"{LABELS[o.value].lower()} {report.count(o)}" for o in domain.SyncOutcome if report.count(o))
    print(f"selesai: {len(report.results)} hasil ({totals or 'tidak ada yang menunggu'}); "
          f"{report.streams} aliran, {report.retries} percobaan ulang.", file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ektp field", description="perangkat perekaman lapangan (offline)")
    parser.add_argument("--data-dir", type=pathlib.Path, default=None,
                        help="folder data perangkat (default: $EKTP_FIELD_DIR atau ~/.ektp-field)")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="siapkan perangkat: server, Dinas")
    init.add_argument("--server", required=True, help="alamat gRPC enrolment, HOST:PORT")
    init.add_argument("--office", required=True, help="kode kabupaten/kota Dinas, mis. 62.03")
    init.add_argument("--device-id", help="ID perangkat (default: dibuat sekali)")
    init.add_argument("--ca-file", help="sertifikat CA server (TLS)")
    login = commands.add_parser("login", help="masuk: simpan token dan data wilayah")
    login.add_argument("--username")
    login.add_argument("--password-stdin", action="store_true")
    record = commands.add_parser("record", help="rekam penduduk (offline)")
    record.add_argument("--json", type=pathlib.Path, help="berkas JSON: satu perekaman atau daftar")
    fix = commands.add_parser("fix", help="perbaiki perekaman yang ditolak; dikirim lagi dengan ID lokal yang sama")
    fix.add_argument("local_id")
    fix.add_argument("--json", type=pathlib.Path)
    listing = commands.add_parser("list", help="daftar perekaman dan hasilnya")
    listing.add_argument("--status", choices=list(LABELS))
    commands.add_parser("status", help="jumlah per status")
    sync = commands.add_parser("sync", help="kirim yang menunggu (dapat dilanjutkan setelah terputus)")
    sync.add_argument("--chunk", type=int, default=1000, help="perekaman per aliran")
    sync.add_argument("--deadline", type=float, default=300.0, help="batas waktu per aliran, detik")
    sync.add_argument("--max-attempts", type=int, default=8, help="percobaan berturut-turut saat jaringan putus")
    sync.add_argument("--quiet", action="store_true", help="hanya ringkasan")
    return parser


COMMANDS = {"init": cmd_init, "login": cmd_login, "record": cmd_record, "fix": cmd_fix, "list": cmd_list,
            "status": cmd_status, "sync": cmd_sync}


def main(argv: list[str] | None = None, *, environ: dict[str, str] | None = None, out=None,
         ask: Callable[[str], str] = input) -> int:
    args = build_parser().parse_args(argv)
    environ = os.environ if environ is None else environ
    out = out or sys.stdout
    data_dir = args.data_dir or pathlib.Path(environ.get("EKTP_FIELD_DIR") or pathlib.Path.home() / ".ektp-field")
    store = FieldStore(data_dir)
    try:
        return COMMANDS[args.command](args, store, out, ask)
    except (Refused, StoreError) as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    except ServiceError as refused:
        print(f"error: {refused.message}", file=sys.stderr)
        for v in refused.violations:
            print(f"  {v.field}: {v.description}", file=sys.stderr)
        return 2
    except EOFError:
        print("dibatalkan; tidak ada yang disimpan.", file=sys.stderr)
        return 2
    finally:
        store.close()
