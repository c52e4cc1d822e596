"""Write commands name their operator with --user: missing, unknown, inactive, the system actor or a role without
the right is refused in Chinese before anything is written; the operator's name is on the history rows."""

from __future__ import annotations

import pytest

from zhaoshang.bulletins.models import Bulletin
from zhaoshang.cli import main
from zhaoshang.stats.models import Target

pytestmark = pytest.mark.django_db

ISSUE = ["bulletin", "--period", "2020-03", "--issue"]


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ([], "错误：此命令会修改数据（签发通报），请用 --user 用户名 指明操作人"),
        (["--user", "nobody"], "错误：--user nobody：用户不存在"),
        (["--user", "system"], "错误：--user system：系统操作人只供演示数据和后台任务使用，请用本人的账号"),
        (["--user", "mayor"], "错误：--user mayor（市领导，领导（只读））没有权限：签发通报"),
        (["--user", "js"], "错误：--user js（嘉善专员，招商主体工作人员）没有权限：签发通报"),
    ],
)
def test_a_write_command_refuses_a_missing_or_unentitled_operator(as_of, users, tmp_path, capsys, user, message):
    assert main([*ISSUE, "--out", str(tmp_path), *user]) == 1
    assert capsys.readouterr().err.strip() == message
    assert Bulletin.objects.count() == 0
    assert Bulletin.history.count() == 0


def test_an_inactive_operator_is_refused(as_of, users, tmp_path, capsys):
    users["admin"].is_active = False
    users["admin"].save()
    assert main([*ISSUE, "--out", str(tmp_path), "--user", "admin"]) == 1
    assert capsys.readouterr().err.strip() == "错误：--user admin：账号已停用"


def test_the_operator_signs_the_history_rows(as_of, users, tmp_path, capsys):
    path = tmp_path / "targets.csv"
    path.write_text("年度,招商主体,指标,目标值（万美元）\n2020,嘉善县,实际使用外资,5000\n", encoding="utf-8")
    assert main(["import", "targets", str(path), "--user", "js"]) == 1  # unit staff may not set targets
    assert "没有权限：设定任务" in capsys.readouterr().err
    assert Target.history.count() == 0
    assert main(["import", "targets", str(path), "--user", "admin"]) == 0, capsys.readouterr().err
    row = Target.history.get()
    assert (row.history_user, row.history_change_reason, row.value) == (users["admin"], "设定任务", 50_000_000)
