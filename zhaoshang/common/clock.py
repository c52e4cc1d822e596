""" "Today" for business rules: the configured as-of date (demo, look-backs) or the local date in Shanghai."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    from zhaoshang.common.models import SiteConfig

    as_of = SiteConfig.objects.filter(pk=1).values_list("as_of_date", flat=True).first()
    return as_of or timezone.localdate()
