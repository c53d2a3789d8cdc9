"""The console's 同仁 page: the roster with LINE link state; add, edit, move, deactivate and reactivate
colleagues; binding codes one at a time or for everyone not yet linked as a printable QR sheet."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import Response, after_this_request, current_app, request, send_file

from bot.console.routes import Visit, bp, page, refuse, signed_in
from bot.rich_menus import follow_roster
from handlers.core import leave
from handlers.office import onboarding_sheet, staff_changes, staff_roster
from handlers.office.imports.staff import StaffImportError, role_named
from handlers.office.staff_changes import NewSectionError, StaffChangeError, StaffForm
from handlers.texts import console as T
from handlers.texts import console_admin as A
from handlers.texts import leave as LT
from storage import leave as leave_store
from storage.models import Role, Staff
from storage.sheets import SheetError, find_cjk_font

ROLES = (Role.staff, Role.chief, Role.coordinator, Role.director)


def _staff_page(visit: Visit, status: int = 200, **values) -> Response:
    members = staff_roster.roster(visit.session, visit.who)
    sections = sorted({m.section for m in members if m.section})
    return page(
        "console/staff.html", status, visit=visit, members=members, roles=ROLES, sections=sections, L=LT, **values
    )


# Every route of the page: only those who manage the roster (the session and a POST's form token checked first).
managers = signed_in(staff_roster.may_manage, T.STAFF_NOT_ALLOWED)


def _colleague(visit: Visit, staff_id: int) -> Staff | None:
    person = visit.session.get(Staff, staff_id)
    return person if person is not None and person.office_id == visit.who.staff.office_id else None


def _managed_colleague(visit: Visit, staff_id: int) -> Staff | Response:
    """Return the colleague a roster change is about, or the refusal (not one of this office's)."""
    person = _colleague(visit, staff_id)
    return person if person is not None else refuse(T.NOT_FOUND, 404, visit)


def _form() -> StaffForm | None:
    try:
        role = role_named(request.form.get("role", ""))
    except StaffImportError:
        return None
    new_section = request.form.get("new_section") == "1"
    return StaffForm(request.form.get("name", "").strip(), request.form.get("section", "").strip(), role, new_section)


@bp.get("/staff")
@managers
def staff(visit: Visit) -> Response:
    """The office's staff: section, role, whether their LINE account is linked."""
    return _staff_page(visit)


@bp.post("/staff/<int:staff_id>/invite")
@managers
def staff_invite(visit: Visit, staff_id: int) -> Response:
    """Issue a binding code for one person and show it once."""
    issued = staff_roster.invite(visit.session, visit.who, staff_id, visit.ctx.now)
    if issued is None:
        return refuse(T.NOT_FOUND, 404, visit)
    return _staff_page(visit, issued=issued)


@bp.post("/staff")
@managers
def staff_add(visit: Visit) -> Response:
    """Add a colleague."""
    form = _form()
    if form is None:
        return _staff_page(visit, 400, notice=A.STAFF_BAD_ROLE)
    try:
        person = staff_changes.add(visit.session, visit.who.staff.office, form, visit.ctx.now, visit.who.actor)
    except StaffChangeError as exc:
        asked = isinstance(exc, NewSectionError)
        return _staff_page(visit, 400, notice=str(exc), form=form, ask_section=asked)
    return _staff_page(visit, notice=A.STAFF_ADDED.format(name=person.name))


@bp.get("/staff/<int:staff_id>")
@managers
def staff_edit_form(visit: Visit, staff_id: int) -> Response:
    """One colleague's form: name, section, role; deactivate or reactivate."""
    person = _colleague(visit, staff_id)
    if person is None:
        return refuse(T.NOT_FOUND, 404, visit)
    return _edit_page(visit, person)


def _edit_page(visit: Visit, person: Staff, status: int = 200, **values) -> Response:
    members = staff_roster.roster(visit.session, visit.who)
    sections = sorted({m.section for m in members if m.section})
    first, second = leave_store.deputies_of(visit.session, person.id)
    return page("console/staff_edit.html", status, visit=visit, person=person, roles=ROLES, sections=sections,
                choices=leave.deputy_choices(visit.session, person), first=first, second=second, L=LT, **values)


@bp.post("/staff/<int:staff_id>/deputies")
@managers
def staff_deputies(visit: Visit, staff_id: int) -> Response:
    """Save a colleague's first and second deputy (職務代理人)."""
    person = _managed_colleague(visit, staff_id)
    if isinstance(person, Response):
        return person
    ids = [_chosen_id(request.form.get(field, "")) for field in ("first", "second")]
    if any(i is False for i in ids):
        return _edit_page(visit, person, 400, notice=LT.DEPUTY_NOT_HERE)
    problem = leave.set_deputies_by_id(visit.session, person, ids[0], ids[1], visit.ctx.now, visit.who.actor)
    if problem:
        return _edit_page(visit, person, 400, notice=problem)
    return _edit_page(visit, person, notice=LT.DEPUTIES_SAVED.format(name=person.name))


def _chosen_id(value: str) -> int | None | bool:
    """Return the chosen staff id, None for 「（無）」, False for anything else."""
    if not value:
        return None
    return int(value) if value.isdigit() else False


@bp.post("/staff/<int:staff_id>")
@managers
def staff_edit(visit: Visit, staff_id: int) -> Response:
    """Save a colleague's name, section and role (moving them between sections keeps their reports)."""
    person = _managed_colleague(visit, staff_id)
    if isinstance(person, Response):
        return person
    form = _form()
    if form is None:
        return _edit_page(visit, person, 400, notice=A.STAFF_BAD_ROLE)
    try:
        staff_changes.edit(visit.session, person, form, visit.ctx.now, visit.who.actor)
    except StaffChangeError as exc:  # refused before anything changed
        return _edit_page(visit, person, 400, notice=str(exc))
    after_this_request(_menus_follow(visit.who.staff.office_id))
    return _staff_page(visit, notice=A.STAFF_SAVED.format(name=person.name))


@bp.post("/staff/<int:staff_id>/deactivate")
@managers
def staff_deactivate(visit: Visit, staff_id: int) -> Response:
    """Deactivate a colleague: unlink LINE, stop reminders and sign-ins, keep their history."""
    return _switch(visit, staff_id, staff_changes.deactivate, A.STAFF_DEACTIVATED)


@bp.post("/staff/<int:staff_id>/reactivate")
@managers
def staff_reactivate(visit: Visit, staff_id: int) -> Response:
    """Reactivate a deactivated colleague (they need a new binding code)."""
    return _switch(visit, staff_id, staff_changes.reactivate, A.STAFF_REACTIVATED)


def _switch(visit: Visit, staff_id: int, change, done: str) -> Response:
    person = _managed_colleague(visit, staff_id)
    if isinstance(person, Response):
        return person
    if person.id == visit.who.staff.id:
        return _staff_page(visit, 400, notice=A.STAFF_NOT_SELF)
    changed = change(visit.session, person, visit.ctx.now, visit.who.actor)
    after_this_request(_menus_follow(visit.who.staff.office_id))
    return _staff_page(visit, notice=(done if changed else A.STAFF_ALREADY).format(name=person.name))


def _menus_follow(office_id: int):
    """After a committed roster change, give the office's linked accounts their role's rich menu (where LINE is configured)."""
    def follow(response: Response) -> Response:
        svc = current_app.extensions["planbot"]
        follow_roster(svc.runtime, office_id, svc.channels)
        return response

    return follow


@bp.post("/staff/sheet")
@managers
def staff_sheet(visit: Visit) -> Response:
    """Issue new codes to every active colleague not yet linked and download the printable QR sheet (PDF)."""
    try:
        find_cjk_font()  # no font, no new codes
    except SheetError:
        return _staff_page(visit, 503, notice=A.EXPORT_NO_FONT)
    office = visit.who.staff.office
    invitations = onboarding_sheet.invite_unlinked(visit.session, office, visit.ctx.now, visit.who.actor)
    if not invitations:
        return _staff_page(visit, notice=A.SHEET_NONE)
    with tempfile.TemporaryDirectory(prefix="planbot-sheet-") as folder:
        path = onboarding_sheet.write_sheet(
            Path(folder) / "sheet.pdf", office, invitations, visit.ctx.settings.line_bot_basic_id
        )
        data = io.BytesIO(path.read_bytes())
    name = A.SHEET_FILE.format(day=visit.ctx.today.strftime("%Y%m%d"))
    response = send_file(data, mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response
