"""Reading an interchange folder (CSV files) or workbook (a sheet per file) into rows.

Encodings UTF-8, UTF-8 with BOM and Windows-1251 are told apart by decoding; the delimiter
(``,`` or ``;``) is taken from the header line. Every row keeps the line it starts on, so that a
problem is reported as ``deals.csv:17: won_on: '31.02.2026' is not a date``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from salesrelay.cells import undo_neutralise
from salesrelay.imports.formats import FORMATS, FileFormat, cell_text


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


@dataclass
class Table:
    format: FileFormat
    label: str
    rows: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)


class SourceError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def read_source(path: Path) -> tuple[dict[str, Table], list[Problem]]:
    """All tables of a folder or workbook, and the problems found in their shape."""
    if not path.exists():
        raise SourceError([Problem(str(path), 0, "-", "no such file or folder")])
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path)
    if path.suffix.lower() == ".csv":
        return _collect([(path.stem, path.name, lambda: _csv_rows(path))])
    raise SourceError([Problem(str(path), 0, "-", "expected a folder of .csv files or a .xlsx workbook")])


def _read_folder(folder: Path) -> tuple[dict[str, Table], list[Problem]]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise SourceError([Problem(str(folder), 0, "-", "no .csv files in the folder")])
    return _collect([(p.stem, p.name, lambda p=p: _csv_rows(p)) for p in files])


def _read_workbook(path: Path) -> tuple[dict[str, Table], list[Problem]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise SourceError([Problem(path.name, 0, "-", f"not a readable workbook: {error}")]) from None

    def sheet_rows(name: str) -> Iterator[tuple[int, list[str | None]]]:
        for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if any(c is not None for c in cells):
                yield number, cells

    return _collect([(n, f"{path.name}[{n}]", lambda n=n: sheet_rows(n)) for n in book.sheetnames])


def _collect(sources) -> tuple[dict[str, Table], list[Problem]]:
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for name, label, rows in sources:
        fmt = FORMATS.get(name)
        if fmt is None:
            problems.append(Problem(label, 0, "-", f"unknown file; expected one of "
                                                   f"{', '.join(FORMATS)}"))
            continue
        table = Table(fmt, label)
        try:
            lines = iter(rows())
            header_line = next(lines, None)
        except UnicodeDecodeError:
            problems.append(Problem(label, 1, "-", "not UTF-8 or Windows-1251 text"))
            continue
        if header_line is None:
            tables[name] = table
            continue
        header = [(h or "").strip().lower() for h in header_line[1]]
        missing = [c for c in fmt.required if c not in header]
        unknown = [h for h in header if h and h not in fmt.columns]
        for column in missing:
            problems.append(Problem(label, header_line[0], column, "required column is missing"))
        for column in unknown:
            problems.append(Problem(label, header_line[0], column, "unknown column"))
        if missing or unknown:
            continue
        for number, cells in lines:
            if len(cells) > len(header):
                problems.append(Problem(label, number, "-", f"{len(cells)} fields, the header has "
                                                            f"{len(header)}"))
                continue
            values = {h: (cells[i].strip() or None) if i < len(cells) and cells[i] is not None
                      else None for i, h in enumerate(header) if h}
            table.rows.append((number, values))
        tables[name] = table
    return tables, problems


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    text = decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        if any(c.strip() for c in cells):
            # A CSV export neutralises text that a spreadsheet would run ("'=1+2"); read it back
            # as it was (salesrelay.cells). A workbook needs nothing: its text cells are text.
            yield start, [undo_neutralise(c) if c[:1] == "'" else c for c in cells]
        start = reader.line_num + 1
