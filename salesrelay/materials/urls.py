from django.urls import path

from salesrelay.materials import views

app_name = "materials"
urlpatterns = [path("", views.material_list, name="list")]
