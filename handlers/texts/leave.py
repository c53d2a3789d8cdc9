"""Every Traditional Chinese string about deputies (職務代理人), leave and closures announced from chat."""

from __future__ import annotations

# ---------------------------------------------------------------- the digest

REASON_COVERED = "代理期間回報"
ON_BEHALF = "代理 {name}"  # a line delivered to a deputy: whose item it is
COVERED_BY = "由 {name} 代理"  # the chief's escalation about an owner on leave
COVERED_REPORT = "{name} 代為回報"  # in the return digest: the deputy's report

# ---------------------------------------------------------------- beside an owner's items

ON_LEAVE = "請假中，由 {name} 代理"
ON_LEAVE_NOBODY = "請假中"

# ---------------------------------------------------------------- chat: 請假, 銷假

LEAVE_SAVED = "已登記 {name} 請假：{span}。\n期間提醒改由 {deputy} 代理{how}。"
LEAVE_SAVED_NOBODY = "已登記 {name} 請假：{span}。\n目前沒有可代理的人（請設定職務代理人），期間的提醒暫停，銷假後一併補上。"
DEPUTY_HOW = {0: "（第一代理人）", 1: "（第二代理人）", 2: "（課長）", 3: "（研考）"}
SPAN_ONE = "{day}"
SPAN_MANY = "{start}～{end}（{days} 天）"
LEAVE_HOW = (
    "請假請寫日期，例如：\n請假 明天\n請假 12/3\n請假 12/3-12/5\n"
    "課長（本課同仁）與研考可替人登記：請假 陳怡君 12/3-12/5\n銷假：提前回來或取消請假"
)
LEAVE_BAD_DAY = "「{text}」不是看得懂的日期，沒有登記。請寫成 12/3、12/3-12/5、明天 或 113/12/3。"
LEAVE_BACKWARDS = "結束日 {end} 早於開始日 {start}，沒有登記。"
LEAVE_TOO_LONG = "一次請假最多 {days} 天，沒有登記；長假請分段登記或請研考處理。"
LEAVE_PAST = "{day} 已經過去，沒有登記。請假要從今天或以後開始。"
LEAVE_REFUSED_OTHERS = "只有課長（本課同仁）和研考可以替別人登記請假；你可以寫「請假 12/3」登記自己的。"
LEAVE_REFUSED_SECTION = "{name} 不是你課內的同仁，不能替他登記請假。"
LEAVE_NO_SUCH_PERSON = "名冊上找不到「{name}」。"
LEAVE_BACK = "已銷假：{name} {span} 的請假{how}。提醒恢復直接送給本人。"
LEAVE_BACK_ENDED = "自今天起取消"
LEAVE_BACK_REMOVED = "已取消"
LEAVE_NOTHING = "{name} 目前沒有登記請假。"
LEAVE_STILL = "仍登記的請假：{spans}（再傳「銷假」取消下一段）。"
LEAVE_REST_DAY = "{span} 是休息日（放假或週末），不用請假，沒有登記。"
LEAVE_TOLD = "已通知：{names}。"
NAMES_SEP = "、"
LEAVE_PUSH_DEPUTY = "{name} 請假 {span}，期間由你代理{how}：{name} 的提醒會改送給你，你也可以替他回報，到 {end} 為止。"
LEAVE_PUSH_CHIEF = "本課 {name} 請假 {span}，期間由 {deputy} 代理。"
LEAVE_PUSH_CHIEF_NOBODY = "本課 {name} 請假 {span}，目前沒有可代理的人（請設定職務代理人），期間的提醒暫停。"
LEAVE_REFUSED_BACK = "只有課長（本課同仁）和研考可以替別人銷假。"

# ---------------------------------------------------------------- chat: 停班, 取消停班

CLOSURE_REFUSED = "只有研考可以設定停班日。"
CLOSURE_HOW = "請寫停班的日期和原因，例如：停班 明天 颱風停止上班、停班 7/24-7/25 凱米颱風、取消停班 7/25"
CLOSURE_PAST = "{day} 已經過去，行事曆沒有變更。停班只能設定今天或以後的日子（已過的期限不會因此移動）。"
CLOSURE_ALREADY = "{days} 已經是停班日，不用再設定。"
CLOSURE_NOT_SET = "{days} 沒有設定停班，不用取消。"
CLOSURE_ASK = "要把 {days} 設為停止上班日嗎？（原因：{reason}）"
CLOSURE_ASK_REASON = "{days} 停班要記下原因（和管理頁的行事曆一樣），還沒有設定。請連同原因再傳一次，例如：\n{example}\n或點下面的原因。"
CLOSURE_REASONS = ("颱風停止上班", "豪雨停止上班")
CLOSURE_CANCEL_ASK = "要取消 {days} 的停班嗎？"
CLOSURE_MOVES = "會移動的期限（{count} 項）："
CLOSURE_MOVES_NONE = "沒有期限會移動。"
CLOSURE_MOVE_LINE = "・{number} {title}（{label}）：{before} → {after}"
CLOSURE_MORE = "…另有 {count} 項"
CLOSURE_CONFIRM = "確定"
CLOSURE_CANCEL_BUTTON = "不用了"
CLOSURE_DONE = "已設定 {days} 停班。{told}"
CLOSURE_CANCELLED = "已取消 {days} 的停班。{told}"
CLOSURE_TOLD = "已通知 {count} 位承辦人期限異動。"
CLOSURE_TOLD_NONE = "沒有期限異動，不另通知。"
CLOSURE_DROPPED = "好，沒有變更行事曆。"
CLOSURE_REASON = "停止上班（研考於 LINE 設定）"  # a confirmation button from before reasons were asked
CLOSURE_PUSH = "📅 {days} 停止上班，你的期限順延：\n{lines}"
CLOSURE_PUSH_CORRECTION = "📅 更正：{days} 停止上班，今天早上提醒的期限順延：\n{lines}"
CLOSURE_PUSH_CANCEL = "📅 {days} 取消停班，恢復上班，你的期限改回：\n{lines}"
CLOSURE_PUSH_LINE = "・{title}（{label}）：{before} → {after}"
MOVED_NEXT_YEAR = "{roc}/{day}（跨入{roc}年）"
MOVED_OUT_OF_YEAR = "其中 {count} 項順延到 {roc} 年，已跨出原本的年度。"

