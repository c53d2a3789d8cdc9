"""What each role may see and do; every handler and postback asks here instead of trusting its input.

Each answer then says who may read it (`handlers/core/audience.py`): `item_audience` for an item (the asker's own
items are theirs to share), `handlers/core/scopes.scope_audience` for a section's or the office's lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import object_session

from handlers.core import audience
from handlers.core.audience import ANYONE, Audience
from handlers.core.incoming import Context
from handlers.core.leave import covered_owner_on_leave
from handlers.core.request import Asker
from storage import queries
from storage.models import Item, Plan, Role

EVERY_SECTION = (Role.coordinator, Role.director)
MAY_SUMMARIZE = (Role.chief, Role.coordinator, Role.director)
# The issue names chiefs and the coordinator; the director sees every section, so may take the table too.
MAY_EXPORT = (Role.chief, Role.coordinator, Role.director)


def sees_every_section(who: Asker) -> bool:
    """Say whether the person sees all of the office (研考, 主任/秘書)."""
    return who.role in EVERY_SECTION


def sees_section(who: Asker, section_id: int) -> bool:
    """Say whether the person may see a section's items, progress and summary."""
    if who.staff is None:
        return False
    if who.role in EVERY_SECTION:
        return True
    return who.role is Role.chief and who.staff.section_id == section_id


def could_ask_for(who: Asker, section_id: int | None = None) -> bool:
    """Say whether the person may ask for a section's (None: the whole office's) lists: for offering a button."""
    return sees_every_section(who) if section_id is None else sees_section(who, section_id)


def item_audience(who: Asker, item: Item) -> Audience:
    """Return who may read an answer about the item: anyone when it is the asker's own (theirs to share), else its
    section's staff."""
    return ANYONE if owns(who, item) else audience.section(item.section_id)


def items_audience(who: Asker, items: Iterable[Item]) -> Audience:
    """Return who may read an answer about all of the items."""
    seen = ANYONE
    for item in items:
        seen |= item_audience(who, item)
    return seen


def owns(who: Asker, item: Item) -> bool:
    """Say whether the person is one of the item's owners."""
    return who.staff is not None and any(o.id == who.staff.id for o in item.owners)


def in_office(who: Asker, item: Item) -> bool:
    """Say whether the item belongs to the person's office (anything else is never shown)."""
    return who.staff is not None and item.plan.office_id == who.staff.office_id


def sees_progress(who: Asker, item: Item) -> bool:
    """Say whether the person may see an item's reports, not only its public details."""
    return in_office(who, item) and (owns(who, item) or sees_section(who, item.section_id))


def may_report(who: Asker, item: Item, today: date | None = None) -> bool:
    """Say whether the person may report on the item: its owners, their chief, the coordinator, and (given
    `today`) the deputy covering an owner on leave that day."""
    if not in_office(who, item):
        return False
    if owns(who, item) or who.role is Role.coordinator:
        return True
    sections = {item.section_id} | {o.section_id for o in item.owners if o.section_id is not None}
    if who.role is Role.chief and who.staff.section_id in sections:
        return True
    return today is not None and covering_for(who, item, today) is not None


def covering_for(who: Asker, item: Item, today: date):
    """Return the owner of the item on leave today whom the person covers (None: they cover nobody here)."""
    session = object_session(item)
    if session is None or who.staff is None:
        return None
    return covered_owner_on_leave(session, who.staff, list(item.owners), today)


def current_plan(ctx: Context, who: Asker) -> Plan | None:
    """Return the person's office plan for this year, else its newest plan."""
    if who.staff is None:
        return None
    return queries.latest_plan(ctx.session, who.staff.office_id, ctx.today.year)
