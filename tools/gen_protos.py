"""Generate the Python package `ektp` from protos/ektp/**/*.proto.

Used by `make protos` and by the staleness test, which generates into a temporary
directory and compares byte for byte with protos/gen/.
"""
from __future__ import annotations

import argparse
import pathlib
import sys

import grpc_tools
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROTO_ROOT = ROOT / "protos"
DEFAULT_OUT = PROTO_ROOT / "gen"


def proto_files() -> list[pathlib.Path]:
    return sorted((PROTO_ROOT / "ektp").rglob("*.proto"))


def generate(out: pathlib.Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    well_known = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    files = [str(p.relative_to(PROTO_ROOT)) for p in proto_files()]
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *files,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    # Packages, so that `from ektp.enrolment.v1 import enrolment_pb2` works everywhere.
    for directory in [out / "ektp", *(p for p in (out / "ektp").rglob("*") if p.is_dir())]:
        init = directory / "__init__.py"
        if not init.exists():
            init.write_text("")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    generate(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
