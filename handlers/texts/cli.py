"""What the `planbot` command prints (the administrator's terminal), in one place to read and review."""

from __future__ import annotations

# planbot remind / planbot clock
NEED_ONE = "請指定 --at 時間或 --now 其中一個"
BAD_MOMENT = "看不懂的時間「{text}」（例：2024-04-08T08:30 或 113/4/8 08:30）"
NO_OFFICE = "沒有「{name}」這個機關"
PLAN_HEAD = "{day} 早上的提醒：{count} 份"
UNREACHABLE = "（其中 {count} 份無法送達：未綁定 LINE，課室也沒有群組）"
VIA = {"user": "LINE", "group": "群組", "none": "無法送達"}
PLAN_LINE = "    {reason}\t{number}\t{title}\t{due}"
RUN_SKIPPED = "{day} 沒有推播：{why}"
SKIP_REASONS = {
    "rest day": "不是上班日",
    "outside push hours": "不在推播時段（上班日 08:30～18:00）",
    "another clock is running": "另一個排程程序正在執行，稍後再試",
}
RUN_DONE = "{day}：規劃 {planned} 份，新寫入 {written} 份，已送出 {sent} 份，失敗 {failed} 份，待重送 {left} 份"
RUN_MISSED = "補上漏掉的早上：{days}"
