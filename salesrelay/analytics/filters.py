"""The filters of the analytics pages, read from the query string so that a page can be
bookmarked, shared and downloaded as CSV with exactly what it shows:
``/analytics/new-clients/?first=2026-01&last=2026-06&segment=retail_chain``.

One form serves every page; a page names the fields it uses (``PAGE_FIELDS``). A missing field
takes its default (the twelve months up to the current one); a bad one is reported on the page,
never silently replaced. The employee choices are the employees the viewer may see
(``Employee.objects.restrict``), so a filter can never name somebody else's figures.

django-filter was considered and not used: it filters one queryset, while these filters
parameterise selectors that read several (allocations, ownership spans, stored pay lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from salesrelay.clients.choices import Segment
from salesrelay.engine.metrics import AGEING
from salesrelay.engine.periods import Month, PeriodError, months_between
from salesrelay.fields import field_of
from salesrelay.people.choices import Department
from salesrelay.people.models import Employee

MAX_MONTHS = 36
DEFAULT_MONTHS = 12
DEFAULT_WITHIN_DAYS = 60
"""Meeting → deal conversion counts wins within this many days of the meeting (SPEC §4)."""

RANGE = ("first", "last")
PAGE_FIELDS = {
    "new_clients": (*RANGE, "department", "employee", "segment"),
    "funnel": (*RANGE, "employee", "segment"),
    "conversion": (*RANGE, "employee", "segment", "within"),
    "order_value": (*RANGE, "department", "employee", "segment"),
    "collections": (*RANGE, "department", "employee", "segment", "bucket"),
    "breakeven": RANGE,
    "pay": (*RANGE, "department", "employee"),
    "cohorts": (*RANGE, "department", "employee", "segment"),
}


# Whose figures the employee filter chooses among, on the pages that are about one department.
PAGE_DEPARTMENTS = {
    "new_clients": (Department.ACQUISITION,), "funnel": (Department.ACQUISITION,),
    "conversion": (Department.ACQUISITION,), "cohorts": (Department.ACQUISITION,),
}
SALES_DEPARTMENTS = (Department.ACQUISITION, Department.ACCOUNT_MANAGEMENT)


@dataclass(frozen=True)
class Filters:
    """What a page shows: months ``first`` to ``last`` and, when given, one department, one
    employee (by id), one client segment; ``within_days`` for conversion, ``bucket`` (an ageing
    bucket's key) for the clients behind receivables."""

    first: Month
    last: Month
    department: str | None = None
    employee: str | None = None
    segment: str | None = None
    within_days: int = DEFAULT_WITHIN_DAYS
    bucket: str | None = None

    @property
    def months(self) -> list[Month]:
        return months_between(self.first, self.last)

    @classmethod
    def default(cls, today: date) -> Filters:
        last = Month.of(today)
        return cls(_months_before(last, DEFAULT_MONTHS - 1), last)


def _months_before(month: Month, count: int) -> Month:
    for _step in range(count):
        month = month.previous()
    return month


class MonthField(forms.Field):
    """``YYYY-MM`` (a browser's ``<input type="month">`` sends exactly that) as a ``Month``."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        try:
            return Month.parse(text)
        except PeriodError:
            raise forms.ValidationError(
                _("%(value)s is not a month; write it as YYYY-MM, e.g. 2026-03"),
                params={"value": text[:20]}) from None

    def prepare_value(self, value):
        return str(value) if isinstance(value, Month) else value


class FilterForm(forms.Form):
    first = MonthField(label=_("From"), required=False)
    last = MonthField(label=_("To"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    employee = forms.ChoiceField(label=_("Employee"), required=False)
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    within = forms.IntegerField(label=_("Won within (days)"), required=False, min_value=1,
                                max_value=366)
    bucket = forms.ChoiceField(label=_("Receivables aged"), required=False)

    def __init__(self, data, *, page: str, viewer, today: date):
        super().__init__(data)
        self.today = today
        for name in set(self.fields) - set(PAGE_FIELDS[page]):
            del self.fields[name]
        default = Filters.default(today)
        self.placeholders = {"first": str(default.first), "last": str(default.last),
                             "within": DEFAULT_WITHIN_DAYS}
        for name, text in self.placeholders.items():
            if name in self.fields:
                self.fields[name].widget.attrs["placeholder"] = text
        everyone = [("", _("All"))]
        if "department" in self.fields:
            field_of(self, "department", forms.ChoiceField).choices = everyone + [
                (Department.ACQUISITION.value, Department.ACQUISITION.label),
                (Department.ACCOUNT_MANAGEMENT.value, Department.ACCOUNT_MANAGEMENT.label)]
        if "employee" in self.fields:
            field_of(self, "employee", forms.ChoiceField).choices = everyone + list(
                Employee.objects.restrict(viewer).filter(
                    department__in=PAGE_DEPARTMENTS.get(page, SALES_DEPARTMENTS))
                .order_by("name", "id").values_list("ref", "name"))
        if "segment" in self.fields:
            field_of(self, "segment", forms.ChoiceField).choices = everyone + list(Segment.choices)
        if "bucket" in self.fields:
            field_of(self, "bucket", forms.ChoiceField).choices = everyone + [
                (b.key, b.label) for b in AGEING]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        default = Filters.default(self.today)
        last = data.get("last") or default.last
        first = data.get("first") or (_months_before(last, DEFAULT_MONTHS - 1)
                                      if data.get("last") else default.first)
        if "first" in self.errors or "last" in self.errors:
            return data
        last = min(last, Month.of(self.today))  # the months after this one have nothing yet
        if last < first:
            raise forms.ValidationError(_("The range %(first)s to %(last)s ends before it starts."),
                                        params={"first": first, "last": last})
        if len(months_between(first, last)) > MAX_MONTHS:
            raise forms.ValidationError(_("Choose at most %(n)s months."),
                                        params={"n": MAX_MONTHS})
        data["first"], data["last"] = first, last
        return data

    def filters(self) -> Filters:
        """The filters of a valid form; the form shows the months they cover from now on."""
        data = self.cleaned_data
        shown = QueryDict(mutable=True)  # the query as given, with the months it covers
        shown.update(self.data)
        shown["first"], shown["last"] = str(data["first"]), str(data["last"])
        self.data = shown
        return Filters(data["first"], data["last"], data.get("department") or None,
                       data.get("employee") or None, data.get("segment") or None,
                       data.get("within") or DEFAULT_WITHIN_DAYS, data.get("bucket") or None)
