"""Demo data for digital skills: a closed round of FY 2565 that most of the demo staff
answered, so the results and charts show something real; an earlier closed round of FY
2563 of the same framework with somewhat lower scores, so the change from one round to
the next shows (and the FY 2564–2566 plan, proposed in 2020, has a round to stand on);
and a round open now that the demo "staff" user has not answered yet, so they can try
the questionnaire.

Called by :func:`portal.demo.demo_seed` after the staff demo data; works with whatever
active staff exist (none at all included). Answers are made up but plausible for each
person's group — executives stronger in leadership and strategy, the computer officer
strong in digital technology, contract workers lower overall — and everyone is weak in
digital governance (DG), so one clear organisation-wide gap shows. Deterministic and
idempotent: every random choice is seeded by the person, and every record is keyed on a
natural key, so running the seed twice leaves the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Iterable

from django.utils import timezone

from portal.models import Organization
from portal.thai import current_fiscal_year
from skills.models import Answer, Assessment, AssessmentRound, Framework, Item
from skills.services import GroupResolver, frameworks_ensure
from staff.models import StaffMember

DEMO_USERNAME_WITHOUT_ANSWERS = "staff"
CLOSED_FY = 2565
CLOSED_OPENS = dt.date(2021, 12, 1)
CLOSED_CLOSES = dt.date(2022, 1, 31)
CLOSED_TITLE = "แบบประเมินตนเองด้านทักษะดิจิทัล ปีงบประมาณ พ.ศ. 2565"
OPEN_TITLE = "แบบประเมินตนเองด้านทักษะดิจิทัล ปีงบประมาณ พ.ศ. {fy}"
PREVIOUS_FY = 2563
PREVIOUS_OPENS = dt.date(2019, 12, 2)
PREVIOUS_CLOSES = dt.date(2020, 1, 31)
PREVIOUS_TITLE = "แบบประเมินตนเองด้านทักษะดิจิทัล ปีงบประมาณ พ.ศ. 2563"
PREVIOUS_SHARE = 0.70
#: How much lower everyone stood in FY 2563, in levels, before their own spread.
PREVIOUS_SHIFT = -0.5
SUBMITTED_SHARE = 0.80
DRAFT_SHARE = 0.05
OPEN_SUBMITTED = 6
OPEN_DRAFTS = 2

#: The typical level of each group in each domain of ocsc-2561 (DL DT DG DPSD SPM LEAD),
#: before each person's own spread. DG sits well under every target on purpose.
PROFILES: dict[str, dict[str, float]] = {
    "EXEC": {"DL": 2.4, "DT": 2.0, "DG": 1.2, "DPSD": 2.0, "SPM": 2.8, "LEAD": 3.0},
    "MGMT": {"DL": 2.6, "DT": 1.9, "DG": 1.2, "DPSD": 2.3, "SPM": 2.7, "LEAD": 2.5},
    "ACAD": {"DL": 2.8, "DT": 2.2, "DG": 0.9, "DPSD": 2.2, "SPM": 1.8, "LEAD": 1.0},
    "SERV": {"DL": 2.4, "DT": 1.6, "DG": 0.7, "DPSD": 1.5, "SPM": 0.9, "LEAD": 0.6},
    "OTHER": {"DL": 1.2, "DT": 0.6, "DG": 0.2, "DPSD": 0.4, "SPM": 0.2, "LEAD": 0.1},
    "TECH": {"DL": 3.8, "DT": 3.7, "DG": 2.0, "DPSD": 3.0, "SPM": 2.2, "LEAD": 1.6},
    "CIO": {"DL": 3.2, "DT": 3.0, "DG": 2.4, "DPSD": 2.8, "SPM": 3.2, "LEAD": 3.2},
}


def _rng(person: StaffMember, salt: str) -> random.Random:
    """A generator of its own for each person, so adding someone changes no one else."""
    return random.Random(zlib.crc32(f"{salt}:{person.citizen_id}".encode()))


def _levels(
    person: StaffMember, group_code: str, items: list[Item], salt: str, shift: float = 0.0
) -> dict[int, int]:
    rng = _rng(person, salt)
    profile = PROFILES.get(group_code, PROFILES["OTHER"])
    # One person is a little stronger or weaker across the board than their group.
    own = rng.uniform(-0.6, 0.6) + shift
    levels = {}
    for item in items:
        value = profile.get(item.domain.code, 1.0) + own + rng.uniform(-0.8, 0.8)
        levels[item.pk] = max(0, min(4, round(value)))
    return levels


def _answers_seed(assessment: Assessment, levels: dict[int, int]) -> None:
    existing = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    Answer.objects.filter(assessment=assessment).exclude(item_id__in=levels).delete()
    new, changed = [], []
    for item_id, level in levels.items():
        answer = existing.get(item_id)
        if answer is None:
            new.append(Answer(assessment=assessment, item_id=item_id, level=level))
        elif answer.level != level:
            answer.level = level
            changed.append(answer)
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(changed, ["level"])


def _round_seed(
    organization: Organization,
    framework: Framework,
    *,
    fiscal_year: int,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
) -> AssessmentRound:
    the_round, _ = AssessmentRound.objects.update_or_create(
        organization=organization,
        framework=framework,
        fiscal_year=fiscal_year,
        defaults={"title": title, "opens_on": opens_on, "closes_on": closes_on},
    )
    return the_round


def _assessments_seed(
    the_round: AssessmentRound,
    *,
    submitted: Iterable[StaffMember],
    drafts: Iterable[StaffMember],
    submitted_at: dt.datetime,
    shift: float = 0.0,
) -> None:
    resolver = GroupResolver.load(
        organization=the_round.organization, framework=the_round.framework
    )
    items = list(
        Item.objects.filter(domain__framework=the_round.framework)
        .select_related("domain")
        .order_by("domain__order", "order")
    )
    keep = []
    plan = [(person, True) for person in submitted] + [(person, False) for person in drafts]
    for person, is_submitted in plan:
        group = resolver.group_of(person)
        assessment, _ = Assessment.objects.update_or_create(
            round=the_round,
            staff_member=person,
            defaults={
                "group": group,
                "status": Assessment.Status.SUBMITTED if is_submitted else Assessment.Status.DRAFT,
                "submitted_at": submitted_at if is_submitted else None,
            },
        )
        levels = _levels(person, group.code, items, salt=str(the_round.fiscal_year), shift=shift)
        if not is_submitted:
            # A draft: the person stopped somewhere in the middle.
            stop = _rng(person, "draft").randint(1, max(1, len(items) - 2))
            levels = dict(list(levels.items())[:stop])
        _answers_seed(assessment, levels)
        keep.append(assessment.pk)
    Assessment.objects.filter(round=the_round).exclude(pk__in=keep).delete()


def _share(people: list[StaffMember], share: float) -> int:
    return round(len(people) * share)


def seed(organization: Organization) -> None:
    # After a database flush (transactional tests) the migration's reference data is gone.
    frameworks_ensure()
    framework = Framework.objects.get(code="ocsc-2561")
    # The same order on every run and database: by citizen ID, then a seeded shuffle.
    people = list(
        StaffMember.objects.filter(organization=organization, is_active=True)
        .select_related("user")
        .order_by("citizen_id")
    )
    random.Random(2565).shuffle(people)

    previous = _round_seed(
        organization,
        framework,
        fiscal_year=PREVIOUS_FY,
        title=PREVIOUS_TITLE,
        opens_on=PREVIOUS_OPENS,
        closes_on=PREVIOUS_CLOSES,
    )
    _assessments_seed(
        previous,
        submitted=people[: _share(people, PREVIOUS_SHARE)],
        drafts=[],
        submitted_at=timezone.make_aware(dt.datetime(2020, 1, 24, 10, 0)),
        shift=PREVIOUS_SHIFT,
    )

    closed = _round_seed(
        organization,
        framework,
        fiscal_year=CLOSED_FY,
        title=CLOSED_TITLE,
        opens_on=CLOSED_OPENS,
        closes_on=CLOSED_CLOSES,
    )
    submitted_count = _share(people, SUBMITTED_SHARE)
    draft_count = max(1, _share(people, DRAFT_SHARE)) if len(people) > submitted_count else 0
    submitted_at = timezone.make_aware(dt.datetime(2022, 1, 20, 10, 0))
    _assessments_seed(
        closed,
        submitted=people[:submitted_count],
        drafts=people[submitted_count : submitted_count + draft_count],
        submitted_at=submitted_at,
    )

    today = timezone.localdate()
    fiscal_year = current_fiscal_year(today)
    current = _round_seed(
        organization,
        framework,
        fiscal_year=fiscal_year,
        title=OPEN_TITLE.format(fy=fiscal_year),
        opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=30),
    )
    # The demo staff member's own questionnaire stays untouched, to be filled in a demo.
    others = [
        p for p in people if not (p.user_id and p.user.username == DEMO_USERNAME_WITHOUT_ANSWERS)
    ]
    _assessments_seed(
        current,
        submitted=others[:OPEN_SUBMITTED],
        drafts=others[OPEN_SUBMITTED : OPEN_SUBMITTED + OPEN_DRAFTS],
        submitted_at=timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9))
        ),
    )
