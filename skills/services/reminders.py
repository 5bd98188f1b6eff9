"""Reminders to answer a round: HR's (to everyone who has not submitted, or a
selection) and the automatic ones a number of days before the round closes
(``AssessmentRound.reminder_days``, run by ``manage.py send_due_reminders`` through the
task worker).

A person with an e-mail address (their staff record's, else their login's) gets a mail;
everyone else goes on the list HR prints or pastes into a chat. Each reminder is a
:class:`~skills.models.Reminder` row, and a person is reminded at most once a day in a
round: the row is written first (the database refuses a second one that day) and the
mail is sent inside the same savepoint, so a mail that fails leaves no row and is tried
again next time, and two officers pressing the button at once remind nobody twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import thai
from skills.models import Assessment, AssessmentRound, Reminder
from staff.accounts import AccountState, with_account_state
from staff.models import StaffMember

logger = logging.getLogger(__name__)

#: The language of the mails: the staff's, whatever the sender's screen shows.
MAIL_LANGUAGE = "th"


class ReminderError(Exception):
    """A reminder that cannot be sent now (the round is not open)."""


@dataclass(frozen=True)
class ReminderCandidate:
    """A working person who has not submitted the round yet."""

    person: StaffMember
    status: str  # Assessment.Status.DRAFT or "" (not started)
    email: str
    account_state: str
    last_reminded_on: dt.date | None

    @property
    def account_state_label(self) -> str:
        return AccountState(self.account_state).label


@dataclass
class ReminderBatch:
    """What one sending did: who got a mail, who is on the list, who had already been
    reminded that day and whose mail failed."""

    emailed: list[ReminderCandidate] = field(default_factory=list)
    listed: list[ReminderCandidate] = field(default_factory=list)
    already: list[ReminderCandidate] = field(default_factory=list)
    failed: list[ReminderCandidate] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.emailed) + len(self.listed)


def reminder_candidates(round: AssessmentRound) -> list[ReminderCandidate]:
    """Everyone still working who has not submitted ``round``, in Thai name order, with
    their address, account state and the last day they were reminded — three queries
    whatever the number of people."""
    people = with_account_state(
        StaffMember.objects.active()
        .filter(organization_id=round.organization_id)
        .exclude(
            pk__in=Assessment.objects.submitted().filter(round=round).values("staff_member_id")
        )
        .select_related("unit", "unit__parent", "user")
    ).in_thai_order()
    drafts = set(
        Assessment.objects.filter(round=round, status=Assessment.Status.DRAFT).values_list(
            "staff_member_id", flat=True
        )
    )
    last = dict(
        Reminder.objects.filter(round=round)
        .values("staff_member_id")
        .annotate(last=Max("sent_on"))
        .values_list("staff_member_id", "last")
    )
    return [
        ReminderCandidate(
            person=person,
            status=Assessment.Status.DRAFT if person.pk in drafts else "",
            email=reminder_address(person),
            account_state=person.account_state,
            last_reminded_on=last.get(person.pk),
        )
        for person in people
    ]


def reminder_address(person: StaffMember) -> str:
    """Where a person's reminder is mailed: the staff record's address, else the
    login's; empty when neither has one."""
    if person.email:
        return person.email
    return person.user.email if person.user_id and person.user.email else ""


def reminder_link() -> str:
    """The absolute address of "my self-assessment" (from PORTAL_BASE_URL, as in the
    password-reset mails: a worker has no request to take the host from)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("skills:me")


def reminder_message(
    *, round: AssessmentRound, candidate: ReminderCandidate, connection=None
) -> mail.EmailMessage:
    """The reminder mail to one person, in Thai."""
    with translation.override(MAIL_LANGUAGE):
        context = {
            "person": candidate.person,
            "round": round,
            "closes_on": thai.date_long(round.closes_on, thai_digits=False),
            "link": reminder_link(),
            "has_login": candidate.account_state == AccountState.ACTIVE,
            "organization": round.organization,
        }
        subject = _("Reminder: %(round)s closes on %(date)s") % {
            "round": round,
            "date": context["closes_on"],
        }
        body = render_to_string("skills/reminder_email.txt", context)
    return mail.EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[candidate.email],
        connection=connection,
    )


def reminder_list_text(*, round: AssessmentRound, candidates: list[ReminderCandidate]) -> str:
    """The reminder for the people on the list, one line each, to paste into a chat."""
    lines = [
        _("Reminder: please answer %(round)s by %(date)s at %(link)s")
        % {
            "round": round,
            "date": thai.date_long(round.closes_on, thai_digits=False),
            "link": reminder_link(),
        }
    ]
    for index, candidate in enumerate(candidates, start=1):
        lines.append(f"{index}. {candidate.person.full_name} – {candidate.person.unit.full_name}")
    return "\n".join(lines)


def reminders_send(
    *,
    round: AssessmentRound,
    by: AbstractBaseUser | None,
    people: list[int] | None = None,
    now: dt.datetime | None = None,
    not_reminded_since: dt.date | None = None,
) -> ReminderBatch:
    """Remind everyone who has not submitted ``round`` (only ``people``, ids, when
    given) and has not been reminded in it today (nor since ``not_reminded_since``): a
    mail to those with an address, the list for the others. ``by`` None is the
    automatic schedule, which only mails: nobody would hand its list round."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = min(not_reminded_since or today, today)
    if not round.is_open(today):
        raise ReminderError(_("Reminders can only be sent while the round is open."))
    candidates = reminder_candidates(round)
    if people is not None:
        wanted = set(people)
        candidates = [c for c in candidates if c.person.pk in wanted]
    batch = ReminderBatch()
    with mail.get_connection() as connection:
        for candidate in candidates:
            if candidate.last_reminded_on and candidate.last_reminded_on >= since:
                batch.already.append(candidate)
                continue
            if not candidate.email and by is None:
                continue
            channel = Reminder.Channel.EMAIL if candidate.email else Reminder.Channel.LIST
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        round=round,
                        staff_member=candidate.person,
                        channel=channel,
                        email=candidate.email,
                        sent_by=by,
                        sent_at=now,
                        sent_on=today,
                    )
                    if channel == Reminder.Channel.EMAIL:
                        reminder_message(
                            round=round, candidate=candidate, connection=connection
                        ).send()
            except IntegrityError:
                # Someone else reminded them a moment ago.
                batch.already.append(candidate)
                continue
            except Exception:
                logger.exception("Reminder mail to staff member %s failed", candidate.person.pk)
                batch.failed.append(candidate)
                continue
            (batch.emailed if channel == Reminder.Channel.EMAIL else batch.listed).append(candidate)
    return batch


def rounds_due_for_reminders(*, today: dt.date | None = None) -> list[AssessmentRound]:
    """The open rounds, of every organisation, past one of their automatic reminder
    days (whoever has not been reminded since is mailed)."""
    today = today or timezone.localdate()
    running = AssessmentRound.objects.filter(opens_on__lte=today, closes_on__gte=today).exclude(
        reminder_days=""
    )
    return [r for r in running.select_related("organization") if r.reminder_due(today)]


def reminders_send_due(*, round: AssessmentRound, now: dt.datetime | None = None) -> ReminderBatch:
    """The automatic reminder of ``round``: a mail to whoever has not been reminded
    since its latest reminder day (nothing before its first one). Safe to run any number
    of times a day; a day missed is made up at the next run."""
    now = now or timezone.now()
    day = round.reminder_day_passed(timezone.localdate(now))
    if day is None:
        return ReminderBatch()
    return reminders_send(round=round, by=None, now=now, not_reminded_since=day)
