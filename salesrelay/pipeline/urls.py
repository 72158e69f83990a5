from django.urls import path

from salesrelay.pipeline import lists, views

app_name = "pipeline"
urlpatterns = [
    path("", views.board, name="board"),
    path("activities/", lists.activity_list, name="activities"),
    path("deals/<str:ref>/move/", views.move, name="move"),
    path("clients/<str:ref>/activities/", views.log_activity, name="log_activity"),
    path("activities/<str:ref>/done/", views.mark_done, name="mark_done"),
]
