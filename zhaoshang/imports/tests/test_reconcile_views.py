"""Reconciliation with the official monthly figures; templates; the upload and reconciliation pages."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from stdnum.cn import uscc

from zhaoshang.cli import main
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import KINDS, load_file, template_for
from zhaoshang.imports.models import OfficialArrival
from zhaoshang.imports.reader import read_table
from zhaoshang.imports.reconcile import reconcile
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, Country

from .helpers import write_csv, xlsx_bytes


def code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


A, B, C = code("91330421MA2B00001"), code("91330421MA2B00002"), code("91330421MA2B00003")


@pytest.fixture
def september(as_of, units, users, investor):
    """Three enterprises with arrivals in 2020-09, one with a shareholder loan that the caliber leaves out."""
    admin = users["admin"]
    made = {}
    for credit, name, amounts in (
        (A, "甲医药有限公司", ["1000000.00"]),
        (B, "乙光伏有限公司", ["500000.00", "250000.00"]),
        (C, "丙材料有限公司", ["80000.00"]),
    ):
        ent = ps.enterprise_create(name=name, unit=units["jiashan"], credit_code=credit, actor=admin)
        p = ps.project_create(
            unit=units["jiashan"],
            name=f"{name}项目",
            kind="new",
            investors=[investor],
            stage="signed",
            stage_on=date(2020, 1, 5),
            total_investment=10**8,
            contract_foreign=10**7,
            enterprise=ent,
            actor=admin,
        )
        kinds = ["paid_in", "capital_increase"]
        for amount, kind in zip(amounts, kinds, strict=False):
            ps.arrival_record(project=p, month=date(2020, 9, 1), amount=Decimal(amount), kind=kind, actor=admin)
        made[credit] = p
    ps.arrival_record(
        project=made[C], month=date(2020, 9, 1), amount=Decimal(5000), kind="shareholder_loan", actor=admin
    )
    return made


OFFICIAL = (
    "企业名称,统一社会信用代码,月份,实际使用外资（万美元）\n"
    f"甲医药有限公司,{A},2020-09,100\n"  # 1,000,000 = ours
    f"乙光伏有限公司,{B},2020年9月,70.00\n"  # 700,000 vs ours 750,000
    "丁科技有限公司,,2020-09,12.5\n"  # not in the registry
)


def test_reconcile_sorts_every_enterprise_into_one_group(september, users, tmp_path):
    result = reconcile(date(2020, 9, 1), write_csv(tmp_path, OFFICIAL), actor=users["admin"])
    assert [(x.name, x.official, x.ours) for x in result.matched] == [
        ("甲医药有限公司", Decimal("1000000.00"), Decimal("1000000.00"))
    ]
    assert [(x.name, x.diff) for x in result.differ] == [("乙光伏有限公司", Decimal("50000.00"))]
    assert [(x.name, x.official) for x in result.only_official] == [("丁科技有限公司", Decimal("125000.00"))]
    # the shareholder loan (5,000) is not actual use under the default caliber: ours is 80,000
    assert [(x.name, x.ours) for x in result.only_ours] == [("丙材料有限公司", Decimal("80000.00"))]
    assert result.summary() == (
        "2020年9月核对（范围：嘉善县（按导出文件中的企业推定））："
        "一致 1 家，金额不一致 1 家，仅官方有 1 家，仅本系统有 1 家；"
        "官方合计 182.50万美元，本系统合计 183.00万美元"
    )
    assert OfficialArrival.objects.count() == 3
    history = OfficialArrival.history.count()
    reconcile(date(2020, 9, 1), write_csv(tmp_path, OFFICIAL), actor=users["admin"])
    assert OfficialArrival.objects.count() == 3
    assert OfficialArrival.history.count() == history


def test_figures_agree_to_the_precision_they_are_written_in(september, users, tmp_path):
    # 乙 written as 75 万美元 (no decimals: ±5,000 US$) agrees with ours 750,000; 甲 as 100.01 万 (±50) does not
    text = (
        f"企业名称,统一社会信用代码,月份,实际使用外资（万美元）\n甲医药有限公司,{A},2020-09,100.01\n"
        f"乙光伏有限公司,{B},2020-09,75\n丙材料有限公司,{C},2020-09,8\n"
    )
    result = reconcile(date(2020, 9, 1), write_csv(tmp_path, text), actor=users["admin"])
    assert sorted(x.name for x in result.matched) == ["丙材料有限公司", "乙光伏有限公司"]
    assert [(x.name, x.diff) for x in result.differ] == [("甲医药有限公司", Decimal("-100.00"))]


def test_a_bad_official_file_changes_nothing(september, users, tmp_path):
    text = f"企业名称,统一社会信用代码,月份,实际使用外资（美元）\n甲,{A[:-1]}X,2020-09,1\n乙,,2020-08,1\n"
    with pytest.raises(ImportRefused) as exc:
        reconcile(date(2020, 9, 1), write_csv(tmp_path, text), actor=users["admin"])
    assert [e.row for e in exc.value.errors] == [2, 3]
    assert "与要核对的月份（2020年9月）不一致" in exc.value.report()
    assert OfficialArrival.objects.count() == 0


def test_reconcile_command_writes_the_workbook(september, tmp_path, capsys):
    out = tmp_path / "核对.xlsx"
    assert (
        main(
            [
                "reconcile",
                "--month",
                "2020-09",
                str(write_csv(tmp_path, OFFICIAL)),
                "--out",
                str(out),
                "--user",
                "admin",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "金额不一致（1）" in text
    assert "乙光伏有限公司" in text
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "金额不一致", "仅官方有", "仅本系统有", "一致"]
    assert [c.value for c in wb["金额不一致"][2]][:5] == ["乙光伏有限公司", B, 700000, 750000, 50000]
    assert main(["reconcile", "--month", "2020Q3", str(out)]) == 2


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_template_has_headers_notes_and_lists(units, kind):
    wb = openpyxl.load_workbook(io.BytesIO(template_for(kind)))
    sheet = wb.worksheets[0]
    fields = KINDS[kind].fields
    assert [c.value for c in sheet[1]] == [f"*{f.label}" if f.required else f.label for f in fields]
    assert all(c.comment is not None for c in sheet[1])
    with_lists = [f for f in fields if f.choices]
    assert len([v for v in sheet.data_validations.dataValidation if v.type == "list"]) >= len(with_lists)
    assert wb.sheetnames == [sheet.title, "选项", "填写说明"]


def test_a_filled_template_imports(signed_project, users):
    wb = openpyxl.load_workbook(io.BytesIO(template_for("arrivals")))
    headers = [c.value for c in wb.worksheets[0][1]]
    row = {"项目编号": "XM2020-0001", "*到资月份": "2020-05", "*到资金额（原币万元）": 300, "到资类型": "增资"}
    data = xlsx_bytes([headers, [row.get(h) for h in headers]])
    assert read_table(data).rows[0] == headers
    load_file("arrivals", data, actor=users["admin"])
    assert CapitalArrival.objects.get().amount_usd == Decimal("3000000.00")  # 300 万 of the project's US$


def test_the_template_command(units, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["import", "template", "projects", str(out)]) == 0
    lists = openpyxl.load_workbook(out)["选项"]
    assert "日本" in [c.value for c in next(col for col in lists.columns if col[0].value == "投资方国别（地区）")]
    assert main(["import", "template", "nonsense", str(out)]) == 2


@pytest.fixture
def signed_project(project, users):
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["admin"])


# ---------------------------------------------------------------- pages


@pytest.fixture(autouse=True)
def reports_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_the_pages_need_a_login_and_an_import_role(client, users):
    url = reverse("imports:upload")
    assert client.get(url).status_code == 302
    client.force_login(users["leader"])
    response = client.get(url)
    assert response.status_code == 403
    assert "不能导入" in response.content.decode()
    client.force_login(users["staff"])
    page = client.get(url).content.decode()
    assert "外资项目" in page
    assert "年度任务" not in page
    assert client.get(reverse("imports:template", args=["targets"])).status_code == 403
    assert client.get(reverse("imports:reconcile")).status_code == 403
    assert client.get(reverse("imports:template", args=["arrivals"]))["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_staff_upload_with_errors_shows_them_and_offers_the_marked_report(client, signed_project, users):
    client.force_login(users["zone_staff"])
    data = xlsx_bytes(
        [
            ["项目编号", "到资月份", "到资金额（美元）", "到资类型"],
            ["XM2020-0001", "2020-05", 100, "增资"],
            ["XM2020-0001", "2020-06", -5, "增资"],
        ]
    )
    response = client.post(reverse("imports:upload"), {"kind": "arrivals", "file": named(data, "a.xlsx")})
    page = response.content.decode()
    assert response.status_code == 400
    assert "属于嘉善县；只能导入本单位的数据" in page
    assert "必须大于0" in page
    token = response.context["report_token"]
    report = client.get(reverse("imports:report", args=[token]))
    assert report.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    assert book["错误清单"]["E4"].value == "属于嘉善县；只能导入本单位的数据"
    client.force_login(users["staff"])
    assert client.get(reverse("imports:report", args=[token])).status_code == 404  # another session's report
    assert CapitalArrival.objects.count() == 0


def test_staff_upload_of_their_own_unit_imports(client, signed_project, users):
    client.force_login(users["staff"])
    data = xlsx_bytes(
        [["项目编号", "到资月份", "到资金额（万美元）", "到资类型"], ["XM2020-0001", "2020-05", 1.5, "增资"]]
    )
    dry = client.post(reverse("imports:upload"), {"kind": "arrivals", "file": named(data, "a.xlsx"), "dry_run": "1"})
    assert "试导入（未写入任何数据）" in dry.content.decode()
    assert CapitalArrival.objects.count() == 0
    done = client.post(reverse("imports:upload"), {"kind": "arrivals", "file": named(data, "a.xlsx")})
    assert "已导入：实际到资 1 行 —— 新增 1，更新 0，不变 0" in done.content.decode()
    assert CapitalArrival.objects.get().amount_usd == Decimal("15000.00")
    hostile = client.post(reverse("imports:upload"), {"kind": "arrivals", "file": named(b"%PDF-1.4 x", "a.xlsx")})
    assert hostile.status_code == 400
    assert "这是 PDF 文件" in hostile.content.decode()
    other = client.post(reverse("imports:upload"), {"kind": "targets", "file": named(data, "a.xlsx")})
    assert other.status_code == 403


def test_the_reconciliation_page(client, september, users):
    client.force_login(users["admin"])
    response = client.post(
        reverse("imports:reconcile"), {"month": "2020-09", "file": named(OFFICIAL.encode("gb18030"), "official.csv")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "一致 1 家，金额不一致 1 家" in page
    assert "丁科技有限公司" in page
    xlsx = client.get(reverse("imports:report", args=[response.context["result_token"]]))
    assert openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).sheetnames[0] == "汇总"
    bad = client.post(reverse("imports:reconcile"), {"month": "2020-13", "file": named(b"x", "a.csv")})
    assert bad.status_code == 400
    assert "月份 13 不存在" in bad.content.decode()


def test_fortune500_upload_needs_a_year(client, users):
    client.force_login(users["admin"])
    data = b"Rank\tCompany\n1\tWalmart\n"
    response = client.post(reverse("imports:upload"), {"kind": "fortune500", "file": named(data, "f.tsv")})
    assert response.status_code == 400
    assert "需要填写榜单年份" in response.content.decode()
    ok = client.post(reverse("imports:upload"), {"kind": "fortune500", "year": "2019", "file": named(data, "f.tsv")})
    assert ok.status_code == 200
    assert "新增 1" in ok.content.decode()
    assert Country.objects.exists()


def test_a_countys_export_is_compared_with_that_county_not_the_whole_city(september, units, users, investor, tmp_path):
    admin = users["admin"]
    elsewhere = ps.project_create(
        unit=units["zone"],
        name="开发区项目",
        kind="new",
        investors=[investor],
        stage="signed",
        stage_on=date(2020, 1, 5),
        total_investment=10**8,
        contract_foreign=10**7,
        actor=admin,
    )
    ps.arrival_record(project=elsewhere, month=date(2020, 9, 1), amount=Decimal(90000), kind="paid_in", actor=admin)
    inferred = reconcile(date(2020, 9, 1), write_csv(tmp_path, OFFICIAL), actor=admin)
    assert inferred.scope == "嘉善县（按导出文件中的企业推定）"
    assert [x.name for x in inferred.only_ours] == ["丙材料有限公司"]  # not the zone's project
    chosen = reconcile(
        date(2020, 9, 1), write_csv(tmp_path, OFFICIAL), actor=admin, units=[units["zone"], units["jiashan"]]
    )
    assert sorted(x.name for x in chosen.only_ours) == ["丙材料有限公司", "开发区项目"]
    assert (
        main(["reconcile", "--month", "2020-09", str(write_csv(tmp_path, OFFICIAL)), "--units", "330421,nowhere"]) == 2
    )
