"""Stage gates: the seeded table, every stage's refusal (exact Chinese, nothing written), waivers, the date the
gates apply from, stages skipped, and the audited edits of the table."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.accounts.tests.test_permission_table import database_state
from zhaoshang.common.minipdf import one_page_pdf
from zhaoshang.common.validation import first_message
from zhaoshang.projects import evidence, gates
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Enterprise, GateRequirement, Project, StageGate

pytestmark = pytest.mark.django_db

SEEDED = [
    ("signed", ["签约日期", "总投资（大于0）", "合同外资（大于0）", "外方投资者（至少一个）",
                "洽谈记录（先以“洽谈”阶段登记项目）（存量外资企业增资（含利润再投资）免）"], "其他", 0),
    ("registered", ["外资企业", "外资企业的统一社会信用代码", "外资企业的设立登记日期"], "营业执照", 0),
    ("arriving", ["至少一笔实际到资"], "到资凭证/银行进账单", 0),
    ("construction", ["开工日期"], "施工许可或开工照片", 1),
    ("production", ["投产日期"], "投产认定", 1),
    ("listed", ["上市日期"], "其他", 0),
    ("dropped", ["中止原因", "去向（流向的城市或国家；未流向他处填“无”）"], "", 0),
]  # fmt: skip


@pytest.fixture
def in_force(users):
    """Every gate in force from 2020-01-01 (the migration seeds them from the day it runs)."""
    gates.gates_in_force_from(actor=users["admin"], on=date(2020, 1, 1))


def refusal(call) -> str:
    before = database_state()
    with pytest.raises(ValidationError) as exc:
        call()
    assert database_state() == before
    return first_message(exc.value)


def test_the_migration_seeds_the_declared_table_in_force_from_the_day_it_ran(db):
    rows = gates.gate_table()
    assert [(r["stage"], r["requirements"], r["evidence"], r["evidence_min"]) for r in rows] == SEEDED
    assert {r["in_force_from"] for r in rows} == {StageGate.objects.get(stage="signed").in_force_from}
    assert StageGate.history.filter(history_change_reason="初始准入条件（数据迁移）").count() == 7
    assert GateRequirement.history.count() == GateRequirement.objects.count() == 14


def test_the_code_declares_the_same_seed_as_the_migration():
    import importlib

    migration = importlib.import_module("zhaoshang.projects.migrations.0006_gates_evidence_status")
    assert migration.SEED == gates.SEED


def test_history_before_the_gates_is_not_rejudged(project, users):
    """Seeded in force from today (2026): an advance dated 2020 passes without evidence, as before gates."""
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    p = ps.project_advance_stage(project=project, to_stage="construction", on=date(2020, 5, 1), actor=users["staff"])
    assert p.stage == "construction"


def test_signing_needs_its_money_and_investors(in_force, as_of, units, users, investor):
    p = ps.project_create(
        unit=units["jiashan"], name="待签项目", kind="new", investors=[investor], stage_on=date(2020, 2, 1),
        actor=users["staff"],
    )  # fmt: skip
    message = refusal(
        lambda: ps.project_advance_stage(project=p, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    )
    assert message == "进入阶段“签约”的条件尚未满足，还需：1. 总投资（大于0）；2. 合同外资（大于0）"


def test_registration_needs_the_enterprise_with_code_and_date(in_force, project, users):
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    message = refusal(
        lambda: ps.project_advance_stage(
            project=project, to_stage="registered", on=date(2020, 4, 1), actor=users["staff"]
        )
    )
    assert message == (
        "进入阶段“设立”的条件尚未满足，还需：1. 外资企业；2. 外资企业的统一社会信用代码；3. 外资企业的设立登记日期"
    )
    enterprise = ps.enterprise_create(name="云顶（嘉善）有限公司", unit=project.unit, actor=users["staff"])
    ps.project_update(project=project, enterprise=enterprise, reason="企业设立", actor=users["staff"])
    message = refusal(
        lambda: ps.project_advance_stage(
            project=project, to_stage="registered", on=date(2020, 4, 1), actor=users["staff"]
        )
    )
    assert message == "进入阶段“设立”的条件尚未满足，还需：1. 外资企业的统一社会信用代码；2. 外资企业的设立登记日期"
    Enterprise.objects.filter(pk=enterprise.pk).update(
        credit_code="91330421MA2B0Y3X7F", established_on=date(2020, 4, 1)
    )
    p = ps.project_advance_stage(project=project, to_stage="registered", on=date(2020, 4, 1), actor=users["staff"])
    assert (p.stage, p.registered_on) == ("registered", date(2020, 4, 1))


def test_a_skipped_stage_passes_its_gate_too(in_force, project, users):
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    message = refusal(
        lambda: ps.project_advance_stage(
            project=project, to_stage="construction", on=date(2020, 6, 1), actor=users["staff"]
        )
    )
    assert message == (
        "进入阶段“开工”的条件尚未满足，还需：1. 外资企业；2. 外资企业的统一社会信用代码；3. 外资企业的设立登记日期；"
        "4. 至少一笔实际到资；5. “开工”证明材料（施工许可或开工照片）至少1份"
    )


def _registered_with_arrival(project, users) -> Project:
    enterprise = ps.enterprise_create(
        name="云顶（嘉善）有限公司", unit=project.unit, credit_code="91330421MA2B0Y3X7F",
        established_on=date(2020, 4, 1), actor=users["staff"],
    )  # fmt: skip
    ps.project_update(project=project, enterprise=enterprise, reason="企业设立", actor=users["staff"])
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    ps.project_advance_stage(project=project, to_stage="registered", on=date(2020, 4, 1), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 5, 1), amount=Decimal(5_000_000), kind="paid_in", actor=users["staff"]
    )
    return Project.objects.get(pk=project.pk)


def test_an_arrival_moves_a_registered_project_to_arriving_through_its_gate(in_force, project, users):
    p = _registered_with_arrival(project, users)
    assert (p.stage, p.stage_on) == ("arriving", date(2020, 5, 1))


def test_construction_and_production_need_their_evidence(in_force, project, users):
    p = _registered_with_arrival(project, users)
    message = refusal(
        lambda: ps.project_advance_stage(project=p, to_stage="construction", on=date(2020, 6, 1), actor=users["staff"])
    )
    assert message == "进入阶段“开工”的条件尚未满足，还需：1. “开工”证明材料（施工许可或开工照片）至少1份"
    # Evidence of another kind or for another stage does not count.
    pdf = one_page_pdf("permit")
    evidence.evidence_upload(
        project=p, kind="other", name="其他.pdf", stream=io.BytesIO(pdf), stage="construction", actor=users["staff"]
    )
    evidence.evidence_upload(
        project=p, kind="site_photo", name="照片.pdf", stream=io.BytesIO(pdf), stage="production", actor=users["staff"]
    )
    assert gates.checklist(p).missing[0].label == "“开工”证明材料（施工许可或开工照片）至少1份"
    permit = evidence.evidence_upload(
        project=p, kind="construction_permit", name="施工许可证.pdf", stream=io.BytesIO(pdf), stage="construction",
        actor=users["staff"],
    )  # fmt: skip
    p = ps.project_advance_stage(project=p, to_stage="construction", on=date(2020, 6, 1), actor=users["staff"])
    permit.refresh_from_db()
    assert permit.stage_event is not None
    assert permit.stage_event.stage == "construction"
    message = refusal(
        lambda: ps.project_advance_stage(project=p, to_stage="production", on=date(2020, 9, 1), actor=users["staff"])
    )
    assert message == "进入阶段“投产”的条件尚未满足，还需：1. “投产”证明材料（投产认定）至少1份"


def test_a_drop_needs_its_reason_and_destination(in_force, project, users):
    message = refusal(
        lambda: ps.project_drop(project=project, on=date(2020, 6, 1), reason="投资方撤回", actor=users["staff"])
    )
    assert message == "进入阶段“中止”的条件尚未满足，还需：1. 去向（流向的城市或国家；未流向他处填“无”）"
    p = ps.project_drop(
        project=project, on=date(2020, 6, 1), reason="投资方撤回", destination="无", actor=users["staff"]
    )
    assert (p.stage, p.status, p.destination) == ("dropped", "terminated", "无")


def test_a_new_project_registered_at_signing_needs_a_negotiation_unless_an_existing_enterprise_adds_capital(
    in_force, as_of, units, users, investor
):
    message = refusal(
        lambda: ps.project_create(
            unit=units["jiashan"],
            name="直接签约",
            kind="new",
            investors=[investor],
            stage="signed",
            stage_on=date(2020, 3, 1),
            total_investment=Decimal(1_000_000),
            contract_foreign=Decimal(500_000),
            actor=users["staff"],
        )
    )
    assert message == "进入阶段“签约”的条件尚未满足，还需：1. 洽谈记录（先以“洽谈”阶段登记项目）"
    existing = ps.enterprise_create(
        name="嘉善存量外企有限公司", unit=units["jiashan"], is_new=False, actor=users["staff"]
    )
    p = ps.project_create(
        unit=units["jiashan"], name="存量企业增资", kind="increase", investors=[investor], stage="signed",
        stage_on=date(2020, 3, 1), total_investment=Decimal(1_000_000), contract_foreign=Decimal(500_000),
        enterprise=existing, actor=users["staff"],
    )  # fmt: skip
    assert p.stage == "signed"
    items = gates.checklist(p, "signed", from_new=True).items
    assert [(i.key, i.met, i.waived_by) for i in items if i.key == "negotiation"] == [
        ("negotiation", False, "存量外资企业增资（含利润再投资）")
    ]


def test_the_checklist_lists_met_and_missing_items_with_links(in_force, project, users):
    result = gates.checklist(project)
    assert (result.stage, result.stage_label, result.in_force, result.complete) == ("signed", "签约", True, True)
    assert [(i.label, i.met, i.link) for i in result.items] == [
        ("签约日期", True, "#form-advance"),
        ("总投资（大于0）", True, "#project-facts"),
        ("合同外资（大于0）", True, "#project-facts"),
        ("外方投资者（至少一个）", True, "#project-facts"),
        ("洽谈记录（先以“洽谈”阶段登记项目）", True, "#timeline"),
    ]
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    result = gates.checklist(Project.objects.get(pk=project.pk))
    assert (result.stage_label, [m.label for m in result.missing]) == (
        "设立",
        ["外资企业", "外资企业的统一社会信用代码", "外资企业的设立登记日期"],
    )


def test_the_gate_applies_from_its_date(project, users):
    gate = StageGate.objects.get(stage="signed")
    gates.stage_gate_set(
        stage="signed", requirements=[("industry", "")], evidence_kinds=[], evidence_min=0,
        in_force_from=date(2020, 6, 1), actor=users["admin"],
    )  # fmt: skip
    Project.objects.filter(pk=project.pk).update(industry=None)
    project.refresh_from_db()
    assert gate.pk == StageGate.objects.get(stage="signed").pk
    result = gates.checklist(project)
    assert (result.in_force, [m.label for m in result.missing]) == (True, ["行业（GB/T 4754）"])
    message = refusal(
        lambda: ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 6, 1), actor=users["staff"])
    )
    assert message == "进入阶段“签约”的条件尚未满足，还需：1. 行业（GB/T 4754）"
    p = ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 5, 31), actor=users["staff"])
    assert p.stage == "signed"


def test_editing_a_gate_is_audited_item_by_item(users):
    gates.stage_gate_set(
        stage="construction", requirements=[("stage_date", ""), ("arrival", "")],
        evidence_kinds=["construction_permit"], evidence_min=2, in_force_from=date(2021, 1, 1), note="从严",
        actor=users["admin"],
    )  # fmt: skip
    gate = StageGate.objects.get(stage="construction")
    latest = gate.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        users["admin"],
        "修改“开工”准入条件：可接受的证明材料、份数、生效日期、说明",
    )
    assert (gate.evidence_kinds, gate.evidence_min) == (["construction_permit"], 2)
    added = GateRequirement.history.filter(requirement="arrival").latest()
    assert (added.history_type, added.history_user, added.history_change_reason) == (
        "+", users["admin"], "“开工”要求：至少一笔实际到资",
    )  # fmt: skip
    gates.stage_gate_set(
        stage="construction", requirements=[("stage_date", "")], evidence_kinds=["construction_permit"],
        evidence_min=2, in_force_from=date(2021, 1, 1), note="从严", actor=users["admin"],
    )  # fmt: skip
    removed = GateRequirement.history.filter(requirement="arrival").latest()
    assert (removed.history_type, removed.history_change_reason) == ("-", "“开工”不再要求：至少一笔实际到资")
    assert gate.history.count() == 2  # seeded, then the first edit; the second changed only a requirement


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stage": "negotiating"}, "阶段“negotiating”不能设置准入条件（洽谈是项目的起点）"),
        ({"requirements": [("colour", "")]}, "准入要求“colour”不存在；可选："),
        ({"requirements": [("arrival", "friday")]}, "免于情形“friday”不存在；可选：increase_by_existing、mna"),
        ({"evidence_kinds": ["selfie"]}, "证明材料类型“selfie”不存在"),
        ({"evidence_min": 11}, "至少需要的证明材料份数“11”应为0至10的整数"),
        ({"evidence_min": 1, "evidence_kinds": []}, "可接受的证明材料（空）不能为空：已要求至少一份证明材料"),
    ],
)
def test_bad_gate_edits_are_refused_and_change_nothing(users, kwargs, message):
    args = {
        "stage": "construction",
        "requirements": [("stage_date", "")],
        "evidence_kinds": ["site_photo"],
        "evidence_min": 1,
        "in_force_from": date(2021, 1, 1),
        "actor": users["admin"],
        **kwargs,
    }
    assert refusal(lambda: gates.stage_gate_set(**args)).startswith(message)


def test_only_the_city_edits_the_gates(users):
    before = database_state()
    with pytest.raises(PermissionDenied, match="修改阶段准入条件"):
        gates.stage_gate_set(
            stage="listed", requirements=[], evidence_kinds=[], evidence_min=0, in_force_from=date(2021, 1, 1),
            actor=users["staff"],
        )  # fmt: skip
    assert database_state() == before


def test_the_city_administrator_edits_a_gate_in_the_admin_through_the_service(users, client):
    gate = StageGate.objects.get(stage="construction")
    row = gate.requirements.get()
    admin = users["admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    url = f"/admin/projects/stagegate/{gate.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "evidence_kinds": ["construction_permit"],
        "evidence_min": "2",
        "in_force_from": "2021-03-01",
        "note": "须施工许可",
        "requirements-TOTAL_FORMS": "2",
        "requirements-INITIAL_FORMS": "1",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-id": str(row.pk),
        "requirements-0-gate": str(gate.pk),
        "requirements-0-requirement": "stage_date",
        "requirements-0-waived_when": "",
        "requirements-1-gate": str(gate.pk),
        "requirements-1-requirement": "arrival",
        "requirements-1-waived_when": "mna",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    gate.refresh_from_db()
    assert (gate.evidence_kinds, gate.evidence_min, gate.in_force_from, gate.note) == (
        ["construction_permit"], 2, date(2021, 3, 1), "须施工许可",
    )  # fmt: skip
    assert list(gate.requirements.values_list("requirement", "waived_when")) == [("stage_date", ""), ("arrival", "mna")]
    assert gate.history.latest().history_user == admin
    # Asking for evidence without naming a kind is refused on the form, nothing saved.
    bad = client.post(url, {**form, "evidence_kinds": [], "evidence_min": "1"})
    assert bad.status_code == 200
    assert "已要求至少一份证明材料，请勾选可接受的材料类型" in bad.content.decode()
    gate.refresh_from_db()
    assert gate.evidence_min == 2
    # Unit staff (even made staff of the admin site) cannot change it.
    users["staff"].is_staff = True
    users["staff"].save()
    client.force_login(users["staff"])
    assert client.post(url, form).status_code == 403
