"""Reminders to answer a round (skills/services/reminders.py): HR's from the round page,
by e-mail where the person has an address and on a printable list (with the account
state) for the others; the automatic ones 7 and 2 days before closing; at most one a
day per person and round; the record of every reminder on the round page."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.thai import current_fiscal_year
from skills.models import AssessmentRound, Framework, Reminder
from skills.services import ReminderError, reminder_candidates, reminders_send
from skills.tasks import send_round_reminders
from staff.accounts import account_issue
from tests.conftest import make_user
from tests.skills.conftest import assessment_make
from tests.skills.fixtures_hr import person_make

pytestmark = pytest.mark.django_db


def remind_url(the_round: AssessmentRound) -> str:
    return reverse("skills:round_remind", args=[the_round.pk])


def detail_url(the_round: AssessmentRound) -> str:
    return reverse("skills:round_detail", args=[the_round.pk])


def list_url(the_round: AssessmentRound, day: dt.date | None = None) -> str:
    url = reverse("skills:round_reminders", args=[the_round.pk])
    return f"{url}?on={day.isoformat()}" if day else url


@pytest.fixture
def people(org_a, unit_a, open_round, hr_user):
    """Who has and has not answered the open round, and how each can be reached:

    - กานดา submitted (with an address): never reminded;
    - ขจร in draft, address on the staff record: a mail;
    - คำปุ่น not started, no staff address but the login has one: a mail there;
    - งามตา not started, no address, no account: the list;
    - จันทร์ not started, no address, an activation code issued: the list;
    - ฉลอง started, then left: still counted in the round's progress, never reminded."""
    found = {
        "done": person_make(org_a, unit_a, "กานดา", email="kanda@example.go.th"),
        "draft": person_make(org_a, unit_a, "ขจร", email="khajon@example.go.th"),
        "login_mail": person_make(org_a, unit_a, "คำปุ่น"),
        "no_account": person_make(org_a, unit_a, "งามตา"),
        "code": person_make(org_a, unit_a, "จันทร์"),
        "left": person_make(org_a, unit_a, "ฉลอง", email="chalong@example.go.th"),
    }
    login = make_user("khampun", org_a, "staff", email="khampun@example.go.th")
    found["login_mail"].user = login
    found["login_mail"].save()
    account_issue(person=found["code"], by=hr_user)
    assessment_make(open_round, found["done"])
    assessment_make(open_round, found["draft"], submitted=False)
    assessment_make(open_round, found["left"], submitted=False)
    found["left"].mark_left(on=timezone.localdate(), reason="โอนย้าย")
    return found


def reminded(the_round: AssessmentRound) -> dict[str, str]:
    return {
        r.staff_member.first_name: r.channel
        for r in Reminder.objects.filter(round=the_round).select_related("staff_member")
    }


# --- HR sends ----------------------------------------------------------------------


