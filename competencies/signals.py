"""Events downstream apps (courses) react to; sent by the competency services after commit."""

from django.dispatch import Signal

# kwargs: staff_ids (list[int]) — their competency records were added or changed
competency_records_changed = Signal()
# kwargs: position_ids (list[int]) — the requirements in force for these positions changed
# (a framework version was published)
requirements_changed = Signal()
