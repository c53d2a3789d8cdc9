"""What the city's read-only page and the `planbot city viewer` commands say (city viewers: 民政局, 研考會)."""

from __future__ import annotations

from handlers.texts import words as W

# planbot city viewer …
CLI_GROUP = "市府檢視者（民政局、研考會等）：唯讀的各所進度頁。"
CLI_VIEWER = "市府檢視者帳號：新增、登入連結、停用。"
CLI_ADD = "新增市府檢視者，印出登入連結（10 分鐘內有效，只能用一次）。"
CLI_LINK = "印出市府檢視者的新登入連結（10 分鐘內有效，只能用一次）。"
CLI_DEACTIVATE = "停用市府檢視者：登入中的工作階段與未用的連結立即失效。"
CLI_LIST = "列出市府檢視者。"
CLI_UNIT_HELP = "所屬單位，例如 臺北市政府民政局。"
ADDED = "已新增市府檢視者 {name}（{unit}）。"
REACTIVATED = "已重新啟用市府檢視者 {name}（{unit}）。"
LINK = "{name} 的各所進度頁登入連結（10 分鐘內有效，只能用一次）：\n{url}"
DEACTIVATED = "已停用市府檢視者 {name}，結束 {count} 個工作階段或未用的連結。"
ALREADY_INACTIVE = "市府檢視者 {name} 已經停用。"
EXISTS = "已有市府檢視者「{name}」（{unit}）；要新連結請用 planbot city viewer link {name}"
UNKNOWN = "沒有市府檢視者「{name}」（先用 planbot city viewer add {name} --unit 單位 新增）"
INACTIVE = "市府檢視者「{name}」已停用；要恢復請再 planbot city viewer add {name} --unit 單位"
BAD_NAME = "姓名要 1 到 {most} 個字（收到「{name}」）。"
BAD_UNIT = "單位要 1 到 {most} 個字，例如 臺北市政府民政局。"
LIST_HEAD = "市府檢視者 {count} 位："
LIST_ROW = "{name}　{unit}{state}"
LIST_INACTIVE = "（已停用）"

# Sign-in
SIGNIN_TITLE = "登入各所進度頁"
SIGNIN_PROMPT = "{name}（{unit}）您好：按下「登入」開始使用各所進度頁（8 小時內有效）。這個連結只能登入一次。"
SIGNIN_AGAIN = "請向系統管理者索取新的連結（planbot city viewer link）。"
SIGNED_OUT = "已登出各所進度頁。"

# Who may go where
CITY_ONLY = "各所進度頁只給市府檢視者（民政局、研考會）使用；區公所與戶政事務所同仁請用管理頁。"
OFFICE_ONLY = "市府檢視者只能看各所進度頁，不能看機關的管理頁。"
TO_CITY = "回各所進度頁"

# The page
APP_TITLE = "planbot 各所進度"
SIGNED_IN_AS = "{name}（{unit}）"
TITLE = "{roc}年{month}月 各所工作計畫進度"
SUBTITLE = "統計至 {day}；每所的數字與該所的「摘要」相同（依期程逐次計算）。"
MONTH = "月份"
SHOW = "查看"
COL_OFFICE = "機關"
COL_DUE = "本月應完成"
COL_DONE_ON_TIME = W.DONE_ON_TIME
COL_DONE_LATE = W.DONE_LATE
COL_OVERDUE = W.OVERDUE
COL_NOT_REPORTED = W.NOT_REPORTED
COL_COMPLETION = "完成率"
COL_LIGHT = "燈號（最差課室）"
COL_REPORT = "執行情形彙整表"
TIMES = "{n}"
NOTHING_DUE = "尚無到期"
NOT_DUE_YET = "（另有 {n} 次未到期）"
NO_PLAN = "尚未匯入{year}年計畫"
NO_OFFICES = "還沒有任何機關。"
DOWNLOAD = ".{fmt}"
LEGEND_TITLE = "燈號說明"
LEGEND_OFFICES = "{offices}的門檻："
NOT_FOUND = "找不到這個機關，或該機關還沒有這一年的計畫。"
NEED_SIGNIN_CITY = "市府檢視者：請向系統管理者索取登入連結（planbot city viewer link）。"
BAD_MONTH = "月份只能選今年 1 月到 {month} 月（收到「{text}」），以下是本月。"
