"""The cells every export writes: text that no spreadsheet runs, numbers as numbers."""

from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from salesrelay.cells import DATE, MONEY, NUMBER, RATIO, Columns, csv_cell, neutralise, undo_neutralise


@pytest.mark.parametrize(("text", "written"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+7 Baths", "'+7 Baths"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("'=already quoted", "''=already quoted"),
    ("ACME Baths", "ACME Baths"),
    ("Nord = Plumbing", "Nord = Plumbing"),
    ("'quoted'", "'quoted'"),
    ("", ""),
])
def test_text_that_could_start_a_formula_gets_a_quote_and_the_reader_takes_it_away(text, written):
    assert neutralise(text) == written
    assert undo_neutralise(written) == text


def test_a_source_file_quoting_its_own_text_is_read_as_a_spreadsheet_would_show_it():
    assert undo_neutralise("'=1+2") == "=1+2"
    assert undo_neutralise("'O'Brien") == "'O'Brien"


def test_csv_numbers_are_plain_decimals_and_never_text():
    assert csv_cell(D("-1500"), MONEY) == "-1500.00"
    assert csv_cell(D("1E+1")) == "10"
    assert csv_cell(D("10.0000")) == "10"
    assert csv_cell(D("0.90")) == "0.9"
    assert csv_cell(D("2"), RATIO) == "2.00"
    assert csv_cell(7) == "7"
    assert csv_cell(date(2026, 3, 1)) == "2026-03-01"
    assert csv_cell(None, MONEY) == ""
    assert Columns(("name", "amount"), {"amount": MONEY}).csv_row(["-Minus", D("-0.50")]) == [
        "'-Minus", "-0.50"]


def test_workbook_text_is_always_text_and_numbers_carry_their_format():
    book = Workbook()
    sheet = book.active
    columns = Columns(("name", "amount", "quantity", "on"), {"amount": MONEY})
    columns.append(sheet, ["=HYPERLINK(\"http://evil.example/\",\"open\")", D("-1500.00"),
                           D("1E+1"), date(2026, 3, 1)])
    columns.append(sheet, ["ACME Baths", None, 3, None])
    name, amount, quantity, on = sheet[1]
    assert (name.value, name.data_type, name.quotePrefix) == (
        "=HYPERLINK(\"http://evil.example/\",\"open\")", "s", True)
    assert (amount.value, amount.data_type, amount.number_format) == (D("-1500.00"), "n", MONEY)
    assert (quantity.value, quantity.data_type, quantity.number_format) == (D("10"), "n", NUMBER)
    assert (on.value, on.number_format) == (date(2026, 3, 1), DATE)
    plain = sheet["A2"]
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("ACME Baths", "s", False)
    assert sheet["B2"].value is None


def test_a_format_for_a_column_that_does_not_exist_is_a_mistake():
    with pytest.raises(ValueError, match=r"number formats for unknown columns: \['amout'\]"):
        Columns(("amount",), {"amout": MONEY})
