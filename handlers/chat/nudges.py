"""The 未回報 list's button: remind each listed person once now, through the reminder outbox.

Tapping it writes one delivery per person keyed ``nudge:<day>:<staff id>`` (so nobody is reminded twice a day,
whoever taps); the clock's 5-minute `tend` job pushes them, counted against LINE's quota like the digests.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from handlers.chat import team
from handlers.core.agenda import Due
from handlers.core.commands import Command
from handlers.core.incoming import Context
from handlers.core.replies import Button, Reply, Text, seen_by, to_dict
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import nudges as N
from handlers.texts import words as W
from storage import outbox
from storage.models import Delivery, Staff

MAX_LINES = 15  # lines of one reminder; more are counted, not shown


def key_of(day: date, staff_id: int) -> str:
    """Return the delivery key of a person's reminder on a day (one a day)."""
    return outbox.key_of(outbox.Kind.NUDGE, day, staff_id)


def on_nudge(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Remind each person 未回報 lists (for the same scope, checked again) once today; say who will be reminded."""
    definition = req.commands.get("not_reported")
    if definition is None or not definition.allows(req.who.role):
        return [Text(M.REFUSE_NOT_REPORTED)]
    args = fields.get("r", "")
    again = Request(req.incoming, req.who, Command("not_reported", args, args), req.commands)
    found = team.unreported(again, ctx)
    if not isinstance(found, team.Unreported):
        return found
    return seen_by(found.audience, _queue(req, ctx, found))


def _queue(req: Request, ctx: Context, found: team.Unreported) -> list[Reply]:
    """Queue each listed person's reminder; return who will be reminded, who already was, who cannot be."""
    people = _owners(found.dues, req.who.staff)
    if not people:
        return [Text(N.NOBODY)]
    today = ctx.today
    sent = set(ctx.session.scalars(select(Delivery.key).where(Delivery.key.in_([key_of(today, p.id) for p in people]))))
    queued, already, unreachable = [], [], []
    for person in people:
        if key_of(today, person.id) in sent:
            already.append(person.name)
        elif not (person.line_user_id and person.following and person.active):
            unreachable.append(person.name)
        else:
            _write(ctx, req, person, people[person])
            queued.append(person.name)
    lines = [N.QUEUED.format(count=len(queued), names=M.LIST_SEP.join(queued))] if queued else [N.NOBODY_NEW]
    lines += [N.ALREADY.format(names=M.LIST_SEP.join(already))] if already else []
    lines += [N.UNREACHABLE.format(names=M.LIST_SEP.join(unreachable))] if unreachable else []
    return [Text("\n".join(lines))]


def _owners(dues: list[Due], asker: Staff | None) -> dict[Staff, list[Due]]:
    """Return each owner of the listed occurrences (the asker aside) with theirs, in the list's order."""
    out: dict[Staff, list[Due]] = {}
    for due in dues:
        for owner in due.item.owners:
            if asker is None or owner.id != asker.id:
                out.setdefault(owner, []).append(due)
    return out


def _write(ctx: Context, req: Request, person: Staff, dues: list[Due]) -> None:
    """Put the person's reminder in the outbox (the clock sends it)."""
    today = ctx.today
    asker = req.who.staff
    dues = team.overdue_first(today)(dues)  # as the 未回報 list shows them
    lines = [team.unreported_line(d, today) for d in dues[:MAX_LINES]]
    lines += [N.MESSAGE_MORE.format(n=len(dues) - MAX_LINES)] if len(dues) > MAX_LINES else []
    text = N.MESSAGE.format(asker=asker.name, role=W.ROLE[asker.role.value], count=len(dues), lines="\n".join(lines))
    text += "\n\n" + N.HOW_TO.format(number=dues[0].item.number)
    reply = Text(text, (Button(N.BUTTON_MINE, text=req.label("mine")),))
    key = key_of(today, person.id)
    outbox.enqueue(
        ctx.session, key, recipient=person.line_user_id, staff_id=person.id, reasons="nudge", now=ctx.now, morning=today,
        payload={"version": 1, "morning": today.isoformat(), "to": person.name, "via": "user", "lines": [],
                 "replies": [to_dict(reply)]},
        checked=True,
    )
