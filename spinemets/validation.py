"""Check a data package of the book: one parse, shared by ``check-data`` and every loader.

``check(path)`` reads a package folder (or its ``datapackage.json``) once and returns a
:class:`CheckedPackage`: every problem found, and the typed rows that were checked. The loaders
(``spinemets.data.load``, ``spinemets.evidence.load``) build their DataFrames from exactly those
typed rows (:meth:`CheckedPackage.frame`), so what is checked is what is loaded: there is no
second parser.

The order of the checks, each layer only when the one before it passed (one root fault gives
one message, not a cascade of follow-on messages):

1. The descriptor (``datapackage.json``) is readable JSON, uses only the Frictionless features
   this checker implements (anything else, such as ``dialect`` or a ``missingValues`` other
   than the empty string, is rejected by name), and matches **the book's own descriptor** of
   the package with the same ``name`` under ``data/``: same tables, fields, types, constraints
   and codes. Only documentation (titles, descriptions, sources, licences) may differ. A copy
   cannot loosen the rules it is checked by.
2. Each CSV file is readable (not a folder, a loop of symbolic links, unreadable, too large or
   not UTF-8; a UTF-8 byte-order mark is accepted), parses as CSV, and has exactly the schema's
   header, once per column, in the schema's order.
3. Each cell is checked and typed by its field (types, constraints, codes, lists of codes).
4. Keys: ``unique`` values, the primary key, the foreign keys between tables.
5. The rules of one package (cross-column and cross-table rules in plain Python), kept apart
   below: the Ohashi 2019 case series, the evidence history and the radiosensitivity classes.

Limits the checker states, for any package: a file of at most ``MAX_FILE_BYTES`` bytes; a cell
of at most ``MAX_CELL_CHARS`` characters, with no control or invisible formatting character
(NUL, tab, newline, zero-width space...); whole numbers written with the ASCII digits 0-9, no
leading zero, and of magnitude at most ``MAX_ABS_NUMBER`` (2^53, the largest whole number a
float holds exactly) unless the field states a smaller maximum.

Why not frictionless-py at run time: it is the reference the tests hold this checker to
(``tests/test_corruptions.py``: whatever it rejects, this rejects), but on the development
machine (2026-11-21) importing it took 0.7-1.0 s against 0.06 s for this module, it adds 19
packages and about 34 MB to the environment, and its reports would still have to be rewritten
into our file-case-column messages, while the cross-table rules stay ours anyway.

Custom field properties (documented in each descriptor): ``codes`` (the code dictionary from the
table footnotes), ``listSeparator`` (the cell is a list of codes joined by it, each code at most
once), ``noneValue`` (the word printed for an empty list), ``sentenceCase`` (the first code of a
list is printed with a capital letter), ``unit`` and ``example``.
"""

from __future__ import annotations

import csv
import datetime
import errno
import io
import json
import re
import stat
import unicodedata
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

from spinemets import DATA_ROOT, PROJECT_ROOT

DESCRIPTOR = "datapackage.json"
MAX_FILE_BYTES = 5_000_000
MAX_CELL_CHARS = 2_000
MAX_ABS_NUMBER = 2**53
SHOWN_CHARS = 60  # how much of an over-long value a message quotes

SUPPORTED_TYPES = ("string", "integer", "number", "boolean", "date")
SUPPORTED_CONSTRAINTS = {"required", "unique", "minimum", "maximum", "enum", "pattern", "minLength", "maxLength"}
TRUE_VALUES = {"true", "True", "TRUE", "1"}  # the Table Schema defaults
FALSE_VALUES = {"false", "False", "FALSE", "0"}

# Properties that only document; a copy's descriptor may word them differently from the book's.
DOCUMENTATION = {
    "package": {"title", "description", "version", "sources", "licenses", "citation", "homepage", "keywords",
                "contributors", "created", "image", "id"},
    "resource": {"title", "description", "source", "sources", "licenses"},
    "schema": set(),
    "field": {"title", "description", "example", "rdfType"},
}
# Frictionless features this checker does not implement: rejected by name. A key listed with
# allowed values is accepted only with one of them (the values the checker implements).
UNSUPPORTED = {
    "package": {},
    "resource": {"dialect": None, "compression": None, "hash": None, "bytes": None, "data": None, "scheme": None,
                 "layout": None, "control": None, "encoding": ("utf-8", "utf8"), "format": ("csv",),
                 "mediatype": ("text/csv",), "profile": ("tabular-data-resource",)},
    "schema": {"missingValues": ([""],), "uniqueKeys": None, "fieldsMatch": None},
    "field": {"format": ("default",), "trueValues": None, "falseValues": None, "bareNumber": None,
              "decimalChar": None, "groupChar": None, "missingValues": None, "arrayItem": None},
}
INVISIBLE_NAMES = {"\x00": "NUL", "\t": "tab", "\n": "line feed (newline)", "\r": "carriage return",
                   "\ufeff": "byte-order mark", "\u200b": "zero-width space"}


# ---- Problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem: the file, the row (``case 4``, ``key young1980``, ``line 7``) and the column, where they apply."""

    file: str
    row: str
    column: str
    message: str

    def __str__(self) -> str:
        place = [self.file] + ([self.row] if self.row else []) + ([f"column {self.column}"] if self.column else [])
        return f"{', '.join(place)}: {self.message}"


class DataValidationError(ValueError):
    """Raised by the loaders when the data break the book's schema or a cross-table rule."""

    def __init__(self, data_dir: Path, problems: list[Problem]):
        self.data_dir = Path(data_dir)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in {self.data_dir}:\n{lines}")


# ---- Reading files: every failure is a message ------------------------------------------------


