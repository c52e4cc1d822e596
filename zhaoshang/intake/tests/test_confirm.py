"""Proposals are written only when a person confirms them, one by one, through the owning services and rights."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from zhaoshang.chains import services as cs
from zhaoshang.chains.models import TargetCompany
from zhaoshang.intake.models import IntakeConfirmation
from zhaoshang.intake.proposals import analyse
from zhaoshang.intake.services import intake_document_create, proposal_confirm
from zhaoshang.intake.text import file_text, repair
from zhaoshang.leads.models import Lead
from zhaoshang.projects.models import Claim, VerificationRule
from zhaoshang.projects.verification import verification_rule_set

pytestmark = pytest.mark.django_db

TEXT = (
    "嘉善县生物医药产业再添新动能\n\n"
    "10月，云顶新耀创新药生产基地项目在嘉善开工建设。\n\n"
    "浙江禾芯半导体有限公司与嘉善签约功率器件封装测试项目，总投资12亿元。"
)


@pytest.fixture
def chain(users):
    chain = cs.chain_upsert(slug="semi", name="泛半导体", actor=users["admin"])
    return cs.link_upsert(chain=chain, name="封装测试", position=1, keywords="封装测试、封测", actor=users["admin"])


def test_nothing_is_written_until_confirmed_then_each_through_its_service(as_of, units, users, project, chain):
    staff, admin = users["staff"], users["admin"]
    verification_rule_set(item=VerificationRule.Item.CONSTRUCTION, requires_verification=True, actor=admin)
    doc = intake_document_create(title="测试新闻", text=TEXT, actor=staff)
    proposals = {p.kind: p for p in analyse(doc.text).proposals}
    assert set(proposals) == {"stage", "lead", "target"}
    assert not Lead.objects.exists()
    assert not Claim.objects.exists()

    proposal_confirm(document=doc, key=proposals["stage"].key, on=date(2020, 10, 12), actor=staff)
    project.refresh_from_db()
    assert project.stage == "construction"
    assert Claim.objects.get(project=project).status == "pending"  # through verification, as any stage claim

    proposal_confirm(document=doc, key=proposals["lead"].key, on=date(2020, 12, 1), actor=staff)
    lead = Lead.objects.get()
    assert (lead.company, lead.source, lead.unit, lead.amount, lead.currency) == (
        "浙江禾芯半导体有限公司",
        "news",
        units["jiashan"],
        1_200_000_000,
        "CNY",
    )
    with pytest.raises(ValidationError):
        proposal_confirm(document=doc, key=proposals["lead"].key, actor=staff)  # once only

    with pytest.raises(PermissionDenied):  # chain targets are the city's
        proposal_confirm(document=doc, key=proposals["target"].key, country="KR", actor=staff)
    proposal_confirm(document=doc, key=proposals["target"].key, country="KR", actor=admin)
    assert TargetCompany.objects.get().name == "浙江禾芯半导体有限公司"
    assert IntakeConfirmation.objects.count() == 3


def test_a_forged_key_is_refused(as_of, units, users, project):
    doc = intake_document_create(title="测试", text=TEXT, actor=users["staff"])
    with pytest.raises(ValidationError):
        proposal_confirm(document=doc, key="lead:不存在", actor=users["staff"])


def test_file_types_and_damaged_text(tmp_path):
    from docx import Document

    d = Document()
    d.add_paragraph("巴斯夫欧洲公司签约3亿美元项目")
    buf = io.BytesIO()
    d.save(buf)
    assert "巴斯夫欧洲公司" in file_text("a.docx", buf.getvalue())
    html = "<html><script>var x='隐藏公司'</script><p>跑步式&ldquo;稳外资&rdquo;</p><p>港区</p></html>"
    assert repair(file_text("a.html", html.encode())).split() == ["跑步式“稳外资”", "港区"]
    assert repair("跑步式ldquo稳外资rdquo") == "跑步式“稳外资”"
    assert repair("http://example.com/ldquoX") != ""
    with pytest.raises(ValidationError) as err:
        file_text("a.exe", b"MZ")
    assert "类型.exe不支持" in str(err.value)
    with pytest.raises(ValidationError) as err:
        file_text("broken.pdf", b"%PDF-1.4 garbage")
    assert "无法读取" in str(err.value)


def test_the_intake_page_highlights_and_escapes(as_of, units, users, project):
    c = Client()
    c.force_login(users["staff"])
    response = c.post("/intake/", {"title": "页面", "text": TEXT + "<script>alert(1)</script>"})
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert '<mark class="f-company"' in page
    assert "云顶新耀" in page
    assert "<script>alert(1)</script>" not in page
    assert "确认" in page


def test_the_api_proposes_and_writes_nothing(as_of, units, users, project):
    c = Client()
    c.force_login(users["staff"])
    response = c.post("/api/intake", {"text": TEXT}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert {x["company"] for x in body["companies"]} >= {"云顶新耀", "浙江禾芯半导体有限公司"}
    assert not Lead.objects.exists()


def test_a_company_already_held_by_an_open_lead_is_not_proposed_again(as_of, units, users, project):
    from zhaoshang.leads.services import lead_create

    lead = lead_create(company="浙江禾芯半导体有限公司", source="inbound", actor=users["staff"])
    proposals = analyse(TEXT).proposals
    assert not [p for p in proposals if p.kind == "lead"]
    assert any(p.title.startswith(f"已有线索 {lead.code}") for p in proposals)
