"""The one word for each status, kind of occurrence and role; every other text module says them with these.

A report's status and the absence of any report are different things: 未開始 is what someone reported,
未回報 is that nobody has reported yet. A window (收件 or 辦理 between two dates) and a period (a month, a
quarter, the whole year of work) are different kinds and never share a word.
"""

from __future__ import annotations

# ---------------------------------------------------------------- status of an occurrence

DONE = "已完成"
IN_PROGRESS = "進行中"
DELAYED = "延後"
NOT_STARTED = "未開始"
NOT_REPORTED = "未回報"
OVERDUE = "逾期"
# By status value; "not_reported" is an occurrence nobody has reported on.
STATUS = {
    "done": DONE, "in_progress": IN_PROGRESS, "delayed": DELAYED, "not_started": NOT_STARTED, "not_reported": NOT_REPORTED,
}
STATUS_MARK = {"not_started": "⬜", "in_progress": "🔄", "done": "✅", "delayed": "⏸", "not_reported": "⬜"}
OVERDUE_MARK = "⚠️"

# The one state of an occurrence on a day (schedules.status.State), by value; see docs/STATUS.md.
DONE_ON_TIME = "如期完成"
DONE_LATE = "逾期完成"
NOT_DUE = "未到期"
BEFORE_TRACKING = "追蹤前"
STATE = {
    "done_on_time": DONE_ON_TIME, "done_late": DONE_LATE, "overdue": OVERDUE, "not_due": NOT_DUE,
    "before_tracking": BEFORE_TRACKING,
}
# Printed in month cells beside the colour, so a grey printout still reads.
STATE_MARK = {"done_on_time": "✓", "done_late": "✓!", "overdue": "✗", "not_due": "○", "before_tracking": "－"}

# How people say a status after 回報 12 …, by status; the first spelling is the button's label.
STATUS_SAID: dict[str, tuple[str, ...]] = {
    "done": ("完成", "已完成", "完畢", "辦畢", "已辦畢", "辦理完成", "已辦理", "結案", "done", "finished", "ok"),
    "in_progress": ("進行中", "處理中", "辦理中", "執行中", "作業中", "進行", "處理", "in progress", "doing", "wip"),
    "delayed": ("延後", "延遲", "落後", "遲延", "延期", "展延", "delayed", "delay"),
    "not_started": ("未開始", "尚未開始", "還沒開始", "未辦理", "尚未辦理", "not started", "todo"),
}

# ---------------------------------------------------------------- kinds of occurrence

DEADLINE = "期限"
WINDOW = "辦理期間"
PERIOD = "作業期"
EVENT = "活動"
MEETING = "會議"
KIND = {"deadline": DEADLINE, "window": WINDOW, "period": PERIOD, "event": EVENT}
MEETING_WORDS = ("會議", "召開", "會報")
WHOLE_YEAR = "全年"
ROLLED = "遇假日順延"
EARLIER = "遇假日提前"

# ---------------------------------------------------------------- people and places

STAFF = "承辦人"
CHIEF = "課長"
COORDINATOR = "研考"
DIRECTOR = "主任"
ROLE = {"staff": STAFF, "chief": CHIEF, "coordinator": COORDINATOR, "director": DIRECTOR}
WHOLE_OFFICE = "全所"