def read_bytes(path: Path, file: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file, or a problem saying in plain words why it cannot be read."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return None, Problem(file, "", "", f"is a folder, not a file ({path})")
        if not stat.S_ISREG(info.st_mode):
            return None, Problem(file, "", "", f"is not a regular file ({path})")
        if info.st_size > MAX_FILE_BYTES:
            return None, Problem(file, "", "", f"is {info.st_size} bytes long; the checker reads files of at most {MAX_FILE_BYTES} bytes")
        return path.read_bytes(), None
    except FileNotFoundError:
        if path.is_symlink():
            return None, Problem(file, "", "", f"is a symbolic link to a file that does not exist ({path})")
        return None, Problem(file, "", "", f"file not found at {path}")
    except PermissionError:
        return None, Problem(file, "", "", f"cannot be read: permission denied ({path})")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, Problem(file, "", "", f"is a symbolic link that loops back on itself ({path})")
        return None, Problem(file, "", "", f"cannot be read: {error.strerror or error} ({path})")


def decode(data: bytes, file: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a leading UTF-8 byte-order mark, as Excel writes it, is dropped), or a problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(file, "", "", "is UTF-16 text, not UTF-8; save it as UTF-8 (in Excel: 'CSV UTF-8')")
    if data.count(b"\x00") > len(data) // 10:  # NUL bytes are valid UTF-8, but this many mean another encoding
        return None, Problem(file, "", "", "is not UTF-8 text: it is full of NUL bytes (UTF-16 without a byte-order mark, "
                                           "or a binary file); save it as UTF-8")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start: error.start + 1]
        return None, Problem(file, "", "", f"is not UTF-8 text (byte 0x{byte.hex()} on line {line} is not UTF-8; "
                                           "a Latin-1 or Windows export, or a binary file?); save it as UTF-8")


# ---- The descriptor: supported features, and the book's descriptor as the contract ------------


def read_descriptor(path: Path, file: str = DESCRIPTOR) -> tuple[dict | None, list[Problem]]:
    data, problem = read_bytes(path, file)
    if problem:
        return None, [problem]
    if data.startswith(b"\xef\xbb\xbf"):  # JSON forbids it (RFC 8259), and frictionless-py rejects it
        return None, [Problem(file, "", "", "starts with a byte-order mark, which JSON does not allow; save it as UTF-8 without BOM")]
    text, problem = decode(data, file)
    if problem:
        return None, [problem]
    try:
        descriptor = json.loads(text)
    except (ValueError, RecursionError) as error:  # ValueError: bad JSON, or an integer too long to convert
        return None, [Problem(file, "", "", f"is not valid JSON ({error})")]
    if not isinstance(descriptor, dict):
        return None, [Problem(file, "", "", f"must hold a JSON object, not {type(descriptor).__name__}")]
    return descriptor, []


def descriptor_problems(descriptor: dict, file: str = DESCRIPTOR) -> list[Problem]:
    """The structure every descriptor needs, and the Frictionless features this checker does not implement."""
    problems: list[Problem] = []

    def report(where: str, message: str) -> None:
        problems.append(Problem(file, where, "", message))

    def unsupported(level: str, mapping: dict, where: str) -> None:
        for key, allowed in UNSUPPORTED[level].items():
            if key in mapping and (allowed is None or mapping[key] not in allowed):
                shown = f" {mapping[key]!r}" if allowed else ""
                only = f" (only {' or '.join(repr(a) for a in allowed)} is supported)" if allowed else ""
                report(where, f"the {level} property '{key}'{shown} is a Frictionless feature this checker does not implement{only}")

    if not isinstance(descriptor.get("name"), str):
        report("", "the package has no 'name' (a string naming the package)")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        report("", "'resources' must be a non-empty list of tables")
        return problems
    names = []
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            report(f"resource {number}", "must be a JSON object")
            continue
        name = resource.get("name")
        where = f"table {name}" if isinstance(name, str) else f"resource {number}"
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9._-]+", name):
            report(where, "needs a 'name' of lower-case letters, digits, '.', '-' or '_'")
        elif name in names:
            report(where, "the table name is used twice")
        names.append(name)
        unsupported("resource", resource, where)
        path = resource.get("path")
        if not isinstance(path, str):
            report(where, "'path' must be one file name (multi-part or missing paths are not supported)")
        elif path != Path(path).name or path in ("", ".", "..") or ":" in path:
            report(where, f"'path' {path!r} must be a file name inside the package folder, not a URL or another folder")
        schema = resource.get("schema")
        if isinstance(schema, str):
            report(where, f"a schema given as a path or URL ({schema!r}) is not supported; put it in datapackage.json")
            continue
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
            report(where, "needs a 'schema' with a non-empty list of 'fields'")
            continue
        unsupported("schema", schema, where)
        field_names = []
        for position, descriptor_field in enumerate(schema["fields"], start=1):
            if not isinstance(descriptor_field, dict) or not isinstance(descriptor_field.get("name"), str):
                report(where, f"field {position} must be an object with a 'name'")
                continue
            fname = descriptor_field["name"]
            field_where = f"{where}, field {fname}"
            if fname in field_names:
                report(field_where, "the field name is used twice")
            field_names.append(fname)
            unsupported("field", descriptor_field, field_where)
            ftype = descriptor_field.get("type", "string")
            if ftype not in SUPPORTED_TYPES:
                report(field_where, f"type {ftype!r} is not supported (supported: {', '.join(SUPPORTED_TYPES)})")
            constraints = descriptor_field.get("constraints", {})
            if not isinstance(constraints, dict):
                report(field_where, "'constraints' must be an object")
                continue
            for key in sorted(set(constraints) - SUPPORTED_CONSTRAINTS):
                report(field_where, f"the constraint '{key}' is a Frictionless feature this checker does not implement")
            for key in ("minimum", "maximum", "minLength", "maxLength"):
                if key in constraints and (isinstance(constraints[key], bool) or not isinstance(constraints[key], (int, float))):
                    report(field_where, f"constraint '{key}' must be a number")
            if "enum" in constraints and not isinstance(constraints["enum"], list):
                report(field_where, "constraint 'enum' must be a list")
            if "pattern" in constraints:
                try:
                    re.compile(constraints["pattern"])
                except (re.error, TypeError) as error:
                    report(field_where, f"constraint 'pattern' is not a valid regular expression ({error})")
            if "codes" in descriptor_field and not isinstance(descriptor_field["codes"], dict):
                report(field_where, "'codes' must be an object (code -> meaning)")
            if "listSeparator" in descriptor_field and not (isinstance(descriptor_field["listSeparator"], str) and descriptor_field["listSeparator"]):
                report(field_where, "'listSeparator' must be a non-empty string")
        for key_name in ("primaryKey",):
            key = schema.get(key_name)
            if key is not None and not (isinstance(key, list) and key and all(k in field_names for k in key)):
                report(where, f"'{key_name}' must list fields of the table")
        foreign_keys = schema.get("foreignKeys", [])
        if not isinstance(foreign_keys, list):
            report(where, "'foreignKeys' must be a list")
            continue
        for foreign_key in foreign_keys:
            ok = (isinstance(foreign_key, dict) and isinstance(foreign_key.get("fields"), list)
                  and all(k in field_names for k in foreign_key["fields"])
                  and isinstance(foreign_key.get("reference"), dict)
                  and isinstance(foreign_key["reference"].get("resource"), str)
                  and isinstance(foreign_key["reference"].get("fields"), list)
                  and len(foreign_key["reference"]["fields"]) == len(foreign_key["fields"]))
            if not ok:
                report(where, f"foreign key {json.dumps(foreign_key)[:200]} must name fields of this table and as many fields of a referenced table")
    if problems:  # foreign keys are checked across tables only once every table is well formed
        return problems
    for resource in resources:
        for foreign_key in resource["schema"].get("foreignKeys", []) or []:
            try:
                target = foreign_key["reference"]["resource"] or resource.get("name")
                target_resource = next(r for r in resources if isinstance(r, dict) and r.get("name") == target)
                target_fields = [f.get("name") for f in target_resource["schema"]["fields"] if isinstance(f, dict)]
                missing = [k for k in foreign_key["reference"]["fields"] if k not in target_fields]
            except (KeyError, TypeError, StopIteration, AttributeError):
                missing = None
            if missing is None or missing:
                report(f"table {resource.get('name')}", f"foreign key refers to a table or fields that do not exist ({json.dumps(foreign_key)[:200]})")
    return problems


