from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/<int:certificate_id>/pdf/", views.download, name="download"),
]
