"""What each role may see and do; every handler and postback asks here instead of trusting its input.

In a group (`Asker.audience`), every right granted beyond what the group's members may all see (the whole
office, a section other than the group's own) is noted on the audience, so the answer goes to the asker
one-to-one (`handlers/chat/group_answers.py`). The asker's own items are theirs to share.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import object_session

from handlers.core.incoming import Context
from handlers.core.leave import covered_owner_on_leave
from handlers.core.request import Asker
from storage import queries
from storage.models import Item, Plan, Role

EVERY_SECTION = (Role.coordinator, Role.director)
MAY_SUMMARIZE = (Role.chief, Role.coordinator, Role.director)
# The issue names chiefs and the coordinator; the director sees every section, so may take the table too.
MAY_EXPORT = (Role.chief, Role.coordinator, Role.director)


def _beyond_group(who: Asker, granted: bool, group_sees: bool, why: str) -> bool:
    """Return the decision, noting on the group (if any) a right its members do not all have."""
    if granted and who.audience is not None and not group_sees:
        who.audience.note(why)
    return granted


def sees_every_section(who: Asker) -> bool:
    """Say whether the person sees all of the office (研考, 主任/秘書)."""
    return _beyond_group(who, who.role in EVERY_SECTION, False, "office")


def sees_section(who: Asker, section_id: int) -> bool:
    """Say whether the person may see a section's items, progress and summary."""
    return _beyond_group(who, _sees_section(who, section_id), _group_sees(who, section_id), f"section:{section_id}")


def could_ask_for(who: Asker, section_id: int | None = None) -> bool:
    """Say whether the person may ask for a section's (None: the whole office's) lists: for offering a button.

    Unlike `sees_section`, nothing is shown yet, so a group is not told of it.
    """
    return who.role in EVERY_SECTION if section_id is None else _sees_section(who, section_id)


def _sees_section(who: Asker, section_id: int) -> bool:
    if who.staff is None:
        return False
    if who.role in EVERY_SECTION:
        return True
    return who.role is Role.chief and who.staff.section_id == section_id


def _group_sees(who: Asker, section_id: int | None) -> bool:
    return who.audience is None or who.audience.sees_section(section_id)


def owns(who: Asker, item: Item) -> bool:
    """Say whether the person is one of the item's owners."""
    return who.staff is not None and any(o.id == who.staff.id for o in item.owners)


def _in_office(who: Asker, item: Item) -> bool:
    return who.staff is not None and item.plan.office_id == who.staff.office_id


def _item_shared(who: Asker, item: Item) -> bool:
    """Say whether the group may read about the item: its own section's, or the asker's own item."""
    return _group_sees(who, item.section_id) or owns(who, item)


def in_office(who: Asker, item: Item) -> bool:
    """Say whether the item belongs to the person's office (anything else is never shown)."""
    return _beyond_group(who, _in_office(who, item), _item_shared(who, item), f"item:{item.id}")


def sees_progress(who: Asker, item: Item) -> bool:
    """Say whether the person may see an item's reports, not only its public details."""
    granted = _in_office(who, item) and (owns(who, item) or _sees_section(who, item.section_id))
    return _beyond_group(who, granted, _item_shared(who, item), f"item:{item.id}")


def may_report(who: Asker, item: Item, today: date | None = None) -> bool:
    """Say whether the person may report on the item: its owners, their chief, the coordinator, and (given
    `today`) the deputy covering an owner on leave that day."""
    return _beyond_group(who, _may_report(who, item, today), _item_shared(who, item), f"item:{item.id}")


def _may_report(who: Asker, item: Item, today: date | None) -> bool:
    if not _in_office(who, item):
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
