from django.urls import path

from salesrelay.deals import views

app_name = "deals"
urlpatterns = [
    path("", views.deal_list, name="list"),
    path("new/", views.new_deal, name="new"),
    path("<str:ref>/", views.detail, name="detail"),
    path("<str:ref>/lines/", views.add_line, name="add_line"),
    path("<str:ref>/lines/<int:line_id>/remove/", views.remove_line, name="remove_line"),
    path("<str:ref>/costs/", views.add_cost, name="add_cost"),
    path("<str:ref>/<str:outcome>/", views.close, name="close"),
]
