from django.contrib.auth import views as auth_views
from django.urls import path

from salesrelay.web import search, views

urlpatterns = [
    path("", views.home, name="home"),
    path("at-stake/", views.at_stake, name="at_stake"),
    path("search/", search.search, name="search"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
