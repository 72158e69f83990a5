from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("salesrelay.web.urls")),
    path("clients/", include("salesrelay.clients.urls")),
    path("pipeline/", include("salesrelay.pipeline.urls")),
    path("deals/", include("salesrelay.deals.urls")),
    path("payments/", include("salesrelay.payments.urls")),
    path("materials/", include("salesrelay.materials.urls")),
    path("pay/", include("salesrelay.compensation.urls")),
    path("finance/", include("salesrelay.finance.urls")),
    path("analytics/", include("salesrelay.analytics.urls")),
    path("account/", include("salesrelay.people.urls")),
    path("imports/", include("salesrelay.imports.urls")),
    path("notifications/", include("salesrelay.notifications.urls")),
    path("api/v1/", include("salesrelay.api")),
]

# Outside a route, the API still answers in JSON (salesrelay.rest); pages answer with pages.
handler404 = "salesrelay.rest.not_found"