class TestHrSends:
    def test_everyone_who_has_not_submitted_is_reminded_by_mail_or_on_the_list(
        self, hr_client, open_round, people
    ):
        response = hr_client.post(remind_url(open_round), {"everyone": "on"})
        assert response.status_code == 302
        assert reminded(open_round) == {
            "ขจร": "email",
            "คำปุ่น": "email",
            "งามตา": "list",
            "จันทร์": "list",
        }
        assert sorted(m.to[0] for m in mail.outbox) == [
            "khajon@example.go.th",
            "khampun@example.go.th",
        ]

    def test_the_reminders_are_recorded_with_who_sent_them_and_when(
        self, hr_client, hr_user, open_round, people
    ):
        hr_client.post(remind_url(open_round), {"everyone": "on"})
        rows = list(Reminder.objects.filter(round=open_round))
        assert {r.sent_by_id for r in rows} == {hr_user.pk}
        assert {r.sent_on for r in rows} == {timezone.localdate()}
        emailed = Reminder.objects.get(round=open_round, staff_member=people["login_mail"])
        assert emailed.email == "khampun@example.go.th"

    def test_only_the_ticked_people_are_reminded(self, hr_client, open_round, people):
        hr_client.post(
            remind_url(open_round),
            {"people": [people["draft"].pk, people["no_account"].pk]},
        )
        assert reminded(open_round) == {"ขจร": "email", "งามตา": "list"}
        assert [m.to for m in mail.outbox] == [["khajon@example.go.th"]]

    def test_a_ticked_person_who_has_submitted_cannot_be_chosen(
        self, hr_client, open_round, people
    ):
        response = hr_client.post(remind_url(open_round), {"people": [people["done"].pk]})
        assert response.status_code == 400
        assert Reminder.objects.count() == 0 and mail.outbox == []

    def test_nothing_ticked_shows_the_error_and_sends_nothing(self, hr_client, open_round, people):
        response = hr_client.post(remind_url(open_round), {})
        assert response.status_code == 400
        assert "ติ๊กเลือกผู้ที่จะเตือน" in response.content.decode()
        assert Reminder.objects.count() == 0 and mail.outbox == []

    def test_the_mail_is_thai_with_the_round_its_closing_day_in_be_and_the_link(
        self, hr_client, open_round, people
    ):
        hr_client.post(remind_url(open_round), {"people": [people["draft"].pk]})
        (message,) = mail.outbox
        closes = open_round.closes_on
        assert "รอบประเมินที่เปิดอยู่" in message.subject
        assert str(closes.year + 543) in message.subject
        assert f"{closes.day} " in message.body and str(closes.year + 543) in message.body
        assert "เรียน นายขจร ทดสอบ" in message.body
        assert settings.PORTAL_BASE_URL.rstrip("/") + "/skills/me/" in message.body
        assert message.from_email == settings.DEFAULT_FROM_EMAIL

    def test_someone_without_a_login_is_told_to_ask_for_a_code(self, hr_client, open_round, people):
        hr_client.post(remind_url(open_round), {"people": [people["draft"].pk]})
        assert "รหัสเปิดใช้งาน" in mail.outbox[0].body

    def test_the_mail_is_thai_when_hr_reads_the_portal_in_english(
        self, hr_client, open_round, people
    ):
        hr_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        hr_client.post(remind_url(open_round), {"people": [people["draft"].pk]})
        assert "เรียน" in mail.outbox[0].body


class TestDocuments:
    def test_sending_reminders_leaves_the_documents_current(self, hr_client, open_round, people):
        """Reminders are in no document: the organisation's data version stays."""
        organization = open_round.organization
        organization.refresh_from_db()
        before = organization.data_version
        hr_client.post(remind_url(open_round), {"everyone": "on"})
        assert Reminder.objects.count() == 4
        organization.refresh_from_db()
        assert organization.data_version == before


class TestOnceADay:
    def test_sending_again_the_same_day_reminds_nobody_twice(self, hr_client, open_round, people):
        hr_client.post(remind_url(open_round), {"everyone": "on"})
        response = hr_client.post(remind_url(open_round), {"everyone": "on"}, follow=True)
        assert len(mail.outbox) == 2
        assert Reminder.objects.filter(round=open_round).count() == 4
        assert "เตือนไปแล้ววันนี้ 4 คน" in response.content.decode()

    def test_the_next_day_they_can_be_reminded_again(self, hr_user, open_round, people):
        reminders_send(round=open_round, by=hr_user)
        tomorrow = timezone.now() + dt.timedelta(days=1)
        batch = reminders_send(round=open_round, by=hr_user, now=tomorrow)
        assert len(batch.emailed) == 2 and len(batch.listed) == 2 and batch.already == []
        assert Reminder.objects.filter(round=open_round).count() == 8

    def test_the_database_refuses_a_second_reminder_the_same_day(self, open_round, people):
        fields = {
            "round": open_round,
            "staff_member": people["no_account"],
            "channel": Reminder.Channel.LIST,
            "sent_on": timezone.localdate(),
        }
        Reminder.objects.create(**fields)
        with pytest.raises(IntegrityError), transaction.atomic():
            Reminder.objects.create(**fields)

    def test_the_same_day_in_another_round_is_another_reminder(
        self, hr_user, open_round, people, ocsc_2566
    ):
        reminders_send(round=open_round, by=hr_user, people=[people["no_account"].pk])
        other = AssessmentRound.objects.create(
            organization=open_round.organization,
            framework=ocsc_2566,
            fiscal_year=open_round.fiscal_year,
            title="รอบที่สอง",
            opens_on=open_round.opens_on,
            closes_on=open_round.closes_on,
        )
        batch = reminders_send(round=other, by=hr_user, people=[people["no_account"].pk])
        assert len(batch.listed) == 1

    def test_a_mail_that_fails_leaves_no_record_so_it_is_tried_again(
        self, hr_user, open_round, people, settings
    ):
        settings.EMAIL_BACKEND = "tests.skills.test_reminders.FailingBackend"
        batch = reminders_send(round=open_round, by=hr_user, people=[people["draft"].pk])
        assert [c.person.first_name for c in batch.failed] == ["ขจร"]
        assert Reminder.objects.count() == 0


class FailingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise OSError("the mail server is down")


class TestRoundState:
    def test_a_closed_round_sends_nothing(self, hr_client, hr_user, closed_round, people):
        with pytest.raises(ReminderError):
            reminders_send(round=closed_round, by=hr_user)
        response = hr_client.post(remind_url(closed_round), {"everyone": "on"}, follow=True)
        assert "ส่งการเตือนได้เฉพาะช่วงที่รอบเปิดอยู่" in response.content.decode()
        assert Reminder.objects.count() == 0 and mail.outbox == []

    def test_the_round_page_offers_no_reminder_once_closed(self, hr_client, closed_round, people):
        html = hr_client.get(detail_url(closed_round)).content.decode()
        assert remind_url(closed_round) not in html


# --- Access ------------------------------------------------------------------------


class TestAccess:
    def test_a_staff_member_gets_403(self, staff_client, open_round, people):
        assert staff_client.post(remind_url(open_round), {"everyone": "on"}).status_code == 403

    def test_the_executive_gets_403_only_hr_sends(self, executive_client, open_round, people):
        assert executive_client.post(remind_url(open_round), {"everyone": "on"}).status_code == 403
        assert Reminder.objects.count() == 0

    def test_the_executive_sees_no_reminder_buttons(self, executive_client, open_round, people):
        html = executive_client.get(detail_url(open_round)).content.decode()
        assert remind_url(open_round) not in html

    def test_an_outsider_gets_404(self, outsider_client, open_round, people):
        assert outsider_client.post(remind_url(open_round), {"everyone": "on"}).status_code == 404
        assert outsider_client.get(list_url(open_round)).status_code == 404

    def test_get_is_refused(self, hr_client, open_round):
        assert hr_client.get(remind_url(open_round)).status_code == 405

    def test_the_executive_reads_the_list(self, executive_client, hr_user, open_round, people):
        reminders_send(round=open_round, by=hr_user)
        assert executive_client.get(list_url(open_round)).status_code == 200


# --- What HR sees --------------------------------------------------------------------


