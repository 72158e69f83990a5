"""Reading an interchange folder (CSV files) or workbook (a sheet per file) into rows.

Encodings UTF-8, UTF-8 with BOM and Windows-1251 are told apart by decoding; the delimiter
(``,`` or ``;``) is taken from the header line. Every row keeps the line it starts on, so that a
problem is reported as ``deals.csv:17: won_on: '31.02.2026' is not a date``.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from salesrelay.cells import undo_neutralise
from salesrelay.imports.formats import FORMATS, FileFormat, cell_text
from salesrelay.input_rules import text_problem


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


Cells = tuple[str | None, ...]


@dataclass
class Table:
    """One file's rows. Each row is its line and its cells, in the order of ``columns`` (the
    header's names, each to its position): a million rows cost a million tuples, not a million
    dictionaries. An empty cell is ``None``."""

    format: FileFormat
    label: str
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[int, Cells]] = field(default_factory=list)


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


def read_text(name: str, text: str) -> Table:
    """One file given as text (``name`` as in ``FORMATS``), read as a folder's file would be;
    a problem in its shape raises ``SourceError``. For tests and examples."""
    tables, problems = _collect([(name, f"{name}.csv", lambda: _text_rows(text))])
    if problems:
        raise SourceError(problems)
    return tables[name]


def _text_rows(text: str) -> Iterator[tuple[int, list[str | None]]]:
    lines = text.splitlines(keepends=True)
    delimiter = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    yield from _rows_of(csv.reader(lines, delimiter=delimiter))


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
        sheet = book[name]
        # A workbook's dimension tag may under-state its rows (some exporters write A1:J100 for
        # 5 000 rows): read every row there is, not what the tag says.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
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
        except MixedEncoding as error:
            problems.append(Problem(label, error.line, "-", str(error)))
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
        try:
            _read_rows(table, header, lines, problems)
        except MixedEncoding as error:
            problems.append(Problem(label, error.line, "-", str(error)))
        except csv.Error as error:  # a field over the limit, an unclosed quote at the end
            problems.append(Problem(label, getattr(error, "line", 0), "-", _csv_reason(error)))
        tables[name] = table
    return tables, problems


def _read_rows(table: Table, header: list[str], lines, problems: list[Problem]) -> None:
    label = table.label
    named = [(i, h) for i, h in enumerate(header) if h]
    table.columns = {h: position for position, (_i, h) in enumerate(named)}
    limits = [table.format.longest(h) for _i, h in named]
    shortest = min(limits, default=0)
    width = len(header)
    every = len(named) == width  # no unnamed column to leave out: each cell is kept
    add = table.rows.append
    for number, cells in lines:
        if len(cells) > width:
            problems.append(Problem(label, number, "-", f"{len(cells)} fields, the header has "
                                                        f"{width}"))
            continue
        if every and len(cells) == width:
            values = tuple([(c.strip() or None) if c else None for c in cells])
        else:
            values = tuple((cells[i].strip() or None) if i < len(cells) and cells[i] is not None
                           else None for i, _h in named)
        joined = "".join(filter(None, values))
        # Nearly every row is printable ASCII shorter than any limit: one check at C speed.
        if not (joined.isascii() and joined.isprintable() and len(joined) <= shortest):
            _check_cells(label, number, named, limits, values, problems)
        add((number, values))


def _check_cells(label, number, named, limits, values, problems: list[Problem]) -> None:
    for (_i, column), longest, value in zip(named, limits, values, strict=True):
        if value is None:
            continue
        reason = text_problem(value, multiline=False)
        if reason is None and len(value) > longest:
            reason = f"{len(value)} characters, at most {longest}"
        if reason is not None:
            problems.append(Problem(label, number, column, reason))


def _csv_reason(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit()} characters"
    return f"not a readable CSV file: {text}"


class MixedEncoding(ValueError):
    """A file whose lines are not all in one encoding (a UTF-8 export edited in a Windows-1251
    tool, say): read as either, part of it would be mojibake."""

    def __init__(self, line: int, first: int, encoding: str) -> None:
        super().__init__(f"line {line} is not {encoding} like line {first}: the file mixes "
                         "UTF-8 and Windows-1251; save it again in one encoding")
        self.line = line


def decoded_lines(raw_lines) -> Iterator[str]:
    """The lines of a CSV file as text, read one by one: UTF-8 (with or without BOM) until a line
    is not, then Windows-1251 — unless a line before already was UTF-8 beyond ASCII, or a line
    after decodes as UTF-8 Cyrillic: then the file mixes encodings and is refused."""
    encoding = None  # decided by the first line that is not plain ASCII
    decided_on = 0
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw, encoding, decided_on = raw[3:], "utf-8", 1
        if raw.isascii():
            yield raw.decode("ascii")
            continue
        if encoding in (None, "utf-8"):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                if encoding == "utf-8":
                    raise MixedEncoding(number, decided_on, "UTF-8") from None
                encoding, decided_on = "cp1251", number
                yield raw.decode("cp1251")
                continue
            if encoding is None:
                encoding, decided_on = "utf-8", number
            yield text
        else:
            if _utf8_cyrillic(raw):
                raise MixedEncoding(number, decided_on, "Windows-1251")
            yield raw.decode("cp1251")


def _utf8_cyrillic(raw: bytes) -> bool:
    """Whether a line read as Windows-1251 is really UTF-8 Russian (two Cyrillic letters or
    more); Windows-1251 text almost never is valid UTF-8 that way."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(1 for c in text if "\u0410" <= c <= "\u044f" or c in "\u0401\u0451") >= 2


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    with path.open("rb") as stream:
        lines = decoded_lines(stream)
        first = next(lines, "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        yield from _rows_of(reader)


def _rows_of(reader) -> Iterator[tuple[int, list[str | None]]]:
    """Rows with the line each starts on; a CSV error carries the line it happened on."""
    try:
        yield from _numbered(reader)
    except csv.Error as error:
        # csv.Error has no line of its own; the reader's callers read this one (hence the ignore).
        error.line = reader.line_num  # type: ignore[attr-defined]
        raise


def _numbered(reader) -> Iterator[tuple[int, list[str | None]]]:
    start = 1
    for cells in reader:
        joined = "".join(cells)
        if not joined.isspace() and joined:
            # A CSV export neutralises text that a spreadsheet would run ("'=1+2"); read it back
            # as it was (salesrelay.cells). A workbook needs nothing: its text cells are text.
            if "'" in joined:
                cells = [undo_neutralise(c) if c[:1] == "'" else c for c in cells]
            yield start, cells
        start = reader.line_num + 1
