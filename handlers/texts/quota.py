"""The push budget's words: the 80% warning, reminders held for the next reply, and `planbot quota forecast`."""

from __future__ import annotations

QUOTA_WARNING = "⚠ LINE 本月推播已用 {used} 則，超過額度 {quota} 則的八成。"
QUOTA_WARNING_BUDGET = (
    "\n本月的提醒已改為節約模式：每人每週一則週摘要（本週到期與逾期事項），其餘額度留給到期當天、同仁逾期與逾期提醒；"
    "沒推播的提醒會附在同仁下次問機器人時的回覆裡。"
)
QUOTA_WARNING_END = "\n本月不會超過額度；需要更多額度請到 LINE Official Account Manager 調整方案。"

HELD_HEAD = "📌 本月推播額度有限，以下提醒沒有推播，補充告訴您："
HELD_LINE = "‧ {due} {reason}：{number}{title}{label}"
HELD_MORE = "……還有 {count} 則，傳「逾期」或「本週」可以看全部。"

# planbot quota forecast
FORECAST_HEAD = "LINE 推播額度預估（{source}）"
SOURCE_LINE = "額度取自 LINE"
SOURCE_SETTING = "額度取自 LINE_MONTHLY_QUOTA"
SOURCE_NONE = "沒有額度資料：未設定 LINE_MONTHLY_QUOTA，也無法向 LINE 查詢"
FORECAST_MONTH = "{month}月：預計推播 {pushes} 則／額度 {quota}（不限制時 {normal} 則）{mode}"
FORECAST_USED = "　已用 {used} 則"
FORECAST_NO_QUOTA = "{month}月：預計推播 {pushes} 則（沒有額度上限）"
FORECAST_SHARED = (
    "本機關沒有自己的 LINE 帳號，和{offices}共用 LINE_CHANNEL_ACCESS_TOKEN 的帳號與額度："
    "已用與預計推播都含這些機關的推播；每天早上依機關加入的順序，各機關用前面機關留下的額度。"
)
FORECAST_OTHERS = "；其中其他機關 {others} 則"
NAME_JOIN = "、"
MODE_NORMAL = "，照常提醒"
MODE_BUDGET = "，{days} 個上班日改用節約模式（每週摘要＋最急的提醒），{held} 則提醒改附在回覆裡"
FORECAST_LATE = "；額度不夠，{late} 筆到期事項無法在到期日前推播給承辦人（會附在承辦人下次問機器人時的回覆裡）"
OVER = "　⚠ 超過額度"
BAD_MONTH = "看不懂月份「{text}」：請寫 1 到 12 的數字，或加上年份，例如 --month 4、2024-04、113/4。"
RANGE_BACKWARDS = "--from {start} 在 --to {end} 之後，請對調。"
RANGE_NEEDS_DRY_RUN = "--from／--to 只能和 --dry-run 一起用（只規劃，不推播）。"
RANGE_NEEDS_BOTH = "--from 和 --to 要一起給。"
