"""Reactions to upstream events. Dispatch only: the rules live in services."""

from .services import certificate_issue_for_attempt


def on_attempt_graded(sender, *, attempt, **kwargs):
    certificate_issue_for_attempt(attempt=attempt)