class TestRecordsShown:
    def test_after_sending_hr_gets_the_list_with_each_persons_account_state(
        self, hr_client, open_round, people
    ):
        response = hr_client.post(remind_url(open_round), {"everyone": "on"}, follow=True)
        assert response.redirect_chain[-1][0] == list_url(open_round, timezone.localdate())
        listed = [(r.staff_member.first_name, state) for r, state in response.context["listed"]]
        assert listed == [("งามตา", "ยังไม่มีบัญชี"), ("จันทร์", "ออกรหัสเปิดใช้งานแล้ว")]
        html = response.content.decode()
        assert 'id="reminder-text"' in html and 'data-copy="reminder-text"' in html

    def test_the_text_to_paste_names_everyone_on_the_list_and_the_link(
        self, hr_client, hr_user, open_round, people
    ):
        reminders_send(round=open_round, by=hr_user)
        text = hr_client.get(list_url(open_round)).context["list_text"].splitlines()
        assert settings.PORTAL_BASE_URL.rstrip("/") + "/skills/me/" in text[0]
        assert text[1:] == ["1. นายงามตา ทดสอบ – สำนักปลัด", "2. นายจันทร์ ทดสอบ – สำนักปลัด"]

    def test_the_round_page_shows_who_was_reminded_when_and_how(
        self, hr_client, hr_user, open_round, people
    ):
        reminders_send(round=open_round, by=hr_user)
        reminders_send_automatic = reminders_send(
            round=open_round, by=None, now=timezone.now() + dt.timedelta(days=1)
        )
        assert len(reminders_send_automatic.emailed) == 2
        response = hr_client.get(detail_url(open_round))
        days = [
            (row["sent_on"], row["channel"], row["sent_by"], row["people"])
            for row in response.context["reminder_days"]
        ]
        today = timezone.localdate()
        assert days == [
            (today + dt.timedelta(days=1), "email", None, 2),
            (today, "email", hr_user.pk, 2),
            (today, "list", hr_user.pk, 2),
        ]
        html = response.content.decode()
        assert "อัตโนมัติ" in html and "สุดา ใจดี" in html
        rows = {p.first_name: c for p, _, c in response.context["waiting_rows"]}
        assert rows["งามตา"].last_reminded_on == today
        assert rows["ฉลอง"] is None  # has left: not reminded

    def test_the_days_list_names_the_people_mailed(self, hr_client, hr_user, open_round, people):
        reminders_send(round=open_round, by=hr_user)
        response = hr_client.get(list_url(open_round, timezone.localdate()))
        assert [r.email for r in response.context["emailed"]] == [
            "khajon@example.go.th",
            "khampun@example.go.th",
        ]

    def test_a_day_without_reminders_says_so(self, hr_client, open_round, people):
        response = hr_client.get(list_url(open_round) + "?on=not-a-day")
        assert response.status_code == 200
        assert response.context["day"] == timezone.localdate()
        assert response.context["listed"] == []


