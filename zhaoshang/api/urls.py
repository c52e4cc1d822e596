"""The JSON API with its OpenAPI schema at /api/openapi.json and docs at /api/docs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as SchemaError
from ninja.operation import Operation
from ninja.security import django_auth

from zhaoshang.api.chains import router as chains_router
from zhaoshang.api.corrections import router as corrections_router
from zhaoshang.api.desk import router as desk_router
from zhaoshang.api.docs import OwnSwagger, login_required_for_docs
from zhaoshang.api.forecast import router as forecast_router
from zhaoshang.api.gates import router as gates_router
from zhaoshang.api.leads import conflicts_router, intake_router, leads_router
from zhaoshang.api.schemas import StatsOut
from zhaoshang.api.verifications import router as verifications_router
from zhaoshang.common.validation import first_message
from zhaoshang.projects.selectors import project_list
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber
from zhaoshang.units.selectors import active_units


class Api(NinjaAPI):
    """The API; operation ids stay what they were before the race and chain routes moved into this package."""

    MOVED_FROM = {"zhaoshang.api.race": "zhaoshang.race.api", "zhaoshang.api.chains": "zhaoshang.chains.api"}

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = self.MOVED_FROM.get(operation.view_func.__module__, operation.view_func.__module__)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = Api(
    title="招商 API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    docs=OwnSwagger(),
    docs_decorator=login_required_for_docs,
)
api.add_router("/chains", chains_router)
api.add_router("/leads", leads_router)
api.add_router("/conflicts", conflicts_router)
api.add_router("/intake", intake_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": first_message(exc)}, status=400)


@api.exception_handler(SchemaError)
def on_schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    """A malformed body or parameter is the client's error: 400 with the fields named, never 422 or 500."""
    fields = ["·".join(str(p) for p in e.get("loc", []) if p not in ("body", "query", "path")) for e in exc.errors]
    detail = "请求数据有误：" + "、".join(f for f in fields if f) if any(fields) else "请求数据有误"
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "没有权限"}, status=403)


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    region_code: str


@api.get("/units", response=list[UnitOut], summary="招商主体列表")
def list_units(request: HttpRequest) -> list[dict]:
    return [
        {
            "code": u.code,
            "name": u.name,
            "short_name": u.short_name,
            "kind": u.kind,
            "region_code": u.region.code,
        }
        for u in active_units()
    ]


class ProjectOut(Schema):
    code: str
    name: str
    unit_code: str
    kind: str
    stage: str
    stage_on: date
    signed_on: date | None
    total_investment_usd: Decimal
    contract_foreign_usd: Decimal
    at_risk: bool
    over_100m: bool
    fortune500: bool


@api.get("/projects", response=list[ProjectOut], summary="项目列表")
def list_projects(request: HttpRequest, unit: str | None = None, stage: str | None = None) -> list[dict]:
    qs = registry.with_project_flags(project_list(unit_code=unit, stage=stage), Caliber.current())
    return [
        {
            "code": p.code,
            "name": p.name,
            "unit_code": p.unit.code,
            "kind": p.kind,
            "stage": p.stage,
            "stage_on": p.stage_on,
            "signed_on": p.signed_on,
            "total_investment_usd": p.total_investment_usd,
            "contract_foreign_usd": p.contract_foreign_usd,
            "at_risk": p.is_at_risk,
            "over_100m": p.is_over_100m,
            "fortune500": p.is_f500,
        }
        for p in qs
    ]


@api.get("/stats", summary="按商务部口径的统计：各单位、全市、全省", response=StatsOut)
def stats(request: HttpRequest, period: str, unit: str | None = None, progress: str = "verified") -> dict:
    """Same figures as `zhaoshang stats --format json`. period: 2020-09, 2020-01..2020-09, 2020Q3 or 2020;
    progress: verified (认定口径, default) or reported (填报口径)."""
    from zhaoshang.common.clock import today
    from zhaoshang.common.periods import MonthRange, out_of_bounds_message, period_in_bounds
    from zhaoshang.stats.cache import cached_stats_report
    from zhaoshang.stats.caliber import Caliber
    from zhaoshang.stats.serialize import report_json

    try:
        month_range = MonthRange.parse(period)
        month_range.refuse_after(today())
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from None
    if not period_in_bounds(month_range):
        raise ValidationError({"period": [out_of_bounds_message(period)]})
    try:
        caliber = Caliber.current(progress)
    except ValueError as exc:
        raise ValidationError({"progress": [str(exc)]}) from None
    return report_json(cached_stats_report(month_range, unit_code=unit, caliber=caliber))


from zhaoshang.api.race import router as race_router  # noqa: E402

api.add_router("/race", race_router)
api.add_router("", desk_router)
api.add_router("", corrections_router)
api.add_router("", verifications_router)
api.add_router("", forecast_router)
api.add_router("", gates_router)

from django.apps import apps as _apps  # noqa: E402

if _apps.is_installed("zhaoshang.aftercare"):
    from zhaoshang.api.aftercare import router as aftercare_router

    api.add_router("", aftercare_router)