# ---------------------------------------------------------------- the planbot command

CLI_DEPUTIES_SET = "已設定 {name} 的職務代理人：第一代理人 {first}，第二代理人 {second}。"
CLI_NONE = "（無）"
CLI_DEPUTY_SELF = "{name} 不能當自己的代理人。"
CLI_DEPUTY_OTHER_OFFICE = "{name} 不在同一個機關。"

# ---------------------------------------------------------------- the console's 同仁 page

DEPUTIES_TITLE = "職務代理人"
DEPUTIES_HOW = "請假期間，提醒依序交給第一代理人、第二代理人（也請假時交給課長）。"
DEPUTY_FIRST = "第一代理人"
DEPUTY_SECOND = "第二代理人"
DEPUTY_NONE = "（無）"
DEPUTIES_SAVE = "儲存代理人"
DEPUTIES_SAVED = "已設定 {name} 的職務代理人。"
DEPUTY_TWICE = "第一代理人和第二代理人不能是同一人。"
DEPUTY_SECOND_ONLY = "請先選第一代理人，再選第二代理人。"
DEPUTY_NOT_HERE = "選的代理人不在本機關的在職名冊上。"
CLI_LEAVE_ADDED = "已登記 {name} 請假 {span}{kind}；由 {deputy} 代理。"
CLI_LEAVE_ADDED_NOBODY = "已登記 {name} 請假 {span}{kind}；沒有可代理的人。"
CLI_LEAVE_REMOVED = "已刪除 {name} {start} 起的請假。"
CLI_LEAVE_NOT_FOUND = "{name} 沒有 {start} 起的請假。"
CLI_LEAVE_HEAD = "{day} 請假中的同仁：{count} 位"
CLI_LEAVE_HEAD_ALL = "{start} 起的請假：{count} 筆"
CLI_LEAVE_ROW = "  {name}　{span}{kind}　代理：{deputy}"
CLI_LEAVE_IMPORTED = "已從 {file} 匯入 {count} 筆請假。"

# ---------------------------------------------------------------- the leave CSV

IMPORT_UNREADABLE = "{name} 無法讀取，沒有匯入任何資料：{reason}。"
IMPORT_NO_HEADER = "{name} 缺少欄位：{columns}（需要 姓名、假別、起、迄），沒有匯入任何資料。"
IMPORT_FAILED = "{name} 有 {count} 個問題，沒有匯入任何資料：\n{problems}"
IMPORT_ROW_UNKNOWN = "第 {row} 列：名冊上沒有「{value}」"
IMPORT_ROW_BAD_DAY = "第 {row} 列 {column} 欄：「{value}」不是日期"
IMPORT_ROW_BACKWARDS = "第 {row} 列：迄 {end} 早於起 {start}"
IMPORT_ROW_EMPTY = "第 {row} 列：{column} 欄是空的"
IMPORT_ROW_TOO_LONG = "第 {row} 列 {column} 欄：超過 {limit} 個字"

# ---------------------------------------------------------------- the staff roster

ROSTER_SELF_DEPUTY = "{source} 第 {row} 列：{name} 不能當自己的代理人，沒有匯入任何資料。"
ROSTER_UNKNOWN_DEPUTY = "{source} 第 {row} 列 {column}：名冊上沒有「{name}」，沒有匯入任何資料。"

# ---------------------------------------------------------------- the console

CONSOLE_DEPUTIES = "代理人"

# ---------------------------------------------------------------- 說明

HELP_LEAVE = "請假 12/3-12/5（或 請假 明天）：登記請假，期間的提醒由職務代理人接手；銷假：提前回來"
HELP_LEAVE_CHIEF = "請假 姓名 12/3-12/5：替本課同仁登記請假（銷假 姓名：取消）"
HELP_LEAVE_OFFICE = "請假 姓名 12/3-12/5：替同仁登記請假（銷假 姓名：取消）（研考）"
HELP_CLOSURE = "停班 明天 颱風停止上班／停班 7/24-7/25 凱米颱風：設定停班日（寫上原因），先列出會順延的期限再確認；取消停班 7/25（研考）"
REPORTED_FOR = "（代理 {name} 回報，{name} 銷假後會看到）"
NAME_WITH_NOTE = "{name}（{note}）"
MORE_ON_LEAVE = "另有 {count} 位同仁請假中"
