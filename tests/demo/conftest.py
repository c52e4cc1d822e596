"""The whole demo, built once for every module in this package and emptied after the last of them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from zhaoshang.demo.builder import build_demo


def reseed_countries() -> None:
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.projects.countries import COUNTRIES
    from zhaoshang.projects.services import country_upsert

    system = system_actor()
    for code, name, name_en, is_hmt in COUNTRIES:
        country_upsert(code=code, name=name, name_en=name_en, is_hmt=is_hmt, actor=system)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        counts = build_demo()
    yield counts
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        reseed_countries()  # flush also empties the countries a data migration seeded; later tests need them
