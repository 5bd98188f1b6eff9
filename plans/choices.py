"""Lists of reference §1: development areas, methods and providers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    GENERAL = "general", _("General knowledge for the work")
    SPECIFIC = "specific", _("Knowledge and skills of each position")
    MANAGEMENT = "management", _("Management")
    PERSONAL = "personal", _("Personal attributes")
    ETHICS = "ethics", _("Morals and ethics")


class Method(models.TextChoices):
    ORIENTATION = "orientation", _("Orientation")
    TRAINING = "training", _("Training")
    STUDY_VISIT = "study_visit", _("Study visit")
    WORKSHOP = "workshop", _("Workshop or seminar")
    ELEARNING = "elearning", _("E-learning")
    COACHING = "coaching", _("Coaching and mentoring")
    MEETING = "meeting", _("Monthly meeting or knowledge sharing")
    FURTHER_STUDY = "further_study", _("Further study")
    OTHER = "other", _("Other suitable method")


class Provider(models.TextChoices):
    IN_HOUSE = "in_house", _("The organization itself")
    DLA_INSTITUTE = "dla_institute", _("Local Personnel Development Institute (DLA)")
    ELEARNING = "elearning", _("OCSC Learning Space / TDGA e-learning")
    OTHER = "other", _("Other provider")


QUARTERS = [
    (1, _("Q1 (Oct–Dec)")),
    (2, _("Q2 (Jan–Mar)")),
    (3, _("Q3 (Apr–Jun)")),
    (4, _("Q4 (Jul–Sep)")),
]