def book_descriptors(data_root: Path = DATA_ROOT) -> dict[str, Path]:
    """The book's own packages: package name -> its committed datapackage.json under ``data/``."""
    found = {}
    for path in sorted(Path(data_root).glob(f"*/{DESCRIPTOR}")):
        try:
            name = json.loads(path.read_text(encoding="utf-8")).get("name")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(name, str):
            found[name] = path
    return found


def short(value, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def compare_mappings(book: dict, copy: dict, level: str, where: str, skip: set[str], report) -> None:
    """Report every contract property (not documentation) that differs between the book's and a copy's object."""
    for key in sorted(set(book) | set(copy), key=str):
        if key in DOCUMENTATION[level] or key in skip or key in ("resources", "fields", "schema", "name"):
            continue
        if key in UNSUPPORTED.get(level, {}) and key not in book:
            continue  # reported once, by name, as an unsupported feature
        if key not in copy:
            report(where, f"lacks the property '{key}' that the book's descriptor has ({short(book[key])})")
        elif key not in book:
            report(where, f"adds the property '{key}' ({short(copy[key])}), which the book's descriptor does not have")
        elif key == "constraints" and isinstance(book[key], dict) and isinstance(copy[key], dict):
            for name in sorted(set(book[key]) | set(copy[key])):
                old, new = book[key].get(name), copy[key].get(name)
                if old == new:
                    continue
                if name == "enum" and isinstance(old, list) and isinstance(new, list):
                    added = [v for v in new if v not in old]
                    removed = [v for v in old if v not in new]
                    change = "; ".join(part for part in (f"adds {short(added)}" if added else "",
                                                          f"removes {short(removed)}" if removed else "") if part)
                    report(where, f"constraint 'enum' differs from the book's descriptor: this copy {change or 'reorders it'}")
                elif name not in copy[key]:
                    report(where, f"lacks the constraint '{name}' ({short(old)}) of the book's descriptor")
                elif name not in book[key]:
                    report(where, f"adds the constraint '{name}' ({short(new)}), which the book's descriptor does not have")
                else:
                    report(where, f"constraint '{name}' is {short(new)} here but {short(old)} in the book's descriptor")
        elif key == "codes" and isinstance(book[key], dict) and isinstance(copy[key], dict) and set(book[key]) != set(copy[key]):
            added = sorted(set(copy[key]) - set(book[key]))
            removed = sorted(set(book[key]) - set(copy[key]))
            report(where, f"codes differ from the book's descriptor: added {short(added)}, removed {short(removed)}")
        elif book[key] != copy[key] and key != "codes":
            report(where, f"'{key}' is {short(copy[key])} here but {short(book[key])} in the book's descriptor")


def contract_problems(book: dict, copy: dict, file: str = DESCRIPTOR) -> list[Problem]:
    """Where a copy's descriptor differs from the book's in anything but documentation."""
    problems: list[Problem] = []

    def report(where: str, message: str) -> None:
        problems.append(Problem(file, where, "", message))

    compare_mappings(book, copy, "package", "", set(), report)
    book_tables = {r["name"]: r for r in book["resources"]}
    copy_tables = {r["name"]: r for r in copy["resources"]}
    for name in book_tables:
        if name not in copy_tables:
            report(f"table {name}", f"the book's package has the table '{name}' ({book_tables[name]['path']}); this copy's descriptor lacks it")
    for name in copy_tables:
        if name not in book_tables:
            report(f"table {name}", f"this copy adds a table '{name}' that the book's package does not have")
    for name in [n for n in book_tables if n in copy_tables]:
        old, new = book_tables[name], copy_tables[name]
        where = f"table {name}"
        compare_mappings(old, new, "resource", where, set(), report)
        compare_mappings(old["schema"], new["schema"], "schema", where, set(), report)
        old_fields = {f["name"]: f for f in old["schema"]["fields"]}
        new_fields = {f["name"]: f for f in new["schema"]["fields"]}
        lost = [f for f in old_fields if f not in new_fields]
        gained = [f for f in new_fields if f not in old_fields]
        if len(lost) == len(gained) == 1:
            report(where, f"field '{lost[0]}' is renamed '{gained[0]}' in this copy")
        else:
            for fname in lost:
                report(where, f"the book's field '{fname}' is missing from this copy's descriptor")
            for fname in gained:
                report(where, f"this copy adds a field '{fname}' that the book's descriptor does not have")
        common_old = [f for f in old_fields if f in new_fields]
        common_new = [f for f in new_fields if f in old_fields]
        if common_old != common_new:
            report(where, f"fields are in a different order than in the book's descriptor ({', '.join(common_old)})")
        for fname in common_old:
            compare_mappings(old_fields[fname], new_fields[fname], "field", f"{where}, field {fname}", set(), report)
    return problems


# ---- Cells: check and type, in one step ------------------------------------------------------


def invisible_character(text: str) -> str | None:
    for position, char in enumerate(text):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            name = INVISIBLE_NAMES.get(char) or unicodedata.name(char, "control character")
            return f"value {quote(text)} contains an invisible character, U+{ord(char):04X} ({name}), at position {position + 1}"
    return None


def quote(text: str) -> str:
    return repr(text) if len(text) <= SHOWN_CHARS else repr(text[:SHOWN_CHARS]) + f"... ({len(text)} characters)"


def non_ascii_digits(text: str) -> bool:
    return any(char.isdigit() and char not in "0123456789" for char in text)


def parse_number(text: str, whole: bool) -> tuple[int | float | None, str | None]:
    kind = "whole number" if whole else "number"
    if non_ascii_digits(text):
        return None, f"value {quote(text)} is written with non-ASCII digits; write numbers with the digits 0-9"
    form = r"-?[0-9]+" if whole else r"-?[0-9]+(?:\.[0-9]+)?"
    if not re.fullmatch(form, text, flags=re.ASCII):
        return None, f"value {quote(text)} is not a {kind}" + ("" if whole else " (digits 0-9 with an optional decimal point)")
    digits = text.lstrip("-").split(".")[0]
    if len(digits) > 1 and digits.startswith("0"):
        return None, f"value {quote(text)} has a leading zero; write {text.replace(digits, digits.lstrip('0') or '0', 1)!r}"
    if len(digits) > 300:  # beyond any float, and int() refuses very long digit strings
        return None, f"value {quote(text)} is beyond the largest magnitude the checker accepts ({MAX_ABS_NUMBER}, 2^53)"
    return (int(text) if whole else float(text)), None


def list_problem(text: str, descriptor: dict) -> str | None:
    """A cell that is a list of codes: every item a known code, each at most once."""
    separator = descriptor["listSeparator"]
    items = text.split(separator)
    codes = descriptor.get("codes")
    if any(item == "" for item in items):
        return f"value {quote(text)} has an empty item in its list (separator {separator!r})"
    written = list(items)
    if descriptor.get("sentenceCase"):
        first = items[0]
        if not first[:1].isupper():
            return f"value {quote(text)} should begin with a capital letter, as the table prints it"
        items = [first[:1].lower() + first[1:]] + items[1:]
    if codes is not None:
        unknown = [shown for item, shown in zip(items, written) if item not in codes]
        if unknown:
            words = ", ".join(repr(item) for item in unknown)
            return (f"value {quote(text)} contains the unknown code{'s' if len(unknown) > 1 else ''} {words}; "
                    f"allowed: {', '.join(codes)}" + (f", or {descriptor['noneValue']!r} alone" if "noneValue" in descriptor else ""))
    repeated = sorted({item for item in items if items.count(item) > 1})
    if repeated:
        return f"value {quote(text)} repeats the code{'s' if len(repeated) > 1 else ''} {', '.join(repr(r) for r in repeated)}"
    return None


def parse_cell(text: str, descriptor: dict, required: bool = False):
    """(typed value, problem). The empty string is a missing value (None)."""
    if (problem := invisible_character(text)):
        return None, problem
    if len(text) > MAX_CELL_CHARS:
        return None, f"value {quote(text)} is longer than the {MAX_CELL_CHARS} characters the checker allows in a cell"
    constraints = descriptor.get("constraints", {})
    if text == "":
        return None, ("is empty but a value is required" if required or constraints.get("required") else None)
    if text != text.strip():
        return None, f"value {quote(text)} has leading or trailing spaces"
    kind = descriptor.get("type", "string")
    if kind in ("integer", "number"):
        value, problem = parse_number(text, whole=kind == "integer")
        if problem:
            return None, problem
    elif kind == "boolean":
        if text not in TRUE_VALUES | FALSE_VALUES:
            return None, f"value {quote(text)} is not true or false"
        value = text in TRUE_VALUES
    elif kind == "date":
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, flags=re.ASCII):
                raise ValueError
            value = datetime.date.fromisoformat(text)
        except ValueError:
            return None, f"value {quote(text)} is not a date written YYYY-MM-DD"
    else:
        value = text
    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(str(code) for code in constraints["enum"])
        return None, f"value {quote(text) if kind == 'string' else text} is not one of the allowed codes: {allowed}"
    if "minimum" in constraints and kind in ("integer", "number") and value < constraints["minimum"]:
        return None, f"value {quote(text)} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and kind in ("integer", "number") and value > constraints["maximum"]:
        return None, f"value {quote(text)} is above the maximum {constraints['maximum']}"
    if kind in ("integer", "number") and abs(value) > MAX_ABS_NUMBER:
        return None, f"value {quote(text)} is beyond the largest magnitude the checker accepts ({MAX_ABS_NUMBER}, 2^53)"
    if kind == "string":
        if "minLength" in constraints and len(value) < constraints["minLength"]:
            return None, f"value {quote(text)} is shorter than the minimum length {constraints['minLength']}"
        if "maxLength" in constraints and len(value) > constraints["maxLength"]:
            return None, f"value {quote(text)} is longer than the maximum length {constraints['maxLength']}"
        is_none = "noneValue" in descriptor and value == descriptor["noneValue"]
        if "listSeparator" in descriptor and not is_none and (problem := list_problem(value, descriptor)):
            return None, problem
        if "codes" in descriptor and "listSeparator" not in descriptor and "enum" not in constraints and value not in descriptor["codes"]:
            return None, f"value {quote(text)} is not one of the codes: {', '.join(descriptor['codes'])}"
        if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value, flags=re.ASCII):
            hint = f"for example {descriptor['example']!r}" if "example" in descriptor else f"pattern {constraints['pattern']}"
            return None, f"value {quote(text)} does not have the expected form ({hint})"
    return value, None


