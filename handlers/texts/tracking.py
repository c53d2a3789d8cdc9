"""What staff read about a plan's tracking start and about reporting several occurrences at once."""

from __future__ import annotations

# Lists and summaries: one line about occurrences due before the plan's tracking start.
BEFORE_TRACKING = "另有 {count} 次作業在追蹤起日 {day}之前到期、沒有回報，不算逾期，也不列入統計。"
BEFORE_TRACKING_ROW = "追蹤起日 {day}前"
BEFORE_TRACKING_COUNT = "{count} 次未列入"
STATUS_BEFORE_TRACKING = "➖追蹤起日前"

# 回報 3 1-10月 完成 / 回報 3 全部 完成
MANY_RECORDED = "已回報 {section} {number} {title}：{status}，共 {count} 次\n{occurrences}"
MANY_ALREADY = "（{occurrences} 原本就是{status}，沒有重複記錄）"
MANY_NOTHING_NEW = "{number} {title} 的 {occurrences} 原本就是{status}，沒有新的紀錄。"
MANY_NONE = "{number} {title} 在 {when} 沒有需要回報的作業。"
MANY_NEEDS_STATUS = "一次回報多次作業時，請說狀態，例如：回報 {number} {when} 完成"
MANY_BY = "\n回報人：{name}（{time}）"
MANY_MONTHS = "{first}-{last}月"
MANY_ALL = "全部"
MANY_PICK_SECTION = "有好幾個 {number} 號項目，一次回報多次作業時請加上課室，例如：回報 {section} {number} {when} 完成"
