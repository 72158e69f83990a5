from django.urls import path

from salesrelay.pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("", views.board, name="board"),
    path("deals/<str:ref>/move/", views.move, name="move"),
    path("clients/<str:ref>/activities/", views.log_activity, name="log_activity"),
    path("activities/<str:ref>/done/", views.mark_done, name="mark_done"),
]
