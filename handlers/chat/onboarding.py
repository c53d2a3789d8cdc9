"""我是 NAME: an unlinked account introduces itself; the coordinator or the section chief confirms with 同意 / 不同意.

The card goes to the office's coordinators and the person's section chief through the outbox (pushes);
the first answer decides. A request lives 72 hours; an account may send three a day, a name may be asked for twice a
day and an office six times (whoever asks); a name that is already linked to an account is refused (that
takes the coordinator). The card shows the requester's LINE name and picture and when the record was last
linked, and nobody confirms a record whose role ranks above their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.chat.help import role_buttons
from handlers.core import postbacks
from handlers.core.incoming import Context, LineProfile
from handlers.core.replies import Card, CardRow, Reply, Text, to_dict
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import onboarding as T
from schedules.dates import format_date
from storage import onboarding, queries
from storage.models import RequestStatus, Role, Staff
from storage.text import compact


def introduce(req: Request, ctx: Context) -> list[Reply] | None:
    """Answer 我是 NAME from an unlinked account: tell the confirmers, or say why not."""
    name = compact(req.args)
    me = req.who.staff
    if me is not None:
        # A linked person who says 我是… is chatting, not asking: only their own name gets an answer.
        return [Text(T.ALREADY_YOU.format(name=me.name))] if name == me.name else None
    if req.incoming.group_id:
        return [Text(M.UNLINKED_IN_GROUP)]
    user = req.incoming.line_user_id
    if not name or not user:
        return [Text(T.INTRODUCE_USAGE)]
    # office scope: a city's offices share names; the person asks the office whose LINE account they wrote to.
    office_id = req.incoming.office_id
    matches = [s for s in onboarding.staff_named(ctx.session, name) if s.active and office_id in (None, s.office_id)]
    if not matches:
        return [Text(T.NOT_ON_ROSTER.format(name=name))]
    if len(matches) > 1:
        return [Text(T.SEVERAL_ON_ROSTER.format(name=name))]
    staff = matches[0]
    if staff.line_user_id:
        return [Text(T.NAME_TAKEN.format(name=name))]
    waiting = onboarding.pending_of(ctx.session, user, ctx.now)
    if waiting is not None and waiting.staff_id == staff.id:
        return [Text(T.ALREADY_ASKED.format(day=format_date(waiting.expires_at.astimezone(ctx.now.tzinfo).date())))]
    if onboarding.asked_last_day(ctx.session, user, ctx.now) >= onboarding.MAX_PER_DAY:
        return [Text(T.TOO_MANY)]
    named, office = onboarding.asked_for_last_day(ctx.session, staff, ctx.now)
    if named >= onboarding.MAX_PER_STAFF_PER_DAY:
        return [Text(T.TOO_MANY_FOR_NAME.format(name=staff.name))]
    if office >= onboarding.MAX_PER_OFFICE_PER_DAY:
        return [Text(T.TOO_MANY_IN_OFFICE)]
    confirmers = onboarding.confirmers(ctx.session, staff)
    if not confirmers:
        return [Text(T.NOBODY_TO_ASK)]
    request = onboarding.create(ctx.session, user, staff, ctx.now)
    facts = Facts(ctx.profile(user), onboarding.last_linked(ctx.session, staff), ctx.now)
    card = _card(request.id, staff, request.expires_at.astimezone(ctx.now.tzinfo).date(), facts)
    payload = {"version": 1, "replies": [to_dict(card)]}
    for person in confirmers:
        onboarding.queue_notice(ctx.session, f"onboard:{request.id}:{person.id}", person, person.line_user_id, payload, ctx.now)
    queries.audit(ctx.session, ctx.now, req.who.actor, "staff.introduce", staff=staff.name,
                  told=[p.name for p in confirmers])
    return [Text(T.NOTIFIED)]


@dataclass(frozen=True)
class Facts:
    """What a confirmer sees of the requester: LINE's profile of the account, and when the record was last linked."""

    profile: LineProfile | None
    last_linked: datetime | None
    now: datetime


def _when(moment: datetime, now: datetime) -> str:
    local = moment.astimezone(now.tzinfo)
    return T.CARD_LINKED_AT.format(day=format_date(local.date()), time=f"{local:%H:%M}", days=(now.date() - local.date()).days)


