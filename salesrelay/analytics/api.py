"""The analytics of SPEC §4 through the API: ``/api/v1/analytics/<page>/`` answers the same
selector as the page, with the same filters (``?first=YYYY-MM&last=YYYY-MM&department=…
&employee=…&segment=…``) and the same slice of the figures for the caller's role."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from enum import Enum

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from salesrelay.analytics import selectors
from salesrelay.analytics.filters import FilterForm
from salesrelay.analytics.views import PAGES
from salesrelay.engine.periods import Month
from salesrelay.people.access import viewer_of

FILTERS = [
    OpenApiParameter("first", str, description="From YYYY-MM (default: 11 months ago)."),
    OpenApiParameter("last", str, description="To YYYY-MM (default: this month)."),
    OpenApiParameter("department", str), OpenApiParameter("employee", str),
    OpenApiParameter("segment", str),
    OpenApiParameter("within", int, description="Conversion: days from meeting to win."),
    OpenApiParameter("bucket", str, description="Collections: an ageing bucket's clients."),
]


def as_json(value):
    """A selector's result as JSON: dataclasses as objects, money as strings, months as
    ``YYYY-MM``, days as ISO dates."""
    if isinstance(value, Decimal | Month):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _page(name: str):
    def page(self, request):
        viewer, today = viewer_of(request), date.today()
        form = FilterForm(request.query_params, page=name, viewer=viewer, today=today)
        if not form.is_valid():
            raise ValidationError({field: [e["message"] for e in errors]
                                   for field, errors in form.errors.get_json_data().items()})
        return Response(as_json(PAGES[name].compute(viewer, form.filters(), today)))

    page.__name__ = name
    page = extend_schema(parameters=FILTERS, request=None, responses={200: OpenApiTypes.OBJECT},
                         description=str(PAGES[name].lead))(page)
    return action(detail=False, methods=["get"], url_path=name.replace("_", "-"))(page)


class NoBody(serializers.Serializer):
    """Nothing is sent to an analytics route but its query string."""


class AnalyticsViewSet(viewsets.GenericViewSet):
    """One read-only route per analytics page, and the dashboard."""

    filter_backends: list = []
    pagination_class = None
    serializer_class = NoBody  # the answers are the selectors' own shapes

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def dashboard(self, request):
        return Response(as_json(selectors.dashboard(viewer_of(request), today=date.today())))


for _name in PAGES:
    setattr(AnalyticsViewSet, _name, _page(_name))
