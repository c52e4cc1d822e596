"""Admin helpers: every admin save is signed with the user and a reason naming the fields changed.

The installation's settings row (SiteConfig) is administered in `stats.admin`, through its service."""

from __future__ import annotations

from typing import Any

from simple_history.admin import SimpleHistoryAdmin

from .audit import save_with_audit


def changed_reason(form: Any, prefix: str = "管理页面修改") -> str:
    labels = []
    for name in form.changed_data:
        field = form.fields.get(name)
        labels.append(str(field.label) if field is not None and field.label else name)
    return f"{prefix}：{'、'.join(labels)}" if labels else prefix


class AuditedAdmin(SimpleHistoryAdmin):
    """The history row of an admin edit carries who made it and which fields changed, as a service's would."""

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        save_with_audit(
            obj, actor=request.user, reason=changed_reason(form, "管理页面修改" if change else "管理页面新增")
        )

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        instances = formset.save(commit=False)
        by_instance = {id(f.instance): f for f in formset.forms}
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj._change_reason = "管理页面删除"
            obj.delete()
        for obj in instances:
            sub = by_instance.get(id(obj))
            reason = changed_reason(sub) if sub is not None else "管理页面修改"
            save_with_audit(obj, actor=request.user, reason=reason)
        formset.save_m2m()


class ThroughServicesOnly:
    """Records whose every write must go through the services (derived US$ amounts and dates, stage order, closed
    months, audit reasons): the admin shows them and their history, and the desk, the API and imports change them."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
