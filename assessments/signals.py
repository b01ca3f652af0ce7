from django.dispatch import Signal

# sent inside the grading transaction, once per attempt: kwargs attempt
attempt_graded = Signal()
