"""Passwords are hashed with Argon2id at the measured setting (bench/password_hash.py);
a PBKDF2 hash from before still logs in and is rewritten with Argon2 at that login."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password
from django.test import Client

from portal.hashers import PortalArgon2PasswordHasher
from tests.conftest import PASSWORD

REAL_HASHERS = django_settings.PASSWORD_HASHERS  # before the tests' fast MD5 override


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS


def test_argon2id_comes_first_and_pbkdf2_only_after_it():
    assert REAL_HASHERS[0] == "portal.hashers.PortalArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in REAL_HASHERS[1:]


def test_the_setting_is_the_measured_one_not_djangos_default():
    hasher = PortalArgon2PasswordHasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (1, 47_104, 1)
    assert hasher.algorithm == "argon2"  # hashes Django wrote with its own class still verify


def test_a_new_password_is_hashed_with_argon2id(real_hashers, staff_user):
    staff_user.set_password("ลืมไม่ได้-2569")
    staff_user.save()
    assert staff_user.password.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert staff_user.check_password("ลืมไม่ได้-2569")


def test_an_old_pbkdf2_hash_logs_in_and_is_upgraded_to_argon2(real_hashers, staff_user):
    staff_user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    staff_user.save(update_fields=["password"])

    response = Client().post("/accounts/login/", {"username": "staff_a", "password": PASSWORD})

    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert identify_hasher(staff_user.password).algorithm == "argon2"
    assert not get_hasher("argon2").must_update(staff_user.password)
    assert Client().login(username="staff_a", password=PASSWORD)


def test_a_wrong_password_does_not_touch_the_old_hash(real_hashers, staff_user):
    staff_user.password = old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    staff_user.save(update_fields=["password"])

    Client().post("/accounts/login/", {"username": "staff_a", "password": "ผิด"})

    staff_user.refresh_from_db()
    assert staff_user.password == old