# ---- Tables ----------------------------------------------------------------------------------


@dataclass
class Table:
    """One CSV file as checked: typed rows (None = empty), their line numbers and labels."""

    name: str
    file: str
    fields: list[dict]
    key: list[str]
    rows: list[dict] = dataclass_field(default_factory=list)
    lines: list[int] = dataclass_field(default_factory=list)
    labels: list[str] = dataclass_field(default_factory=list)
    invalid: list[set] = dataclass_field(default_factory=list)  # columns whose cell failed, per row
    complete: bool = False  # header fine, every row readable and every key cell valid


def row_label(key: list[str], values: dict, invalid: set, line: int) -> str:
    if key and not (set(key) & invalid) and all(values.get(k) is not None for k in key):
        return ", ".join(f"{k} {values[k]}" for k in key)
    return f"line {line}"


def header_problems(header: list[str], expected: list[str], file: str) -> list[Problem]:
    def report(column: str, message: str) -> None:
        problems.append(Problem(file, "", column, message))

    problems: list[Problem] = []
    if not any(name in expected for name in header):
        shown = ",".join(header)
        found = "a blank line" if not shown.strip() else quote(shown)
        report("", f"line 1 is not the header row: found {found}; the first line must be the header "
                   f"({','.join(expected)}); remove any line above it")
        return problems
    for position, name in enumerate(header, start=1):
        if (problem := invisible_character(name)):
            report("", f"header column {position}: {problem}")
    if problems:
        return problems
    counts = {name: header.count(name) for name in header}
    for name, count in counts.items():
        if count > 1:
            positions = [str(i) for i, n in enumerate(header, start=1) if n == name]
            report(name, f"column {name!r} appears {count} times in the header (positions {', '.join(positions)})")
    missing = [n for n in expected if n not in counts]
    unexpected = [n for n in counts if n not in expected]
    for name in list(unexpected):
        near = [m for m in missing if m == name.strip().lower()]
        if near:
            report(near[0], f"the header has {name!r} where the schema has {near[0]!r}")
            unexpected.remove(name)
            missing.remove(near[0])
    for name in missing:
        report(name, "column is missing from the header")
    for name in unexpected:
        report(name, f"column {quote(name)} is not in the schema (unexpected column)" if name else
                     f"header column {header.index(name) + 1} has no name")
    if not problems and header != expected:
        report("", f"columns are not in the schema's order: the header is {','.join(header)}; the schema's order is {','.join(expected)}")
    return problems


