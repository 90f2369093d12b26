"""The pages' English catalogues (Flask-Babel): extract, update, compile, check.

Pages are written in Bahasa Indonesia; the strings they show are marked `_()` in templates and
`_()` / `_l()` / `N_()` in Python, and each package with pages keeps an English catalogue at
`<package>/translations/en/LC_MESSAGES/messages.po` with its compiled `.mo` committed next to it
(the wheels and images carry both; nothing compiles at install time).

    python -m tools.translations update    # extract the marked strings, merge them into each .po
    python -m tools.translations compile   # write each .mo from its .po
    python -m tools.translations check     # exit 1 when a string is untranslated or a .mo is stale

The tests run `check`'s functions: a string added to a page without its English translation,
or a .po edited without recompiling, fails the suite.
"""
from __future__ import annotations

import io
import pathlib
import sys
from dataclasses import dataclass

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = pathlib.Path(__file__).resolve().parents[1]
LANGUAGE = "en"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


@dataclass(frozen=True)
class Package:
    name: str
    directory: pathlib.Path     # the importable package: templates/, translations/ inside

    @property
    def po(self) -> pathlib.Path:
        return self.directory / "translations" / LANGUAGE / "LC_MESSAGES" / "messages.po"

    @property
    def mo(self) -> pathlib.Path:
        return self.po.with_suffix(".mo")


PACKAGES = (Package("servicekit", ROOT / "libs" / "servicekit" / "servicekit"),
            Package("enrolment", ROOT / "services" / "enrolment" / "enrolment"))


def extract(package: Package) -> Catalog:
    """Every marked string of the package's templates and Python modules."""
    catalog = Catalog(project=package.name, version="1.0", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            package.directory, METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {}}):
        if "/migrations/" in filename.replace("\\", "/"):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(package: Package) -> Catalog:
    with package.po.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def untranslated(package: Package) -> list[str]:
    """Marked strings with no English translation in the package's .po (missing or empty)."""
    po = read(package)
    missing = []
    for message in extract(package):
        if not message.id:
            continue
        found = po.get(message.id, context=message.context)
        text = found.string if found is not None else None
        if not text or (isinstance(text, tuple) and not all(text)) or (found is not None and found.fuzzy):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def stale(package: Package) -> bool:
    """Whether the committed .mo differs from what the .po compiles to."""
    if not package.mo.exists():
        return True
    with package.mo.open("rb") as handle:
        compiled = read_mo(handle)
    po = read(package)
    def pairs(catalog: Catalog) -> dict:
        return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): m.string
                for m in catalog if m.id and m.string and not m.fuzzy}
    return pairs(compiled) != pairs(po)


def update(package: Package) -> None:
    template = extract(package)
    if package.po.exists():
        po = read(package)
        po.update(template, no_fuzzy_matching=True)
    else:
        po = Catalog(locale=LANGUAGE, project=package.name, version="1.0", charset="utf-8")
        po.update(template, no_fuzzy_matching=True)
    write(package, po)


def write(package: Package, po: Catalog) -> None:
    # Not fuzzy: a fuzzy header is left out of the .mo, which then has no charset (UTF-8).
    po.fuzzy = False
    po.copyright_holder, po.msgid_bugs_address = "ektp", ""
    po.last_translator = po.language_team = "ektp"
    package.po.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, po, width=100, omit_header=False, ignore_obsolete=True, sort_output=False)
    package.po.write_bytes(buffer.getvalue())


def compile_mo(package: Package) -> None:
    buffer = io.BytesIO()
    write_mo(buffer, read(package), use_fuzzy=False)
    package.mo.write_bytes(buffer.getvalue())


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    problems = 0
    for package in PACKAGES:
        if command == "update":
            update(package)
        elif command == "compile":
            compile_mo(package)
        elif command == "check":
            for message in untranslated(package):
                print(f"{package.name}: untranslated: {message!r}")
                problems += 1
            if stale(package):
                print(f"{package.name}: {package.mo.relative_to(ROOT)} is stale; run python -m tools.translations compile")
                problems += 1
        else:
            print(__doc__)
            return 2
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
