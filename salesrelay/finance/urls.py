from django.urls import path

from salesrelay.finance import views

app_name = "finance"
urlpatterns = [
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/remove/", views.remove_target, name="remove_target"),
    path("fixed-costs/", views.fixed_costs, name="fixed_costs"),
    path("fixed-costs/<int:pk>/remove/", views.remove_fixed_cost, name="remove_fixed_cost"),
]
