import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.validators import ProhibitNullCharactersValidator as DjangoNullCheck
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import spreadsheets, thai
from portal.models import Organization
from portal.validators import (
    EMBLEM_LIMITS,
    ImageLimits,
    image_reencoded,
    megabytes,
    no_control_characters,
    no_control_characters_multiline,
)
from portal.versioned import VersionedModelForm


class SafeTextMixin:
    """Every text field of the form refuses control characters (a text area keeps its
    line breaks and tabs). Every form of the project has it first among its bases
    (tests/portal/test_bad_input.py checks), so one place holds the rule for all text
    typed in, whatever field class or widget a form uses. The validators are added
    when the form is cleaned, so fields a form adds in ``__init__`` have them too."""

    def full_clean(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField) and not getattr(field, "safe_text", False):
                multiline = isinstance(field.widget, forms.Textarea)
                check = no_control_characters_multiline if multiline else no_control_characters
                # Django's own NUL check says the same in English only.
                field.validators = [
                    *(v for v in field.validators if not isinstance(v, DjangoNullCheck)),
                    check,
                ]
                field.safe_text = True
        super().full_clean()  # type: ignore[misc]


class SafeTextModelForm(SafeTextMixin, forms.ModelForm):
    """The check for a form Django builds itself, such as an admin page's."""


class SwitchOrganizationForm(SafeTextMixin, forms.Form):
    """Choose which of one's organisations to work in."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Organization")
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(memberships__user=user)


class BEDateInput(forms.TextInput):
    """A text box showing dates as ``dd/mm/yyyy`` in the Buddhist Era."""

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {"placeholder": _("dd/mm/yyyy (BE)"), "inputmode": "numeric"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai.format_date_input(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed in BE or CE (``05/05/2563``, ``5 พ.ค. 2563``, ``2020-05-05``)."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter a date such as 05/05/2567 or 5 พ.ค. 2567."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return thai.parse_date(value)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class SpreadsheetUploadForm(SafeTextMixin, forms.Form):
    """An XLSX or CSV upload, refused over the size limit before it is read. Subclasses
    say what the file holds in :meth:`limits_text`."""

    file = forms.FileField(
        label=_("Spreadsheet file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,text/csv," + spreadsheets.XLSX_CONTENT_TYPE}
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Formatted per request, so it is in the reader's language.
        self.fields["file"].help_text = self.limits_text()

    def limits_text(self) -> str:
        return gettext("Excel (.xlsx) or CSV in UTF-8 or Thai (TIS-620), up to %(mb)s MB.") % {
            "mb": spreadsheets.MAX_FILE_BYTES // (1024 * 1024)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > spreadsheets.MAX_FILE_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": spreadsheets.MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class ImportConfirmForm(SafeTextMixin, forms.Form):
    """Confirms the upload waiting under this token (see portal.spreadsheets)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=100)
    # Shown only when the preview lists what the rows name that does not exist yet.
    create_new = forms.BooleanField(
        label=_("Create them together with the import"), required=False, initial=True
    )


class ImageInput(forms.ClearableFileInput):
    """The file box alone: the page shows the current picture and the box to remove it
    itself (Django's widget would link to the stored file, and stored files have no
    address of their own). ``data-image-preview`` names the picture that shows the
    chosen file before it is saved (static/js/site.js)."""

    template_name = "django/forms/widgets/file.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"accept": "image/png,image/jpeg", **(attrs or {})})


class ImageUploadField(forms.FileField):
    """A JPEG or PNG within ``limits``, kept as the picture alone (decoded and encoded
    again: no metadata, nothing hidden after it) under a plain name of our own."""

    widget = ImageInput

    def __init__(self, *, limits: ImageLimits = EMBLEM_LIMITS, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)  # the name is ours, never the uploader's
        super().__init__(**kwargs)
        self.limits = limits
        self.help_text = self.help_text or gettext(
            "PNG or JPEG, up to %(mb)s MB, %(min)s to %(max)s pixels a side."
        ) % {
            "mb": megabytes(limits.max_bytes or 0),
            "min": limits.min_side,
            "max": f"{limits.max_side or 0:,}",
        }

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if not isinstance(file, UploadedFile):
            return file
        content, content_type = image_reencoded(file, self.limits)
        suffix = ".png" if content_type == "image/png" else ".jpg"
        return SimpleUploadedFile(f"image{suffix}", content, content_type)


class OrganizationSettingsForm(SafeTextMixin, VersionedModelForm):
    """The organisation's profile as HR keeps it: names, place, signatories, the images
    printed on its documents, and whether its public page is on."""

    class Meta:
        model = Organization
        fields = [
            "name_th",
            "short_name",
            "kind",
            "district",
            "province",
            "mayor_name",
            "mayor_title",
            "clerk_name",
            "clerk_title",
            "emblem",
            "announcement_header",
            "development_hours_target",
            "public_page_enabled",
        ]
        field_classes = {"emblem": ImageUploadField, "announcement_header": ImageUploadField}

    IMAGE_FIELDS = ("emblem", "announcement_header")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.IMAGE_FIELDS:
            self.fields[name].widget.attrs["data-image-preview"] = f"preview-{name}"
        # The model's words (what the header is) and the limits every image has.
        header_help = Organization._meta.get_field("announcement_header").help_text
        self.fields[
            "announcement_header"
        ].help_text = f"{header_help} {self.fields['emblem'].help_text}"

    def display_value(self, field: forms.Field, value: Any) -> str:
        if isinstance(field, ImageUploadField):
            # A stored file's name says nothing to the reader.
            return str(_("Another image") if value else _("(empty)"))
        return super().display_value(field, value)
