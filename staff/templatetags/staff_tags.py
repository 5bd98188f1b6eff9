import datetime as dt

from django import template

from staff.models import StaffMember

register = template.Library()


@register.filter
def is_newcomer(person: StaffMember, today: dt.date | None = None) -> bool:
    return person.is_newcomer(today)
