from django.urls import path

from . import late_views, views

app_name = "assessments"
urlpatterns = [
    path("exams/<int:exam_id>/", views.exam_detail, name="exam"),
    path("exams/<int:exam_id>/start/", views.exam_start, name="start"),
    path(
        "attempts/<int:attempt_id>/questions/<int:position>/",
        views.attempt_question,
        name="question",
    ),
    # every question of an open attempt in one reply, for attempt.js to answer offline
    path("attempts/<int:attempt_id>/questions/", views.attempt_questions, name="questions"),
    path("attempts/<int:attempt_id>/review/", views.attempt_review, name="review"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit_view, name="submit"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="result"),
    path(
        "attempts/<int:attempt_id>/late-response/",
        late_views.attempt_late_response_upload,
        name="late_response_upload",
    ),
]
