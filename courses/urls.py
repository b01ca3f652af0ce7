from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete_view, name="lesson_complete"),
    path("courses/<int:course_id>/enrol/", views.course_enrol_view, name="enrol"),
]
