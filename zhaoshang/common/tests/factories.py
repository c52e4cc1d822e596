"""factory_boy base for factories that build through the services, so test data carries history and an actor."""

from __future__ import annotations

from typing import Any

import factory


class ServiceFactory(factory.Factory):
    """`service` is the write a factory calls; the rows it makes are the rows the application would make."""

    class Meta:
        abstract = True

    @classmethod
    def service(cls, **kwargs: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        return cls.service(**kwargs)

    @classmethod
    def _build(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("build() is not supported: these factories save through the services")
