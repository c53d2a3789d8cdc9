"""說明, the answer to unknown accounts, and the answer to text that is not understood."""

from __future__ import annotations

from handlers.texts import chat as M
from handlers.commands import closest
from handlers.due_text import clip
from handlers.incoming import Context
from handlers.replies import MAX_QUICK_REPLIES, Button, Reply, Text
from handlers.request import Request
from storage.models import Role

# The buttons under 說明, by role: what each person asks most.
ROLE_COMMANDS: dict[Role, tuple[str, ...]] = {
    Role.staff: ("today", "tomorrow", "this_week", "next_week", "this_month", "next_month", "overdue", "mine", "report", "help"),
    Role.chief: ("today", "this_week", "next_week", "this_month", "overdue", "mine", "report", "summary", "export", "help"),
    Role.coordinator: ("today", "this_week", "this_month", "overdue", "mine", "report", "summary", "export", "help"),
    Role.director: ("this_week", "this_month", "mine", "summary", "export", "help"),
}
FALLBACK = ("today", "this_week", "mine", "help")


def role_buttons(role: Role, section: str = "") -> tuple[Button, ...]:
    """Return the quick-reply buttons fitted to a role (a chief's include their section's overdue list)."""
    labels = [M.NAV[name] for name in ROLE_COMMANDS[role]]
    if role is Role.chief and section:
        labels.insert(labels.index(M.NAV["summary"]), f"{M.NAV['overdue']} {section}")
    if role in (Role.coordinator, Role.director):
        whole = [f"{M.NAV['summary']} {M.WHOLE_OFFICE}", f"{M.NAV['overdue']} {M.WHOLE_OFFICE}"]
        labels[labels.index(M.NAV["summary"]) : labels.index(M.NAV["summary"])] = whole
    return tuple(Button(label, text=label) for label in labels[:MAX_QUICK_REPLIES])


def help_text(role: Role, name: str, section: str) -> str:
    """Return what the person can ask, by role."""
    lines = [M.HELP_INTRO.format(name=name), ""] + [f"・{line}" for line in M.HELP_STAFF]
    if role is Role.chief:
        lines += [f"・{line.format(section=section)}" for line in M.HELP_CHIEF]
    elif role in (Role.coordinator, Role.director):
        lines += [f"・{line}" for line in M.HELP_ALL]
    return "\n".join([*lines, "", M.HELP_FOOTER])


def show_help(req: Request, ctx: Context) -> list[Reply]:
    """Answer 說明 with what this person can ask, and buttons for it."""
    staff = req.who.staff
    section = staff.section.name if staff.section else ""
    return [Text(help_text(staff.role, staff.name, section), role_buttons(staff.role, section))]


def thanks(req: Request, ctx: Context) -> list[Reply]:
    """Answer 謝謝 politely."""
    return [Text(M.YOU_ARE_WELCOME)]


def unlinked(req: Request, ctx: Context | None = None) -> list[Reply]:
    """Answer anyone whose LINE account is not linked: no plan data, only how to link (one line in a group)."""
    if req.incoming.group_id:
        return [Text(M.UNLINKED_IN_GROUP)]  # the code and how to get it are for a one-to-one chat
    return [Text(M.UNLINKED)]


def not_understood(req: Request, ctx: Context) -> list[Reply]:
    """Say what was not understood and offer the closest commands."""
    text = req.command.text
    if not text.strip():
        return [Text(M.NOT_UNDERSTOOD_EMPTY, _buttons(FALLBACK))]
    allowed = ROLE_COMMANDS[req.who.role] if req.who.role else FALLBACK
    names = [n for n in closest(text) if n in allowed] or list(FALLBACK)
    if "help" not in names:
        names.append("help")
    message = f"{M.NOT_UNDERSTOOD.format(text=clip(text, 30))}\n{M.NOT_UNDERSTOOD_HINT}"
    return [Text(message, _buttons(tuple(names)))]


def _buttons(names: tuple[str, ...]) -> tuple[Button, ...]:
    return tuple(Button(M.NAV[n], text=M.NAV[n]) for n in names[:MAX_QUICK_REPLIES])