class TestQueryCounts:
    def _count(self, client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def _people(self, org_a, unit_a, count: int, start: int) -> None:
        for n in range(count):
            person_make(org_a, unit_a, f"คนที่{start + n:03d}")

    def test_the_round_page_and_the_list_do_not_grow_with_the_reminders(
        self, hr_client, hr_user, org_a, unit_a, open_round
    ):
        self._people(org_a, unit_a, 3, 0)
        # At 9 and 10 in the morning: an hour later must still be the same day.
        nine = moment(timezone.localdate(), 9)
        with time_machine.travel(nine, tick=False):
            hr_client.force_login(hr_user)  # a session of that morning, not of now
            reminders_send(round=open_round, by=hr_user)
            few = (
                self._count(hr_client, detail_url(open_round)),
                self._count(hr_client, list_url(open_round)),
            )
        self._people(org_a, unit_a, 30, 100)
        with time_machine.travel(nine + dt.timedelta(hours=1), tick=False):
            hr_client.force_login(hr_user)
            reminders_send(round=open_round, by=hr_user)
            many = (
                self._count(hr_client, detail_url(open_round)),
                self._count(hr_client, list_url(open_round)),
            )
        assert Reminder.objects.count() == 33
        assert many == few


# --- The automatic schedule -------------------------------------------------------------

CLOSES_ON = dt.date(2026, 11, 30)


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def november_round(org_a, ocsc_2561) -> AssessmentRound:
    return AssessmentRound.objects.create(
        organization=org_a,
        framework=ocsc_2561,
        fiscal_year=current_fiscal_year(CLOSES_ON),
        title="รอบพฤศจิกายน",
        opens_on=dt.date(2026, 11, 1),
        closes_on=CLOSES_ON,
    )


@pytest.fixture
def november_people(org_a, unit_a, november_round):
    return {
        "mail": person_make(org_a, unit_a, "ขจร", email="khajon@example.go.th"),
        "none": person_make(org_a, unit_a, "งามตา"),
    }


def run_schedule(day: dt.date, hour: int = 9) -> None:
    with time_machine.travel(moment(day, hour), tick=False):
        call_command("send_due_reminders", stdout=io.StringIO())


class TestSchedule:
    def test_the_default_days_are_7_and_2(self, november_round):
        assert november_round.reminder_day_list == [7, 2]
        assert november_round.reminder_dates() == [dt.date(2026, 11, 23), dt.date(2026, 11, 28)]

    def test_mails_go_out_7_and_2_days_before_closing_and_on_no_other_day(
        self, november_round, november_people
    ):
        for day in range(1, 31):
            run_schedule(dt.date(2026, 11, day))
        sent = sorted(Reminder.objects.values_list("sent_on", "channel", "sent_by"))
        assert sent == [
            (dt.date(2026, 11, 23), "email", None),
            (dt.date(2026, 11, 28), "email", None),
        ]
        assert len(mail.outbox) == 2

    def test_the_command_says_how_many_rounds_were_due(self, november_round, november_people):
        out = io.StringIO()
        with time_machine.travel(moment(dt.date(2026, 11, 28)), tick=False):
            call_command("send_due_reminders", stdout=out)
        assert out.getvalue().strip() == "1 round(s) with reminders due on 2026-11-28."

    def test_running_twice_on_the_day_reminds_nobody_twice(self, november_round, november_people):
        run_schedule(dt.date(2026, 11, 23), 9)
        run_schedule(dt.date(2026, 11, 23), 15)
        assert Reminder.objects.count() == 1 and len(mail.outbox) == 1

    def test_someone_hr_reminded_that_morning_gets_no_second_mail(
        self, hr_user, november_round, november_people
    ):
        with time_machine.travel(moment(dt.date(2026, 11, 23), 8), tick=False):
            reminders_send(round=november_round, by=hr_user)
        run_schedule(dt.date(2026, 11, 23), 9)
        assert len(mail.outbox) == 1
        assert Reminder.objects.filter(sent_by=None).count() == 0

    def test_people_without_an_address_are_left_to_hr(self, november_round, november_people):
        run_schedule(dt.date(2026, 11, 23))
        assert reminded(november_round) == {"ขจร": "email"}

    def test_those_who_submitted_meanwhile_are_not_reminded(self, november_round, november_people):
        run_schedule(dt.date(2026, 11, 23))
        with time_machine.travel(moment(dt.date(2026, 11, 25)), tick=False):
            assessment_make(november_round, november_people["mail"])
        run_schedule(dt.date(2026, 11, 28))
        assert len(mail.outbox) == 1

    def test_the_days_are_a_setting_of_the_round(self, november_round, november_people):
        november_round.reminder_days = "3"
        november_round.save()
        for day in (23, 27, 28):
            run_schedule(dt.date(2026, 11, day))
        assert list(Reminder.objects.values_list("sent_on", flat=True)) == [dt.date(2026, 11, 27)]

    def test_no_days_means_no_automatic_reminders(self, november_round, november_people):
        november_round.reminder_days = ""
        november_round.save()
        run_schedule(dt.date(2026, 11, 23))
        assert Reminder.objects.count() == 0

    def test_another_organisations_round_has_its_own_days(
        self, november_round, november_people, org_b, ocsc_2561
    ):
        AssessmentRound.objects.create(
            organization=org_b,
            framework=ocsc_2561,
            fiscal_year=november_round.fiscal_year,
            opens_on=dt.date(2026, 11, 1),
            closes_on=dt.date(2026, 11, 25),
        )
        with time_machine.travel(moment(dt.date(2026, 11, 23)), tick=False):
            from skills.services import rounds_due_for_reminders

            assert {r.organization_id for r in rounds_due_for_reminders()} == {
                november_round.organization_id,
                org_b.pk,
            }

    def test_a_day_the_job_did_not_run_is_made_up_at_its_next_run_and_only_then(
        self, november_round, november_people
    ):
        for day in (24, 25, 26):  # the machine was off on the 23rd
            run_schedule(dt.date(2026, 11, day))
        assert list(Reminder.objects.values_list("sent_on", flat=True)) == [dt.date(2026, 11, 24)]
        run_schedule(dt.date(2026, 11, 28))
        assert len(mail.outbox) == 2

    def test_a_reminder_from_hr_since_the_day_counts_for_the_schedule(
        self, hr_user, november_round, november_people
    ):
        with time_machine.travel(moment(dt.date(2026, 11, 23), 8), tick=False):
            reminders_send(round=november_round, by=hr_user)
        for day in (23, 24, 25):
            run_schedule(dt.date(2026, 11, day))
        assert len(mail.outbox) == 1
        assert Reminder.objects.filter(sent_by=None).count() == 0

    def test_a_task_run_after_its_day_sends_nothing(self, november_round, november_people):
        with time_machine.travel(moment(dt.date(2026, 11, 24)), tick=False):
            result = send_round_reminders.call(november_round.pk, "2026-11-23")
        assert result == 0 and Reminder.objects.count() == 0


class TestSetting:
    def test_hr_changes_the_days_on_the_round_form(self, hr_client, open_round):
        url = reverse("skills:round_edit", args=[open_round.pk])
        data = {
            "version": open_round.version,
            "title": open_round.title,
            "opens_on": open_round.opens_on.strftime("%d/%m/")
            + str(open_round.opens_on.year + 543),
            "closes_on": open_round.closes_on.strftime("%d/%m/")
            + str(open_round.closes_on.year + 543),
            "reminder_days": "10, 3, 1",
        }
        assert hr_client.post(url, data).status_code == 302
        open_round.refresh_from_db()
        assert open_round.reminder_day_list == [10, 3, 1]

    def test_days_that_are_not_numbers_are_refused(self, hr_client, open_round):
        url = reverse("skills:round_edit", args=[open_round.pk])
        response = hr_client.post(
            url,
            {
                "version": open_round.version,
                "title": open_round.title,
                "opens_on": open_round.opens_on.strftime("%d/%m/%Y"),
                "closes_on": open_round.closes_on.strftime("%d/%m/%Y"),
                "reminder_days": "7, สอง",
            },
        )
        assert response.status_code == 400
        assert "จำนวนวันเป็นตัวเลข" in response.content.decode()
        open_round.refresh_from_db()
        assert open_round.reminder_days == "7, 2"

    def test_closing_now_keeps_the_days(self, hr_client, open_round):
        html = hr_client.get(reverse("skills:round_edit", args=[open_round.pk])).content.decode()
        assert 'name="reminder_days" value="7, 2"' in html


def test_candidates_cost_the_same_queries_for_few_and_many(org_a, unit_a, open_round):
    person_make(org_a, unit_a, "หนึ่ง")
    with CaptureQueriesContext(connection) as few:
        reminder_candidates(open_round)
    for n in range(20):
        person_make(org_a, unit_a, f"คน{n}", email=f"p{n}@example.go.th")
    with CaptureQueriesContext(connection) as many:
        assert len(reminder_candidates(open_round)) == 21
    assert len(many) == len(few)


# --- In production: the command queues, the worker process mails --------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_mails_the_reminders_the_command_queued(org_a, unit_a, settings):
    if connection.vendor != "postgresql":
        pytest.skip("The production queue runs on PostgreSQL; SQLite runs tasks inline.")
    from tests.plans.test_document_worker import database_url
    from tests.skills.conftest import frameworks_ensure, round_make

    frameworks_ensure()
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "documents", "reminders"],
        }
    }
    the_round = round_make(
        org_a,
        Framework.objects.get(code="ocsc-2561"),
        opens_in_days=-10,
        closes_in_days=2,
    )
    person_make(org_a, unit_a, "ขจร", email="khajon@example.go.th")
    call_command("send_due_reminders", stdout=io.StringIO())
    assert Reminder.objects.count() == 0  # queued, not sent

    finished = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "document_worker",
            "--batch",
            "--no-startup-delay",
            # No --queue-name: the worker takes the reminders queue by default.
        ],
        cwd=Path(settings.BASE_DIR),
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "database",
            "EMAIL_URL": "consolemail://",
            "DEBUG": "1",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    assert "To: khajon@example.go.th" in finished.stdout
    (reminder,) = Reminder.objects.filter(round=the_round)
    assert (reminder.channel, reminder.sent_by) == ("email", None)
