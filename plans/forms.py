"""Forms of the plan itself: a new plan (its period and manpower plan) and the plan's
title and narrative (plans/views.py). A project's form is in plans/forms_projects.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from plans.fields import BEYearField, TextField
from plans.models import CommitteeMember, DevelopmentPlan, committee_lines
from plans.services import NARRATIVE_FIELDS
from plans.versioned import VersionedForm
from portal.forms import SafeTextMixin
from portal.models import Organization
from portal.thai import current_fiscal_year
from staff.models import ManpowerPlan


def default_title(first_fy: int) -> str:
    """The usual title of the plan book. Arabic digits are stored: printed documents
    turn them into Thai digits when that option is on."""
    return f"แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. {first_fy}–{first_fy + DevelopmentPlan.YEARS - 1}"


class ManpowerPlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ManpowerPlan) -> str:
        status = _("approved") if obj.status == ManpowerPlan.Status.APPROVED else _("draft")
        title = str(obj.display_title)
        if str(obj.first_fy) in title:  # the default title already names the period
            return f"{title} ({status})"
        return _("%(title)s (FY %(first)s–%(last)s, %(status)s)") % {
            "title": title,
            "first": obj.first_fy,
            "last": obj.last_fy,
            "status": status,
        }


# --- Periods --------------------------------------------------------------------


def manpower_plan_field() -> ManpowerPlanChoiceField:
    """The manpower plan to link; each form limits the choice to its organisation's."""
    return ManpowerPlanChoiceField(
        label=_("3-year manpower plan"),
        queryset=ManpowerPlan.objects.none(),
        required=False,
        empty_label=_("Not entered yet"),
        help_text=_("It must cover the same three fiscal years as the development plan."),
    )


def period_mismatch(manpower_plan: ManpowerPlan | None, first_fy: int) -> str | None:
    """Why a manpower plan cannot be linked to a development plan starting in
    ``first_fy``; None when the periods match (or no manpower plan is chosen)."""
    if manpower_plan is None or manpower_plan.first_fy == first_fy:
        return None
    last_fy = first_fy + DevelopmentPlan.YEARS - 1
    return str(
        _(
            "The manpower plan covers FY %(mp_first)s–%(mp_last)s but this development plan "
            "covers FY %(first)s–%(last)s. By law the two plans cover the same three fiscal "
            "years: choose the manpower plan of FY %(first)s–%(last)s, or leave it empty "
            "and link it once it is entered."
        )
        % {
            "mp_first": manpower_plan.first_fy,
            "mp_last": manpower_plan.last_fy,
            "first": first_fy,
            "last": last_fy,
        }
    )


def suggested_period(organization: Organization) -> tuple[int, ManpowerPlan | None]:
    """The first FY a new plan most likely has, and the manpower plan to link: the
    newest manpower plan period without a development plan; else the standard cycle
    (2558–2560, 2561–2563, …) after the latest development plan or containing today."""
    planned = set(
        DevelopmentPlan.objects.filter(organization=organization).values_list("first_fy", flat=True)
    )
    for manpower_plan in ManpowerPlan.objects.filter(organization=organization).order_by(
        "-first_fy", "-revision"
    ):
        if manpower_plan.first_fy not in planned:
            return manpower_plan.first_fy, manpower_plan
    if planned:
        return max(planned) + DevelopmentPlan.YEARS, None
    fy = current_fiscal_year()
    return 2558 + (fy - 2558) // DevelopmentPlan.YEARS * DevelopmentPlan.YEARS, None


def manpower_plans_of(organization: Organization) -> QuerySet[ManpowerPlan]:
    return ManpowerPlan.objects.filter(organization=organization).order_by("-first_fy", "-revision")


# --- A new plan -----------------------------------------------------------------


