"""查 門牌, 查 11, or just 門牌月報表: find items by number or by fuzzy match on their title and content."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from handlers.chat import team
from handlers.chat.sentences import strip_polite
from handlers.core import access, item_lookup, paging, postbacks
from handlers.core.due_text import button_names, clip, list_names
from handlers.core.incoming import Context
from handlers.core.replies import MAX_QUICK_REPLIES, Button, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.documents.item_cards import item_card
from handlers.texts import chat as M
from storage import queries
from storage.models import Item, Plan, Role
from storage.text import compact

# A fuzzy score (0-100) an item must reach, and how far below the best one a result may be and still show.
THRESHOLD = 70
WINDOW = 10
# Weights: a hit in the title counts most, then the content, then the KPI text.
WEIGHTS = (("title", 1.0), ("content", 0.9), ("kpi", 0.8))
# Only the start of a very long message is compared: no item name is longer, and scoring stays fast.
QUERY_LIMIT = 60
PER_PAGE = MAX_QUICK_REPLIES - 1  # one quick reply is kept for 更多
SOUND_LIMIT = 8  # a query longer than this that matched nothing is not a slip of the keyboard


def search(req: Request, ctx: Context) -> list[Reply] | None:
    """Answer 查 QUERY with one card, a choice of items, or a short 'nothing found'."""
    query = req.args.strip()
    if not query:
        return [Text(M.SEARCH_USAGE)]
    if req.commands.parse(query).name not in ("", req.command.name):
        return None  # 查逾期, 查本週: a command word is never searched as an item (the router reads the sentence)
    person = team.person_named(ctx, req, strip_polite(query))  # 查一下陳怡君
    if person is not None:
        return team.person_work(req, ctx, person)
    found = find(req, ctx, query)
    typed = req.command.text
    attached = typed.endswith(query) and not typed[: len(typed) - len(query)][-1:].isspace()
    if found is None and attached and typed != query:
        # 查核報告 is a word, not 查 + 核報告: try the whole message before giving up.
        query = req.command.text
        found = find(req, ctx, query)
    return found or [Text(M.SEARCH_NONE.format(query=clip(query, 40)))]


def free_text(req: Request, ctx: Context) -> list[Reply] | None:
    """Answer text that is no command by searching item names; None when nothing matches."""
    return find(req, ctx, req.command.text)


def find(req: Request, ctx: Context, query: str) -> list[Reply] | None:
    """Return the replies for a query, or None when no item matches it."""
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    numbered = item_lookup.read_number(ctx.session, plan, query)
    if numbered is not None and not numbered.section_text and not numbered.rest:
        items = item_lookup.items_numbered(ctx.session, plan, numbered.number, numbered.section)
        if items:
            preferred = item_lookup.preferred(req.who, items) if numbered.section is None else items
            if len(preferred) == 1:
                return [item_card(ctx, req.who, preferred[0])]
            return choices(req, preferred, M.NUMBER_MANY.format(number=numbered.number), query)
    matches, strong = matched(ctx, plan, query)
    if not matches:
        return None
    if len(matches) == 1 and strong and _close_to(req, matches[0]):
        return [item_card(ctx, req.who, matches[0])]
    if len(matches) == 1:
        # A near miss, or another section's item for a staff member (上周 in 7-2's text): ask, never guess.
        return choices(req, matches, M.SEARCH_MAYBE, query)
    header = M.SEARCH_MANY if strong else M.SEARCH_MAYBE_MANY
    return choices(req, matches, header.format(count=len(matches), query=clip(query, 20)), query)


def _close_to(req: Request, item: Item) -> bool:
    """Say whether a card may open at once: a chief or the office sees any item; a staff member their section's."""
    staff = req.who.staff
    if staff is None or staff.role is not Role.staff:
        return True
    return item.section_id == staff.section_id or access.owns(req.who, item)


def fuzzy(ctx: Context, plan: Plan, query: str) -> list[Item]:
    """Return the plan's items that match the query best, best first (table order on ties)."""
    return matched(ctx, plan, query)[0]


def matched(ctx: Context, plan: Plan, query: str) -> tuple[list[Item], bool]:
    """Return the items that match the query best, and whether the best one holds the query whole (else a near miss)."""
    key = compact(query).casefold()[:QUERY_LIMIT]
    if not key:
        return [], False
    scored = []
    for position, item in enumerate(queries.items_of_plan(ctx.session, plan.id)):
        score = max(_score(key, compact(getattr(item, field)).casefold()) * weight for field, weight in WEIGHTS)
        if score >= THRESHOLD:
            scored.append((score, position, item))
    if not scored:
        return sounds_like(ctx, plan, key), False
    best = max(s for s, _, _ in scored)
    found = [item for score, _, item in sorted(scored, key=lambda t: (-t[0], t[1])) if score >= best - WINDOW]
    return found, any(key in compact(getattr(found[0], field)).casefold() for field, _ in WEIGHTS)


def sounds_like(ctx: Context, plan: Plan, key: str) -> list[Item]:
    """Return the items whose title or content sounds like the query (們牌, 門排 → 門牌): typing by sound slips."""
    if not 2 <= len(key) <= SOUND_LIMIT or not all(_is_han(c) for c in key):
        return []
    wanted = " ".join(_sounds(key))
    found = []
    for item in queries.items_of_plan(ctx.session, plan.id):
        if any(wanted in " ".join(_sounds(compact(getattr(item, f)))) for f in ("title", "content")):
            found.append(item)
    return found


@lru_cache(maxsize=4096)
def _sounds(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text))


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _score(key: str, text: str) -> float:
    if not text:
        return 0.0
    if key in text:
        return 100.0
    if len(key) <= 2:
        return 0.0  # two characters either appear or mean nothing
    return fuzz.partial_ratio(key, text)


def choices(req: Request, items: list[Item], header: str, query: str) -> list[Reply]:
    """Return a list of items with one button each (paged with 更多)."""
    page = paging.page_of(items, req.page, PER_PAGE)
    start = page.number * PER_PAGE
    entries = list(page.entries)
    lines = [header, ""]
    lines += [
        M.SEARCH_LINE.format(n=start + n, section=i.section.name, number=i.number, title=title)
        for n, (i, title) in enumerate(zip(entries, list_names(entries, 34), strict=True), start=1)
    ]
    labels = button_names(entries)
    buttons: list[Button] = [postbacks.button(label, postbacks.Route.card, i=i.id) for i, label in zip(entries, labels, strict=True)]
    more = paging.more_button("search", page, query)
    if more is not None:
        buttons.append(more)
    elif page.has_more:
        lines.append(M.SEARCH_TOO_LONG.format(count=len(items) - start - len(page.entries)))
    note = page.note()
    if note and more is not None:
        lines += ["", note]
    return [Text("\n".join(lines), tuple(buttons))]


def show_card(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Answer a tap on an item button (a=card&i=ID) with its card, if the item is in the asker's office."""
    item_id = postbacks.int_field(fields, "i")
    item = ctx.session.get(Item, item_id) if item_id is not None else None
    if item is None or not access.in_office(req.who, item):
        return [Text(M.STALE_BUTTON)]
    return seen_by(access.item_audience(req.who, item), [item_card(ctx, req.who, item)])
