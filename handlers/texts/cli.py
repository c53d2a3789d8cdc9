"""What the `planbot` command prints (the administrator's terminal), in one place to read and review.

The `--help` lines stay on each command's definition, where click reads them.
"""

from __future__ import annotations

from handlers.texts import words as W
from schedules.planner import Reach

# Errors (printed as `planbot: 錯誤：…`)
ERROR = "planbot: 錯誤：{message}"
USAGE_ERROR = "planbot: 錯誤：{message} {hint}"
USAGE_HINT_COMMAND = "（請看 planbot {command} --help）"
USAGE_HINT = "（請看 planbot --help）"
CANCELLED = "planbot: 已取消"
NO_TABLES = "planbot: 錯誤：資料庫還沒有建立資料表，請先執行：planbot db upgrade"
NO_DATABASE = "planbot: 錯誤：無法使用資料庫（請檢查 DATABASE_URL）：{reason}"
UNEXPECTED = "planbot: 錯誤：{kind}: {reason}（PLANBOT_DEBUG=1 可看詳細資訊）"

# Resolving an office, a section, a plan; reading dates, years, months and moments
NO_SUCH_OFFICE = "沒有「{name}」這個機關（有：{known}）"
NO_OFFICES_YET = "（還沒有任何機關）"
NOTHING_IMPORTED = "資料庫中還沒有計畫，請先用 planbot import 匯入"
WHICH_OFFICE = "資料庫中有 {count} 個機關，請用 --office 指定（{names}）"
NO_PLAN_YET = "{office} 還沒有匯入任何計畫"
NO_SUCH_SECTION = "沒有「{name}」這個課室（有：{names}）"
BAD_DAY = "看不懂的日期「{text}」（例：2024-07-25 或 113/7/25）"
BAD_YEAR = "看不懂的年份「{text}」（例：2024 或 113）"
BAD_YEAR_SHORT = "看不懂的年份「{text}」"
BAD_MONTH = "看不懂的月份「{text}」（例：3 或 3月）"
BAD_TIME = "看不懂的時間「{text}」（例：2024-04-08 09:00 或 113/4/8）"
LIST_JOIN = "、"

# planbot db / staff / calendar
DB_UPGRADED = "資料庫已是最新版本：{url}"
STAFF_ADDED = "已新增"
STAFF_UPDATED = "已更新"
STAFF_SAVED = "{verb}：{name}（{section}，{role}）"
NO_SECTION = "未分課室"
STAFF_NEW_SECTION = "名冊裡還沒有「{name}」這個課室{near}，沒有變更任何資料。若確定要新增這個課室，請加上 --new-section。"
STAFF_SECTION_NEAREST = "（最接近的是「{name}」）"
STAFF_COUNT = "{office}：{count} 位同仁"
STAFF_ROW = "  {name}\t{section}\t{role}\t{linked}"
LINKED = "已綁定"
NOT_LINKED = "未綁定"
NOT_ON_ROSTER = "名冊中沒有「{name}」（先用 planbot staff add 新增）"
INVITE_CODE = "{name} 的綁定碼：{code}"
INVITE_HOW = "請他在 LINE 對 planbot 傳：綁定 {code}"
INVITE_EXPIRES = "有效期限：{day} {time} 前，只能使用一次。"
STAFF_IMPORTED = "已匯入 {count} 位同仁到 {office}"
OVERRIDE_CLOSED = "停止上班"
OVERRIDE_OPEN = "上班"
OVERRIDE_SET = "已設定 {day} {label}：{reason}（之後計算的日期都會依此調整）"
YEAR_NOT_BUILT_IN = "注意：{year} 年的政府行政機關辦公日曆尚未內建，只以週末計算。"
YEAR_HEAD = "{year} 年（民國 {roc} 年）：全年 {count} 個工作日"
DAY_WORKING = "上班"
DAY_OFF = "放假"
DAY_ROW = "  {day}\t{label}\t{note}"

# planbot import / plan show / due
NOT_IMPORTED = "{file} 沒有匯入（{count} 個問題，見上方報告）"
PROBLEMS_HEAD = "{office} {year} 年：{count} 個項目的時程需要修正"
PROBLEM_ROW = "  {section} {number} {title}（第 {row} 列，預定作業時程）：{problem}"
READINGS_HEAD = "{office} {year} 年：{count} 種時程寫法"
READING_ROW = "  {line}"
PLAN_SHOW_HEAD = "{office} {year} 年（民國 {roc} 年）工作計畫：{count} 個項目"
SECTION_HEAD = "\n【{section}】{count} 項"
PLAN_COLUMNS = ["編號", "計畫項目", "工作內容", W.STAFF, "預定作業時程"]
NO_OWNER = "（未指定）"
MONTH = "{month}月"
NOT_UNDERSTOOD = "⚠ 看不懂：{text}"
TO_BEFORE_FROM = "迄日早於起日"
TRACKING_OUTSIDE_YEAR = "追蹤起日 {day} 不在計畫年度 {year}（民國 {roc} 年）內"
DUE_HEAD = "{first} 至 {last}：{count} 項作業到期\n"
DUE_COLUMNS = ["到期日", "課室", "編號", "計畫項目", "類型", "起始", W.STAFF]
KIND_LABELS = {**W.KIND, "period": "月份"}  # the due table names a period by its month(s)

# planbot say / summary / export
NOTHING_TO_SAY = "請給要傳的訊息，例如：planbot say --as 李冠緯 \"本週\""
UNKNOWN_SPEAKER = "（名冊上沒有「{who}」：當作未綁定的 LINE 帳號）"
NO_ANSWER = "（小幫手沒有回應）"
EXPORT_SUFFIX = "檔名要以 .ods 或 .xlsx 結尾：{file}"
CANNOT_WRITE = "無法寫入 {file}：{reason}"
NOTHING_TO_EXPORT = "沒有符合的項目可以匯出"
WRITTEN = "已寫入 {file}"