def read_table(directory: Path, resource: dict) -> tuple[Table, list[Problem]]:
    file = resource["path"]
    fields = resource["schema"]["fields"]
    key = list(resource["schema"].get("primaryKey") or [])
    table = Table(resource["name"], file, fields, key)
    data, problem = read_bytes(Path(directory) / file, file)
    if problem:
        return table, [problem]
    text, problem = decode(data, file)
    if problem:
        return table, [problem]
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    # The csv module's field limit is process-wide and other libraries change it: fix it at the
    # file-size limit while reading, so that a long cell always reaches the cell-length rule.
    field_limit = csv.field_size_limit(MAX_FILE_BYTES + 1)
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        reason = str(error)
        if "field larger than field limit" in reason:
            reason = f"a cell is longer than the csv reader's limit of {csv.field_size_limit()} characters"
        return table, [Problem(file, f"line {line}", "", f"cannot be read as CSV: {reason}")]
    finally:
        csv.field_size_limit(field_limit)
    if not records:
        return table, [Problem(file, "", "", "is empty: it has no header row")]
    expected = [f["name"] for f in fields]
    header = records[0][1]
    problems = header_problems(header, expected, file)
    if problems:
        return table, problems
    complete = True
    seen: dict[str, dict] = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique")}
    for line, cells in records[1:]:
        if not cells:
            problems.append(Problem(file, f"line {line}", "", "line is blank; remove it"))
            complete = False
            continue
        if [cell.lstrip("\ufeff") for cell in cells] == header:  # a second file pasted below the first
            problems.append(Problem(file, f"line {line}", "", "line repeats the header row; remove it"))
            complete = False
            continue
        if len(cells) != len(expected):
            problems.append(Problem(file, f"line {line}", "", f"row has {len(cells)} cells but the header has {len(expected)}"))
            complete = False
            continue
        values, invalid, messages = {}, set(), []
        for descriptor, text in zip(fields, cells):
            value, message = parse_cell(text, descriptor, required=descriptor["name"] in key)
            values[descriptor["name"]] = value
            if message:
                invalid.add(descriptor["name"])
                messages.append((descriptor["name"], message))
        label = row_label(key, values, invalid, line)
        problems += [Problem(file, label, column, message) for column, message in messages]
        if set(key) & invalid:
            complete = False
        for column, earlier in seen.items():
            value = values[column]
            if value is None or column in invalid:
                continue
            if value in earlier:
                what = "key" if column in key else "value"
                problems.append(Problem(file, label, column, f"duplicate {what} {quote(cells[expected.index(column)])} (also on line {earlier[value]})"))
                invalid.add(column)
                if column in key:
                    complete = False
            else:
                earlier[value] = line
        table.rows.append(values)
        table.lines.append(line)
        table.labels.append(label)
        table.invalid.append(invalid)
    if not table.rows:
        problems.append(Problem(file, "", "", "the table has no rows"))
        complete = False
    # A composite primary key (a single-field one is checked by its 'unique' constraint).
    if len(key) > 1 or (key and not any(f["name"] == key[0] and f.get("constraints", {}).get("unique") for f in fields)):
        first: dict[tuple, int] = {}
        for values, line, label, invalid in zip(table.rows, table.lines, table.labels, table.invalid):
            if set(key) & invalid:
                continue
            combination = tuple(values[k] for k in key)
            if combination in first:
                problems.append(Problem(file, label, ", ".join(key), f"duplicate primary key (also on line {first[combination]})"))
                complete = False
            first.setdefault(combination, line)
    table.complete = complete
    return table, problems


