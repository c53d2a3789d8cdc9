"""綁定 CODE links a LINE account to a staff record; 綁定群組 課室 makes a group the section's group."""

from __future__ import annotations

from handlers.chat.help import role_buttons, unlinked
from handlers.core import access, scopes
from handlers.core.incoming import Context, IncomingKind
from handlers.core.replies import Reply, Text, to_dict
from handlers.core.request import Request
from handlers.texts import chat as M
from storage import invites, outbox, queries
from storage.invites import Redeemed
from storage.models import Role, Section
from storage.text import compact


def link(req: Request, ctx: Context) -> list[Reply]:
    """Answer 綁定 CODE: link this LINE account, or say clearly why not."""
    code = compact(req.args).upper()
    if not code or not req.incoming.line_user_id:
        return [Text(M.LINK_USAGE)]
    result = invites.redeem(ctx.session, code, req.incoming.line_user_id, ctx.now, req.incoming.office_id)
    if result.outcome is Redeemed.linked:
        staff = result.staff
        section = staff.section.name if staff.section else M.NOBODY
        text = M.LINKED.format(name=staff.name, section=section, role=M.ROLE[staff.role.value])
        if result.previous:
            told = {"version": 1, "replies": [to_dict(Text(M.LINK_MOVED_AWAY.format(name=staff.name)))]}
            outbox.queue_notice(ctx.session, f"relinked:{staff.id}:{ctx.now.isoformat()}", result.previous, None,
                                "relinked", told, ctx.now)
        return [Text(text, role_buttons(req.commands, staff.role, section))]
    if result.outcome is Redeemed.wrong:
        tried = invites.wrong_tries_last_hour(ctx.session, req.incoming.line_user_id, ctx.now)
        return [Text(M.LINK_WRONG.format(left=max(0, invites.MAX_WRONG_PER_HOUR - tried)))]
    if result.outcome is Redeemed.other_office:
        return [Text(M.LINK_OTHER_OFFICE.format(office=result.staff.office.name))]
    if result.outcome is Redeemed.taken:
        return [Text(M.LINK_TAKEN.format(name=result.staff.name if result.staff else ""))]
    answers = {Redeemed.expired: M.LINK_EXPIRED, Redeemed.used: M.LINK_USED, Redeemed.limited: M.LINK_LIMITED}
    return [Text(answers.get(result.outcome, M.LINK_USAGE))]


def link_group(req: Request, ctx: Context) -> list[Reply]:
    """Answer 綁定群組 課室 in a group: a chief (or the coordinator) makes it the section's group."""
    group_id = req.incoming.group_id
    if not group_id:
        return [Text(M.LINK_GROUP_NOT_IN_GROUP)]
    staff = req.who.staff
    sections = queries.sections_of(ctx.session, staff.office_id)
    scope = scopes.read_scope(sections, req.args)
    section = scope.section
    if section is None and not req.args.strip() and staff.role is Role.chief:
        section = staff.section
    if section is None or scope.rest or scope.whole_office:
        return [Text(M.LINK_GROUP_USAGE.format(sections=scopes.sections_list(sections)))]
    if not _may_bind(req, section):
        return [Text(M.LINK_GROUP_REFUSED)]
    if section.line_group_id == group_id:
        return [Text(M.LINK_GROUP_SAME.format(section=section.name))]
    text = M.LINK_GROUP_DONE.format(section=section.name)
    for other in sections:
        if other.line_group_id == group_id and other.id != section.id:
            # One group serves one section (the column is unique): the newer choice wins, and we say so.
            other.line_group_id = None
            ctx.session.flush()
            text += M.LINK_GROUP_MOVED.format(old=other.name)
    section.line_group_id = group_id
    queries.audit(ctx.session, ctx.now, req.who.actor, "section.group", section=section.name, group=group_id)
    ctx.session.flush()
    return [Text(text)]


def _may_bind(req: Request, section: Section) -> bool:
    if req.who.role in access.EVERY_SECTION:  # a right to act, not data shown to the group
        return True
    return req.who.role is Role.chief and req.who.staff.section_id == section.id


def greet(req: Request, ctx: Context) -> list[Reply]:
    """Answer a new follower (or a group the bot joined) with how to start."""
    if req.incoming.kind is IncomingKind.join or (req.incoming.group_id and req.who.staff is None):
        return [Text(M.JOIN_GROUP)]
    staff = req.who.staff
    if staff is None:
        return unlinked(req, ctx)
    section = staff.section.name if staff.section else ""
    return [Text(M.FOLLOW_KNOWN.format(name=staff.name), role_buttons(req.commands, staff.role, section))]
