from django.urls import path

from salesrelay.materials import views

app_name = "materials"
urlpatterns = [
    path("", views.material_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<str:ref>/file/", views.download, name="file"),
]