def foreign_key_problems(tables: dict[str, Table], descriptor: dict) -> list[Problem]:
    """Every referenced row must exist. One message per missing referenced row, naming every file that refers to it."""
    missing: dict[tuple, list[str]] = {}
    for resource in descriptor["resources"]:
        child = tables.get(resource["name"])
        for foreign_key in resource["schema"].get("foreignKeys", []):
            parent = tables.get(foreign_key["reference"]["resource"] or resource["name"])
            if child is None or parent is None or not (child.complete and parent.complete):
                continue
            parent_fields = foreign_key["reference"]["fields"]
            present = {tuple(row[f] for f in parent_fields) for row in parent.rows}
            for row, invalid in zip(child.rows, child.invalid):
                values = tuple(row[f] for f in foreign_key["fields"])
                if None in values or set(foreign_key["fields"]) & invalid or values in present:
                    continue
                files = missing.setdefault((parent.name, tuple(parent_fields), values), [])
                if child.file not in files:
                    files.append(child.file)
    problems = []
    for (parent_name, parent_fields, values), files in missing.items():
        parent = tables[parent_name]
        label = ", ".join(f"{f} {v}" for f, v in zip(parent_fields, values))
        problems.append(Problem(parent.file, label, ", ".join(parent_fields),
                                f"no such row, yet {', '.join(files)} refer{'s' if len(files) == 1 else ''} to it"))
    return problems


# ---- The checked package ---------------------------------------------------------------------


@dataclass
class CheckedPackage:
    directory: Path
    descriptor: dict | None
    tables: dict[str, Table]
    problems: list[Problem]

    @property
    def name(self) -> str | None:
        return self.descriptor.get("name") if self.descriptor else None

    def raise_if_invalid(self) -> "CheckedPackage":
        if self.problems:
            raise DataValidationError(self.directory, self.problems)
        return self

    def resource(self, name: str) -> dict:
        for resource in (self.descriptor or {}).get("resources", []):
            if resource["name"] == name:
                return resource
        known = ", ".join(self.tables) or "none"
        raise KeyError(f"the package in {self.directory} has no table {name!r} (tables: {known})")

    def frame(self, name: str):
        """The checked, typed rows of one table as a DataFrame, sorted by the primary key.

        Types by field: integer -> Int64, number -> float, boolean -> boolean, date ->
        datetime64, string -> object; an empty cell is missing (None or NA).
        """
        import pandas as pd  # here, so that the command-line checker starts without pandas

        self.raise_if_invalid()
        resource = self.resource(name)
        table = self.tables[name]
        frame = pd.DataFrame(table.rows, columns=[f["name"] for f in table.fields])
        for descriptor in table.fields:
            column = descriptor["name"]
            kind = descriptor.get("type", "string")
            if kind == "integer":
                frame[column] = pd.array(list(frame[column]), dtype="Int64")
            elif kind == "number":
                frame[column] = pd.to_numeric(frame[column], errors="raise").astype(float)
            elif kind == "boolean":
                frame[column] = pd.array(list(frame[column]), dtype="boolean")
            elif kind == "date":
                frame[column] = pd.to_datetime(frame[column])
            else:
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        key = list(resource["schema"].get("primaryKey") or [])
        if key:
            frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
        return frame


def locate(path: str | Path) -> Path:
    """The package folder for a folder or a ``datapackage.json`` path (no check that it exists)."""
    path = Path(path)
    return path.parent if path.name == DESCRIPTOR and not path.is_dir() else path


