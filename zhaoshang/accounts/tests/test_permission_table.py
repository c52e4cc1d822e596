"""Role × action, generated from the permission table: every write action is attempted by every role.

An allowed write goes through and changes something; a refused one raises PermissionDenied and leaves every table
of the database — history tables included — exactly as it was. A write action without an entry in WRITES fails
the first test, so a new action cannot skip this matrix.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from zhaoshang.accounts import services as accounts
from zhaoshang.accounts.models import Role, User
from zhaoshang.accounts.permissions import ACTION_LABELS, UNIT_SCOPED, WRITE_ACTIONS, can
from zhaoshang.accounts.tests.factories import UserFactory
from zhaoshang.aftercare import services as ac
from zhaoshang.bulletins.push.service import command_line_targets, push
from zhaoshang.bulletins.push.testserver import RobotServer
from zhaoshang.bulletins.services import bulletin_issue
from zhaoshang.chains import services as cs
from zhaoshang.chains.models import ChainLink
from zhaoshang.common.minipdf import one_page_pdf
from zhaoshang.common.models import SiteConfig
from zhaoshang.imports.services import official_month_replace
from zhaoshang.leads import services as ls
from zhaoshang.leads.models import Conflict
from zhaoshang.projects import evidence, gates, verification
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Claim, Country, Enterprise, Project, Verification, VerificationRule
from zhaoshang.projects.tests.factories import EnterpriseFactory
from zhaoshang.race import services as rs
from zhaoshang.race.models import Competition, MonthlyEvaluation
from zhaoshang.race.tests.factories import CompetitionFactory
from zhaoshang.reference.services import rate_set
from zhaoshang.stats import services as ss
from zhaoshang.stats.models import ProvinceIndicator, StatsConfig
from zhaoshang.units import services as us
from zhaoshang.units.models import Region, Unit

pytestmark = pytest.mark.django_db

# The project, the enterprise and the competition's unit below belong to 嘉善: "staff" is 嘉善's, "zone_staff"
# belongs to 经开区. "nobody" is a service called without an actor; "inactive" a city administrator switched off.
ROLES = ["admin", "staff", "zone_staff", "leader", "auditor", "verifier", "inactive", "nobody"]

# Written out by hand, independently of the table: what unit staff may do (on their own unit's records).
UNIT_STAFF_WRITES = {
    "project.write",
    "arrival.write",
    "followup.write",
    "enterprise.write",
    "investor.write",
    "chain.placement",
    "race.practice",
    "lead.write",
    "project.status",
    "evidence.upload",
    "roster.write",
    "visit.write",
    "request.write",
}


@dataclass
class World:
    units: dict[str, Unit]
    places: dict[str, Region]
    project: Project
    signed: Project
    enterprise: Enterprise
    link: ChainLink
    competition: Competition
    evaluation: MonthlyEvaluation
    claim: Claim
    conflict: Conflict
    roster: Any = None  # 嘉善's enterprise on the aftercare roster


@pytest.fixture
def world(as_of, units, places, users, project, industry) -> World:
    admin = users["admin"]
    signed = ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 7, 5), actor=admin)
    enterprise = EnterpriseFactory.create(name="嘉善光伏组件有限公司", unit=units["jiashan"], actor=admin)
    chain = cs.chain_upsert(slug="pv", name="光伏", actor=admin)
    link = cs.link_upsert(chain=chain, name="组件", position=1, keywords="光伏组件", actor=admin)
    competition = CompetitionFactory.create(
        slug="matrix", targets={units["jiashan"]: {"actual_use_usd": Decimal(10_000_000)}}, actor=admin
    )
    evaluation = rs.evaluation_publish(competition=competition, month=date(2020, 7, 1), actor=admin)
    verification.verification_rule_set(item=VerificationRule.Item.ARRIVAL, requires_verification=True, actor=admin)
    arrival = ps.arrival_record(
        project=signed, month=date(2020, 7, 1), amount=Decimal(2_000_000), kind="paid_in", actor=users["staff"]
    )
    claim = Claim.objects.get(arrival=arrival, status=Verification.PENDING)  # submitted by 嘉善's staff
    ls.lead_create(company="东洋株式会社", source="inbound", unit=units["jiashan"], actor=admin)
    ls.lead_create(company="东洋株式会社", source="event", unit=units["zone"], actor=admin)
    conflict = Conflict.objects.get()  # two units' leads on one company
    roster = ac.roster_enroll(enterprise=enterprise, actor=admin)
    return World(units, places, project, signed, enterprise, link, competition, evaluation, claim, conflict, roster)


def _push(w: World, actor: Any) -> Any:
    with RobotServer(wecom_keys={"k"}) as server:
        targets = command_line_targets(
            dingtalk_webhook=None, dingtalk_secret=None, wecom_webhook=server.wecom_webhook("k")
        )
        return push(targets, "测试", "正文", actor=actor)


# One write per action, through its service, on 嘉善's records where the action is unit-scoped.
WRITES: dict[str, Callable[[World, Any], Any]] = {
    "project.write": lambda w, a: ps.project_create(
        unit=w.units["jiashan"],
        name="新项目",
        kind="new",
        investors=list(w.project.investors.all()),
        stage_on=date(2020, 8, 1),
        actor=a,
    ),
    "arrival.write": lambda w, a: ps.arrival_record(
        project=w.signed, month=date(2020, 8, 1), amount=Decimal(1_000_000), kind="paid_in", actor=a
    ),
    "followup.write": lambda w, a: ps.followup_log(
        project=w.project, on=date(2020, 8, 3), channel="call", summary="电话联系", actor=a
    ),
    "project.correct": lambda w, a: ps.project_correct(
        project=w.project, kind="increase", reason="更正项目类型", actor=a
    ),
    "enterprise.write": lambda w, a: ps.enterprise_create(name="嘉善新企业有限公司", unit=w.units["jiashan"], actor=a),
    "investor.write": lambda w, a: ps.investor_create(name="新外资", country=Country.objects.get(code="JP"), actor=a),
    "chain.placement": lambda w, a: cs.placement_add(link=w.link, enterprise=w.enterprise, actor=a),
    "race.practice": lambda w, a: rs.evaluation_practice_set(
        evaluation=w.evaluation, unit=w.units["jiashan"], text="专班推进", actor=a
    ),
    "target.write": lambda w, a: ss.target_set(year=2020, indicator="actual_use_usd", value=Decimal(9), actor=a),
    "province.write": lambda w, a: ss.province_figure_set(
        region=w.places["ningbo"],
        first_month=date(2020, 1, 1),
        last_month=date(2020, 6, 1),
        indicator=ProvinceIndicator.ACTUAL_USE,
        value=Decimal(10_000_000),
        yoy_pct=None,
        actor=a,
    ),
    "caliber.write": lambda w, a: ss.stats_config_update(count_shareholder_loans=True, actor=a),
    "settings.write": lambda w, a: ss.site_config_update(as_of_date=date(2020, 11, 30), actor=a),
    "official.import": lambda w, a: official_month_replace(
        month=date(2020, 7, 1),
        entries=[{"key": "甲", "name": "甲", "credit_code": "", "amount": Decimal(5), "tolerance": Decimal("0.5")}],
        source="官方导出.xlsx",
        actor=a,
    ),
    "region.write": lambda w, a: us.region_upsert(
        code="330424", name="海盐县", level=Region.Level.COUNTY, parent=w.places["city"], actor=a
    ),
    "unit.write": lambda w, a: us.unit_create(
        code="330402",
        name="南湖区",
        short_name="南湖区",
        kind=Unit.Kind.DISTRICT,
        city=w.places["city"],
        region=w.places["nanhu"],
        actor=a,
    ),
    "user.write": lambda w, a: accounts.user_create(
        username="new", password="x", full_name="新用户", role=Role.LEADER, actor=a
    ),
    "country.write": lambda w, a: ps.country_upsert(code="XK", name="科索沃", actor=a),
    "industry.write": lambda w, a: ps.industry_upsert(code="28", name="化学纤维制造业", actor=a),
    "rate.write": lambda w, a: rate_set(currency="EUR", month=date(2020, 9, 1), rate_to_usd=Decimal("1.18"), actor=a),
    "focus_industry.write": lambda w, a: ps.focus_industry_upsert(slug="pv", name="光伏", actor=a),
    "fortune500.load": lambda w, a: ps.fortune500_list_load(
        year=2019, published_on=date(2019, 7, 22), entries=[{"name": "Walmart", "rank": 1}], actor=a
    ),
    "chain.write": lambda w, a: cs.chain_upsert(slug="ev", name="新能源汽车", actor=a),
    "race.setup": lambda w, a: rs.competition_weight_set(
        competition=w.competition, indicator="actual_use_usd", weight=Decimal(80), actor=a
    ),
    "race.confirm": lambda w, a: rs.red_flag_confirm(
        competition=w.competition, project=w.signed, on=date(2020, 7, 10), reason="签约", actor=a
    ),
    "race.publish": lambda w, a: rs.snapshot_publish(competition=w.competition, on=date(2020, 7, 10), actor=a),
    "bulletin.issue": lambda w, a: bulletin_issue(month=date(2020, 3, 1), actor=a),
    "push.send": _push,
    "claim.decide": lambda w, a: verification.claim_approve(claim=w.claim, actor=a, reason="核对凭证"),
    "lead.write": lambda w, a: ls.lead_create(company="嘉善线索公司", source="news", unit=w.units["jiashan"], actor=a),
    "lead.assign": lambda w, a: ls.lead_config_set(response_working_days=7, actor=a),
    "conflict.decide": lambda w, a: ls.conflict_decide(
        conflict=w.conflict, decision="not_conflict", reason="不同产品线", actor=a
    ),
    "roster.write": lambda w, a: ac.annual_figures_file(
        entry=w.roster, year=2019, filed_on=date(2020, 4, 30), revenue=Decimal(100), actor=a
    ),
    "visit.write": lambda w, a: ac.visit_log(
        entry=w.roster, on=date(2020, 8, 3), met="总经理", learned="正常", actor=a
    ),
    "request.write": lambda w, a: ac.request_open(
        entry=w.roster,
        category="land",
        description="扩产用地",
        department="自然资源和规划局",
        received_on=date(2020, 8, 3),
        deadline=date(2020, 9, 3),
        actor=a,
    ),
    "verification_rule.write": lambda w, a: verification.verification_rule_set(
        item=VerificationRule.Item.SIGNED, requires_verification=False, actor=a
    ),
    "project.status": lambda w, a: ps.project_status_set(
        project=w.project, status="stalled", on=date(2020, 8, 3), reason="用地指标未落实", obstacle="land", actor=a
    ),
    "evidence.upload": lambda w, a: evidence.evidence_upload(
        project=w.signed, kind="other", name="合同.pdf", stream=io.BytesIO(one_page_pdf()), stage="signed", actor=a
    ),
    "stage_gate.write": lambda w, a: gates.stage_gate_set(
        stage="construction",
        requirements=[("stage_date", "")],
        evidence_kinds=["site_photo"],
        evidence_min=2,
        in_force_from=date(2020, 1, 1),
        actor=a,
    ),
}


def actor_for(role: str, users: dict[str, User]) -> User | None:
    if role == "nobody":
        return None
    if role == "verifier":
        return UserFactory.create(username="checker", role=Role.VERIFIER)
    if role == "inactive":
        user = UserFactory.create(username="retired", role=Role.CITY_ADMIN)
        user.is_active = False
        user.save()
        return user
    return users[role]


def expected(role: str, action: str) -> bool:
    """From the table, by role: a unit-scoped action is open to unit staff on their own unit only."""
    allowed = WRITE_ACTIONS[action]
    if role == "admin":
        return Role.CITY_ADMIN in allowed
    if role == "staff":
        return Role.UNIT_STAFF in allowed
    if role == "zone_staff":
        return Role.UNIT_STAFF in allowed and action not in UNIT_SCOPED
    if role == "leader":
        return Role.LEADER in allowed
    if role == "auditor":
        return Role.AUDITOR in allowed
    if role == "verifier":
        return Role.VERIFIER in allowed
    return False  # nobody, inactive


def database_state() -> dict[str, Any]:
    """Row counts of every table (history and m2m tables included), and the two settings rows' values."""
    state: dict[str, Any] = {
        m._meta.label: m._default_manager.count() for m in apps.get_models(include_auto_created=True)
    }
    state["StatsConfig"] = list(StatsConfig.objects.values())
    state["SiteConfig"] = list(SiteConfig.objects.values())
    return state


