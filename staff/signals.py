"""Signals the staff app sends for the apps above it (plans keeps each project's
target group stored, see plans/audience.py)."""

from django.dispatch import Signal

#: A staff import has written its rows (in bulk, so without a save signal per person).
#: Sent with ``organization_id``.
staff_imported = Signal()
