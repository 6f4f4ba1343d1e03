"""Command line: python -m spinemets check-data [PATH ...]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spinemets import DATA_ROOT, __version__
from spinemets.validation import DESCRIPTOR, book_descriptors, check, locate

PROG = "python -m spinemets"
DESCRIPTION = "Tools of the book 'Surgery for spinal metastases, taught with runnable code'."
CHECK_HELP = f"""\
Check data packages against the book's own schemas and rules.

PATH is a package folder (holding {DESCRIPTOR} and its CSV files) or the path of a
{DESCRIPTOR}. Without PATH, every package under {DATA_ROOT} is checked.

A copy is checked against the book's descriptor of the package with the same name: its own
{DESCRIPTOR} may differ only in documentation (titles, descriptions, sources).

Exit status: 0 every package is valid (one OK line each); 1 invalid data (every problem
listed on standard error, by file, case and column); 2 usage error (a path that does not
exist, or is neither a package folder nor a {DESCRIPTOR})."""


class UsageError(Exception):
    """A command line the checker cannot act on: exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not the usage block and a message."""

    def error(self, message: str):  # noqa: D401 (argparse's name)
        raise UsageError(f"{message} (see '{PROG} --help')")


def package_folder(argument: str) -> Path:
    path = Path(argument)
    try:
        if path.is_dir():
            if not (path / DESCRIPTOR).exists() and not (path / DESCRIPTOR).is_symlink():
                raise UsageError(f"{argument} is a folder without a {DESCRIPTOR}, so not a data package folder")
            return path
        if path.exists() or path.is_symlink():
            if path.name != DESCRIPTOR:
                raise UsageError(f"{argument} is neither a data package folder nor a {DESCRIPTOR}")
            return locate(path)
    except OSError as error:  # e.g. a path too long, or a loop of symbolic links in the path itself
        raise UsageError(f"{argument} cannot be examined: {error.strerror or error}") from None
    raise UsageError(f"{argument} does not exist")


def check_data(paths: list[str]) -> int:
    folders = [package_folder(p) for p in paths] if paths else [p.parent for p in book_descriptors().values()]
    if not folders:
        raise UsageError(f"no data package found under {DATA_ROOT}")
    status = 0
    for folder in folders:
        package = check(folder)
        if package.problems:
            status = 1
            print(f"INVALID: {len(package.problems)} problem(s) in {folder}:", file=sys.stderr)
            for problem in package.problems:
                print(f"  - {problem}", file=sys.stderr)
        else:
            sizes = ", ".join(f"{table.file} {len(table.rows)} rows" for table in package.tables.values())
            print(f"OK: {folder} ({package.name}) is valid: {sizes}; every schema and cross-table rule passed.")
    return status


def run(argv: list[str] | None = None) -> int:
    """The command line, with usage errors as exit status 2 (tests call this directly)."""
    parser = Parser(prog=PROG, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"spinemets {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check_parser = commands.add_parser("check-data", help="check data packages against the book's schemas and rules",
                                       description=CHECK_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    check_parser.add_argument("paths", nargs="*", metavar="PATH", help=f"a package folder or its {DESCRIPTOR} (default: every package under data/)")
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError(f"a command is required: check-data (see '{PROG} --help')")
        return check_data(args.paths)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as error:  # a bug in the checker: still one line, never a traceback
        print(f"{PROG}: internal error, please report it: {type(error).__name__}: {error}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