# planbot serve / events
SERVING = "planbot 已啟動：http://{host}:{port}/callback （健康檢查 /healthz）"
EVENTS_POLLING = "planbot events：每 {poll} 秒處理一次新的 LINE 事件"

# planbot remind / planbot clock
NEED_ONE = "請指定 --at 時間或 --now 其中一個"
BAD_MOMENT = "看不懂的時間「{text}」（例：2024-04-08T08:30 或 113/4/8 08:30）"
NO_OFFICE = "沒有「{name}」這個機關"
PLAN_HEAD = "{day} 早上的提醒：{count} 份"
UNREACHABLE = "（其中 {count} 份無法送達：未綁定 LINE，課室也沒有群組）"
VIA = {Reach.user: "LINE", Reach.group: "群組", Reach.none: "無法送達"}
PLAN_TO = "  {to}（{via}）"
PLAN_LINE = "    {reason}\t{number}\t{title}\t{due}"
RUN_SKIPPED = "{day} 沒有推播：{why}"
SKIP_REASONS = {
    "rest day": "不是上班日",
    "outside push hours": "不在推播時段（上班日 08:30～18:00）",
    "another clock is running": "另一個排程程序正在執行，稍後再試",
}
RUN_DONE = "{day}：規劃 {planned} 份，新寫入 {written} 份，已送出 {sent} 份，失敗 {failed} 份，待重送 {left} 份"
RUN_MISSED = "補上漏掉的早上：{days}"
DEMO_HISTORY = "示範進度紀錄：到 {today} 為止 {reports} 筆回報（準時完成 {on_time}、逾期後完成 {late}、進行中 {in_progress}）"
DEMO_OFFICES = "示範有 {count} 個機關：{names}（模擬器左上角選機關；兩個機關共用模擬器的 LINE 帳號）"
DEMO_OFFICES_BAD = "PLANBOT_DEMO_OFFICES 只能是 1 到 {most}（示範的機關數）"
DEMO_OFFICE_HEAD = "【{office}】"
DEMO_READY = "\n示範已就緒：請用瀏覽器開啟 {url}/simulator （選一位同仁，輸入「說明」或「本月」）"
DEMO_CONSOLE = "管理頁（研考 {name}）：{url}\n　（10 分鐘內有效、只能用一次；之後在模擬器以 {name} 傳「管理」，或執行 planbot console link {name}{office}）"
DEMO_WEBHOOK = "LINE webhook：{url}/callback　按 Ctrl+C 結束。\n"
DEMO_HISTORY_KEPT = "示範資料庫已有回報紀錄，保留不動。"

# planbot console link
CONSOLE_LINK = "{name} 的管理頁登入連結（10 分鐘內有效，只能用一次）：\n{url}"

DEMO_TYPHOON = "看颱風停班怎麼進來：另開終端機執行 .venv/bin/planbot calendar feed replay {path} --on 今天的日期（例 2026-12-07）"

# planbot office add | channel | list
OFFICE_EXISTS = "已經有「{name}」這個機關了（planbot office list 可看全部機關）"
OFFICE_ADDED = "已新增機關「{name}」。下一步：planbot office channel {name} --bot-id U… --secret-file 檔案 --token-file 檔案"
OFFICE_NAME_EMPTY = "機關名稱不能是空的"
BAD_BOT_ID = "「{text}」不是 LINE 的 Bot user ID（U 加 32 個 0-9、a-f 字元；在 LINE Developers 的 Basic settings 頁）"
BOT_ID_TAKEN = "這個 Bot user ID 已經是「{office}」的 LINE 官方帳號，不能再給「{name}」"
CHANNEL_FILE_UNREADABLE = "讀不到 {what}檔案 {path}：{reason}"
CHANNEL_FILE_EMPTY = "{what}檔案 {path} 是空的"
CHANNEL_WHAT = {"secret": "Channel secret ", "token": "Channel access token "}
CHANNEL_SET = "已設定「{name}」的 LINE 官方帳號（Bot user ID {bot_id}）；密鑰與權杖已加密存放。幾秒內 webhook 就會收這個帳號的訊息"
CHANNEL_REPLACED = "已更新「{name}」的 LINE 官方帳號（Bot user ID {bot_id}）；密鑰與權杖已加密存放"
OFFICE_LIST_HEAD = "機關\t所在地\tLINE 官方帳號\t同仁\t計畫"
OFFICE_LIST_ROW = "{name}\t{place}\t{channel}\t{staff}\t{plans}"
OFFICE_NO_PLACE = "（未設定）"
OFFICE_NO_CHANNEL = "未設定（用環境變數的帳號）"
OFFICE_CHANNEL = "已設定 {bot_id}"
NO_OFFICES = "還沒有任何機關（planbot office add 名稱）"
SECRET_KEY_MISSING = ("沒有設定 PLANBOT_SECRET_KEY：各機關的 LINE 密鑰與權杖要用它加密存放（每個程序都設定同一把）。"
                      "產生一把金鑰：{make}")
SECRET_KEY_MALFORMED = "PLANBOT_SECRET_KEY 不是有效的金鑰（要 Fernet 金鑰）。產生一把金鑰：{make}"
SECRET_KEY_WRONG = "PLANBOT_SECRET_KEY 打不開「{office}」的 LINE 設定（當初是用別把金鑰存的嗎？），請設定存放時用的那把金鑰"
