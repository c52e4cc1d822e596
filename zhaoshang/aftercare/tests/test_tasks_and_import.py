"""我的待办 from visits and overdue requests; the annual-report import with units, totals and bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.aftercare import services as ac
from zhaoshang.aftercare.models import AnnualFigures, RosterEntry
from zhaoshang.aftercare.tasks import tasks_for
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import KINDS, load_file, template_for
from zhaoshang.imports.tests.helpers import write_xlsx
from zhaoshang.projects.models import Enterprise
from zhaoshang.web.tasks import PROVIDERS

from .conftest import credit_code

pytestmark = pytest.mark.django_db


def test_visits_due_and_overdue_and_escalated_requests_become_tasks(entry, users):
    staff, admin = users["staff"], users["admin"]
    ac.visit_log(
        entry=entry, on=date(2020, 10, 1), met="总经理", learned="正常", next_on=date(2020, 12, 20), actor=staff
    )
    assert "zhaoshang.aftercare.tasks.tasks_for" in PROVIDERS
    [task] = tasks_for(staff)  # as of 2020-12-31: 11 days overdue
    assert (task.kind, task.overdue, task.due, task.kind_label) == ("visit_due", True, date(2020, 12, 20), "走访逾期")
    assert "已逾期 11 天" in task.detail
    assert task.url == f"/enterprises/{entry.enterprise.credit_code}/"
    assert tasks_for(users["zone_staff"]) == []
    ac.visit_log(
        entry=entry, on=date(2020, 12, 30), met="总经理", learned="正常", next_on=date(2021, 1, 5), actor=staff
    )
    [task] = tasks_for(staff)  # the latest visit's next date counts; 5 days ahead is due, not overdue
    assert (task.overdue, task.kind_label) == (False, "走访到期")
    ac.request_open(
        entry=entry,
        category="land",
        description="用地",
        department="自然资源局",
        received_on=date(2020, 11, 1),
        deadline=date(2020, 12, 10),
        actor=staff,
    )
    kinds = sorted(t.kind for t in tasks_for(staff))
    assert kinds == ["request_overdue", "visit_due"]
    # 21 days late (> 15): escalated to the city, so the city administrator has it too; a leader has no tasks.
    assert [t.kind for t in tasks_for(admin)] == ["request_overdue"]
    assert "已提级至市局" in tasks_for(admin)[0].detail
    assert tasks_for(users["leader"]) == []


HEADER = [
    "统一社会信用代码",
    "企业名称",
    "招商主体",
    "年度",
    "报送日期",
    "注册资本",
    "营业收入",
    "利润总额",
    "未分配利润",
    "从业人员",
]


def test_annual_import_with_the_unit_line_and_a_totals_row(entry, users, units, tmp_path):
    new_code = credit_code("91330421MA2B6Y8K2")
    rows = [
        ["单位：万元"],
        HEADER,
        [entry.enterprise.credit_code, None, None, 2019, date(2020, 4, 30), 4000, 12000.5, 800, 2600, 310],
        [None, "嘉善新进外资有限公司", "嘉善县", 2019, date(2020, 5, 8), 1000, 3000, -20, -50, 40],
        ["合计", None, None, None, None, 5000, 15000.5, 780, 2550, 350],
    ]
    path = write_xlsx(tmp_path, rows)
    result = load_file("enterprise-annual", path, actor=users["staff"])
    assert (result.count("新增"), result.rows) == (2, 2)
    assert any("第5行是“合计”行" in n for n in result.notes)
    f = AnnualFigures.objects.get(entry=entry, year=2019)
    assert (f.currency, f.unit_scale, f.revenue, f.employees) == ("CNY", 10_000, Decimal("12000.5"), 310)
    created = RosterEntry.objects.get(enterprise__name="嘉善新进外资有限公司")
    assert created.enterprise.is_new is False
    assert created.enterprise.unit == units["jiashan"]
    assert AnnualFigures.objects.get(entry=created).undistributed_profit == Decimal(-50)
    again = load_file("enterprise-annual", path, actor=users["staff"])
    assert again.count("不变") == 2
    assert new_code  # a valid code for the bad-input test below


def test_annual_import_bad_input_names_row_field_and_value_and_writes_nothing(entry, users, tmp_path):
    bad_code = entry.enterprise.credit_code[:-1] + ("0" if entry.enterprise.credit_code[-1] != "0" else "1")
    rows = [
        ["单位：万元"],
        HEADER,
        [entry.enterprise.credit_code, None, None, 2019, date(2019, 12, 1), 4000, 12000, 800, 2600, 310],
        [bad_code, None, None, 2019, date(2020, 4, 30), 4000, 12000, 800, 2600, 310],
        [None, "不存在的企业有限公司", None, 2019, date(2020, 4, 30), 4000, 12000, 800, 2600, 310],
        [entry.enterprise.credit_code, None, None, 2018, date(2019, 4, 30), 4000, -5, 800, 2600, 310],
        [entry.enterprise.credit_code, None, None, 2018, date(2019, 4, 30), 4000, 5, 800, 2600, 310],
    ]
    before = Enterprise.objects.count()
    with pytest.raises(ImportRefused) as exc:
        load_file("enterprise-annual", write_xlsx(tmp_path, rows), actor=users["staff"])
    text = "\n".join(str(e) for e in exc.value.errors)
    assert "第3行，“报送日期”列，值“2019-12-01”：早于2019年度结束（年报在次年报送）" in text
    assert f"第4行，“统一社会信用代码”列，值“{bad_code}”：的校验位不正确（GB 32100）" in text
    assert "第5行，“招商主体”列，值（空）：企业“不存在的企业有限公司”尚未登记，请填写招商主体以新建" in text
    assert "第6行，“营业收入”列，值“-5”：不能为负数" in text
    assert "第7行，“年度”列，值“2018”：与第6行重复（同一企业、同一年度）" not in text  # row 6 already failed
    assert AnnualFigures.objects.count() == 0
    assert Enterprise.objects.count() == before


def test_annual_import_refuses_amounts_without_a_unit_and_other_units_staff(entry, users, tmp_path):
    rows = [HEADER, [entry.enterprise.credit_code, None, None, 2019, date(2020, 4, 30), 4000, 12000, 800, 2600, 310]]
    with pytest.raises(ImportRefused, match=r"无法确定.*金额单位"):
        load_file("enterprise-annual", write_xlsx(tmp_path, rows), actor=users["staff"])
    rows.insert(0, ["单位：万元"])
    with pytest.raises(ImportRefused) as exc:
        load_file("enterprise-annual", write_xlsx(tmp_path, rows, name="b.xlsx"), actor=users["zone_staff"])
    assert "无权导入“嘉善县”的数据" in str(exc.value.errors[0])
    assert AnnualFigures.objects.count() == 0


def test_the_template_and_the_command(entry, users, tmp_path, capsys):
    from zhaoshang.cli import main

    assert "enterprise-annual" in KINDS
    assert template_for("enterprise-annual")[:2] == b"PK"
    rows = [
        ["单位：万元"],
        HEADER,
        [entry.enterprise.credit_code, None, None, 2019, date(2020, 4, 30), 4000, 12000, 800, 2600, 310],
    ]
    path = write_xlsx(tmp_path, rows)
    assert main(["import", "enterprise-annual", str(path), "--user", "js"]) == 0
    assert "新增 1" in capsys.readouterr().out
    assert AnnualFigures.objects.count() == 1
