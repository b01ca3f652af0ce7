from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_start, name="verify_start"),
    path("verify/keys.json", views.verify_keys, name="verify_keys"),
    path("verify/issuer.json", views.verify_issuer, name="verify_issuer"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/<int:certificate_id>/pdf/", views.download, name="download"),
    path("certificates/<int:certificate_id>/openbadge.jwt", views.openbadge, name="openbadge"),
    path("me/certificates/", views.my_certificates, name="my_certificates"),
]
