"""Files that used to end in a traceback or in a silently wrong import: each is refused with
``file:line: column: reason`` and nothing is written (SPEC §5, §6)."""

import re
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from salesrelay.clients.models import Client
from salesrelay.imports.importer import run_import
from salesrelay.imports.tests.test_import import EMPLOYEES, write

HEADER = "id,name,segment,acquired_by,created_on\n"


def problems_of(folder):
    report = run_import(folder)
    assert Client.objects.count() == 0
    return [str(p) for p in report.problems]


@pytest.mark.parametrize(("row", "problem"), [
    ("C\u200b1,ACME,dealer,H1,2026-01-05",
     "clients.csv:2: id: contains an invisible character U+200B"),
    ("C1,\u202eACME,dealer,H1,2026-01-05",
     "clients.csv:2: name: contains an invisible character U+202E"),
    ("C1,AC\x00ME,dealer,H1,2026-01-05", "clients.csv:2: name: contains a NUL byte"),
    ("C1," + "A" * 301 + ",dealer,H1,2026-01-05",
     "clients.csv:2: name: 301 characters, at most 300"),
    ("C" * 65 + ",ACME,dealer,H1,2026-01-05", "clients.csv:2: id: 65 characters, at most 64"),
    ("C1,ACME,dealer,H1,1926-01-05",
     "clients.csv:2: created_on: 1926-01-05 is outside 2000-01-01 to 2100-12-31"),
])
def test_a_client_row_with_bad_text_or_a_date_out_of_range_is_a_bad_row(db, tmp_path, row,
                                                                         problem):
    folder = write(tmp_path / "in", employees=EMPLOYEES, clients=HEADER + row + "\n")
    assert problems_of(folder) == [problem]


@pytest.mark.parametrize(("amount", "problem"), [
    ("1e30", "payments.csv:2: amount: '1e30' has more than 12 digits before the point"),
    ("1000000000000.00",
     "payments.csv:2: amount: '1000000000000.00' has more than 12 digits before the point"),
    ("10.005", "payments.csv:2: amount: 10.005 has more than 2 digits after the point"),
])
def test_an_amount_beyond_what_the_databases_store_is_a_bad_row(db, tmp_path, amount, problem):
    folder = write(tmp_path / "in", employees=EMPLOYEES,
                   clients=HEADER + "C1,ACME,dealer,H1,2026-01-05\n",
                   payments=f"id,received_on,amount,client_id\nP1,2026-03-01,{amount},C1\n")
    assert problems_of(folder) == [problem]


def test_a_field_over_the_csv_limit_is_reported_with_its_line(db, tmp_path):
    folder = write(tmp_path / "in", employees=EMPLOYEES,
                   clients=HEADER + "C1,ACME,dealer,H1,2026-01-05\nC2,\"" + "B" * 200_000
                   + "\",dealer,H1,2026-01-05\n")
    assert problems_of(folder) == ["clients.csv:3: -: a field is longer than 131072 characters"]


def test_a_file_that_mixes_utf8_and_windows_1251_is_refused_with_the_line(db, tmp_path):
    folder = write(tmp_path / "in", employees=EMPLOYEES)
    (folder / "clients.csv").write_bytes(
        HEADER.encode() + "C1,Сантехника,dealer,H1,2026-01-05\n".encode()
        + "C2,Ванны,dealer,H1,2026-01-05\n".encode("cp1251"))
    assert problems_of(folder) == [
        "clients.csv:3: -: line 3 is not UTF-8 like line 2: the file mixes UTF-8 and "
        "Windows-1251; save it again in one encoding"]


def test_windows_1251_alone_still_imports(db, tmp_path):
    folder = write(tmp_path / "in", employees=EMPLOYEES)
    (folder / "clients.csv").write_bytes(
        HEADER.encode() + "C1,Сантехника,dealer,H1,2026-01-05\n".encode("cp1251")
        + "C2,Ванны и души,dealer,H1,2026-01-05\n".encode("cp1251"))
    assert run_import(folder).ok
    assert sorted(Client.objects.values_list("name", flat=True)) == ["Ванны и души", "Сантехника"]


def test_a_workbook_whose_dimension_tag_understates_its_rows_imports_every_row(db, tmp_path):
    book = Workbook()
    people = book.active
    people.title = "employees"
    for line in EMPLOYEES.strip().splitlines():
        people.append(line.split(","))
    clients = book.create_sheet("clients")
    clients.append(HEADER.strip().split(","))
    for i in range(1, 6):
        clients.append([f"C{i}", f"Client {i}", "dealer", "H1", "2026-01-05"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    # Rewrite the clients sheet's <dimension> to say A1:E2, as some exporters do.
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:E2"', data)
            target.writestr(item, data)
    assert run_import(patched).ok
    assert Client.objects.count() == 5


def test_the_command_lists_the_first_thousand_problems_and_counts_the_rest(db, tmp_path):
    rows = "".join(f"C{i},ACME {i},nowhere,H1,2026-01-05\n" for i in range(1, 1203))
    folder = write(tmp_path / "in", employees=EMPLOYEES, clients=HEADER + rows)
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", str(folder), stderr=err, verbosity=0)
    assert str(refused.value) == "nothing imported: 1202 bad rows"
    lines = err.getvalue().splitlines()
    assert (len(lines), lines[-1]) == (1001, "… and 202 more problems")
    assert lines[0].startswith("clients.csv:2: segment: ")
