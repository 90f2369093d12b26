"""The images install the local packages as real wheels (not from the source tree): every file a
service reads at run time must be inside its wheel — templates, migrations."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from tools.processes import ROOT

EXPECTED = {
    "libs/servicekit": ["servicekit/templates/servicekit/base.html", "servicekit/templates/servicekit/error.html",
                        "servicekit/templates/servicekit/forms.html",
                        "servicekit/translations/en/LC_MESSAGES/messages.mo"],
    "libs/ektp-cli": ["ektp_cli/__init__.py", "ektp_cli/__main__.py"],
    "protos": ["ektp/enrolment/v1/enrolment_pb2.py", "ektp/events/v1/events_pb2.py"],
}
for service in ("enrolment", "inventory", "documents", "reporting"):
    EXPECTED[f"services/{service}"] = [
        f"{service}/migrations/env.py", f"{service}/migrations/script.py.mako",
        *(str(p.relative_to(ROOT / "services" / service)) for p in
          (ROOT / "services" / service / service / "migrations" / "versions").glob("*.py")),
        *(str(p.relative_to(ROOT / "services" / service)) for p in
          (ROOT / "services" / service / service / "templates").rglob("*.html")),
        *(str(p.relative_to(ROOT / "services" / service)) for p in     # the pages' compiled catalogues
          (ROOT / "services" / service / service / "translations").rglob("*.mo"))]


@pytest.mark.parametrize("package", sorted(EXPECTED))
def test_the_wheel_carries_every_file_the_service_reads(package, tmp_path):
    # From a clean copy, as the image build sees it: a local editable install leaves
    # *.egg-info/SOURCES.txt behind, which would hide a missing package-data pattern.
    source = tmp_path / "src"
    shutil.copytree(ROOT / package, source, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "--disable-pip-version-check", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in EXPECTED[package] if f not in names]
    assert not missing, missing
    assert len(EXPECTED[package]) >= 2
