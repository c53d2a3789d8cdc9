"""A report read from a sentence (「門牌那個做完了」): say what would be recorded, and record it on one tap.

A sentence is a guess at a command, so it never writes by itself: the answer names the item and the status,
and its button sends the 回報 command it stands for, which records it as if typed.
"""

from __future__ import annotations

from handlers.chat import search
from handlers.core import access, item_lookup
from handlers.core.due_text import button_names, clip, list_names
from handlers.core.incoming import Context
from handlers.core.replies import MAX_QUICK_REPLIES, Button, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import words as W
from storage import queries
from storage.models import Item, Plan
from storage.text import compact

NOTE_LIMIT = 200  # a note rides in the button's message (LINE: 300 characters)


def confirm(req: Request, ctx: Context, name: str, status: str, note: str = "", percent: int | None = None) -> list[Reply]:
    """Ask whether to report the named item (or which of several) with the status, one button each.

    A percentage (門牌點位50%) is the status as 回報 reads it; one 回報 refuses is refused here, before any item is named.
    """
    if percent is not None and percent > 100:
        return [Text(M.REPORT_BAD_PERCENT)]
    if percent == 0:
        return [Text(M.SENTENCE_REPORT_ZERO_PERCENT)]
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    found = _named(req, ctx, plan, name)
    items = [i for i in found if access.may_report(req.who, i, ctx.today)]
    return seen_by(access.items_audience(req.who, items), _confirm(req, ctx, plan, name, status, note, percent, found, items))


def _confirm(req: Request, ctx: Context, plan: Plan, name: str, status: str, note: str, percent: int | None,
             found: list[Item], items: list[Item]) -> list[Reply]:
    if not items:
        if found:
            return [Text(M.REFUSE_REPORT.format(item=clip(f"{found[0].number} {found[0].title}", 40)))]
        return [Text(M.REPORT_NAME_NOT_FOUND.format(name=clip(name, 20)))]
    word = (W.STATUS_SAID[status][0] if percent is None else f"{percent}%") + (f" {clip(note, NOTE_LIMIT)}" if note else "")
    said = M.STATUS[status]
    if percent is not None and status == "in_progress":
        said = M.STATUS_PERCENT.format(status=said, percent=percent)
    if len(items) == 1:
        item = items[0]
        text = M.SENTENCE_REPORT_CONFIRM.format(number=item.number, title=clip(item.title, 30), status=said)
        if note:
            text += "\n" + M.REPORT_NOTE.format(note=clip(note, NOTE_LIMIT)).strip()
        return [Text(text, (Button(M.BUTTON_SENTENCE_REPORT, text=typed(req, ctx, plan, item, word)),))]
    items = items[:MAX_QUICK_REPLIES]
    lines = [M.SENTENCE_REPORT_WHICH.format(name=clip(name, 20), status=said), ""]
    lines += [M.REPORT_CHOICE_SECTION.format(section=i.section.name, number=i.number, title=t) for i, t in zip(items, list_names(items, 30), strict=True)]
    buttons = tuple(Button(label, text=typed(req, ctx, plan, i, word)) for i, label in zip(items, button_names(items), strict=True))
    return [Text("\n".join(lines), buttons)]


def typed(req: Request, ctx: Context, plan: Plan, item: Item, word: str) -> str:
    """Return the 回報 command for the item as a person would type it (the section only where the 編號 repeats)."""
    number = compact(item.number)
    same = item_lookup.preferred(req.who, item_lookup.items_numbered(ctx.session, plan, number))
    where = "" if same == [item] else f"{item.section.name} "
    return f"{req.label('report')} {where}{number} {word}"


def _named(req: Request, ctx: Context, plan: Plan, name: str) -> list[Item]:
    spoken = item_lookup.place_in_digits(name)  # 第十一項 is 第11項
    numbered = item_lookup.read_number(ctx.session, plan, spoken.lstrip("第").rstrip("號項"))  # 第11項, 12號做完
    if numbered is not None and not numbered.rest and not numbered.section_text:
        items = item_lookup.items_numbered(ctx.session, plan, numbered.number, numbered.section)
        return item_lookup.preferred(req.who, items) if numbered.section is None else items
    return search.fuzzy(ctx, plan, name) or _in_order(ctx, plan, name)


def _in_order(ctx: Context, plan: Plan, name: str) -> list[Item]:
    """Return the items whose title holds the name's characters in order (學齡兒童名冊 → 提供學齡兒童異動名冊)."""
    key = compact(name)
    if len(key) < 4:
        return []
    return [i for i in queries.items_of_plan(ctx.session, plan.id) if _holds_in_order(compact(i.title), key)]


def _holds_in_order(text: str, key: str) -> bool:
    chars = iter(text)
    return all(c in chars for c in key)
