"""The project page's checklist, status and evidence; the list's status filter; the queue's evidence; and the same
over the API (checklist, evidence upload, status)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.tests.factories import UserFactory
from zhaoshang.accounts.tests.test_permission_table import database_state
from zhaoshang.common.minipdf import one_page_pdf
from zhaoshang.projects import gates
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification as vf
from zhaoshang.projects.models import Claim, Evidence, Project, VerificationRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_force(users):
    gates.gates_in_force_from(actor=users["admin"], on=date(2020, 1, 1))


@pytest.fixture
def signed(in_force, project, users) -> Project:
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])


def test_the_project_page_lists_what_the_next_stage_needs_with_links(signed, users, client):
    client.force_login(users["staff"])
    page = client.get(f"/projects/{signed.code}/").content.decode()
    assert "进入下一阶段（设立）还需：" in page
    for label in ("外资企业", "外资企业的统一社会信用代码", "外资企业的设立登记日期"):
        assert f'<a href="#project-facts">{label}</a>' in page
    assert 'id="evidence-upload"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'id="form-status"' in page
    assert 'accept=".docx,.jpeg,.jpg,.ofd,.pdf,.png,.xlsx"' in page


def test_a_refused_advance_shows_the_missing_items_beside_the_form(signed, users, client):
    client.force_login(users["staff"])
    client.get(f"/projects/{signed.code}/")  # the first page read creates the settings rows
    before = database_state()
    response = client.post(f"/projects/{signed.code}/advance/", {"to_stage": "registered", "on": "2020-04-01"})
    assert response.status_code == 400
    assert (
        "进入阶段“设立”的条件尚未满足，还需：1. 外资企业；2. 外资企业的统一社会信用代码；3. 外资企业的设立登记日期"
        in response.content.decode()
    )
    assert database_state() == before


def test_an_evidence_upload_on_the_page(signed, users, client):
    client.force_login(users["staff"])
    pdf = one_page_pdf("contract")
    response = client.post(
        f"/projects/{signed.code}/evidence/",
        {"kind": "other", "target": "stage:signed", "note": "合同", "file": SimpleUploadedFile("合同.pdf", pdf)},
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.kind, item.stage, item.original_name, item.size, item.uploaded_by) == (
        "other", "signed", "合同.pdf", len(pdf), users["staff"],
    )  # fmt: skip
    page = client.get(f"/projects/{signed.code}/").content.decode()
    assert f'href="/projects/{signed.code}/evidence/{item.pk}/"' in page
    # A hostile file is refused beside the field, in Chinese, and nothing is stored.
    response = client.post(
        f"/projects/{signed.code}/evidence/",
        {"kind": "other", "target": "stage:signed", "file": SimpleUploadedFile("图.png", pdf)},
    )
    assert response.status_code == 400
    assert "文件“图.png”的内容是PDF，与扩展名“.png”不符" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_status_on_the_page_and_the_list(signed, users, client):
    client.force_login(users["staff"])
    response = client.post(
        f"/projects/{signed.code}/status/",
        {"status": "stalled", "on": "2020-05-01", "reason": "环评未批", "obstacle": "environment"},
    )
    assert response.status_code == 302
    page = client.get(f"/projects/{signed.code}/").content.decode()
    assert "停滞（2020-05-01）：环评未批" in page
    assert "环评未批；环评" in page
    listing = client.get("/projects/?status=stalled").content.decode()
    assert signed.code in listing
    assert "status-stalled" in listing
    assert signed.code not in client.get("/projects/?status=delayed").content.decode()
    assert client.get("/projects/?status=asleep").status_code == 400
    # Another unit's staff have no status form and cannot post one.
    client.force_login(users["zone_staff"])
    assert 'id="form-status"' not in client.get(f"/projects/{signed.code}/").content.decode()
    assert client.post(f"/projects/{signed.code}/status/", {"status": "normal", "on": "2020-06-01"}).status_code == 403


def test_the_queue_shows_each_claims_evidence(project, users, client):
    """(Gates as seeded: not yet in force on 2020 dates, so a signed project takes an arrival.)"""
    signed = ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    vf.verification_rule_set(item=VerificationRule.Item.ARRIVAL, requires_verification=True, actor=users["admin"])
    arrival = ps.arrival_record(
        project=signed, month=date(2020, 4, 1), amount=Decimal(3_000_000), kind="paid_in", actor=users["staff"]
    )
    claim = Claim.objects.get(arrival=arrival)
    client.force_login(users["staff"])
    client.post(
        f"/projects/{signed.code}/evidence/",
        {
            "kind": "bank_receipt",
            "target": f"arrival:{arrival.pk}",
            "file": SimpleUploadedFile("进账单.pdf", one_page_pdf()),
        },
    )
    item = Evidence.objects.get()
    client.force_login(UserFactory.create(username="rd", role=Role.VERIFIER))
    page = client.get("/verifications/").content.decode()
    row = page[page.index(f'data-claim="{claim.pk}"') :]
    assert f'href="/projects/{signed.code}/evidence/{item.pk}/"' in row[: row.index("</tr>")]


# ----------------------------------------------------------------------------------------------------------- API


def test_checklist_api(signed, users, client):
    client.force_login(users["leader"])
    body = client.get(f"/api/projects/{signed.code}/checklist").json()
    page = f"/projects/{signed.code}/"
    assert body == {
        "project_code": signed.code,
        "stage": "registered",
        "stage_label": "设立",
        "complete": False,
        "in_force": True,
        "in_force_from": "2020-01-01",
        "missing": ["外资企业", "外资企业的统一社会信用代码", "外资企业的设立登记日期"],
        "items": [
            {
                "key": k,
                "label": label,
                "stage": "registered",
                "met": False,
                "waived_by": "",
                "link": page + "#project-facts",
            }
            for k, label in [
                ("enterprise", "外资企业"),
                ("enterprise_credit_code", "外资企业的统一社会信用代码"),
                ("enterprise_registered_on", "外资企业的设立登记日期"),
            ]
        ],
    }
    later = client.get(f"/api/projects/{signed.code}/checklist?stage=construction").json()
    assert later["missing"][-2:] == ["至少一笔实际到资", "“开工”证明材料（施工许可或开工照片）至少1份"]
    assert client.get(f"/api/projects/{signed.code}/checklist?stage=signed").json() == {
        "detail": "阶段“签约”不在项目当前阶段之后"
    }
    assert client.get(f"/api/projects/{signed.code}/checklist?stage=moon").status_code == 400
    assert client.get("/api/projects/XM2099-0001/checklist").status_code == 404
    client.logout()
    assert client.get(f"/api/projects/{signed.code}/checklist").status_code == 401


def test_evidence_api(signed, users, client):
    client.force_login(users["staff"])
    pdf = one_page_pdf()
    url = f"/api/projects/{signed.code}/evidence"
    response = client.post(url, {"kind": "other", "stage": "signed", "file": SimpleUploadedFile("合同.pdf", pdf)})
    assert response.status_code == 201
    item = Evidence.objects.get()
    body = response.json()
    assert {k: body[k] for k in ("id", "kind", "kind_label", "stage", "name", "content_type", "size")} == {
        "id": item.pk,
        "kind": "other",
        "kind_label": "其他",
        "stage": "signed",
        "name": "合同.pdf",
        "content_type": "application/pdf",
        "size": len(pdf),
    }
    assert body["download_url"] == f"/projects/{signed.code}/evidence/{item.pk}/"
    bad = client.post(url, {"kind": "other", "stage": "signed", "file": SimpleUploadedFile("x.svg", b"<svg/>")})
    assert (bad.status_code, bad.json()) == (
        400,
        {"detail": "文件“x.svg”的类型“.svg”不接受；可上传 PDF、JPEG、PNG、OFD、Word（.docx）、Excel（.xlsx）"},
    )
    assert client.post(url, {"kind": "other", "stage": "signed"}).status_code == 400  # no file
    client.force_login(users["zone_staff"])
    forbidden = client.post(url, {"kind": "other", "stage": "signed", "file": SimpleUploadedFile("合同.pdf", pdf)})
    assert forbidden.status_code == 403
    assert client.get(url).status_code == 403
    assert Evidence.objects.count() == 1
    client.force_login(users["auditor"])
    assert [e["id"] for e in client.get(url).json()] == [item.pk]


def test_status_api(signed, users, client):
    client.force_login(users["staff"])
    url = f"/api/projects/{signed.code}/status"
    body = {"status": "delayed", "on": "2020-06-01", "reason": "审批延后", "expected_on": "2020-12-01"}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.json() == {
        "code": signed.code,
        "stage": "signed",
        "status": "delayed",
        "status_label": "延期",
        "status_on": "2020-06-01",
        "status_note": "审批延后",
        "destination": "",
    }
    lost = client.post(
        url, json.dumps({"status": "lost", "on": "2020-07-01", "reason": "外迁"}), content_type="application/json"
    )
    assert (lost.status_code, lost.json()) == (400, {"detail": "流失去向（城市或国家）（空）不能为空"})
    client.force_login(users["leader"])
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 403
