"""`enrolment regions-import PATH` and `enrolment targets-import PATH` (`ektp regions import`,
`ektp targets import`): the operator's bulk imports, with a progress bar on stderr.

In demo mode (the embedded default) the schema is migrated first, as `demo` does;
in production the migration Job has done it and the command never touches the schema.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

from tqdm import tqdm

from enrolment import bootstrap
from enrolment.config import Settings
from enrolment.imports import read_regions, read_targets
from servicekit.access import Principal
from servicekit.config import DEMO
from servicekit.errors import ServiceError

CLI = Principal.service("enrolment", origin="cli")


def regions_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=pathlib.Path, help="CSV kode,nama (e.g. ../shared/data/wilayah_kemendagri.csv)")
    parser.add_argument("--partial", action="store_true",
                        help="a part of the table: keep codes absent from it as they are (default: mark them historic)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def targets_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=pathlib.Path, help="CSV kode,wajib_ktp (one row per kabupaten/kecamatan/desa)")


def _report(refused: ServiceError) -> int:
    print(f"error: {refused.message}", file=sys.stderr)
    for v in refused.violations:
        print(f"  {v.field}: {v.description}", file=sys.stderr)
    return 2


def import_regions(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    try:
        csv_rows = read_regions(args.path)
    except ServiceError as refused:
        return _report(refused)
    core = bootstrap.build_core(settings, migrate=settings.mode == DEMO)
    try:
        with tqdm(total=len(csv_rows.rows), unit="baris", desc="wilayah", file=sys.stderr,
                  disable=args.quiet, mininterval=0.2) as bar:
            result = core.service.import_regions(
                [(code, name) for code, name in csv_rows.rows], line_numbers=csv_rows.lines,
                retire_missing=not args.partial, progress=bar.update, actor=CLI)
    except ServiceError as refused:
        return _report(refused)
    finally:
        core.engine.dispose()
    print(f"regions imported: {result.inserted} inserted, {result.renamed} renamed, {result.unchanged} unchanged, "
          f"{result.retired} marked historic, {result.reinstated} reinstated "
          f"({len(csv_rows.rows)} rows in {time.perf_counter() - started:.1f}s)")
    return 0


def import_targets(args: argparse.Namespace, settings: Settings) -> int:
    try:
        csv_rows = read_targets(args.path)
    except ServiceError as refused:
        return _report(refused)
    core = bootstrap.build_core(settings, migrate=settings.mode == DEMO)
    try:
        changed = core.service.import_targets(CLI, [(line, code, value) for line, (code, value)
                                                    in zip(csv_rows.lines, csv_rows.rows, strict=True)])
    except ServiceError as refused:
        return _report(refused)
    finally:
        core.engine.dispose()
    print(f"targets imported: {changed} changed, {len(csv_rows.rows) - changed} unchanged")
    return 0
