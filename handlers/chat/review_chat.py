"""管考 in the chat: the month's review for one's scope, with the buttons of one's part of the round.

Staff see their own items behind (說明落後原因 each); a chief sees the section's lights and items and
proposes 解除列管 / 繼續列管; the coordinator and the director see the office. Decisions, 研考意見 and 決議 are
written in the console (管理), where a table is easier to read than a chat.
"""

from __future__ import annotations

from handlers.chat import lag_reasons
from handlers.core import access, postbacks
from handlers.core.due_text import clip
from handlers.core.incoming import Context
from handlers.core.replies import MAX_QUICK_REPLIES, Button, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.core.scopes import MONTH
from handlers.documents.item_cards import occurrence_label
from handlers.documents.review import MonthReview, ReviewRow, behind_now, month_review, previous_month
from handlers.documents.review_documents import legend, light_text, section_lines
from handlers.office import review_decisions
from handlers.texts import chat as M
from handlers.texts import review as V
from schedules.dates import format_date, month_number, roc_year
from storage.models import Item, Listing, Role

SHOWN = 12


def _month(req: Request, ctx: Context) -> int | None:
    """Return the month asked for (管考 3月), else the month just ended (the 5th working day reviews it)."""
    args = req.args.strip()
    if not args:
        year, month = previous_month(ctx.today.year, ctx.today.month)
        return month if year == ctx.today.year else 1
    found = MONTH.match(args)
    return month_number(found.group("n")) if found else None


def review(req: Request, ctx: Context) -> list[Reply]:
    """Answer 管考 [月份]: the month's lights and what was behind, for the asker's part of the office."""
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    month = _month(req, ctx)
    if month is None:
        return [Text(V.CHAT_USAGE)]
    staff = req.who.staff
    office_wide = staff.role in (Role.coordinator, Role.director)
    section_id = None if office_wide else staff.section_id
    found = month_review(ctx.session, plan, month, ctx.today, ctx.calendar, section_id)
    rows = found.rows
    if staff.role is Role.staff or (not office_wide and staff.role is not Role.chief):
        rows = [r for r in rows if access.owns(req.who, r.item)]
    lines = [V.CHAT_TITLE.format(roc=roc_year(plan.year), month=month, day=format_date(ctx.today))]
    if staff.role is not Role.staff:
        lines += ["", *[_marked(s) for s in section_lines(found)]]
    if not rows:
        lines += ["", V.CHAT_NOTHING_BEHIND]
    else:
        lines += ["", V.CHAT_BEHIND.format(count=len(rows))]
        lines += [_row_line(r) for r in rows[:SHOWN]]
        if len(rows) > SHOWN:
            lines.append(V.CHAT_MORE.format(count=len(rows) - SHOWN))
    lines += ["", V.LEGEND_TITLE + "：" + "；".join(legend(found)[:-1])]
    if office_wide:
        lines += ["", V.CHAT_CONSOLE]
    return [Text(clip("\n".join(lines), 4900), _buttons(req, found, rows))]


def _marked(line: str) -> str:
    for light, mark in V.LIGHT_MARK.items():
        line = line.replace(f"：{V.LIGHT[light]}", f"：{mark}{V.LIGHT[light]}", 1)
    return line


def _row_line(row: ReviewRow) -> str:
    item = row.item
    text = V.CHAT_ROW.format(light=light_text(row.light, mark=True), section=item.section.name, number=item.number,
                             title=clip(item.title, 24), owners="、".join(o.name for o in item.owners))
    for b in row.behind[-2:]:
        reason = b.reason
        text += "\n" + V.CHAT_REASON.format(
            label=f"{occurrence_label(b.due.occ)}：" if len(row.behind) > 1 else "",
            cause=clip(reason.cause, 40) if reason and reason.cause else V.NOT_WRITTEN,
            remedy=clip(reason.remedy, 40) if reason and reason.remedy else V.NOT_WRITTEN)
    if row.carried_from is not None:
        text += V.CARRIED.format(month=row.carried_from.month)
    if row.decision is not None and row.decision.suggestion is not None:
        text += "\n" + V.CHAT_SUGGESTED.format(listing=V.LISTING[row.decision.suggestion.value])
    return text


def _buttons(req: Request, review: MonthReview, rows: list[ReviewRow]) -> tuple[Button, ...]:
    """The asker's part of the round: 說明落後原因 for what they own, 列管建議 for a chief's items."""
    out: list[Button] = []
    for row in rows:
        if len(out) >= MAX_QUICK_REPLIES:
            break
        if review_decisions.may_suggest(req.who, row.item):
            out.append(postbacks.button(V.BUTTON_LISTING.format(number=row.item.number), postbacks.Route.listing, i=row.item.id, m=review.month))
            continue
        open_ = [b for b in row.behind if not (b.reason and b.reason.remedy)]
        if open_ and access.owns(req.who, row.item):
            out.append(lag_reasons.reason_button(row.item, open_[-1].due.occ.key, open_[-1].reason,
                                                 V.BUTTON_EXPLAIN_ITEM.format(number=row.item.number)))
    return tuple(out)


def _item(ctx: Context, req: Request, fields: dict[str, str]) -> Item | None:
    item_id = postbacks.int_field(fields, "i")
    item = ctx.session.get(Item, item_id) if item_id is not None else None
    return item if item is not None and access.in_office(req.who, item) else None


def on_listing(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Ask a chief 解除列管 or 繼續列管 for one item of the month's review."""
    item, month = _item(ctx, req, fields), postbacks.int_field(fields, "m")
    if item is None:
        return [Text(M.STALE_BUTTON)]
    return seen_by(access.item_audience(req.who, item), _ask_listing(req, ctx, item, month))


def _ask_listing(req: Request, ctx: Context, item: Item, month: int | None) -> list[Reply]:
    if month is None:
        return [Text(M.STALE_BUTTON)]
    if not review_decisions.may_suggest(req.who, item):
        return [Text(V.SUGGEST_REFUSED)]
    choices = tuple(postbacks.button(V.LISTING[v], postbacks.Route.suggest, i=item.id, m=month, s=v) for v in Listing)
    text = V.SUGGEST_ASK.format(number=item.number, title=clip(item.title, 30), month=month)
    behind = behind_now(ctx.session, item, ctx.today, ctx.calendar)
    if behind:
        # Before proposing, the chief reads the reasons and may correct them (the owner's two questions).
        key = ([d for d in behind if d.occ.due.month == month] or behind)[-1].occ.key
        row = lag_reasons.reason_of(ctx.session, item.id, key)
        text = V.SUGGEST_REASONS.format(cause=row.cause if row and row.cause else V.NOT_WRITTEN,
                                        remedy=row.remedy if row and row.remedy else V.NOT_WRITTEN) + text
        choices += (lag_reasons.reason_button(item, key, row),)
    return [Text(text, choices)]


def on_suggest(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Record a chief's 解除列管 / 繼續列管 (checked again: a forged button is refused)."""
    item, month = _item(ctx, req, fields), postbacks.int_field(fields, "m")
    if item is None:
        return [Text(M.STALE_BUTTON)]
    if month is None:
        return seen_by(access.item_audience(req.who, item), [Text(M.STALE_BUTTON)])
    answer = [Text(review_decisions.suggest(ctx, req.who, item, month, fields.get("s", "")).text)]
    return seen_by(access.item_audience(req.who, item), answer)
