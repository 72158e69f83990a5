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
]
