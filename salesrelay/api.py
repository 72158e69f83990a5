"""The REST API under ``/api/v1/``: Django REST framework, an OpenAPI 3 schema from
drf-spectacular at ``/api/v1/schema/`` with its docs at ``/api/v1/docs/``.

Each app's ``api.py`` holds its serializers and viewsets; they read through the same
``Model.objects.restrict(viewer, action)`` as the pages and write through the same actions, so
validation, audit rows and access rules are the pages' own. ``ROUTES`` in
``salesrelay.people.access`` lists the API's routes beside the pages' and ``RoutePermission``
enforces it. Errors are JSON (``salesrelay.rest``): ``{"errors": [{"field": "amount",
"code": "invalid", "reason": "…"}]}``.

Sign in with the browser session, or with a personal token
(``Authorization: Token <token>``; ``salesrelay token create LOGIN`` or the Tokens page).
"""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter


def _router() -> SimpleRouter:
    from salesrelay.analytics.api import AnalyticsViewSet
    from salesrelay.clients.api import ClientViewSet
    from salesrelay.compensation.api import (
        DesignViewSet,
        DisputeViewSet,
        PayoutLineViewSet,
        PeriodViewSet,
        PlanViewSet,
        SimulationViewSet,
        StatementViewSet,
    )
    from salesrelay.deals.api import DealViewSet
    from salesrelay.finance.api import FixedCostViewSet, TargetViewSet
    from salesrelay.materials.api import MaterialViewSet
    from salesrelay.payments.api import PaymentViewSet
    from salesrelay.people.api import EmployeeViewSet, TokenViewSet
    from salesrelay.pipeline.api import ActivityViewSet

    router = SimpleRouter()
    router.register("employees", EmployeeViewSet, basename="employee")
    router.register("tokens", TokenViewSet, basename="token")
    router.register("clients", ClientViewSet, basename="client")
    router.register("deals", DealViewSet, basename="deal")
    router.register("payments", PaymentViewSet, basename="payment")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("materials", MaterialViewSet, basename="material")
    router.register("targets", TargetViewSet, basename="target")
    router.register("fixed-costs", FixedCostViewSet, basename="fixed-cost")
    router.register("plans", PlanViewSet, basename="plan")
    router.register("periods", PeriodViewSet, basename="period")
    router.register("lines", PayoutLineViewSet, basename="line")
    router.register("statements", StatementViewSet, basename="statement")
    router.register("disputes", DisputeViewSet, basename="dispute")
    router.register("simulations", SimulationViewSet, basename="simulation")
    router.register("designs", DesignViewSet, basename="design")
    router.register("analytics", AnalyticsViewSet, basename="analytics")
    return router


app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(_router().urls)),
]