def check(path: str | Path, *, bib_paths: list[Path] | None = None, data_root: Path = DATA_ROOT) -> CheckedPackage:
    """Read and check the package at ``path`` (a folder or its datapackage.json), once."""
    directory = locate(path)
    copy, problems = read_descriptor(directory / DESCRIPTOR)
    package = CheckedPackage(directory, None, {}, problems)
    if copy is None:
        return package
    package.problems += descriptor_problems(copy)
    if package.problems:
        return package
    books = book_descriptors(data_root)
    if copy["name"] not in books:
        package.problems.append(Problem(DESCRIPTOR, "", "", f"the package name {copy['name']!r} is not one of the book's data packages "
                                                            f"({', '.join(books) or 'none found'}); a copy keeps the book's name"))
        return package
    book, book_problems = read_descriptor(books[copy["name"]], f"the book's {books[copy['name']]}")
    if book is not None:
        book_problems += descriptor_problems(book, f"the book's {books[copy['name']]}")
    if book_problems:
        package.problems += book_problems
        return package
    package.problems += contract_problems(book, copy)
    if package.problems:
        return package
    package.descriptor = book  # identical to the copy in every property that is checked
    for resource in book["resources"]:
        table, table_problems = read_table(directory, resource)
        package.tables[resource["name"]] = table
        package.problems += table_problems
    package.problems += foreign_key_problems(package.tables, book)
    rules = PACKAGE_RULES.get(book["name"])
    if rules:
        package.problems += rules(package, bib_paths=bib_paths)
    return package


def validate(data_dir: str | Path, **options) -> list[Problem]:
    """All problems in the package at ``data_dir``; an empty list means valid."""
    return check(data_dir, **options).problems


def load_package(data_dir: str | Path, **options) -> CheckedPackage:
    """The checked package; raises :class:`DataValidationError` listing every problem."""
    return check(data_dir, **options).raise_if_invalid()


# ---- Rules of the Ohashi 2019 case series (data/ohashi2019) ---------------------------------

ALIVE = {"AWD", "NED"}
MINIMUM_FOLLOWUP_MONTHS = 24  # inclusion criterion of the series: at least 2 years of follow-up


def rows_by_case(table: Table) -> dict[int, tuple[dict, set, str]]:
    return {row["case"]: (row, invalid, label) for row, invalid, label in zip(table.rows, table.invalid, table.labels)
            if row.get("case") is not None and "case" not in invalid}


def ohashi_same_cases(package: CheckedPackage) -> list[Problem]:
    """Every table describes the same patients: each patients.csv case has a row in the other files
    (a case missing from patients.csv is reported once, by the foreign-key check)."""
    tables = package.tables
    if not all(t.complete for t in tables.values()) or "patients" not in tables:
        return []
    cases = {name: set(rows_by_case(t)) for name, t in tables.items()}
    problems = []
    for name, table in tables.items():
        if name == "patients":
            continue
        for case in sorted(cases["patients"] - cases[name]):
            others = [tables[n].file for n in tables if n != name and case in cases[n]]
            problems.append(Problem(table.file, f"case {case}", "case", f"case is missing from this file but present in {', '.join(others)}"))
    return problems


def ohashi_outcomes(package: CheckedPackage) -> list[Problem]:
    """Cross-column rules of Table 3: event months present exactly when the event happened, no
    event after the last follow-up, survivors followed for the study's minimum."""
    table = package.tables.get("outcomes")
    if table is None:
        return []
    problems = []
    for row, invalid, label in zip(table.rows, table.invalid, table.labels):
        def report(column: str, message: str) -> None:
            problems.append(Problem(table.file, label, column, message))

        def usable(*columns: str) -> bool:
            return not set(columns) & invalid

        if usable("local_recurrence", "local_recurrence_months", "local_recurrence_treatment"):
            for column in ("local_recurrence_months", "local_recurrence_treatment"):
                value = row[column]
                if row["local_recurrence"] == "Yes" and value is None:
                    report(column, "is empty but local_recurrence is 'Yes': a recurrence needs its month and treatment")
                if row["local_recurrence"] == "No" and value is not None:
                    report(column, f"has {value!r} but local_recurrence is 'No'")
        if usable("distant_relapse_sites", "distant_relapse_months", "distant_relapse_treatment"):
            relapsed = row["distant_relapse_sites"] != "None"
            for column in ("distant_relapse_months", "distant_relapse_treatment"):
                value = row[column]
                if relapsed and value is None:
                    report(column, f"is empty but distant_relapse_sites is {row['distant_relapse_sites']!r}: a relapse needs its month and treatment")
                if not relapsed and value is not None:
                    report(column, f"has {value!r} but distant_relapse_sites is 'None'")
        followup = row["followup_months"] if usable("followup_months") else None
        for column in ("local_recurrence_months", "distant_relapse_months"):
            month = row[column] if usable(column) else None
            if month is not None and followup is not None and month > followup:
                report(column, f"event at month {month} is after the last follow-up (followup_months = {followup})")
        if usable("prognosis") and row["prognosis"] in ALIVE and followup is not None and followup < MINIMUM_FOLLOWUP_MONTHS:
            report("followup_months", f"patient is alive ({row['prognosis']}) but followed for only {followup} months; "
                                      f"the series requires at least {MINIMUM_FOLLOWUP_MONTHS}")
    return problems


def ohashi_last_contact(package: CheckedPackage) -> list[Problem]:
    """Year of surgery plus follow-up must not pass the date the data were closed (``dataClosed`` in
    datapackage.json). Only the year of surgery is known, so the earliest possible last contact is used."""
    closed = datetime.date.fromisoformat(package.descriptor["dataClosed"]["date"])
    surgery, outcomes = package.tables.get("surgery"), package.tables.get("outcomes")
    if surgery is None or outcomes is None:
        return []
    years = {case: row["year"] for case, (row, invalid, _) in rows_by_case(surgery).items() if "year" not in invalid}
    problems = []
    for case, (row, invalid, label) in rows_by_case(outcomes).items():
        if "followup_months" in invalid or row["followup_months"] is None or years.get(case) is None:
            continue
        months = years[case] * 12 + row["followup_months"]  # from January of the year of surgery
        year, month = divmod(months, 12)
        if (year, month + 1) > (closed.year, closed.month):
            problems.append(Problem(outcomes.file, label, "followup_months",
                                    f"{row['followup_months']} months of follow-up after surgery in {years[case]} (surgery.csv) put the last "
                                    f"contact in {year}-{month + 1:02d} at the earliest, after the data were closed on {closed.isoformat()} "
                                    f"(dataClosed in datapackage.json)"))
    return problems


