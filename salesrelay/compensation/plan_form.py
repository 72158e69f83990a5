"""The plan form: a plan file as fields, for the director who does not write TOML.

Each plan of the file is a :class:`PlanHeaderForm` (id, roles, employees, dates) and, per
component kind, a formset of that kind's components. A kind's fields are not written here: they
are the parameters its ``parse`` reads (:func:`salesrelay.engine.params.parameters_of`), so a
parameter a kind learns to read appears in the form by itself, with its meaning from
``MEANINGS`` (or its name and shape, until somebody words it).

The form checks nothing of the rules itself. :meth:`PlanEditor.check` writes the fields as a
plan file (``write_plans``) and reads it back with the parser ``salesrelay plan load`` uses; each
problem the parser reports (``plan hunters / first-five: rate: 1.5 is out of range 0…1``) is put
next to the field it names, by the place (plan, component) the parser gives.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypedDict

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from salesrelay.compensation.choices import ComponentKind
from salesrelay.compensation.plans import read_plan
from salesrelay.engine.components import KINDS
from salesrelay.engine.params import Param, parameters_of, to_decimal
from salesrelay.engine.plan_file import toml_value, write_plans
from salesrelay.engine.plans import PlanError, PlanSet, build_plans
from salesrelay.errors import ActionError
from salesrelay.fields import LineField
from salesrelay.people.choices import Department, Role

# What each parameter means, in words: (label, help). Keyed by (kind, name), else by name.
MEANINGS: dict[tuple[str, str] | str, tuple[Any, Any]] = {
    ("salary", "amount"): (_("Salary a month"),
                           _("The full month's salary; a month worked in part is paid by its days.")),
    "credit_to": (_("Paid to"), _("Who receives the share of each deal's profit.")),
    "ordinals": (_("Deal numbers"),
                 _("The client's deals that count, first and last, e.g. 1-5 for deals 1 to 5.")),
    ("deal_profit_share", "rate"): (_("Share of the profit"),
                                    _("A rate from 0 to 1: 0.90 pays 90 % of the deal's profit.")),
    "timing": (_("When"), _("As the deal is paid (a refund claws back), or once when it is won.")),
    "pay_after_leaving": (_("Also after leaving"),
                          _("Pay what comes in after the employee has left, instead of "
                            "forfeiting it.")),
    "department": (_("Department"), _("Whose collections fund the pool.")),
    "split": (_("Shared"), _("How the pool is shared among the employees the plan covers.")),
    ("collections_pool", "rate"): (_("Rate of collections"),
                                   _("A rate from 0 to 1 of the month's collections: 0.02 is 2 %. "
                                     "Give a rate or tiers, not both.")),
    "tiers": (_("Tiers"),
              _("One tier a line: from; to; rate — e.g. 0; 1000000; 0.02, and 1000000; ; 0.03 "
                "for no upper end. Tiers start at 0 and follow each other.")),
    "mode": (_("Tier mode"), _("Marginal: each tier's rate on the part inside it; whole: the rate "
                               "of the tier reached on everything. Only with tiers.")),
    "share": (_("Share of the result"),
              _("A rate from 0 to 1 of the month's operating result above break-even.")),
    "metric": (_("Measure"),
               _("new_clients, new_clients_in_segment:<segment code>, collections or "
                 "meeting_to_deal_conversion.")),
    "scope": (_("Counted for"), _("The employee's own results, the department's or the "
                                  "company's.")),
    "target": (_("Target"), _("Leave empty to take the month's row of the Targets table.")),
    "per_unit_above_target": (_("For each unit above the target"),
                              _("An amount paid per unit above the target. Give this or the "
                                "fixed amount, not both.")),
    "fixed_if_met": (_("Fixed amount when met"), _("An amount paid when the target is reached.")),
    "within_days": (_("Within days"),
                    _("For the conversion: a meeting counts when its client wins a deal within "
                      "this many days.")),
}
OPTIONS = {  # what a choice means, in words
    "acquirer": _("the hunter who brought the client"),
    "account_manager": _("the client's account manager on the day"),
    "deal_owner": _("the deal's owner"),
    "on_payment": _("as the deal is paid"),
    "on_win": _("when the deal is won"),
    "weight": _("by pool weight × days"),
    "equal": _("by days employed"),
    "marginal": _("marginal"),
    "whole": _("whole"),
    "own": _("own"),
    "company": _("the company"),
    **dict(Department.choices),
}
OPTIONS["department"] = _("the department")
EMPTY: tuple[object, ...] = ("", None, False, [])


def kind_title(kind: str) -> str:
    return str(ComponentKind(kind).label) if kind in ComponentKind.values else kind


def _meaning(kind: str, param: Param) -> tuple[str, str]:
    """The field's label and help, translated when the page is rendered: the form classes are
    built once per process, the pages in each viewer's language."""
    label, _help = MEANINGS.get((kind, param.name)) or MEANINGS.get(param.name) or (
        param.name.replace("_", " ").capitalize(), "")
    return label, _lazy_help(kind, param)


