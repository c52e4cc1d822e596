"""Issuing closes the months; a later change to a closed month needs a reason, is recorded and listed next time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.bulletins.content import build_outline
from zhaoshang.bulletins.models import Bulletin, Correction, MonthClosure
from zhaoshang.bulletins.selectors import bulletin_data
from zhaoshang.bulletins.services import bulletin_issue
from zhaoshang.common.validation import first_message
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival


@pytest.fixture
def signed(project, users):
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 3, 1), amount=Decimal("5000000"), kind="paid_in", actor=users["staff"]
    )
    return project


def draft_text(month: date) -> str:
    return build_outline(bulletin_data(month), with_charts=False).text()


@pytest.mark.django_db
def test_issuing_closes_january_to_the_month_and_numbers_the_bulletin(signed, users):
    bulletin = bulletin_issue(month=date(2020, 3, 1), actor=users["admin"])
    assert bulletin.number == 1
    assert bulletin.title == "关于2020年1-3月全市利用外资工作情况的通报"
    assert sorted(MonthClosure.objects.values_list("month", flat=True)) == [
        date(2020, 1, 1),
        date(2020, 2, 1),
        date(2020, 3, 1),
    ]
    assert bulletin.figures["city"]["actual_use_usd"] == "5000000.00"
    assert bytes(bulletin.docx)[:2] == b"PK"
    assert bytes(bulletin.xlsx)[:2] == b"PK"
    # The next one is number 2 and closes April without touching March's closure.
    second = bulletin_issue(month=date(2020, 4, 1), actor=users["admin"])
    assert second.number == 2
    assert MonthClosure.objects.get(month=date(2020, 3, 1)).bulletin == bulletin
    assert MonthClosure.objects.get(month=date(2020, 4, 1)).bulletin == second


@pytest.mark.django_db
def test_issuing_is_refused_twice_for_staff_and_for_a_future_month(signed, users):
    bulletin_issue(month=date(2020, 3, 1), actor=users["admin"])
    with pytest.raises(ValidationError) as err:
        bulletin_issue(month=date(2020, 3, 1), actor=users["admin"])
    assert "通报月份“2020-03”的通报已于" in first_message(err.value)
    assert "第1期" in first_message(err.value)
    with pytest.raises(PermissionDenied):
        bulletin_issue(month=date(2020, 4, 1), actor=users["staff"])
    with pytest.raises(ValidationError) as err:
        bulletin_issue(month=date(2021, 1, 1), actor=users["admin"])  # as-of date is 2020-12-31
    assert "晚于本月" in first_message(err.value)
    assert Bulletin.objects.count() == 1
    assert MonthClosure.objects.count() == 3


@pytest.mark.django_db
def test_an_arrival_in_a_closed_month_needs_a_reason_and_changes_nothing_without_one(signed, users):
    bulletin_issue(month=date(2020, 3, 1), actor=users["admin"])
    before = CapitalArrival.objects.count()
    with pytest.raises(ValidationError) as err:
        ps.arrival_record(
            project=signed, month=date(2020, 3, 1), amount=Decimal("1000000"), kind="paid_in", actor=users["staff"]
        )
    message = first_message(err.value)
    assert message.startswith(
        "更正原因（空）不能为空：2020年3月的数据已随《关于2020年1-3月全市利用外资工作情况的通报》关账"
    )
    assert CapitalArrival.objects.count() == before
    assert Correction.objects.count() == 0
    # An open month takes an arrival as before, with no correction.
    ps.arrival_record(
        project=signed, month=date(2020, 5, 1), amount=Decimal("2000000"), kind="paid_in", actor=users["staff"]
    )
    assert Correction.objects.count() == 0


@pytest.mark.django_db
def test_corrections_are_recorded_and_listed_in_the_next_bulletin_only(signed, users):
    bulletin_issue(month=date(2020, 3, 1), actor=users["admin"])
    march = CapitalArrival.objects.get(project=signed, month=date(2020, 3, 1))
    ps.arrival_update(arrival=march, amount=Decimal("4500000"), reason="外汇局核对后调减", actor=users["staff"])
    added = ps.arrival_record(
        project=signed,
        month=date(2020, 2, 1),
        amount=Decimal("300000"),
        kind="paid_in",
        reason="漏报补录",
        actor=users["staff"],
    )
    # A change of the note only is no correction of a figure.
    ps.arrival_update(arrival=march, note="已核对", reason="补充备注", actor=users["staff"])
    changed, backfill = Correction.objects.order_by("id")
    assert (changed.action, changed.month, changed.amount_before_usd, changed.amount_after_usd) == (
        "changed",
        date(2020, 3, 1),
        Decimal("5000000.00"),
        Decimal("4500000.00"),
    )
    assert (
        backfill.action,
        backfill.month,
        backfill.amount_before_usd,
        backfill.amount_after_usd,
        backfill.arrival,
    ) == (
        "added",
        date(2020, 2, 1),
        None,
        Decimal("300000.00"),
        added,
    )
    assert changed.reason == "外汇局核对后调减"
    assert changed.recorded_by == users["staff"]
    assert Correction.objects.count() == 2

    text = draft_text(date(2020, 4, 1))
    assert "已关账月份的到资数据更正2笔，到资金额2020年2月增加30万美元；2020年3月减少50万美元" in text
    assert (
        "2020年3月，嘉善县“创新药生产基地项目”到资由500万美元更正为450万美元（原因：外汇局核对后调减；更正人：嘉善专员"
        in text
    )
    assert "2020年2月，嘉善县“创新药生产基地项目”补录到资30万美元（原因：漏报补录" in text

    april = bulletin_issue(month=date(2020, 4, 1), actor=users["admin"])
    assert set(Correction.objects.values_list("listed_in", flat=True)) == {april.pk}
    # The bulletin after it has nothing new to list (the section is left out); April's issued text keeps its own.
    may = draft_text(date(2020, 5, 1))
    assert "数据更正" not in may
    assert "更正为" not in may
    assert "更正为450万美元" in build_outline(bulletin_data(date(2020, 4, 1)), with_charts=False).text()
    # The figures read the corrected rows: 1-4月 = 450万 + 30万.
    assert april.figures["city"]["actual_use_usd"] == "4800000.00"


@pytest.mark.django_db
def test_issuing_from_the_command_line_writes_the_stored_files(signed, tmp_path, capsys):
    from zhaoshang.cli import main

    assert main(["bulletin", "--period", "2020-03", "--issue", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已签发：关于2020年1-3月全市利用外资工作情况的通报（第1期），2020年1-3月已关账\n")
    assert "（已签发）" in out
    bulletin = Bulletin.objects.get()
    assert (tmp_path / "嘉兴市利用外资工作通报-2020-03.docx").read_bytes() == bytes(bulletin.docx)
    assert (tmp_path / "嘉兴市利用外资工作通报-2020-03.xlsx").read_bytes() == bytes(bulletin.xlsx)
    assert main(["bulletin", "--period", "2020-03", "--issue", "--out", str(tmp_path)]) == 1
    assert "的通报已于" in capsys.readouterr().err


@pytest.mark.django_db
def test_issuing_on_the_page(signed, users, client):
    client.force_login(users["leader"])
    assert client.post("/bulletins/issue/", {"period": "2020-03"}).status_code == 403
    client.force_login(users["admin"])
    # Without the preview's confirmation nothing is issued: back to the preview, with the reason.
    unconfirmed = client.post("/bulletins/issue/", {"period": "2020-03"})
    assert unconfirmed.status_code == 302
    assert unconfirmed["Location"] == "/bulletins/preview/?period=2020-03"
    assert not Bulletin.objects.exists()
    response = client.post("/bulletins/issue/", {"period": "2020-03", "confirm": "1"}, follow=True)
    page = response.content.decode()
    assert "已签发《关于2020年1-3月全市利用外资工作情况的通报》（第1期），1-3月数据已关账" in page
    assert Bulletin.objects.filter(month=date(2020, 3, 1), issued_by=users["admin"]).exists()
    again = client.post("/bulletins/issue/", {"period": "2020-03", "confirm": "1"}, follow=True).content.decode()
    assert "通报月份“2020-03”的通报已于" in again
    bad = client.post("/bulletins/issue/", {"period": "三月", "confirm": "1"}, follow=True).content.decode()
    assert "无法识别的通报月份“三月”" in bad
    assert Bulletin.objects.count() == 1
    # The issued month downloads the stored file.
    download = client.get("/bulletins/2020-03.docx")
    assert download.status_code == 200
    assert download.content == bytes(Bulletin.objects.get().docx)


@pytest.mark.django_db
def test_the_desk_links_the_bulletin_page_for_city_administrators_only(users, client, as_of):
    client.force_login(users["admin"])
    page = client.get("/bulletins/").content.decode()
    assert 'class="topbar"' in page
    assert 'data-nav="bulletins"' in page
    assert "签发并关账" in page
    assert 'value="2020-11"' in page  # the month before the business date (2020-12-31)
    client.force_login(users["leader"])
    assert 'data-nav="bulletins"' not in client.get("/").content.decode()
    assert client.get("/bulletins/").status_code == 403
