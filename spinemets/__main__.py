"""Command line: ``python -m spinemets check-data [DIR]``."""

from __future__ import annotations

import argparse
import sys

from spinemets.data import load, resolve
from spinemets.validation import DataValidationError


def check_data(directory: str | None) -> int:
    data_dir = resolve(directory)
    try:
        cases = load(data_dir)
    except DataValidationError as error:
        print(f"INVALID: {error}", file=sys.stderr)
        return 1
    print(f"OK: {data_dir} is valid: 3 tables, {len(cases)} cases, every schema and cross-table rule passed.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spinemets", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check-data", help="validate the case-series CSVs against datapackage.json")
    check.add_argument("directory", nargs="?", help="folder with datapackage.json and the three CSVs (default: data/ohashi2019)")
    args = parser.parse_args(argv)
    return check_data(args.directory)


if __name__ == "__main__":
    sys.exit(main())
