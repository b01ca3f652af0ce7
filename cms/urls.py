from django.urls import path

from . import views

app_name = "cms"
urlpatterns = [
    path("me/competencies/", views.my_competencies, name="my_competencies"),
]
