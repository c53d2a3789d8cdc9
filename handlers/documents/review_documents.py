"""The review's documents: the monthly report filed upward (彙整表) and the meeting pack, from `month_review`."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.core.incoming import Settings
from handlers.core.item_lookup import reported_as
from handlers.documents.review import (
    Behind,
    MonthReview,
    ReviewRow,
    by_item,
    latest_followup_status,
    month_review,
)
from handlers.texts import review as V
from handlers.texts import words as W
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.dates import format_date, roc_year
from schedules.lights import Light, Thresholds
from schedules.plan_inputs import calendar_of
from schedules.status import Said, State
from storage import export_files, queries
from storage.sheets import Block, DocTable, Document, write_document

LINK_LIFETIME = timedelta(hours=24)  # as the control table's links


def light_text(light: Light, mark: bool = False) -> str:
    """Return a light as words (documents: printed fonts have no colour marks), with its mark for the chat and web."""
    return V.LIGHT_CELL.format(mark=V.LIGHT_MARK[light.value] if mark else "", name=V.LIGHT[light.value])


def legend(review: MonthReview) -> list[str]:
    """Return the legend of the lights with the office's thresholds, shown wherever lights are."""
    return legend_lines(review.limits)


def legend_lines(limits: Thresholds) -> list[str]:
    """Return the legend of the lights for an office's thresholds."""
    lines = [line.format(yellow_plus=limits.yellow_days + 1, red=limits.red_days) for line in V.LEGEND]
    if limits.yellow_days:
        lines[0] += V.LEGEND_GRACE.format(yellow=limits.yellow_days)
    return [*lines, V.LEGEND_NOTE]


def _label(b: Behind, many: bool) -> str:
    label = b.due.occ.label or ""
    return f"{label}：" if many and label else ""


def _cells(row: ReviewRow) -> dict[str, str]:
    many = len(row.behind) > 1
    due, done, status, cause, remedy = [], [], [], [], []
    for b in row.behind:
        lead = _label(b, many)
        due.append(lead + format_date(b.due.occ.due))
        done.append(lead + (format_date(b.done_on) if b.done_on else V.NOT_DONE))
        status.append(lead + status_text(b))
        reason = b.reason
        cause.append(lead + (reason.cause if reason and reason.cause else V.NOT_WRITTEN))
        remedy.append(lead + (reason.remedy if reason and reason.remedy else V.NOT_WRITTEN))
    if not row.behind and row.carried_from is not None:
        status.append(V.CARRIED_ROW)
    decision = row.decision
    return {
        "due": "\n".join(due), "done": "\n".join(done), "status": "\n".join(status),
        "cause": "\n".join(cause), "remedy": "\n".join(remedy),
        "suggestion": V.LISTING[decision.suggestion.value] if decision and decision.suggestion else "",
        "decision": V.LISTING[decision.decision.value] if decision and decision.decision else "",
        "opinion": decision.opinion if decision else "",
    }


def status_text(b: Behind) -> str:
    """Return 執行情形 of one occurrence from its one state: what was last said (and its note), how late."""
    st = b.status
    if st.state is State.done_late:
        return V.DONE_LATE + V.LATE_BY.format(days=b.late)
    said = W.STATUS["not_reported" if st.said is Said.none else st.said.value]
    if st.said is Said.in_progress and st.percent is not None:
        said += f" {st.percent}%"
    report = b.due.report
    note = f"，{' '.join(report.note.split())}" if report is not None and report.note and st.said is not Said.none else ""
    late = V.LATE_BY.format(days=b.late) if b.late else ""
    return said + late + note


def owners(row: ReviewRow) -> str:
    return "、".join(o.name for o in row.item.owners)


def report_rows(review: MonthReview) -> list[list[str]]:
    out = []
    for n, row in enumerate(review.rows, start=1):
        c = _cells(row)
        title = f"{row.item.number} {row.item.title}"
        if row.carried_from is not None:
            title += V.CARRIED.format(month=row.carried_from.month)
        out.append([
            str(n), title, row.item.section.name, owners(row), c["due"], c["done"], c["status"],
            light_text(row.light), c["cause"], c["remedy"], c["suggestion"], c["decision"], c["opinion"],
        ])
    return out


def _title(review: MonthReview, template: str) -> str:
    return template.format(roc=roc_year(review.year), month=review.month)


def _subtitle(review: MonthReview) -> str:
    return V.REPORT_SUBTITLE.format(office=review.plan.office.name, day=f"{roc_year(review.at.year)}/{review.at.month}/{review.at.day}")


def nothing_behind(review: MonthReview) -> str:
    return V.NOTHING_BEHIND_MONTH.format(roc=roc_year(review.year), month=review.month, day=format_date(review.at))


def report_document(review: MonthReview) -> Document:
    """Return 「○○年○月工作計畫執行情形彙整表」: one row per item behind this month (or a line saying none was)."""
    rows = report_rows(review)
    table = DocTable(list(V.REPORT_HEADER), rows, list(V.REPORT_WIDTHS))
    blocks = [Block(paragraphs=[] if rows else [nothing_behind(review)], table=table)]
    blocks.append(Block(V.LEGEND_TITLE, legend(review)))
    return Document(_title(review, V.REPORT_TITLE), _subtitle(review), blocks)


def section_lines(review: MonthReview) -> list[str]:
    return [
        V.SECTION_LIGHTS.format(section=s.section.name, light=light_text(s.light), red=s.counts[Light.red],
                                yellow=s.counts[Light.yellow], green=s.counts[Light.green], done=s.counts[Light.done])
        for s in review.sections
    ]


