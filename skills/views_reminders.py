"""Reminders to answer a round: HR sends them from the round page (``round_remind`` in
skills/views.py, beside the page it re-renders); HR and executives see who was reminded,
when and how, and the printable list of a day's reminders
(skills/services/reminders.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.models import Role
from skills.access import get_round_for_user
from skills.forms_hr import ReminderDayForm, RemindForm
from skills.models import AssessmentRound, Reminder
from skills.services import ReminderCandidate, reminder_candidates, reminder_list_text
from staff.accounts import AccountState, with_account_state
from staff.models import StaffMember


def reminder_context(
    request: HttpRequest,
    the_round: AssessmentRound,
    *,
    waiting: list[tuple[StaffMember, str]],
    form: RemindForm | None = None,
) -> dict:
    """What the round page shows of reminders: beside each person who has not
    submitted (``waiting``) how they are reminded and when they last were (None for
    someone who has left), HR's form, and the days reminders went out."""
    candidates = reminder_candidates(the_round)
    by_person = {c.person.pk: c for c in candidates}
    is_hr = request.membership.role == Role.HR
    can_remind = is_hr and the_round.is_open() and bool(candidates)
    if can_remind and form is None:
        form = RemindForm(candidates=candidates)
    days = (
        Reminder.objects.filter(round=the_round)
        .values("sent_on", "channel", "sent_by__first_name", "sent_by__last_name", "sent_by")
        .annotate(people=Count("pk"))
        .order_by("-sent_on", "channel", "sent_by")
    )
    return {
        "waiting_rows": [(person, status, by_person.get(person.pk)) for person, status in waiting],
        "without_email": sum(1 for c in candidates if not c.email),
        "remind_form": form if can_remind else None,
        "reminder_days": list(days),
        "today": timezone.localdate(),
    }


@require_GET
def round_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """The reminders of one day (today unless ``?on=``): the printable list of the
    people to remind by hand, with their account state, the text to paste into a chat,
    and who was mailed."""
    the_round = get_round_for_user(request, pk)
    day_form = ReminderDayForm(request.GET)
    day: dt.date = (
        day_form.cleaned_data["on"] if day_form.is_valid() and day_form.cleaned_data["on"] else None
    ) or timezone.localdate()
    reminders = list(
        Reminder.objects.filter(round=the_round, sent_on=day)
        .for_listing()
        # In the order they were written: each sending in Thai name order.
        .order_by("sent_at", "pk")
    )
    states = dict(
        with_account_state(
            StaffMember.objects.filter(pk__in=[r.staff_member_id for r in reminders])
        ).values_list("pk", "account_state")
    )
    listed = [r for r in reminders if r.channel == Reminder.Channel.LIST]
    rows = [
        (reminder, AccountState(states.get(reminder.staff_member_id, AccountState.NONE)).label)
        for reminder in listed
    ]
    text = reminder_list_text(
        round=the_round,
        candidates=[
            ReminderCandidate(r.staff_member, "", "", states.get(r.staff_member_id, ""), day)
            for r in listed
        ],
    )
    return render(
        request,
        "skills/round_reminders.html",
        {
            "round": the_round,
            "day": day,
            "listed": rows,
            "emailed": [r for r in reminders if r.channel == Reminder.Channel.EMAIL],
            "list_text": text,
        },
    )
