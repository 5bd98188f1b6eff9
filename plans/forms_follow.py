"""Forms for following the year: attendance of a whole project, a project's progress,
and an external course a person reports with its certificate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _

from plans.choices import Area
from plans.fields import HoursField, MoneyField, TextField
from plans.models import DevelopmentRecord, ProjectProgress
from portal.forms import BEDateField, SafeTextMixin
from portal.thai import DateRange
from portal.validators import image_reencoded, validate_pdf
from skills.models import Domain
from staff.models import StaffMember

MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024

#: What a certificate may be, recognised by its first bytes, never by its name.
CERTIFICATE_TYPES = [
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
]


def certificate_type(head: bytes) -> tuple[str, str] | None:
    """(suffix, content type) of a PDF, JPEG or PNG file from its first bytes."""
    for magic, suffix, content_type in CERTIFICATE_TYPES:
        if head.startswith(magic):
            return suffix, content_type
    return None


class _DatesMixin:
    """From–to dates in order, and (when ``period`` is given) inside it."""

    period: DateRange | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        elif start and self.period is not None and start not in self.period:
            self.add_error(
                "started_on", _("The start date must fall within the fiscal year of this page.")
            )
        return data


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return obj.full_name

    def _check_values(self, value: Any) -> Any:
        # A number past the database's integer range breaks the lookup itself
        # (OverflowError on SQLite, DataError on PostgreSQL): refuse it like an unknown id.
        for pk in value:
            if str(pk).lstrip("-").isdigit() and not -(2**63) <= int(pk) < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class AttendanceForm(SafeTextMixin, _DatesMixin, forms.Form):
    """Who attended a project in a fiscal year, ticked from its target group, with the
    dates, hours and result that apply to everyone ticked."""

    attended = PersonChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Attended"),
    )
    started_on = BEDateField(label=_("From"))
    ended_on = BEDateField(label=_("To"))
    hours = HoursField(label=_("Hours per person"))
    result = forms.ChoiceField(label=_("Result"), choices=DevelopmentRecord.Result.choices)

    def __init__(
        self, *args: Any, candidates: list[StaffMember], period: DateRange, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.period = period
        # The listed people only: an id from anywhere else is "not one of the choices".
        field = self.fields["attended"]
        field.queryset = StaffMember.objects.filter(pk__in=[p.pk for p in candidates])

    @staticmethod
    def initial_from(existing: dict[int, DevelopmentRecord]) -> dict[str, Any]:
        """Who is recorded already, with the dates and hours of the first record: what
        a second visit starts from."""
        initial: dict[str, Any] = {
            "attended": list(existing),
            "result": DevelopmentRecord.Result.ATTENDED,
        }
        first = next(iter(existing.values()), None)
        if first is not None:
            initial.update(started_on=first.started_on, ended_on=first.ended_on, hours=first.hours)
        return initial


class ProgressForm(SafeTextMixin, forms.ModelForm):
    actual_spend = MoneyField(label=_("Actual spend (baht)"))
    result = TextField(label=_("Result against the indicators"))
    issues = TextField(label=_("Problems and obstacles"))
    suggestions = TextField(label=_("Suggestions"))

    class Meta:
        model = ProjectProgress
        fields = ["status", "actual_spend", "result", "issues", "suggestions"]

    def clean_actual_spend(self) -> Decimal:
        return self.cleaned_data.get("actual_spend") or Decimal("0")


class CertificateField(forms.FileField):
    """A PDF, JPEG or PNG of at most 5 MB, recognised by its content and checked as a
    whole: a PDF must open and have a page, an image must decode in full and is stored
    encoded again (portal.validators.image_reencoded), so a file that only starts like
    one of them is refused. The stored name is the recognised type's suffix only; the
    model adds a random name."""

    default_error_messages = {
        **forms.FileField.default_error_messages,
        "too_big": _("The file is larger than 5 MB."),
        "wrong_type": _("The certificate must be a PDF, JPEG or PNG file."),
    }

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if not isinstance(file, UploadedFile):
            return file
        if file.size > MAX_CERTIFICATE_BYTES:
            raise forms.ValidationError(self.error_messages["too_big"], code="too_big")
        file.seek(0)
        head = file.read(16)
        file.seek(0)
        found = certificate_type(head)
        if found is None:
            raise forms.ValidationError(self.error_messages["wrong_type"], code="wrong_type")
        suffix, content_type = found
        if content_type == "application/pdf":
            validate_pdf(file)
            file.name = f"certificate{suffix}"
            return file
        content, content_type = image_reencoded(file)
        suffix = next(s for _m, s, t in CERTIFICATE_TYPES if t == content_type)
        return SimpleUploadedFile(f"certificate{suffix}", content, content_type)


class DomainChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Domain) -> str:
        return obj.name


class ReportForm(SafeTextMixin, _DatesMixin, forms.ModelForm):
    """An external course the person reports (never whose record it is: that is the
    person logged in)."""

    started_on = BEDateField(label=_("From"))
    ended_on = BEDateField(label=_("To"))
    hours = HoursField(label=_("Hours"))
    area = forms.ChoiceField(
        label=_("Development area"), choices=[("", "—"), *Area.choices], required=False
    )
    domains = DomainChoiceField(
        queryset=Domain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Digital skill domains"),
    )
    certificate = CertificateField(
        label=_("Certificate"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    report = TextField(label=_("What I learned and will apply"))

    class Meta:
        model = DevelopmentRecord
        fields = [
            "course_name",
            "provider_name",
            "started_on",
            "ended_on",
            "hours",
            "result",
            "area",
            "domains",
            "certificate",
            "report",
        ]
        labels = {
            "course_name": _("Course name"),
            "provider_name": _("Organised by"),
            "result": _("Result"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course_name"].required = True
        self.fields["domains"].queryset = Domain.objects.select_related("framework").order_by(
            "framework__code", "order", "pk"
        )
        self.fields["result"].choices = [
            c for c in DevelopmentRecord.Result.choices if c[0] != DevelopmentRecord.Result.ABSENT
        ]

    def values(self) -> dict[str, Any]:
        """The record's own fields, for the service (domains go separately)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "domains"}
