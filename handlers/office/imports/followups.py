"""A plan imported again beside the meetings' follow-ups (決議 tracked as items of the plan).

A follow-up is known by its 決議, never by its 編號 or title, so the file's rows are matched only to the plan's own
items and a re-import never changes, renumbers or lists a follow-up as missing. A row that takes a follow-up's 編號
in its section cannot stand beside it (one 編號 per section): the import is refused, naming the 決議. A row that
takes it in another section is imported with a warning, since 回報 then needs the section to tell the two apart.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.office.imports.rows import PlanRow, Problem
from handlers.texts import imports as T
from schedules.dates import roc_year
from storage import queries
from storage.models import Item, Office, Resolution
from storage.text import compact


def followup_ids(session: Session, plan_id: int) -> set[int]:
    return {i.id for i in queries.followups_of_plan(session, plan_id)}


def check(session: Session, office: Office, year: int, rows: list[PlanRow], problems: list[Problem]) -> None:
    """Add a problem for each row numbered as a follow-up: fatal in its section, a warning in another."""
    plan = queries.plan_for(session, office.id, year)
    if plan is None:
        return
    followups: dict[str, list[Item]] = {}
    for item in queries.followups_of_plan(session, plan.id):
        followups.setdefault(compact(item.number), []).append(item)
    for pos, row in enumerate(rows):
        number = row.number or str(pos + 1)  # as the import numbers a row without one
        for item in followups.get(compact(number), []):
            month = session.scalar(select(Resolution.month).where(Resolution.followup_id == item.id))
            if item.section.name == row.section:
                message = T.FOLLOWUP_NUMBER_TAKEN.format(section=row.section, number=number, title=item.title,
                                                         roc=roc_year(year), month=month)
                problems.append(Problem(row.sheet, row.row, T.COLUMN_NUMBER, number, message))
            else:
                message = T.FOLLOWUP_NUMBER_SHARED.format(number=item.number, followup_section=item.section.name,
                                                          title=item.title)
                problems.append(Problem(row.sheet, row.row, T.COLUMN_NUMBER, number, message, fatal=False))