def test_every_write_action_has_a_write_a_label_and_roles():
    assert set(WRITES) == set(WRITE_ACTIONS)
    assert all(ACTION_LABELS.get(a) for a in WRITE_ACTIONS)
    assert {a for a, roles in WRITE_ACTIONS.items() if Role.UNIT_STAFF in roles} == UNIT_STAFF_WRITES
    assert {a for a, roles in WRITE_ACTIONS.items() if Role.VERIFIER in roles} == {"claim.decide"}
    assert not any(roles & {Role.LEADER, Role.AUDITOR} for roles in WRITE_ACTIONS.values())


def test_the_system_actor_is_a_city_administrator_that_cannot_log_in(db):
    system = accounts.system_actor()
    assert (system.username, system.role, system.is_superuser, system.is_staff) == (
        "system",
        "city_admin",
        False,
        False,
    )
    assert not system.has_usable_password()
    assert accounts.system_actor().pk == system.pk
    assert can(system, "target.write")
    assert not can(None, "target.write")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(WRITE_ACTIONS))
def test_role_x_action(world, users, role, action):
    actor = actor_for(role, users)
    write = WRITES[action]
    before = database_state()
    if expected(role, action):
        write(world, actor)
        if action != "push.send":  # a push writes its send log only (checked below)
            assert database_state() != before
        else:
            assert database_state()["bulletins.RobotSend"] == before["bulletins.RobotSend"] + 1
    else:
        with pytest.raises(PermissionDenied) as refused:
            write(world, actor)
        assert ACTION_LABELS[action] in str(refused.value)
        assert database_state() == before
