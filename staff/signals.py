"""Events downstream apps react to; sent after commit."""

from django.dispatch import Signal

# kwargs: staff_ids (list[int]) — these staff joined, or changed unit or position (by hand, by
# import or by a merge); what is required of them may have changed (courses re-evaluates gaps)
staff_moved = Signal()
