"""Thai order in the database itself, on whichever backend the suite runs."""

from django.contrib.auth import get_user_model

from portal.thai import thai_collate


def test_the_database_sorts_names_in_thai_dictionary_order(db):
    expected = ["กมล", "เกษม", "แก้ว", "โกมล", "ไก่", "ขวัญ"]
    for i, name in enumerate(reversed(expected)):
        get_user_model().objects.create(username=f"u{i}", first_name=name)
    ordered = get_user_model().objects.order_by(thai_collate("first_name"))
    assert [user.first_name for user in ordered] == expected
