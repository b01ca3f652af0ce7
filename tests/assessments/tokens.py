"""What a choice input of an attempt item carries on the page: its per-item option token."""

from assessments.forms import option_token
from assessments.models import AttemptItem


def token(attempt, position: int, key: str) -> str:
    item = AttemptItem.objects.only("pk").get(attempt=attempt, position=position)
    return option_token(item_id=item.pk, key=key)


def item_token(item, key: str) -> str:
    return option_token(item_id=item.pk, key=key)