def _card(request_id: int, staff: Staff, until, facts: Facts) -> Card:
    section = staff.section.name if staff.section else M.NOBODY
    role = M.ROLE[staff.role.value]
    shown = facts.profile.display_name[:40] if facts.profile and facts.profile.display_name else T.CARD_NO_PROFILE
    url = (facts.profile.picture_url or "") if facts.profile else ""
    picture = url if url.startswith("https://") and len(url) <= 2000 else ""
    linked = _when(facts.last_linked, facts.now) if facts.last_linked else T.CARD_NEVER_LINKED
    return Card(
        title=T.CARD_TITLE.format(name=staff.name),
        subtitle=(T.CARD_SUBTITLE if facts.profile else T.CARD_SUBTITLE_NO_PROFILE).format(
            name=staff.name, section=section, role=role, shown=shown),
        rows=(CardRow(T.CARD_ROW_LINE_NAME, shown, "alert" if facts.profile is None else "normal"),
              CardRow(T.CARD_ROW_WHO, staff.name), CardRow(T.CARD_ROW_SECTION, f"{section}・{role}"),
              CardRow(T.CARD_ROW_LAST_LINKED, linked), CardRow(T.CARD_ROW_UNTIL, format_date(until))),
        buttons=(postbacks.button(T.APPROVE, postbacks.Route.onboard, r=request_id, ok=1),
                 postbacks.button(T.REFUSE, postbacks.Route.onboard, r=request_id, ok=0)),
        alt_text=T.CARD_ALT.format(name=staff.name),
        image_url=picture,
    )


def may_confirm(decider: Staff, staff: Staff) -> bool:
    """Say whether decider may confirm a request for staff: the office's coordinator or director, or their chief.

    Never for a record that ranks above the decider: a chief cannot vouch for the coordinator's account.
    """
    if decider.office_id != staff.office_id or decider.id == staff.id or onboarding.outranks(staff, decider):
        return False
    if decider.role in (Role.coordinator, Role.director):
        return True
    return decider.role is Role.chief and staff.section_id is not None and decider.section_id == staff.section_id


def decide(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Answer 同意 / 不同意 on a request card: link the account, or tell the person it was refused."""
    request_id = postbacks.int_field(fields, "r")
    request = onboarding.get(ctx.session, request_id) if request_id is not None else None
    decider = req.who.staff
    if request is None or decider is None:
        return [Text(M.STALE_BUTTON)]
    staff = request.staff
    if not may_confirm(decider, staff):
        return [Text(T.NOT_YOURS)]
    if request.status != RequestStatus.pending:
        return [Text(T.DECIDED_ALREADY.format(status=T.STATUS.get(request.status, request.status)))]
    if request.expires_at <= ctx.now:
        onboarding.decide(ctx.session, request, RequestStatus.expired, None, ctx.now)
        return [Text(T.EXPIRED)]
    if staff.line_user_id:
        onboarding.decide(ctx.session, request, RequestStatus.replaced, decider, ctx.now)
        return [Text(T.TAKEN_SINCE.format(name=staff.name))]
    holder = queries.staff_by_line_id(ctx.session, request.line_user_id)
    if holder is not None:
        onboarding.decide(ctx.session, request, RequestStatus.replaced, decider, ctx.now)
        return [Text(T.ACCOUNT_TAKEN_SINCE.format(name=holder.name))]
    if fields.get("ok") != "1":
        onboarding.decide(ctx.session, request, RequestStatus.refused, decider, ctx.now)
        told = {"version": 1, "replies": [to_dict(Text(T.TOLD_REFUSED))]}
        onboarding.queue_notice(ctx.session, f"onboard:{request.id}:refused", None, request.line_user_id, told, ctx.now)
        queries.audit(ctx.session, ctx.now, req.who.actor, "staff.introduce.refused", staff=staff.name)
        return [Text(T.REFUSED.format(name=staff.name))]
    staff.line_user_id = request.line_user_id
    staff.following = True
    onboarding.decide(ctx.session, request, RequestStatus.approved, decider, ctx.now)
    queries.audit(ctx.session, ctx.now, req.who.actor, "staff.link", staff=staff.name, via="introduction")
    section = staff.section.name if staff.section else M.NOBODY
    by = M.ROLE[decider.role.value]  # who confirmed, by role: a chief is not 研考
    welcome = Text(T.TOLD_APPROVED.format(name=staff.name, by=by, section=section, role=M.ROLE[staff.role.value]),
                   role_buttons(req.commands, staff.role, section))
    told = {"version": 1, "replies": [to_dict(welcome)]}
    onboarding.queue_notice(ctx.session, f"onboard:{request.id}:approved", staff, request.line_user_id, told, ctx.now)
    return [Text(T.APPROVED.format(name=staff.name))]
