"""`zhaoshang intake FILE [--dry-run]` and `zhaoshang leads list|assign|escalate`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_intake(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from zhaoshang.common.validation import first_message
    from zhaoshang.intake.proposals import analyse, dry_run_lines
    from zhaoshang.intake.text import file_text

    path = Path(args.file)
    if not path.is_file():
        print(f"错误：文件“{path}”不存在", file=sys.stderr)
        return 1
    try:
        text = file_text(path.name, path.read_bytes())
    except ValidationError as exc:
        print(f"错误：{first_message(exc)}", file=sys.stderr)
        return 1
    intake = analyse(text, title=path.name)
    print("\n".join(dry_run_lines(intake)))
    if args.dry_run:
        print("（试运行：未写入任何数据）")
        return 0
    from zhaoshang.accounts.selectors import command_operator
    from zhaoshang.intake.services import intake_document_create

    actor = command_operator(args.user, "lead.write")
    doc = intake_document_create(title=path.name, text=text, actor=actor)
    print(f"已保存文本 #{doc.pk}；请在网页“线索识别”逐条确认建议（命令行不自动写入）。")
    return 0


def cmd_leads(args: argparse.Namespace) -> int:
    from zhaoshang.leads import selectors, services
    from zhaoshang.leads.models import Lead

    if args.action == "list":
        rows = selectors.lead_list(unit_code=args.unit, status=args.status)
        for lead in rows[: args.limit]:
            unit = lead.unit.short_name if lead.unit else "未分派"
            overdue = "（逾期）" if selectors.is_overdue(lead) else ""
            print(
                f"{lead.code}\t{lead.company}\t{lead.get_source_display()}\t{unit}\t{lead.get_status_display()}"
                f"\t时限 {lead.respond_by.isoformat()}{overdue}"
            )
        print(f"共 {rows.count()} 条")
        return 0
    from zhaoshang.accounts.selectors import command_operator

    # Refusals (ValidationError, PermissionDenied) are printed by the command's runner, with exit status 1.
    if args.action == "assign":
        from zhaoshang.units.selectors import unit_by_code

        found = Lead.objects.filter(code=args.code).first()
        if found is None:
            print(f"错误：线索“{args.code}”不存在", file=sys.stderr)
            return 1
        actor = command_operator(args.user, "lead.assign")
        lead = services.lead_assign(lead=found, unit=unit_by_code(args.unit), actor=actor)
        print(f"已将线索 {lead.code} 分派至{lead.unit.name if lead.unit else ''}，首次联系时限 {lead.respond_by}")
    else:
        actor = command_operator(args.user, "lead.assign")
        done = services.leads_escalate(actor=actor)
        print(f"已上报逾期线索 {len(done)} 条")
    return 0
