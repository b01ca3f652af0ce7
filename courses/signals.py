from django.dispatch import Signal

# sent inside the transaction that completes a course: kwargs staff, course
course_completed = Signal()
