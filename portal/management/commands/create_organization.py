"""``manage.py create_organization``: an organisation and its first HR account, whose
activation link is printed (or written to ``--links-out``). See portal/organizations.py."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.accounts.activation import IssuedCode, activation_link
from portal.history import command_reason, history_context
from portal.models import Organization
from portal.organizations import (
    CSV_COLUMNS,
    OrganizationRow,
    OrganizationsInvalid,
    organization_rows_from_csv,
    organizations_create,
)

SINGLE = ("slug", "name", "short_name", "district", "province")


class Command(BaseCommand):
    help = (
        "Create an organisation (or many, from a CSV file) with its first HR account, "
        "and give that account's activation link. Existing slugs are left as they are; "
        "any invalid row creates nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug")
        parser.add_argument("--name", help="Full Thai name (name_th).")
        parser.add_argument("--short-name")
        parser.add_argument(
            "--kind", default=Organization.Kind.SAO, help=", ".join(Organization.Kind.values)
        )
        parser.add_argument("--district")
        parser.add_argument("--province")
        parser.add_argument("--hr-username", default="", help="Default: hr.<slug>.")
        parser.add_argument(
            "--hr-first-name",
            default="",
            help="The HR officer's first name (Thai), printed where they sign; optional.",
        )
        parser.add_argument("--hr-last-name", default="", help="The HR officer's last name.")
        parser.add_argument(
            "--from-csv",
            type=Path,
            help=f"UTF-8 CSV with the columns {','.join(CSV_COLUMNS)} (and optionally "
            "hr_username, hr_first_name, hr_last_name).",
        )
        parser.add_argument(
            "--links-out",
            type=Path,
            help="Write the HR accounts' activation links to this CSV file (readable by "
            "its owner only) instead of printing them.",
        )

    def _rows(self, options: dict) -> list[OrganizationRow]:
        if options["from_csv"]:
            try:
                return organization_rows_from_csv(options["from_csv"].read_bytes())
            except OSError as error:
                raise CommandError(f"Cannot read {options['from_csv']}: {error}") from error
        missing = [f"--{name.replace('_', '-')}" for name in SINGLE if not options[name]]
        if missing:
            raise CommandError(f"Missing: {' '.join(missing)} (or give --from-csv FILE).")
        return [
            OrganizationRow(
                line=1,
                slug=options["slug"],
                name_th=options["name"],
                short_name=options["short_name"],
                kind=options["kind"],
                district=options["district"],
                province=options["province"],
                hr_username=options["hr_username"],
                hr_first_name=options["hr_first_name"],
                hr_last_name=options["hr_last_name"],
            )
        ]

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        try:
            with history_context(reason=command_reason("create_organization")):
                result = organizations_create(rows=self._rows(options))
        except OrganizationsInvalid as invalid:
            for line, message in invalid.errors:
                self.stderr.write(f"line {line}: {message}" if line else message)
            raise CommandError(
                f"{len(invalid.errors)} problem(s); nothing was created. Correct the rows "
                "and run the command again."
            ) from invalid
        seconds = time.monotonic() - started
        for row in result.existing:
            self.stdout.write(f"exists, left as it is: {row.slug}")
        if options["links_out"]:
            self._write_links(options["links_out"], result.created)
        else:
            for issued in result.created:
                self.stdout.write(self._line(issued))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} created, {len(result.existing)} already there "
                f"({seconds:.1f} s)."
            )
        )

    @staticmethod
    def _line(issued: IssuedCode) -> str:
        link = activation_link(code=issued.code, username=issued.user.get_username())
        return (
            f"{issued.organization.slug}: HR account {issued.user.get_username()}, "
            f"activation link (valid until {issued.expires_at:%Y-%m-%d}): {link}"
        )

    def _write_links(self, path: Path, created: list[IssuedCode]) -> None:
        # The codes open accounts: the file is created readable by its owner only.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["slug", "name_th", "username", "code", "expires_at", "link"])
            for issued in created:
                username = issued.user.get_username()
                writer.writerow(
                    [
                        issued.organization.slug,
                        issued.organization.name_th,
                        username,
                        issued.code,
                        issued.expires_at.date().isoformat(),
                        activation_link(code=issued.code, username=username),
                    ]
                )
        self.stdout.write(f"Activation links written to {path}.")
