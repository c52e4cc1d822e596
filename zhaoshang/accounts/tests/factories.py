"""Users of every role, created through `user_create` by the system actor."""

from __future__ import annotations

from typing import Any

import factory

from zhaoshang.accounts.models import Role, User
from zhaoshang.accounts.services import system_actor, user_create
from zhaoshang.common.tests.factories import ServiceFactory


class UserFactory(ServiceFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = "x"
    full_name = factory.LazyAttribute(lambda o: f"用户{o.username}")
    role = Role.LEADER
    unit = None

    @classmethod
    def service(cls, **kwargs: Any) -> User:
        return user_create(**kwargs, actor=system_actor())
