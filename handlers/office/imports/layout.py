"""Recognise the layout of a control table: which column is which, and what each row says."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.text import clean_cell, compact, fold

# Every header spelling the seed plans use, folded and without spaces.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "number": ("編號", "項次", "序號"),
    "section": ("課室", "執行單位", "承辦單位", "單位"),
    "title": ("計畫項目", "專案名稱", "實施項目", "工作項目", "工作要項"),
    "content": ("工作內容", "推動作法", "具體推動作法", "執行方法", "具體作法", "辦理內容"),
    "owners": ("承辦人", "承辦人員", "負責人"),
    "schedule": ("預定作業時程", "執行期間", "實施期程", "考核方式(月份)", "考核方式", "作業時程", "期程"),
    "kpi": ("考核指標", "績效指標"),
    "status": ("執行情形", "辦理情形"),
    "points": ("配分",),
}
MONTH_HEADER = re.compile(r"^(\d{1,2})月$")
# 專案名稱 (配分/承辦人) cells: 市容查報 (2分/劉淑敏)
TITLE_WITH_POINTS = re.compile(r"^(?P<title>.+?)\s*[(（]\s*(?P<points>\d+(?:\.\d+)?)\s*分\s*(?:[/／]\s*(?P<owners>[^)）]*))?[)）]\s*$")
# A project shared by two sections gives each its points and owner: 災害防救… (民)10.5分/洪源孝 (社)4.5分/古鵬生
SHARED_POINTS = re.compile(r"[(（](?P<who>[^)）]{1,4})[)）]\s*(?P<points>\d+(?:\.\d+)?)\s*分\s*[/／]\s*(?P<owner>[^\s(（]+)")
OWNER_SPLIT = re.compile(r"[、,，／/;；\s]+")
# A month cell counts as marked when it holds one of the marks offices use; anything else is reported.
# × and ! too: our own export marks a month with its state (✓ 如期, ✓! 逾期完成, × 逾期, ○ 未到期, － 追蹤前).
MARK_CHARS = set("●○◎◉•·VvＶｖ✓✔☑■□★☆*＊XxＸｘOo〇Yy1-－—–─━_~～✗✘×!！")
SECTION_IN_TITLE = re.compile(r"(?:所|公所)?(?P<section>[^\s所]{1,10}?(?:課|室))\s*\d{2,4}\s*年度")
OFFICE_IN_TITLE = re.compile(r"^(?P<office>\S+?(?:戶政事務所|區公所|公所|事務所))")


@dataclass
class Layout:
    """Where each known column is, and the month-mark columns."""

    header_row: int
    columns: dict[str, int]
    months: dict[int, int] = field(default_factory=dict)  # month -> column index
    title_text: str = ""


def _header_key(cell: str) -> str | None:
    name = compact(cell)
    if not name:
        return None
    for key, names in HEADER_NAMES.items():
        for candidate in names:
            if name == candidate or (key in ("title", "schedule") and name.startswith(candidate)):
                return key
    return None


def _month_columns(row: list[str]) -> dict[int, int]:
    months: dict[int, int] = {}
    for idx, cell in enumerate(row):
        m = MONTH_HEADER.match(compact(cell))
        if m and 1 <= int(m.group(1)) <= 12 and int(m.group(1)) not in months:
            months[int(m.group(1))] = idx
    return months


def find_layout(rows: list[list[str]], scan: int = 20) -> Layout | None:
    """Find the header row (with months possibly on the row below) among the first rows."""
    titles: list[str] = []
    for r, row in enumerate(rows[:scan]):
        columns: dict[str, int] = {}
        for idx, cell in enumerate(row):
            key = _header_key(cell)
            if key and key not in columns:
                columns[key] = idx
        if "title" in columns and len(columns) >= 2:
            months = _month_columns(row)
            header_row = r
            if not months and r + 1 < len(rows):
                below = _month_columns(rows[r + 1])
                if below:
                    months, header_row = below, r + 1
            if columns.get("schedule") in months.values():
                del columns["schedule"]  # a 預定作業時程 header spanning the month columns: the marks are the schedule
            return Layout(header_row, columns, months, " ".join(titles))
        text = " ".join(c for c in row if c)
        if text:
            titles.append(fold(text))
    return None


def section_from_title(text: str) -> str | None:
    """Return the 課室 named in a table title such as 「…戶籍登記課113年度工作計畫期程管制一覽表」."""
    m = SECTION_IN_TITLE.search(compact(text))
    return m.group("section") if m else None


def office_from_title(text: str) -> str | None:
    """Return the office named at the start of a table title."""
    m = OFFICE_IN_TITLE.match(compact(text))
    return m.group("office") if m else None


def split_owners(cell: str) -> list[str]:
    """Split an 承辦人 cell on the separators people use (、 , ／ /)."""
    names = [n for n in OWNER_SPLIT.split(fold(cell)) if n]
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen


def split_title(cell: str) -> tuple[str, float | None, list[str]]:
    """Split 「市容查報 (2分/劉淑敏)」 into title, points and owners."""
    text = clean_cell(cell).replace("\n", " ")
    m = TITLE_WITH_POINTS.match(fold(text))
    if not m:
        shared = list(SHARED_POINTS.finditer(fold(text)))
        if shared:
            title = fold(text)[: shared[0].start()].strip()
            owners = [n for part in shared for n in split_owners(part.group("owner"))]
            return title or text, sum(float(part.group("points")) for part in shared), owners
        return text, None, []
    owners = split_owners(m.group("owners") or "")
    return m.group("title").strip(), float(m.group("points")), owners


def is_mark(cell: str) -> bool | None:
    """Say whether a month cell is marked (True), empty (False) or holds something unknown (None)."""
    text = compact(cell)
    if not text:
        return False
    if all(ch in MARK_CHARS for ch in text):
        return True
    return None


def cell(row: list[str], idx: int | None) -> str:
    """Return the cleaned cell at idx, or '' when the row is short or the column absent."""
    if idx is None or idx >= len(row):
        return ""
    return clean_cell(row[idx])
