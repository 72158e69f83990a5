from django.urls import path

from salesrelay.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("new-clients/", views.new_clients, name="new_clients"),
    path("funnel/", views.funnel, name="funnel"),
    path("conversion/", views.conversion, name="conversion"),
    path("order-value/", views.order_value, name="order_value"),
    path("collections/", views.collections, name="collections"),
    path("break-even/", views.breakeven, name="breakeven"),
    path("pay/", views.pay, name="pay"),
    path("cohorts/", views.cohorts, name="cohorts"),
]
