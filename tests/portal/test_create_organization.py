"""``manage.py create_organization``: one organisation or many from a CSV file, each
with its first HR account and an activation link; idempotent, all or nothing."""

from __future__ import annotations

import csv
import io
import re
import stat
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from portal.accounts.activation import code_activate
from portal.accounts.models import ActivationCode
from portal.models import Membership, Organization, Role

HEADER = "slug,name_th,short_name,kind,district,province\n"
PASSWORD = "ต้นไม้-ริมน้ำ-2567"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_organization", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def link_of(output: str) -> dict[str, str]:
    link = re.search(r"https?://\S+", output)[0]
    query = parse_qs(urlsplit(link).query)
    return {"username": query["u"][0], "code": query["code"][0], "path": urlsplit(link).path}


def single(**overrides: str) -> list[str]:
    values = {
        "slug": "nong-bua",
        "name": "องค์การบริหารส่วนตำบลหนองบัว",
        "short-name": "อบต.หนองบัว",
        "district": "เมือง",
        "province": "อุดรธานี",
        **overrides,
    }
    return [f"--{key}={value}" for key, value in values.items()]


@pytest.mark.django_db
class TestSingle:
    def test_it_makes_the_organisation_and_an_hr_account_that_activates(self):
        out, _err = run(*single())
        organization = Organization.objects.get(slug="nong-bua")
        assert organization.kind == Organization.Kind.SAO
        link = link_of(out)
        assert link["path"] == "/accounts/activate/"
        user = get_user_model().objects.get(username=link["username"])
        assert not user.has_usable_password()
        assert Membership.objects.get(user=user).role == Role.HR
        assert Membership.objects.get(user=user).organization == organization
        code_activate(username=link["username"], code=link["code"], password=PASSWORD)

    def test_the_hr_username_can_be_chosen(self):
        out, _err = run(*single(), "--hr-username=somchai.hr")
        assert link_of(out)["username"] == "somchai.hr"

    def test_the_hr_officer_can_be_named_for_the_pages_and_documents_they_sign(self):
        out, _err = run(*single(), "--hr-first-name=มาลี", "--hr-last-name=ใจดี")
        user = get_user_model().objects.get(username=link_of(out)["username"])
        assert user.get_full_name() == "มาลี ใจดี"

    def test_a_name_too_long_for_the_account_creates_nothing(self, db):
        with pytest.raises(CommandError):
            run(*single(), f"--hr-first-name={'ก' * 151}")
        assert not Organization.objects.exists()

    def test_a_missing_field_is_refused(self, db):
        with pytest.raises(CommandError):
            run("--slug=x")
        assert not Organization.objects.exists()

    def test_running_it_again_leaves_the_organisation_and_its_code_alone(self):
        run(*single())
        out, _err = run(*single(name="ชื่ออื่น"))
        assert "exists" in out
        assert Organization.objects.get().name_th == "องค์การบริหารส่วนตำบลหนองบัว"
        assert ActivationCode.objects.count() == 1


def write_csv(tmp_path, text: str, bom: bool = True):
    path = tmp_path / "orgs.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


@pytest.mark.django_db
class TestCsv:
    def test_many_at_once_with_the_links_in_a_private_file(self, tmp_path):
        path = write_csv(
            tmp_path,
            HEADER
            + "ban-a,องค์การบริหารส่วนตำบลบ้านเอ,อบต.บ้านเอ,sao,เมือง,ลำปาง\n"
            + "ban-b,เทศบาลตำบลบ้านบี,ทต.บ้านบี,เทศบาลตำบล,เกาะคา,ลำปาง\n",
        )
        links = tmp_path / "links.csv"
        out, _err = run(f"--from-csv={path}", f"--links-out={links}")
        assert "2 created" in out and "http" not in out
        assert Organization.objects.get(slug="ban-b").kind == (
            Organization.Kind.SUBDISTRICT_MUNICIPALITY
        )
        assert stat.S_IMODE(links.stat().st_mode) == 0o600
        rows = list(csv.DictReader(io.StringIO(links.read_text(encoding="utf-8-sig"))))
        assert [row["slug"] for row in rows] == ["ban-a", "ban-b"]
        assert rows[0]["username"] == "hr.ban-a"
        code_activate(username=rows[1]["username"], code=rows[1]["code"], password=PASSWORD)

    def test_the_hr_officers_names_may_be_columns_too(self, tmp_path):
        path = write_csv(
            tmp_path,
            HEADER.rstrip("\n")
            + ",hr_first_name,hr_last_name\n"
            + "ban-a,องค์การบริหารส่วนตำบลบ้านเอ,อบต.บ้านเอ,sao,เมือง,ลำปาง,สมศรี,ใจงาม\n"
            + "ban-b,องค์การบริหารส่วนตำบลบ้านบี,อบต.บ้านบี,sao,เมือง,ลำปาง,,\n",
        )
        run(f"--from-csv={path}", f"--links-out={tmp_path / 'links.csv'}")
        names = dict(
            get_user_model().objects.values_list("username", "first_name").order_by("username")
        )
        assert names == {"hr.ban-a": "สมศรี", "hr.ban-b": ""}

    def test_a_rerun_creates_only_the_new_slugs(self, tmp_path):
        first = HEADER + "ban-a,อบต.บ้านเอ เต็ม,อบต.บ้านเอ,sao,เมือง,ลำปาง\n"
        run(f"--from-csv={write_csv(tmp_path, first)}")
        second = first + "ban-c,อบต.บ้านซี เต็ม,อบต.บ้านซี,sao,เมือง,ลำปาง\n"
        out, _err = run(f"--from-csv={write_csv(tmp_path, second, bom=False)}")
        assert "1 created, 1 already there" in out
        assert Organization.objects.count() == 2
        assert Membership.objects.filter(role=Role.HR).count() == 2

    def test_bad_rows_create_nothing_and_are_all_reported_by_line(self, tmp_path):
        path = write_csv(
            tmp_path,
            HEADER
            + "ban-a,อบต.บ้านเอ เต็ม,อบต.บ้านเอ,sao,เมือง,ลำปาง\n"
            + "bad slug!,อบต.เสีย,อบต.เสีย,sao,เมือง,ลำปาง\n"
            + "ban-d,อบต.บ้านดี,อบต.บ้านดี,castle,เมือง,ลำปาง\n"
            + "ban-a,ซ้ำ,ซ้ำ,sao,เมือง,ลำปาง\n",
        )
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(CommandError):
            call_command("create_organization", f"--from-csv={path}", stdout=out, stderr=err)
        report = err.getvalue()
        for line in ("line 3:", "line 4:", "line 5:"):
            assert line in report
        assert "line 2:" not in report
        assert not Organization.objects.exists()
        assert not get_user_model().objects.exists()

    def test_a_file_without_the_columns_is_refused(self, tmp_path):
        path = write_csv(tmp_path, "slug,name\nx,y\n")
        with pytest.raises(CommandError):
            run(f"--from-csv={path}")
        assert not Organization.objects.exists()

    def test_thousands_of_rows_take_seconds(self, tmp_path, settings):
        rows = "".join(
            f"org-{n},องค์การบริหารส่วนตำบลที่ {n},อบต.ที่ {n},sao,เมือง,จังหวัด\n" for n in range(2000)
        )
        path = write_csv(tmp_path, HEADER + rows)
        started = time.monotonic()
        run(f"--from-csv={path}", f"--links-out={tmp_path / 'links.csv'}")
        assert time.monotonic() - started < 30
        assert ActivationCode.objects.live().count() == 2000