def pack_document(review: MonthReview, calendar: WorkCalendar) -> Document:
    """Return the meeting's document: lights by section, red and yellow items, last month's 繼續列管, last 決議 per
    item with where each stands, and (made again after the meeting) this meeting's 決議 per item."""
    blocks = [Block(V.PACK_LIGHTS, section_lines(review) or [V.PACK_NONE])]
    hot = [r for r in review.rows if r.behind and r.light in (Light.red, Light.yellow)]
    hot.sort(key=lambda r: (r.light is not Light.red, r.item.section_id))
    rows = []
    for n, row in enumerate(hot, start=1):
        c = _cells(row)
        decided = "\n".join(r.text for r in review.decided if r.item_id == row.item.id)
        rows.append([str(n), row.item.section.name, f"{row.item.number} {row.item.title}", owners(row),
                     light_text(row.light), c["cause"], c["remedy"], c["suggestion"], decided])
    blocks.append(Block(V.PACK_BEHIND, [] if rows else [V.PACK_NONE],
                        DocTable(list(V.PACK_ITEM_HEADER), rows, [4, 8, 20, 8, 6, 20, 20, 8, 16]) if rows else None))
    blocks.append(Block(V.PACK_CARRIED, [_carried_line(review, r, calendar) for r in review.rows if r.carried_from is not None]
                        or [V.PACK_NONE]))
    blocks.append(Block(V.PACK_RESOLUTIONS, resolution_lines(review, review.resolutions, calendar) or [V.PACK_NONE]))
    if review.decided:
        blocks.append(Block(V.PACK_DECIDED, resolution_lines(review, review.decided, calendar)))
    blocks.append(Block(V.LEGEND_TITLE, legend(review)))
    return Document(_title(review, V.PACK_TITLE), _subtitle(review), blocks)


def _carried_line(review: MonthReview, row: ReviewRow, calendar: WorkCalendar) -> str:
    if row.behind and all(b.done_on for b in row.behind):
        since = V.PACK_SINCE_DONE.format(day=format_date(max(b.done_on for b in row.behind)))
    elif row.behind:
        since = V.PACK_SINCE_OPEN.format(status="；".join(status_text(b) for b in row.behind if not b.done_on))
    else:
        since = V.PACK_SINCE_ON_TRACK
    line = V.PACK_CARRIED_LINE.format(section=row.item.section.name, number=row.item.number, title=row.item.title,
                                      light=light_text(row.light), since=since)
    last = [resolution_line(review, r, calendar) for r in review.resolutions if r.item_id == row.item.id]
    return line + "".join(V.PACK_LAST_RESOLUTION.format(line=x) for x in last)


def resolution_line(review: MonthReview, resolution, calendar: WorkCalendar) -> str:
    """Return one 決議 and where its follow-up stands (its latest report, as the plan's items are shown), naming the
    follow-up as 回報 finds it (its 編號, with its 課室 when another item of the plan has that 編號 too)."""
    if resolution.followup is None or resolution.owner is None or resolution.due is None:
        return V.PACK_RESOLUTION_PLAIN.format(text=resolution.text)
    number = reported_as(Session.object_session(resolution), resolution.followup)
    return V.PACK_RESOLUTION_LINE.format(text=resolution.text, number=number, owner=resolution.owner.name,
                                         due=format_date(resolution.due),
                                         status=latest_followup_status(resolution, review.at, calendar))


def item_name(item) -> str:
    return f"{item.section.name} {item.number} {item.title}"


def resolution_lines(review: MonthReview, resolutions: list, calendar: WorkCalendar) -> list[str]:
    """Return each 決議 under the item it was about (those about no item last), with where its follow-up stands."""
    out = []
    for item, group in by_item(resolutions):
        about = item_name(item) if item is not None else V.RESOLUTION_NO_ITEM
        out += [V.PACK_RESOLUTION_ON.format(item=about, line=resolution_line(review, r, calendar)) for r in group]
    return out


def monthly_link(
    session: Session, settings: Settings, office_id: int, section_id: int | None, month: date, now: datetime
) -> str | None:
    """Make a one-time .odt link to the month's 彙整表 for the compiled round (None: no plan for that year)."""
    plan = queries.latest_plan(session, office_id, month.year)
    if plan is None:
        return None
    found = month_review(session, plan, month.month, now.astimezone(TAIPEI).date(), calendar_of(session), section_id)
    with tempfile.TemporaryDirectory(prefix="planbot-review-") as folder:
        data = write(found, Path(folder) / "report.odt", calendar_of(session)).read_bytes()
    name = V.REPORT_TITLE.format(roc=roc_year(plan.year), month=month.month) + ".odt"
    token = export_files.store(session, data, name, now, now + LINK_LIFETIME)
    queries.audit(session, now, "clock", "review.report", file=name)
    return f"{settings.public_url.rstrip('/')}/files/{token}"


def write(review: MonthReview, path: Path, calendar: WorkCalendar, pack: bool = False) -> Path:
    """Write the report (or the pack) to `path`, as .odt, .docx or .pdf by its suffix."""
    return write_document(path, pack_document(review, calendar) if pack else report_document(review))


def document_bytes(review: MonthReview, suffix: str, calendar: WorkCalendar, pack: bool = False) -> bytes:
    """Return the report (or the pack) as the bytes of a .odt, .docx or .pdf file (`suffix`), for a download."""
    with tempfile.TemporaryDirectory(prefix="planbot-review-") as folder:
        return write(review, Path(folder) / ("review" + suffix), calendar, pack=pack).read_bytes()


def download_name(review: MonthReview, suffix: str, pack: bool = False) -> str:
    """Return the file name a downloaded report (or pack) is saved under: its title."""
    return (V.PACK_TITLE if pack else V.REPORT_TITLE).format(roc=roc_year(review.year), month=review.month) + suffix
