"""Digital skills for HR and executives: targets, groups, rounds, progress and results.

HR manages targets, group rules and rounds; executives read rounds, progress and
results. The staff-facing self-assessment is in views_me.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import thai
from portal.access import HR, current_organization, in_org, require_role
from portal.downloads import content_disposition
from portal.formsets import formset_rebased
from portal.listing import PAGE_PARAM, list_query, page_of
from portal.models import Organization, Role
from portal.options import SelectOptions
from portal.security import private_response
from portal.versioned import StaleEdit, versioned_save_or_conflict
from skills import services
from skills.access import READERS, get_round_for_user
from skills.charts import (
    compare_chart_for,
    group_gap_heatmap,
    group_heatmap_rows,
    unit_gap_heatmap,
    unit_heatmap_rows,
)
from skills.exports import results_filename, results_workbook
from skills.forms_hr import (
    CompareScopeForm,
    GroupOverrideForm,
    GroupRuleFormSet,
    RemindForm,
    RoundEditForm,
    RoundForm,
    TargetMatrixForm,
    frameworks_with_current,
)
from skills.models import (
    Assessment,
    AssessmentRound,
    Domain,
    Framework,
    GroupRule,
    PersonnelGroup,
)
from skills.services import (
    GroupResolver,
    ReminderError,
    RoundProgress,
    group_override_set,
    group_rules_ensure,
    group_rules_reset,
    group_rules_save,
    reminder_candidates,
    reminders_send,
    round_progress,
    targets_for,
    targets_save,
)
from skills.views_reminders import reminder_context
from staff.access import get_staff_member_for_user
from staff.forms import PersonSearchForm
from staff.models import StaffMember, Unit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _with_framework(url_name: str, framework: Framework, anchor: str = "") -> str:
    return f"{reverse(url_name)}?framework={framework.code}{anchor}"


def _hr_framework_page(request: HttpRequest) -> tuple[Organization, list[Framework], Framework]:
    """For HR's pages kept per framework (targets, groups): the organisation, every
    framework for the tabs and the one shown."""
    require_role(request, HR)
    frameworks, framework = frameworks_with_current(
        request.POST.get("framework") or request.GET.get("framework")
    )
    return current_organization(request), frameworks, framework


# --- Targets ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    organization, frameworks, framework = _hr_framework_page(request)
    if request.method == "POST" and request.POST.get("action") == "reset":
        targets_save(organization=organization, framework=framework, levels={})
        messages.success(request, _("The targets are back to the portal's defaults."))
        return redirect(_with_framework("skills:targets", framework))
    form = TargetMatrixForm(
        request.POST if request.method == "POST" else None,
        groups=list(PersonnelGroup.objects.filter(framework=framework).order_by("order")),
        domains=list(Domain.objects.filter(framework=framework).order_by("order")),
        targets=targets_for(organization=organization, framework=framework),
        defaults=services.targets_default(framework=framework),
        version=services.targets_version(organization=organization, framework=framework),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = targets_save(
                organization=organization,
                framework=framework,
                levels=form.levels(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as stale:
            form = form.rebased(stale.current)
        else:
            messages.success(
                request,
                _("The targets were saved; %(n)s differ from the portal's defaults.")
                % {"n": changed},
            )
            return redirect(_with_framework("skills:targets", framework))
    context = {"form": form, "frameworks": frameworks, "framework": framework}
    return render(request, "skills/targets.html", context, status=400 if form.errors else 200)


# --- Groups ---------------------------------------------------------------------


def _rules_formset(
    data, *, organization: Organization, framework: Framework, groups: list[PersonnelGroup]
) -> GroupRuleFormSet:
    return GroupRuleFormSet(
        data,
        queryset=GroupRule.objects.filter(organization=organization, framework=framework),
        form_kwargs={"groups": groups, "framework": framework},
        prefix="rules",
    )


#: The filters of the groups page's list of people; a row's POST (and the rules' POST,
#: made to the page's own address) carries them and the page back.
GROUP_LIST_FILTERS = ("q", "unit")
#: People a page. Each row is a form; at 50 a page the page took 0.95–0.99× the admin
#: changelist of 100 staff, at 25 0.78× (bench/pages.py, 500 staff): the staff list's 25.
GROUPS_PER_PAGE = 25


def _groups_url(request: HttpRequest, framework: Framework, anchor: str = "") -> str:
    """The groups page of ``framework`` with the search and page the POST came from."""
    rest = list_query(request.GET, (*GROUP_LIST_FILTERS, PAGE_PARAM))
    return _with_framework("skills:groups", framework, f"&{rest}{anchor}" if rest else anchor)


def _render_groups(
    request: HttpRequest,
    framework: Framework,
    frameworks: list[Framework],
    *,
    formset: GroupRuleFormSet | None = None,
    override_form: GroupOverrideForm | None = None,
    override_person: StaffMember | None = None,
    conflicted: int = 0,
    status: int = 200,
) -> HttpResponse:
    organization = current_organization(request)
    group_list = list(PersonnelGroup.objects.filter(framework=framework).order_by("order"))
    if formset is None:
        formset = _rules_formset(
            None, organization=organization, framework=framework, groups=group_list
        )
    resolver = GroupResolver.load(organization=organization, framework=framework)
    working = in_org(StaffMember.objects.active(), request)
    # The counts are over everyone working, whatever page is shown. The rules read the
    # personnel type, position type and title only, and the overrides the pk: rows with
    # those four, not 500 whole staff records.
    counts = Counter(
        resolver.group_of(person).pk
        for person in working.values_list(
            "pk", "personnel_type", "position_type", "position_title", named=True
        )
    )
    filters = PersonSearchForm(request.GET or None, organization=organization)
    page = page_of(filters.filter(working.for_listing()), request.GET, per_page=GROUPS_PER_PAGE)
    people = [resolver.membership(person) for person in page.object_list]
    # Every row's select has the same options: rendered once per group selected, not
    # once a row (most of the page's time at 500 staff, bench/pages.py).
    options = SelectOptions(
        [("", _("as the rules say")), *((group.pk, group.name) for group in group_list)]
    )
    shown = request.GET.copy()
    shown[PAGE_PARAM] = str(page.number) if page.number > 1 else ""
    context = {
        "framework": framework,
        "frameworks": frameworks,
        "formset": formset,
        "groups": group_list,
        "people": people,
        "people_rows": [
            (row, options(row.override.pk if row.override else None)) for row in people
        ],
        "working_count": sum(counts.values()),
        "page": page,
        "filters": filters,
        "filtered": filters.is_filtering(),
        # The pagination's links keep the framework and filters; each row's form posts
        # with the filters and the page, so that saving a row comes back to this page.
        "query": list_query(request.GET, ("framework", *GROUP_LIST_FILTERS)),
        "here": list_query(shown, (*GROUP_LIST_FILTERS, PAGE_PARAM)),
        "group_counts": [(group, counts[group.pk]) for group in group_list],
        "override_form": override_form,
        "override_person": override_person,
        "override_shown": any(
            override_person is not None and row.person.pk == override_person.pk for row in people
        ),
        "fallback": resolver.fallback,
        "conflicted": conflicted,
    }
    return render(request, "skills/groups.html", context, status=status)


@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest) -> HttpResponse:
    organization, frameworks, framework = _hr_framework_page(request)
    # The organisation's rules start as a copy of the defaults, made on first visit.
    group_rules_ensure(organization=organization, framework=framework)
    if request.method == "GET":
        return _render_groups(request, framework, frameworks)
    if request.POST.get("action") == "reset":
        group_rules_reset(organization=organization, framework=framework)
        messages.success(request, _("The rules are back to the portal's defaults."))
        return redirect(_groups_url(request, framework))
    group_list = list(PersonnelGroup.objects.filter(framework=framework).order_by("order"))
    formset = _rules_formset(
        request.POST, organization=organization, framework=framework, groups=group_list
    )
    if not formset.is_valid():
        return _render_groups(request, framework, frameworks, formset=formset, status=400)
    changed = formset.save(commit=False)  # saves nothing; also sets formset.deleted_objects
    try:
        group_rules_save(
            organization=organization,
            framework=framework,
            changed=changed,
            deleted=formset.deleted_objects,
            expected_versions={
                form.instance.pk: form.cleaned_data.get("version") for form in formset.initial_forms
            },
        )
    except StaleEdit as stale:
        formset = formset_rebased(
            formset,
            stale.current,
            lambda data: _rules_formset(
                data, organization=organization, framework=framework, groups=group_list
            ),
        )
        return _render_groups(
            request, framework, frameworks, formset=formset, conflicted=len(stale.current)
        )
    messages.success(request, _("The group rules were saved."))
    return redirect(_groups_url(request, framework))


@require_POST
def group_override(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_staff_member_for_user(request, pk, roles=HR)
    form = GroupOverrideForm(request.POST)
    if not form.is_valid():
        frameworks, framework = frameworks_with_current(request.POST.get("framework"))
        return _render_groups(
            request,
            framework,
            frameworks,
            override_form=form,
            override_person=person,
            status=400,
        )
    framework, group = form.cleaned_data["framework"], form.cleaned_data["group"]
    group_override_set(person=person, framework=framework, group=group)
    if group is None:
        message = _("%(name)s now follows the rules again.") % {"name": person.full_name}
    else:
        message = _("%(name)s is now in %(group)s.") % {
            "name": person.full_name,
            "group": group.name,
        }
    messages.success(request, message)
    return redirect(_groups_url(request, framework, f"#person-{person.pk}"))


# --- Rounds ----------------------------------------------------------------------


def _round_form(request: HttpRequest) -> RoundForm:
    """HR's form to open a round, proposing dates that do not overlap a round still to
    come or running."""
    today = timezone.localdate()
    last = in_org(AssessmentRound.objects.order_by("-closes_on"), request).first()
    opens_on = max(today, last.closes_on + dt.timedelta(days=1)) if last else today
    return RoundForm(
        request.POST if request.method == "POST" else None,
        organization=current_organization(request),
        initial={
            "framework": Framework.objects.order_by("order", "code").first(),
            "fiscal_year": thai.fiscal_year(opens_on),
            "opens_on": opens_on,
            "closes_on": opens_on + dt.timedelta(days=30),
        },
    )


@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request, READERS)
    is_hr = membership.role == Role.HR
    if request.method == "POST" and not is_hr:
        raise PermissionDenied("Only HR opens rounds.")
    form = _round_form(request) if is_hr else None
    if form is not None and form.is_bound and form.is_valid():
        new_round = form.save()
        messages.success(request, _("The round %(round)s is set up.") % {"round": new_round})
        return redirect("skills:round_detail", pk=new_round.pk)
    return render(
        request,
        "skills/round_list.html",
        {
            "rounds": in_org(AssessmentRound.objects.for_listing(), request),
            "form": form,
            "active_staff": in_org(StaffMember.objects.active(), request).count(),
            "today": timezone.localdate(),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


def waiting_text(round: AssessmentRound, progress: RoundProgress) -> str:
    """The list of people who have not submitted, one line each, to paste into a chat."""
    lines = [
        _("Not yet submitted: %(round)s (closes %(date)s)")
        % {"round": round, "date": thai.date_short(round.closes_on)}
    ]
    for index, (person, status) in enumerate(progress.waiting, start=1):
        state = _("in draft") if status == Assessment.Status.DRAFT else _("not started")
        lines.append(f"{index}. {person.full_name} – {person.unit.full_name} – {state}")
    return "\n".join(lines)


def _render_round_detail(
    request: HttpRequest,
    the_round: AssessmentRound,
    *,
    remind_form: RemindForm | None = None,
    status: int = 200,
) -> HttpResponse:
    progress = round_progress(the_round)
    return render(
        request,
        "skills/round_detail.html",
        {
            "round": the_round,
            "progress": progress,
            "waiting_text": waiting_text(the_round, progress),
            "draft_status": Assessment.Status.DRAFT,
            "is_hr": request.membership.role == Role.HR,
            **reminder_context(request, the_round, waiting=progress.waiting, form=remind_form),
        },
        status=status,
    )


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_round_detail(request, get_round_for_user(request, pk))


@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = get_round_for_user(request, pk, roles=HR)
    form = RemindForm(request.POST, candidates=reminder_candidates(the_round))
    if not form.is_valid():
        return _render_round_detail(request, the_round, remind_form=form, status=400)
    try:
        batch = reminders_send(round=the_round, by=request.user, people=form.chosen())
    except ReminderError as error:
        messages.error(request, str(error))
        return redirect("skills:round_detail", pk=the_round.pk)
    messages.success(
        request,
        _(
            "Reminders: %(emailed)s by e-mail, %(listed)s on the list below; "
            "%(already)s had already been reminded today."
        )
        % {
            "emailed": len(batch.emailed),
            "listed": len(batch.listed),
            "already": len(batch.already),
        },
    )
    if batch.failed:
        messages.error(
            request,
            _("The mail to %(names)s could not be sent; try again later.")
            % {"names": ", ".join(c.person.full_name for c in batch.failed)},
        )
    url = reverse("skills:round_reminders", args=[the_round.pk])
    return redirect(f"{url}?{urlencode({'on': timezone.localdate().isoformat()})}")


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = get_round_for_user(request, pk, roles=HR)
    form = RoundEditForm(request.POST if request.method == "POST" else None, instance=the_round)
    if request.method == "POST" and form.is_valid():
        conflict = versioned_save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("The round %(round)s was saved.") % {"round": the_round})
            return redirect("skills:round_detail", pk=the_round.pk)
        form = conflict
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    close_now = None
    if the_round.is_open():
        # "Close now" sends the same form with the closing date set to yesterday.
        close_now = {
            "version": the_round.version,
            "title": the_round.title,
            "opens_on": thai.format_date_input(min(the_round.opens_on, yesterday)),
            "closes_on": thai.format_date_input(yesterday),
            "reminder_days": the_round.reminder_days,
        }
    return render(
        request,
        "skills/round_form.html",
        {"round": the_round, "form": form, "close_now": close_now},
        status=400 if form.errors else 200,
    )


# --- Results ---------------------------------------------------------------------


#: People with a gap shown per page of the results, one domain at a time: a round of
#: hundreds of people would otherwise list thousands of rows.
GAP_PAGE_SIZE = 50


def _comparison_context(request: HttpRequest, the_round: AssessmentRound) -> dict[str, object]:
    """The change against the previous round of the same framework, for the whole
    organisation or the unit or group chosen in the filter."""
    previous = services.round_previous(the_round)
    if previous is None:
        return {"previous": None}
    form = CompareScopeForm(
        request.GET or None,
        units=list(Unit.objects.filter(organization=the_round.organization).in_tree_order()),
        groups=list(PersonnelGroup.objects.filter(framework=the_round.framework).order_by("order")),
    )
    scope, chosen = form.chosen()
    comparison = services.round_compare(round=the_round, previous=previous, scope=scope)
    name = chosen.full_name if isinstance(chosen, Unit) else chosen.name if chosen else ""
    title = _("Mean score by domain against the previous round")
    if name:
        title = f"{title}: {name}"
    return {
        "previous": previous,
        "compare_form": form,
        "compare_scope": chosen,
        "comparison": comparison,
        "compare_chart": compare_chart_for(comparison, title) if comparison.comparable else "",
    }


@require_GET
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = get_round_for_user(request, pk)
    results = services.round_results(the_round)
    sections = results.gap_sections()
    wanted = request.GET.get("domain")
    shown = next(
        (s for s in sections if s["domain"].code == wanted), sections[0] if sections else None
    )
    return render(
        request,
        "skills/results.html",
        {
            "round": the_round,
            "results": results,
            **_comparison_context(request, the_round),
            "unit_heatmap": unit_gap_heatmap(results) if results.people else "",
            "group_heatmap": group_gap_heatmap(results) if results.people else "",
            # The same numbers as an HTML table, for phones (the SVG is too wide there).
            "unit_rows": unit_heatmap_rows(results),
            "group_rows": group_heatmap_rows(results),
            "distribution": results.distribution_rows(),
            "gap_sections": sections,
            "gap_domain": shown["domain"] if shown else None,
            "gap_page": Paginator(shown["people"] if shown else [], GAP_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "gap_query": urlencode({"domain": shown["domain"].code}) if shown else "",
            "levels": list(the_round.framework.levels.all()),
        },
    )


@private_response
@require_GET
def round_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = get_round_for_user(request, pk)
    data = results_workbook(round=the_round, results=services.round_results(the_round))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(results_filename(the_round))
    # Personal results: keep them out of shared caches and the browser's disk cache.
    patch_cache_control(response, private=True, no_store=True)
    return response
