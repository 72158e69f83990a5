from django.urls import path

from salesrelay.people import views

app_name = "people"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<str:token_key>/revoke/", views.revoke, name="revoke_token"),
    path("employees/", views.employees, name="employees"),
    path("employees/hire/", views.hire, name="hire"),
    path("employees/<str:ref>/leave/", views.leave, name="leave"),
]
