"""A user belongs to one unit or to the city bureau, and holds one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市局管理员"
    UNIT_STAFF = "unit_staff", "招商主体工作人员"
    LEADER = "leader", "领导（只读）"
    AUDITOR = "auditor", "审计（只读，可查全部变更）"
    VERIFIER = "verifier", "认定员（审核各单位填报）"


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=32, blank=True)
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.LEADER)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="所属招商主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="留空表示市商务局",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def affiliation(self) -> str:
        return self.unit.name if self.unit_id and self.unit else "市商务局"
