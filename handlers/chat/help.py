"""說明, the answer to unknown accounts, and the answer to text that is not understood."""

from __future__ import annotations

from handlers.core.commands import Commands
from handlers.core.due_text import clip
from handlers.core.incoming import Context
from handlers.core.replies import MAX_QUICK_REPLIES, Button, Reply, Text
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import onboarding as O
from storage import queries
from storage.models import Role

# What anyone is offered when the role's own menu does not apply (an empty message, nothing close).
FALLBACK = ("today", "this_week", "mine", "help")


def role_buttons(commands: Commands, role: Role, section: str = "") -> tuple[Button, ...]:
    """Return the quick-reply buttons fitted to a role (a chief's include their section's overdue list)."""
    labels = [commands.label(name) for name in commands.menu(role)]
    summary, overdue = commands.label("summary"), commands.label("overdue")
    if role is Role.chief and section:
        labels.insert(labels.index(summary), f"{overdue} {section}")
    if role in (Role.coordinator, Role.director):
        whole = [f"{summary} {M.WHOLE_OFFICE}", f"{overdue} {M.WHOLE_OFFICE}"]
        labels[labels.index(summary) : labels.index(summary)] = whole
    return tuple(Button(label, text=label) for label in labels[:MAX_QUICK_REPLIES])


def help_text(commands: Commands, role: Role, name: str, section: str) -> str:
    """Return what the person can ask, by role."""
    lines = [M.HELP_INTRO.format(name=name), ""] + [f"・{line}" for line in commands.help_lines(role, section)]
    return "\n".join([*lines, "", M.HELP_FOOTER])


def show_help(req: Request, ctx: Context) -> list[Reply]:
    """Answer 說明 with what this person can ask, and buttons for it."""
    staff = req.who.staff
    section = staff.section.name if staff.section else ""
    text = help_text(req.commands, staff.role, staff.name, section)
    return [Text(text, role_buttons(req.commands, staff.role, section))]


def thanks(req: Request, ctx: Context) -> list[Reply]:
    """Answer 謝謝 politely."""
    return [Text(M.YOU_ARE_WELCOME)]


def acknowledge(req: Request, ctx: Context) -> list[Reply]:
    """Answer 收到, 好的, 辛苦了: a nod, not a misunderstanding."""
    return [Text(M.ACKNOWLEDGED)]


def more_typed(req: Request, ctx: Context) -> list[Reply]:
    """Answer 更多 typed when no list is waiting for its next page."""
    return [Text(M.MORE_NOTHING, req.buttons(FALLBACK))]


def unlinked(req: Request, ctx: Context | None = None) -> list[Reply]:
    """Answer anyone whose LINE account is not linked: no plan data, only how to link (one line in a group)."""
    if req.incoming.group_id:
        return [Text(M.UNLINKED_IN_GROUP)]  # the code and how to get it are for a one-to-one chat
    example = _unlinked_name(ctx) if ctx is not None else None
    return [Text(f"{M.UNLINKED}\n\n{O.OR_INTRODUCE.format(example=example or O.EXAMPLE_NAME)}")]


def _unlinked_name(ctx: Context) -> str | None:
    """Return a name on the roster not linked yet: an example of 我是 that is not someone else's account."""
    office = queries.only_office(ctx.session)
    if office is None:
        return None
    return next((s.name for s in queries.staff_of_office(ctx.session, office.id) if s.active and not s.line_user_id), None)


def not_understood(req: Request, ctx: Context) -> list[Reply]:
    """Say what was not understood and offer the closest commands."""
    text = req.command.text
    if not text.strip():
        return [Text(M.NOT_UNDERSTOOD_EMPTY, req.buttons(FALLBACK))]
    allowed = req.commands.menu(req.who.role) if req.who.role else FALLBACK
    names = [n for n in req.commands.closest(text) if n in allowed] or list(FALLBACK)
    if "help" not in names:
        names.append("help")
    message = f"{M.NOT_UNDERSTOOD.format(text=clip(text, 30))}\n{M.NOT_UNDERSTOOD_HINT}"
    return [Text(message, req.buttons(names[:MAX_QUICK_REPLIES]))]
