from django.urls import path

from salesrelay.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
]
