"""Every Traditional Chinese string of the reminder digests, in one place to read and review."""

from __future__ import annotations

from handlers.texts import leave as L
from handlers.texts import words as W
from schedules.planner.lines import Reason

REASON_LABELS = {
    Reason.covered: L.REASON_COVERED,
    Reason.overdue: "已逾期",
    Reason.escalation: "同仁逾期",
    Reason.due: "今天到期",
    Reason.closing: "即將截止",
    Reason.event: "活動提醒",
    Reason.upcoming: "即將到期",
    Reason.opened: "開始辦理",
    Reason.collect_followup: f"月報：{W.NOT_REPORTED}",
    Reason.collect: "月報：請回報",
    Reason.compiled: "月報彙整",
}

KIND_LABELS = {**W.KIND, "period": "月份"}  # a digest names a period by its month(s)

# A line's status: what was last reported (未開始 is a report), or "not_reported" when nobody has.
STATUS_LABELS = dict(W.STATUS)

BUTTON_DONE = W.STATUS_SAID["done"][0]
BUTTON_IN_PROGRESS = W.IN_PROGRESS
BUTTON_DELAYED = W.DELAYED
BUTTON_MORE = "更多"
BUTTON_EXPORT = "下載管制表"

DIGEST_TITLE = "{day} 工作提醒"
GROUP_TITLE = "{day} {section} 工作提醒"
GREETING = "{name}，今天有 {count} 項提醒"
GROUP_GREETING = "以下同仁尚未綁定 LINE，請代為轉達（{count} 項）"
COUNT_ROW = "{count} 項"
ALT_TEXT = "{day} 工作提醒：{summary}"
ALT_JOIN = "、"

ROW_SECTION = "課室"
ROW_NUMBER = "編號"
ROW_DUE = "到期"
ROW_EVENT_DAY = "日期"
ROW_PERIOD = "期間"
ROW_OWNERS = "承辦"
ROW_FOR = "請轉告"
ROW_STATUS = "目前"
ROW_LATE = "逾期"
ROW_LEFT = "剩餘"
WORKING_DAYS = "{n} 個工作天"
PERIOD_SPAN = "{starts}～{due}"

LINK_HINT = "綁定帳號後就能直接按鈕回報進度。"

MORE_TITLE = "還有 {count} 項"
MORE_ROW = "{reason}｜{title}"
MORE_HINT = "按「更多」看其餘項目"
PAGE_TITLE = "{day} 工作提醒（第 {page} 頁）"

COMPILED_TITLE = "{month} 月工作進度彙整"
COMPILED_SUBTITLE = "{scope}，上月到期 {total} 次"
COMPILED_ALL = "全機關"
# Last month's occurrences by state: done on time, done late, overdue with what was said, overdue unreported.
COMPILED_COUNTS = (W.DONE_ON_TIME + " {done_on_time}／" + W.DONE_LATE + " {done_late}／" + W.OVERDUE + "（"
                   + W.IN_PROGRESS + " {in_progress}、" + W.DELAYED + " {delayed}、" + W.NOT_STARTED + " {not_started}）／"
                   + W.NOT_REPORTED + " {missing}")
COMPILED_MISSING = W.NOT_REPORTED + "：{names}"
COMPILED_NO_MISSING = "全部已回報"
EXPORT_HINT = "要完整的管制表，請在 LINE 輸入「匯出」。"

QUOTA_REFUSED = (
    "⚠ LINE 本月推播額度不足：{day} 早上有 {count} 則提醒沒有送出。\n"
    "請管理者到 LINE Official Account Manager 調整方案或額度；額度恢復後，當天的提醒會自動補送。"
)
REASON_COUNT = "{reason} {count} 項"
