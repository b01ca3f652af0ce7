from django.urls import path

from . import views, views_captions, views_offline

app_name = "courses"
urlpatterns = [
    path("", views.course_catalogue_view, name="catalogue"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete_view, name="lesson_complete"),
    path(
        "lessons/<int:lesson_id>/captions/<str:block_id>.vtt",
        views_captions.lesson_captions_view,
        name="lesson_captions",
    ),
    path("courses/<int:course_id>/enrol/", views.course_enrol_view, name="enrol"),
    path(
        "courses/<int:course_id>/offline.html",
        views_offline.course_offline_pack_view,
        {"fmt": "html"},
        name="offline_pack_html",
    ),
    path(
        "courses/<int:course_id>/offline.pdf",
        views_offline.course_offline_pack_view,
        {"fmt": "pdf"},
        name="offline_pack_pdf",
    ),
]
