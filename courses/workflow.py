"""What happens when a moderation workflow is approved (Wagtail's WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail's default publishes the approved revision as the last approver, which then needs the
"publish" page permission — and a user who may publish may also skip the review. Course
reviewers approve other trainers' changes but have no publish permission, so every change to a
course is seen by someone other than its author (CourseReviewTask refuses self-approval); here
the approval itself is what authorises publishing. Administrators still publish directly."""


def workflow_publish_approved(workflow_state, user=None):
    """Publishes the revision the workflow approved, as the approver (recorded in the log)."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
