"""The command line as a reader meets it: a real subprocess, exit status, one-line messages, plain help."""

import shutil
import subprocess
import sys

import pytest

from spinemets import DATA_ROOT, __version__
from spinemets.validation import book_descriptors

PACKAGES = sorted(path.parent.name for path in book_descriptors().values())


def spinemets(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "spinemets", *map(str, args)], capture_output=True, text=True, check=False, cwd=cwd)


def test_every_package_under_data_is_found():
    assert {"ohashi2019", "evidence"} <= set(PACKAGES)
    assert len(PACKAGES) == len(list(DATA_ROOT.glob("*/datapackage.json")))


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("form", ["folder", "descriptor"])
def test_each_book_package_is_valid(package, form):
    target = DATA_ROOT / package if form == "folder" else DATA_ROOT / package / "datapackage.json"
    result = spinemets("check-data", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ") and len(result.stdout.splitlines()) == 1 and result.stderr == ""


def test_without_a_path_every_package_is_checked():
    result = spinemets("check-data")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(PACKAGES)


@pytest.mark.parametrize("args, words", [
    (["check-data", "no/such/folder"], "does not exist"),
    (["check-data", "README.md"], "is neither a data package folder nor a datapackage.json"),
    (["check-data", "book"], "is a folder without a datapackage.json"),
    (["check-data", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["no-such-command"], "invalid choice: 'no-such-command'"),
    ([], "a command is required"),
])
def test_usage_errors_exit_2_with_one_line(args, words):
    from spinemets import PROJECT_ROOT

    result = spinemets(*args, cwd=PROJECT_ROOT)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and words in result.stderr and "Traceback" not in result.stderr


def test_invalid_data_exit_1_through_the_real_command(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(DATA_ROOT / "ohashi2019", copy)
    (copy / "outcomes.csv").unlink()
    (copy / "outcomes.csv").symlink_to("outcomes.csv")  # a loop
    result = spinemets("check-data", copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "outcomes.csv: is a symbolic link that loops back on itself" in result.stderr


def test_invisible_characters_are_quoted_with_repr(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(DATA_ROOT / "ohashi2019", copy)
    patients = copy / "patients.csv"
    patients.write_text(patients.read_text(encoding="utf-8").replace(",Breast,", ",Bre\u200bast,"), encoding="utf-8")
    result = spinemets("check-data", copy)
    assert result.returncode == 1
    assert "patients.csv, case 1, column primary_site: value 'Bre\\u200bast' contains an invisible character, U+200B" in result.stderr


def test_help_is_plain_text():
    for args in (["--help"], ["check-data", "--help"]):
        result = spinemets(*args)
        assert result.returncode == 0
        assert "``" not in result.stdout and ":func:" not in result.stdout and ":class:" not in result.stdout
    assert "Exit status: 0" in spinemets("check-data", "--help").stdout


def test_version():
    result = spinemets("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"spinemets {__version__}"


def test_an_internal_error_is_one_line_not_a_traceback(monkeypatch, capsys):
    import spinemets.__main__ as cli

    def broken(_paths):
        raise RuntimeError("simulated bug")
    monkeypatch.setattr(cli, "check_data", broken)
    assert cli.main(["check-data"]) == 3
    err = capsys.readouterr().err
    assert err.strip() == "python -m spinemets: internal error, please report it: RuntimeError: simulated bug"
