"""`ektp`: one command line for the operator, dispatching to the services' own commands.

    ektp users create USERNAME --role ROLE --region CODE   # prints a generated password once
    ektp users list | unlock NAME | disable NAME | reset-password NAME
    ektp field init | login | record | fix | list | status | sync   # the offline field device
    ektp regions import PATH [--partial]      # Kemendagri codes, CSV kode,nama (enrolment)
    ektp targets import PATH                  # wajib-KTP targets, CSV kode,wajib_ktp (enrolment)
    ektp keys rotate [--service enrolment|documents] [--resume]
    ektp audit verify [--service enrolment|inventory|documents]
    ektp reporting rebuild [--check]          # replay every feed into the read models (reporting)

Each service reads its own settings from the environment (its database URL and key files),
exactly as when it serves; in Kubernetes run these inside that service's pod. Nothing here
holds a rule: it only picks which service's command to run.
"""
from __future__ import annotations

import argparse
import importlib
import sys

AUDITED = ("enrolment", "inventory", "documents")       # services with an audit log
ENCRYPTED = ("enrolment", "documents")                  # services with personal data at rest


def _run(service: str, argv: list[str]) -> int:
    module = importlib.import_module(f"{service}.__main__")
    return module.main(argv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ektp", description="ektp operator commands")
    areas = parser.add_subparsers(dest="area", required=True)
    areas.add_parser("users", help="officers' accounts (enrolment)", add_help=False)
    areas.add_parser("field", help="the offline field device: record, then sync (enrolment)", add_help=False)
    for area, text in (("regions", "region master data: `regions import PATH` (enrolment)"),
                       ("targets", "wajib-KTP targets: `targets import PATH` (enrolment)")):
        areas.add_parser(area, help=text, add_help=False)
    keys = areas.add_parser("keys", help="data encryption keys").add_subparsers(dest="action", required=True)
    rotate = keys.add_parser("rotate", help="new data key, re-encrypt personal data under it, without downtime")
    rotate.add_argument("--service", choices=ENCRYPTED, action="append")
    rotate.add_argument("--resume", action="store_true", help="finish an interrupted rotation, no new key")
    reporting = areas.add_parser("reporting", help="the reporting read models").add_subparsers(
        dest="action", required=True)
    rebuild = reporting.add_parser("rebuild", help="replay every feed into fresh read models and swap them in")
    rebuild.add_argument("--check", action="store_true",
                         help="compare a replay with the live read models; exit 1 on any difference")
    audit = areas.add_parser("audit", help="the tamper-evident audit logs").add_subparsers(dest="action", required=True)
    verify = audit.add_parser("verify", help="check every hash chain; exit 1 at the first broken link")
    verify.add_argument("--service", choices=AUDITED, action="append")

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["users"], ["field"]):         # everything after it is enrolment's to parse
        return _run("enrolment", argv)
    if argv[:2] in (["regions", "import"], ["targets", "import"]):   # -> enrolment regions-import ...
        return _run("enrolment", [f"{argv[0]}-import", *argv[2:]])
    args = parser.parse_args(argv)
    if args.area in ("regions", "targets"):
        parser.error(f"usage: ektp {args.area} import PATH")
    if args.area == "reporting":
        return _run("reporting", ["rebuild", *(["--check"] if args.check else [])])
    if args.area == "keys":
        extra = ["--resume"] if args.resume else []
        return max(_run(service, ["keys-rotate", *extra]) for service in args.service or ENCRYPTED)
    return max([_run(service, ["audit-verify"]) for service in args.service or AUDITED])


if __name__ == "__main__":
    raise SystemExit(main())
