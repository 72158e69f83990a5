from django.urls import path

from salesrelay.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.new_prospect, name="new"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("team/", views.team, name="team"),
    path("team/reassign/", views.reassign, name="reassign"),
    path("segments/", views.segments, name="segments"),
    path("<str:ref>/", views.card, name="card"),
    path("<str:ref>/claim/", views.claim, name="claim"),
    path("<str:ref>/assign/", views.assign, name="assign"),
    path("<str:ref>/contacts/", views.add_contact, name="add_contact"),
]