class PlanCreateForm(SafeTextMixin, forms.Form):
    first_fy = BEYearField(
        label=_("First fiscal year (BE)"),
        help_text=_("The plan covers this fiscal year and the two after it."),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    manpower_plan = manpower_plan_field()

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["manpower_plan"].queryset = manpower_plans_of(organization)
        self.fields["title"].help_text = _("Leave empty to call it “%(title)s”.") % {
            "title": default_title(self.initial.get("first_fy") or 2567)
        }

    def clean_first_fy(self) -> int:
        first_fy = self.cleaned_data["first_fy"]
        if DevelopmentPlan.objects.filter(
            organization=self.organization, first_fy=first_fy
        ).exists():
            raise forms.ValidationError(
                _(
                    "A development plan for FY %(first)s–%(last)s already exists. Open it; "
                    "once it is approved, change it by making a revision."
                ),
                params={"first": first_fy, "last": first_fy + DevelopmentPlan.YEARS - 1},
                code="exists",
            )
        return first_fy

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first_fy = cleaned.get("first_fy")
        if first_fy is None:
            return cleaned
        error = period_mismatch(cleaned.get("manpower_plan"), first_fy)
        if error:
            self.add_error("manpower_plan", forms.ValidationError(error, code="period"))
        cleaned["title"] = (cleaned.get("title") or "").strip() or default_title(first_fy)
        return cleaned


# --- The plan's title and narrative ---------------------------------------------


class PlanEditForm(SafeTextMixin, VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    manpower_plan = manpower_plan_field()
    principles = TextField(
        label=_("Principles and reasons"),
        rows=12,
        help_text=_("Why the organisation develops its people, and the principles it follows."),
    )
    objectives = TextField(
        label=_("Objectives"), rows=7, help_text=_("What the plan sets out to achieve.")
    )
    targets = TextField(
        label=_("Targets"),
        rows=6,
        help_text=_("Who is developed and how much, in numbers that can be checked."),
    )
    guidelines = TextField(
        label=_("Development guidelines"),
        rows=10,
        help_text=_("The development areas and the methods the organisation uses."),
    )
    monitoring = TextField(
        label=_("Monitoring and evaluation"),
        rows=7,
        help_text=_("How progress is followed during the year and the results are evaluated."),
    )

    vision = TextField(
        label=_("Vision"),
        rows=3,
        help_text=_("The organisation's vision, as its local development plan words it."),
    )
    mission = TextField(label=_("Mission"), rows=5, help_text=_("The missions, one a line."))
    strengths = TextField(
        label=_("Strengths of the staff"), rows=5, help_text=_("SWOT: one point a line.")
    )
    weaknesses = TextField(
        label=_("Weaknesses of the staff"), rows=5, help_text=_("SWOT: one point a line.")
    )
    opportunities = TextField(
        label=_("Opportunities"), rows=5, help_text=_("SWOT: what outside helps the staff.")
    )
    threats = TextField(
        label=_("Threats"), rows=5, help_text=_("SWOT: what outside holds the staff back.")
    )
    committee = TextField(
        label=_("Drafting committee"),
        rows=8,
        help_text=_(
            "One member a line: name | position | role in the committee, as in the order "
            "that appointed the committee. A name left empty prints as a dotted line."
        ),
    )

    legal_basis = TextField(
        label=_("Legal basis"),
        rows=3,
        help_text=_(
            "One sentence in the announcement on what the plan is made under. The text "
            "given is a default: check it against your provincial committee's standard."
        ),
    )

    def __init__(self, data: Any = None, *, plan: DevelopmentPlan, **kwargs: Any) -> None:
        self.plan = plan
        kwargs.setdefault("initial", {**self.values_of(plan), "version": plan.version})
        super().__init__(data, **kwargs)
        self.fields["manpower_plan"].queryset = manpower_plans_of(plan.organization)

    def values_of(self, obj: DevelopmentPlan) -> dict[str, Any]:
        values = {name: getattr(obj, name) for name in ["title", *NARRATIVE_FIELDS]}
        values["manpower_plan"] = obj.manpower_plan
        return values

    def rebase_kwargs(self, current: DevelopmentPlan) -> dict[str, Any]:
        return {"plan": current}

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_committee(self) -> str:
        text = self.cleaned_data["committee"]
        wrong = [
            line.strip() for line in committee_lines(text) if CommitteeMember.parse(line) is None
        ]
        if wrong:
            raise forms.ValidationError(
                _("Write each member as name | position | role. Not like that: %(line)s"),
                params={"line": wrong[0]},
                code="committee",
            )
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        error = period_mismatch(cleaned.get("manpower_plan"), self.plan.first_fy)
        if error:
            self.add_error("manpower_plan", forms.ValidationError(error, code="period"))
        if cleaned.get("version") is None:
            raise forms.ValidationError(
                _("The form is incomplete. Reload the page and try again."), code="version"
            )
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.edited_fields()}

    def narrative_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in NARRATIVE_FIELDS]


# --- The approval chain -----------------------------------------------------------


class SendBackForm(SafeTextMixin, forms.Form):
    """The ปลัด or the นายก returns the plan to HR, saying what should change."""

    reason = forms.CharField(
        label=_("What should change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The HR officer reads this on the plan page and on their home page."),
    )


class ApproveForm(SafeTextMixin, forms.Form):
    """The นายก's approval: only with the confirmation ticked."""

    confirm = forms.BooleanField(
        label=_("I have read the plan and approve it"),
        error_messages={"required": _("Tick the box to confirm that you approve the plan.")},
    )


# --- Issuing a period report (plans/issued.py) --------------------------------------


class IssueReportForm(SafeTextMixin, forms.Form):
    """HR issues a 6-month progress or annual results report: only with the
    confirmation ticked, and — for an issue after the first — with the reason."""

    confirm = forms.BooleanField(
        label=_("I have checked the report: issue it as the official record of its period"),
        error_messages={"required": _("Tick the box to confirm that you issue the report.")},
    )
    reason = forms.CharField(
        label=_("Why the report is issued again"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the new issue; the earlier issues stay as they are."),
        error_messages={"required": _("Say why the report is issued again.")},
    )

    def __init__(self, *args: Any, reissue: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reissue:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
