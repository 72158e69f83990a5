"""The lists of the site (clients, portfolio, deals, payments, activities, team): one way to build
each page from a django-tables2 ``Table`` and the django-filter ``FilterSet`` the API uses too.

What every list does, in this order:

- the rows are the viewer's (``Model.objects.restrict(viewer, "read")``, done by the caller),
  narrowed by the filterset from the URL (``?segment=dealer&owner=E7``);
- sorting is the table's, from ``?sort=-amount`` (every orderable column ends its ordering on a
  unique column, so pages never overlap; the default order of each list has its index);
- a page reads its 50 rows and one more, to know whether there is a next page: it never counts
  the rows (``LazyPaginator``), since a count, like a sum, reads every filtered row, and on a
  million payments that is seconds, not the page's 300 ms;
- the totals (how many rows, and the sum of each money column the list names ``sum_<column>``)
  are one aggregate query, asked separately with ``?totals=1``: the page asks it through htmx as
  soon as it shows (a link without script), so the rows never wait for it;
- ``?format=csv`` streams every filtered row in the page's order, with the page's columns and
  headers in the page's language, each cell through ``salesrelay.cells``.

A page that completes its rows with more reads (the portfolio's receivable) passes
``complete``: it gets the records of one page, or of one chunk of the CSV, and fills them in.

>>> list_page(request, table=PaymentTable, filterset=PaymentFilter(request.GET, queryset=qs),
...           totals={"count": Count("id"), "sum_amount": Sum("amount")}, filename="payments",
...           template="payments/list.html")  # doctest: +SKIP
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.db.models import Aggregate, QuerySet
from django.http import StreamingHttpResponse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_tables2.paginators import LazyPaginator

from salesrelay.cells import MONEY, NUMBER, csv_cell
from salesrelay.web.htmx import render_page
from salesrelay.web.templatetags.money import format_number, money

PAGE_SIZE = 50
CSV_CHUNK = 2000


class MoneyColumn(tables.Column):
    """An amount: ``|money`` on the page, the exact number in the CSV."""

    number_format = MONEY

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "num"}, "td": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money(value)

    def value(self, value):
        return value


class DayColumn(tables.DateColumn):
    """A date: in the page's format on the page, ``YYYY-MM-DD`` in the CSV. Rendered by
    Django's ``date_format`` itself: django-tables2's ``DateColumn`` compiles its template for
    every cell (a third of a list page's time)."""

    empty_values = (None, "")  # the column's default, as for any other column

    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def value(self, value):
        return value


class CountColumn(tables.Column):
    """A whole number, right-aligned."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "num"}, "td": {"class": "num"}})
        super().__init__(*args, **kwargs)


class ListTable(tables.Table):
    """The base of every list: rows that say when there are none, and what one row is called
    (``noun % {"n": 1204, "shown": "1,204"}``) for the totals."""

    noun = ngettext_lazy("%(shown)s row", "%(shown)s rows", "n")

    class Meta:
        attrs = {"class": "list"}
        empty_text = _("Nothing matches.")
        template_name = "web/table.html"


def employee_link(list_route: str, field: str = "owner"):
    """A ``linkify`` for an employee cell: their rows of the same list (``?owner=E7``)."""
    from django.urls import reverse

    def link(value):
        return f"{reverse(list_route)}?{field}={value.ref}" if value is not None else None
    return link


def ref_cell(name: str, ref: str, url: str):
    """A linked name with its id beside it, as the lists show a client or a deal."""
    return format_html('<a href="{}">{}</a> <small class="muted">{}</small>', url, name, ref)


def list_page(request, *, table: type[ListTable], filterset,
              totals: dict[str, Aggregate] | Callable[[QuerySet], dict],
              filename: str, template: str, context: dict | None = None,
              complete: Callable[[list], Iterable] | None = None, default_sort: str | None = None):
    """The list page; its totals with ``?totals=1`` (alone for htmx); its CSV with
    ``?format=csv``. ``totals`` are aggregates over the filtered rows (or a function of them)
    and hold ``count``; a money column's sum is ``sum_<column>``."""
    rows: QuerySet = filterset.qs
    # Not ``request=``: django-tables2 would then paginate itself, counting the rows.
    shown = table(rows, order_by=request.GET.get("sort") or default_sort)
    if request.GET.get("format") == "csv":
        return _csv_response(shown, table, filename, complete)
    figures = None
    if request.GET.get("totals"):
        figures = totals(rows) if callable(totals) else rows.order_by().aggregate(**totals)
        if getattr(request, "htmx", False):
            return render_page(request, "web/totals.html", {"table": shown,
                                                            "figures": _described(shown, figures)})
    try:
        shown.paginate(paginator_class=LazyPaginator, per_page=PAGE_SIZE,
                       page=_page_number(request))
    except EmptyPage:
        shown.paginate(paginator_class=LazyPaginator, per_page=PAGE_SIZE, page=1)
    if complete is not None:
        complete([row.record for row in shown.page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    csv_query = query.copy()
    csv_query["format"] = "csv"
    query["totals"] = "1"
    return render_page(request, template, {
        "table": shown, "filter": filterset, "csv_query": csv_query.urlencode(),
        "totals_query": query.urlencode(),
        "figures": _described(shown, figures) if figures is not None else None,
        **(context or {})})


def _described(shown: ListTable, figures: dict) -> list[str]:
    """The totals line: how many rows, then each money column's sum."""
    parts = [shown.noun % {"n": figures["count"], "shown": format_number(figures["count"], 0)}]
    for column in shown.columns:
        key = f"sum_{column.name}"
        if key in figures:
            value = figures[key] or 0
            shown_value = format_number(value, 0) if isinstance(value, int) else money(value)
            parts.append(f"{column.header}: {shown_value}")
    return parts


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _csv_response(shown: ListTable, table: type[ListTable], filename: str, complete):
    columns = [c for c in shown.columns if not c.column.exclude_from_export]
    names = [c.name for c in columns]
    defaults = [c.default for c in columns]  # "—" on the page, an empty cell in the file
    formats = [getattr(c.column, "number_format", NUMBER) for c in columns]
    ordered = shown.data.data  # the queryset, sorted as the page is

    def lines() -> Iterator[str]:
        out = _Line()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([csv_cell(str(c.header)) for c in columns])
        yield out.take()
        for chunk in _chunks(ordered.iterator(chunk_size=CSV_CHUNK), CSV_CHUNK):
            records = list(complete(chunk)) if complete is not None else chunk
            for row in table(records).rows:
                writer.writerow([_cell(None if value == default else value, fmt) for value, default, fmt
                                 in zip((row.get_cell_value(n) for n in names), defaults, formats,
                                        strict=True)])
            yield out.take()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _cell(value, number_format: str) -> str:
    if value is not None and not isinstance(value, str | Decimal | int) and \
            not hasattr(value, "isoformat"):
        value = str(value)
    return csv_cell(value, number_format)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Line:
    """What ``csv.writer`` writes, taken out piece by piece for the streamed response."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def take(self) -> str:
        text, self._parts = "".join(self._parts), []
        return text


def employee_choices(filterset, employees, *fields: str) -> None:
    """Shows the filters ``fields`` (an employee's id, as the API takes it) as a list of names."""
    from django import forms

    choices = [("", "—"), *((e.ref, e.name) for e in employees)]
    for name in fields:
        filterset.form.fields[name].widget = forms.Select(choices=choices)