def ohashi_rules(package: CheckedPackage, **_options) -> list[Problem]:
    return ohashi_same_cases(package) + ohashi_outcomes(package) + ohashi_last_contact(package)


# ---- Rules of the evidence history (data/evidence) ------------------------------------------

BIB_KEY = re.compile(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def bibliography_files() -> list[Path]:
    """The book's BibTeX files: every ``*.bib`` under ``book/``."""
    return sorted((PROJECT_ROOT / "book").rglob("*.bib"))


def bibliography_keys(bib_paths: list[Path] | None = None) -> tuple[set[str], list[Problem]]:
    keys, problems = set(), []
    for path in bib_paths if bib_paths is not None else bibliography_files():
        data, problem = read_bytes(Path(path), Path(path).name)
        text, problem = (None, problem) if problem else decode(data, Path(path).name)
        if problem:
            problems.append(problem)
        else:
            keys |= set(BIB_KEY.findall(text))
    return keys, problems


def evidence_rules(package: CheckedPackage, bib_paths: list[Path] | None = None, **_options) -> list[Problem]:
    """Every study's key resolves in the book's bibliography."""
    studies = package.tables.get("studies")
    if studies is None:
        return []
    keys, problems = bibliography_keys(bib_paths)
    if problems:
        return problems
    files = ", ".join(p.name for p in (bib_paths if bib_paths is not None else bibliography_files())) or "no .bib file found"
    for row, invalid, label in zip(studies.rows, studies.invalid, studies.labels):
        if "key" not in invalid and row["key"] is not None and row["key"] not in keys:
            problems.append(Problem(studies.file, label, "key", f"key {row['key']!r} has no entry in the bibliography ({files})"))
    return problems


def evidence_trial_rules(package: CheckedPackage, **_options) -> list[Problem]:
    """Arm-level consistency of each trial row: events <= analysed <= randomised, arms add up to totals."""
    trials = package.tables.get("trials")
    if trials is None:
        return []
    problems = []
    for row, invalid, label in zip(trials.rows, trials.invalid, trials.labels):
        def value(column):
            return None if column in invalid else row.get(column)
        for arm in ("intervention", "control"):
            events, analysed, randomised = (value(f"{what}_{arm}") for what in ("events", "n_analysed", "n_randomised"))
            if events is not None and analysed is not None and events > analysed:
                problems.append(Problem(trials.file, label, f"events_{arm}", f"{events} events exceed the {analysed} patients analysed"))
            if analysed is not None and randomised is not None and analysed > randomised:
                problems.append(Problem(trials.file, label, f"n_analysed_{arm}", f"{analysed} analysed exceed the {randomised} randomised"))
        for what in ("n_randomised", "n_analysed"):
            arms = [value(f"{what}_{arm}") for arm in ("intervention", "control")]
            total = value(f"{what}_total")
            if None not in arms and total is not None and sum(arms) != total:
                problems.append(Problem(trials.file, label, f"{what}_total", f"the arms add up to {sum(arms)}, not {total}"))
        if value("endpoint_type") == "binary" and (value("events_intervention") is not None or value("events_control") is not None):
            if value("n_analysed_intervention") is None or value("n_analysed_control") is None:
                problems.append(Problem(trials.file, label, "n_analysed_intervention",
                                        "events are given but not the denominators they were counted in"))
    return problems


# ---- Rules of the radiosensitivity classes (data/radiosensitivity) ---------------------------

def histology_names(row: dict) -> list[str]:
    """A row's histology and its aliases: every name the pathway matches to this row."""
    aliases = row.get("aliases")
    return [row["histology"]] + (aliases.split("; ") if aliases else [])


def radiosensitivity_rules(package: CheckedPackage, bib_paths: list[Path] | None = None, **_options) -> list[Problem]:
    """Every source resolves in the bibliography; every name (histology or alias) names one row only;
    a class the book extends to a histology says why in its note."""
    table = package.tables.get("histologies")
    if table is None:
        return []
    problems: list[Problem] = []
    keys, bib_problems = bibliography_keys(bib_paths)
    if bib_problems:
        return bib_problems
    files = ", ".join(p.name for p in (bib_paths if bib_paths is not None else bibliography_files())) or "no .bib file found"
    owner: dict[str, str] = {}
    for row, invalid, label in zip(table.rows, table.invalid, table.labels):
        if "source" not in invalid and row["source"] is not None and row["source"] not in keys:
            problems.append(Problem(table.file, label, "source", f"key {row['source']!r} has no entry in the bibliography ({files})"))
        if "basis" not in invalid and row["basis"] == "extended by the book" and not row.get("note"):
            problems.append(Problem(table.file, label, "note",
                                    "is empty, but the class is extended by the book: the note must say why"))
        if {"histology", "aliases"} & invalid or row["histology"] is None:
            continue
        for name in histology_names(row):
            column = "histology" if name == row["histology"] else "aliases"
            if name in owner and owner[name] != row["histology"]:
                problems.append(Problem(table.file, label, column,
                                        f"the name {name!r} already names the row histology {owner[name]}; a name may name one histology only"))
            owner.setdefault(name, row["histology"])
    return problems


PACKAGE_RULES = {
    "ohashi2019-en-bloc-spondylectomy": ohashi_rules,
    "spinal-metastases-evidence": lambda package, **options: evidence_rules(package, **options) + evidence_trial_rules(package),
    "spinal-metastases-radiosensitivity": radiosensitivity_rules,
}
