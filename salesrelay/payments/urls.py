from django.urls import path

from salesrelay.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.payment_list, name="list"),
    path("new/", views.new_payment, name="new"),
    path("new/clients/", views.client_choices, name="clients"),
]
