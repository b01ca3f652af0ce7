"""Events downstream apps react to; sent after commit."""

from django.dispatch import Signal

# kwargs: staff_ids (list[int]) — these staff joined, left, or changed unit or position (by
# hand, by import or by a merge); what is required of them may have changed (courses re-evaluates
# gaps, reports refresh their standings)
staff_moved = Signal()