def _help_now(kind: str, param: Param) -> str:
    _label, help_text = MEANINGS.get((kind, param.name)) or MEANINGS.get(param.name) or ("", "")
    extra = ""
    if param.shape == "choice" and param.default is not None:
        extra = _g("Empty: %(default)s.") % {"default": OPTIONS.get(param.default, param.default)}
    elif param.shape in ("whole", "flag") and param.default not in (None, False):
        extra = _g("Empty: %(default)s.") % {"default": param.default}
    return " ".join(filter(None, [str(help_text), extra]))


_lazy_help = lazy(_help_now, str)


# Fields -------------------------------------------------------------------------------------------
class OrdinalsField(forms.CharField):
    """A range of deal numbers typed as ``1-5``; the plan file's ``[1, 5]``."""

    RANGE = re.compile(r"^\s*(\d+)\s*(?:-|–|—|\.\.|…|,|\s)\s*(\d+)\s*$")

    def to_plan(self, text: str) -> Any:
        match = self.RANGE.match(text)
        return [int(match[1]), int(match[2])] if match else text

    @staticmethod
    def from_plan(value: Any) -> str:
        if isinstance(value, list) and len(value) == 2:
            return f"{value[0]}-{value[1]}"
        return str(value)


class TiersField(forms.CharField):
    """Tiers typed one a line as ``from; to; rate`` (an empty ``to``: no upper end)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_plan(self, text: str) -> Any:
        tiers = []
        for number, line in enumerate(filter(None, (t.strip() for t in text.splitlines())), 1):
            parts = [p.strip() for p in re.split(r"[;\t]", line)]
            if len(parts) != 3 or not parts[0] or not parts[2]:
                raise forms.ValidationError(
                    _g("line %(n)s: write from; to; rate (to may be empty)") % {"n": number})
            tier = {"from": parts[0], "to": parts[1], "rate": parts[2]}
            if parts[1] in ("", "-", "∞"):
                del tier["to"]
            tiers.append(tier)
        return tiers

    @staticmethod
    def from_plan(value: Any) -> str:
        if not isinstance(value, list):
            return str(value)
        return "\n".join(f"{_number_text(t.get('from'))}; {_number_text(t.get('to', ''))}; "
                         f"{_number_text(t.get('rate'))}" for t in value if isinstance(t, dict))


class TomlValueField(forms.CharField):
    """A parameter the form has no words for yet: its value as TOML (``[1, 5]``, ``"text"``)."""

    def to_plan(self, text: str) -> Any:
        try:
            return tomllib.loads(f"value = {text}")["value"]
        except tomllib.TOMLDecodeError:
            raise forms.ValidationError(_g("write a TOML value, e.g. [1, 5] or \"text\"")) from None

    @staticmethod
    def from_plan(value: Any) -> str:
        return toml_value(value)


VALUE_FIELDS: dict[str, type[forms.CharField]] = {"ordinals": OrdinalsField, "tiers": TiersField}


class _Common(TypedDict):
    label: str
    help_text: str
    required: bool


def _field(kind: str, param: Param) -> forms.Field:
    label, help_text = _meaning(kind, param)
    common = _Common(label=label, help_text=help_text, required=False)
    if param.shape == "choice":
        choices = [(o, OPTIONS.get(o, o)) for o in param.options]
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if param.shape == "flag":
        return forms.BooleanField(**common)
    if param.shape == "value":
        return VALUE_FIELDS.get(param.name, TomlValueField)(**common)
    return LineField(max_length=200, **common)


class _Shown:
    """Whether the page opens a form: one that holds something, or a problem."""

    @property
    def in_use(self) -> bool:
        form: Any = self
        if form.is_bound:
            return bool(form.has_changed() or form.errors)
        return any(value not in EMPTY for value in form.initial.values())


class ComponentForm(_Shown, forms.Form):
    kind = ""  # set on each kind's subclass
    params: tuple[Param, ...] = ()

    id = LineField(label=_("Name"), max_length=100, required=False,
                   help_text=_("How statements name the component; empty: its kind."))

    def is_empty(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return all(data.get(name) in EMPTY for name in self.fields if name != "DELETE")

    def to_table(self) -> dict[str, Any]:
        table: dict[str, Any] = {}
        if self.cleaned_data.get("id"):
            table["id"] = self.cleaned_data["id"]
        table["kind"] = self.kind
        for param in self.params:
            value = self.cleaned_data.get(param.name)
            if value is None or value in EMPTY:
                continue
            field = self.fields[param.name]
            if isinstance(field, (OrdinalsField, TiersField, TomlValueField)):
                try:
                    value = field.to_plan(value)
                except forms.ValidationError as error:
                    self.add_error(param.name, error)
                    continue
            elif param.shape == "whole" and value.strip().isdigit():
                value = int(value)
            table[param.name] = value
        return table

    @classmethod
    def initial_of(cls, table: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"id": table.get("id", "")}
        for param in cls.params:
            if param.name not in table:
                continue
            value = table[param.name]
            field = cls.base_fields[param.name]
            if isinstance(field, (OrdinalsField, TiersField, TomlValueField)):
                initial[param.name] = field.from_plan(value)
            elif param.shape in ("number", "whole"):
                initial[param.name] = _number_text(value)
            else:
                initial[param.name] = value
        return initial


@cache
def component_form(kind: str) -> type[ComponentForm]:
    params = parameters_of(KINDS[kind].parse)
    fields = {p.name: _field(kind, p) for p in params}
    return type(f"{kind.title().replace('_', '')}Form", (ComponentForm,),
                {"kind": kind, "params": params, **fields})


def _number_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = to_decimal(value)
    return str(value) if number is None else f"{number:f}"


class PlanHeaderForm(_Shown, forms.Form):
    id = LineField(label=_("Plan id"), max_length=100, required=False,
                   help_text=_("A short name, unique in the file, e.g. hunters."))
    roles = forms.MultipleChoiceField(label=_("For the roles"), choices=Role.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    employees = LineField(label=_("And the employees"), max_length=500, required=False,
                          help_text=_("Employee ids, separated by commas, e.g. H1, M2."))
    effective_from = LineField(label=_("In effect from"), max_length=10, required=False,
                               help_text=_("YYYY-MM-DD, the first day included."))
    effective_to = LineField(label=_("In effect to"), max_length=10, required=False,
                             help_text=_("YYYY-MM-DD, the last day included; empty: open-ended."))

    def is_empty(self) -> bool:
        return all(self.cleaned_data.get(name) in EMPTY for name in self.fields
                   if name != "DELETE")

    def to_table(self) -> dict[str, Any]:
        data = self.cleaned_data
        table: dict[str, Any] = {"id": data.get("id", ""), "roles": list(data.get("roles") or [])}
        employees = [ref.strip() for ref in (data.get("employees") or "").split(",") if ref.strip()]
        if employees:
            table["employees"] = employees
        for name in ("effective_from", "effective_to"):
            text = (data.get(name) or "").strip()
            if text:
                table[name] = _day(text)
        if not table["roles"]:
            del table["roles"]
        return table

    @staticmethod
    def initial_of(table: dict[str, Any]) -> dict[str, Any]:
        return {"id": table.get("id", ""), "roles": table.get("roles", []),
                "employees": ", ".join(table.get("employees", [])),
                "effective_from": str(table.get("effective_from", "")),
                "effective_to": str(table.get("effective_to", "") or "")}


def _day(text: str) -> date | str:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text  # the parser names it


PlanFormSet = forms.formset_factory(PlanHeaderForm, extra=1, can_delete=True)


@dataclass
class PlanBlock:
    """One plan of the file on the form: its header and a formset per component kind."""

    header: PlanHeaderForm
    kinds: list[tuple[str, str, forms.BaseFormSet]]


class PlanEditor:
    """The whole plan form: bound to a POST, or filled from the plan file in force."""

    def __init__(self, data=None, *, raw: dict[str, Any] | None = None) -> None:
        tables = (raw or {}).get("plans", []) if data is None else []
        self.plans = PlanFormSet(data, prefix="plans",
                                 initial=[PlanHeaderForm.initial_of(t) for t in tables] or None)
        self.blocks: list[PlanBlock] = []
        for index, header in enumerate(self.plans.forms):
            table = tables[index] if index < len(tables) else {}
            kinds = []
            for kind in KINDS:
                form_class = component_form(kind)
                initial = [form_class.initial_of(c) for c in table.get("components", [])
                           if isinstance(c, dict) and c.get("kind") == kind]
                formset = forms.formset_factory(form_class, extra=1, can_delete=True)(
                    data, prefix=f"plan{index}-{kind}", initial=initial or None)
                kinds.append((kind, kind_title(kind), formset))
            self.blocks.append(PlanBlock(header, kinds))
        self.errors: list[str] = []
        self.raw: dict[str, Any] | None = None
        self.planset: PlanSet | None = None

    def check(self) -> bool:
        """Validate through the plan parser; on success ``raw`` (tomllib tables), ``text`` and
        ``planset`` are set, else every problem sits next to its field or in ``errors``."""
        formsets = [self.plans] + [fs for block in self.blocks for _, _, fs in block.kinds]
        valid = [fs.is_valid() for fs in formsets]  # every formset, to show every error
        if not all(valid):
            self.errors += [str(e) for fs in formsets for e in fs.non_form_errors()]
            return False
        tables: list[dict[str, Any]] = []
        places: dict[str, forms.Form] = {}
        for block in self.blocks:
            header = block.header
            components = [(form, form.to_table()) for _, _, fs in block.kinds for form in fs.forms
                          if not form.cleaned_data.get("DELETE") and not form.is_empty()]
            if header.cleaned_data.get("DELETE") or (header.is_empty() and not components):
                continue
            table = header.to_table()
            where = f"plan {table['id']}" if table["id"] else f"plan {len(tables) + 1}"
            places[where] = header
            for number, (form, component) in enumerate(components, 1):
                name = component.get("id")
                places[f"{where} / {name}" if name else f"{where} / component {number}"] = form
            table["components"] = [component for _, component in components]
            tables.append(table)
        if any(form.errors for fs in formsets for form in fs.forms):
            return False
        raw = {"plans": tables}
        try:
            build_plans(raw)
        except PlanError as error:
            placed: set[int] = set()
            for problem in error.problems:
                # A kind that refuses a pair (a pool's rate and tiers) reads neither, and then
                # calls both unknown: beside the refusal itself, that says nothing more.
                if problem.endswith(": is not a parameter of this kind"):
                    continue
                placed.add(id(self._place(problem, places)))
            for problem in error.problems:
                if problem.endswith(": is not a parameter of this kind"):
                    form = self._place(problem, places, dry_run=True)
                    if id(form) not in placed:
                        self._place(problem, places)
            return False
        text = write_plans(raw)
        try:
            self.planset = read_plan(text)
        except ActionError as refused:
            self.errors.append(refused.message)
            return False
        self.raw = raw
        return True

    @property
    def text(self) -> str:
        return write_plans(self.raw or {})

    def _place(self, problem: str, places: dict[str, forms.Form], *,
               dry_run: bool = False) -> forms.Form | None:
        """Put the parser's ``problem`` next to the field it names; the form it went to."""
        for where in sorted(places, key=len, reverse=True):
            if problem.startswith(where + ": "):
                form = places[where]
                if dry_run:
                    return form
                rest = problem[len(where) + 2:]
                name, _sep, reason = rest.partition(": ")
                field = re.match(r"[A-Za-z_]+", name)
                if field and field[0] in form.fields and reason:
                    form.add_error(field[0], reason if name == field[0] else f"{name}: {reason}")
                else:
                    form.add_error(None, rest)
                return form
        if not dry_run:
            self.errors.append(problem)
        return None


def digest(text: str) -> str:
    """What the confirmation carries, so that the plan stored is the plan previewed."""
    return hashlib.sha256(text.encode()).hexdigest()
