"""What the coordinator's console says: the 管理 reply in chat, and every label of the web pages."""

from __future__ import annotations

from handlers.texts import words as W

# Chat: 管理
LINK_SENT = "管理頁登入連結（10 分鐘內有效，只能用一次，請勿轉傳）：\n{url}\n\n連結過期了就再輸入「管理」。"
HELP_CHIEF = "管理：管理頁登入連結（本課年度管制表）"
HELP_OFFICE = "管理：管理頁登入連結（年度管制表、行事曆、同仁）"
LINK_REFUSED = "管理頁給研考、主任與課長使用。要看自己的項目，請輸入「我的」或「本月」。"

# Sign-in pages
SIGNIN_TITLE = "登入管理頁"
SIGNIN_PROMPT = "{name}您好：按下「登入」開始使用管理頁（8 小時內有效）。這個連結只能登入一次。"
SIGNIN_BUTTON = "登入"
SIGNIN_USED = "這個登入連結已經用過了（每個連結只能用一次）。"
SIGNIN_EXPIRED = "這個登入連結已經過期（10 分鐘內有效）。"
SIGNIN_UNKNOWN = "這個登入連結無效，可能是複製時少了幾個字。"
SIGNIN_AGAIN = "請在 LINE 對 planbot 輸入「管理」，取得新的登入連結。"
SIGNIN_AGAIN_ASK = "請向研考索取新的連結。"
SIGNIN_NOT_FROM_PAGE = "沒有登入：這次的「登入」不是從這個連結的登入頁按下的（可能來自別的網頁，或登入頁開在別的瀏覽器）。"
SIGNIN_OPEN_AGAIN = "連結還可以用：請重新點開您收到的登入連結，在出現的登入頁按「登入」。"
SIGNED_OUT = "已登出。要再進來，請在 LINE 輸入「管理」。"
NEED_SIGNIN = "請先登入：在 LINE 對 planbot 輸入「管理」，點開收到的連結（10 分鐘內有效）。"
BAD_CSRF = "這個表單已失效（可能開太久或來自別的網頁），沒有做任何變更。請重新整理頁面再試一次。"
FORBIDDEN = "你沒有權限看這一項。"
NOT_FOUND = "找不到這一項，可能已經重新匯入計畫。"

# Frame
APP_TITLE = "planbot 管理頁"
SIGNED_IN_AS = "{name}（{role}）"
SIGN_OUT = "登出"
NAV_TABLE = "年度管制表"

# 年度管制表
TABLE_TITLE = "{year} 年度管制表"
NO_PLAN = "還沒有匯入計畫。請用 planbot import 匯入年度工作計畫。"
COL_NUMBER = "編號"
COL_TITLE = "計畫項目"
COL_OWNERS = "承辦人"
COL_SCHEDULE = "預定作業時程"
COL_STATUS = "執行情形"
MONTH = "{month}月"
FILTER_SECTION = "課室"
FILTER_OWNER = "承辦人"
FILTER_STATE = "狀態"
FILTER_ANY = "全部"
FILTER_APPLY = "篩選"
NO_ROWS = "沒有符合篩選條件的項目。"
# A table with no item at all for this person, whatever the filters (handlers.documents.control_table.NoItems).
NO_ITEMS_SECTION = "{section}在 {year} 年度工作計畫裡沒有任何項目。"
NO_ITEMS_OWN = "你在 {year} 年度工作計畫裡沒有負責的項目。"
NO_ITEMS_OFFICE = "{year} 年度工作計畫裡還沒有任何項目。請用「匯入計畫」匯入年度工作計畫。"
NO_ITEMS_ASK = "如果應該有，請洽研考{who}：可能是計畫裡的課室或承辦人名稱和名冊上的不一樣。"
NO_ITEMS_ASK_NAMES = "（{names}）"
LEGEND = "圖例"
READING = "→ {reading}"
SCHEDULE_PROBLEM = "（時程看不懂：{problem}）"
CELL_TITLE = "{number} {title}，{month}月：{state}"
MARKED_ONLY = "已排定（時程未能解讀）"

# Cell states (schedules.status.State), by value
STATES = W.STATE

# The occurrence page
OCC_TITLE = "{section} {number} {title}"
OCC_WHEN = "期間"
OCC_DUE = "期限"
OCC_STATE = "目前狀態"
OCC_REPORTS = "回報紀錄"
OCC_NO_REPORTS = "還沒有人回報。"
REPORT_LINE = "{when}　{name}：{status}{percent}{note}"
REPORT_VIA_CONSOLE = "（管理頁）"
REPORT_FORM = "回報這一期"
REPORT_STATUS = "狀態"
REPORT_PERCENT = "完成百分比（可不填）"
REPORT_NOTE = "備註（可不填）"
REPORT_SUBMIT = "送出回報"
REPORT_NOT_ALLOWED = "你可以看這一項，但只有承辦人、其課長與研考可以回報。"
BACK = "回年度管制表"

# 行事曆
NAV_CALENDAR = "行事曆"
CAL_TITLE = "{year} 行事曆：停止上班日與補行上班日"
CAL_NONE = "今年還沒有另外設定的停止上班日或補行上班日（國定假日與補班日已內建）。"
CAL_KIND = {"closure": "停止上班", "workday": "補行上班"}
CAL_DAY = "日期"
CAL_KIND_LABEL = "種類"
CAL_REASON = "原因（例：凱米颱風停止上班）"
CAL_PREVIEW = "預覽會移動的期限"
CAL_MOVED = "{day}{kind}會移動這些期限："
CAL_MOVED_NONE = "{day}{kind}不會移動任何期限。"
CAL_MOVED_LINE = "{section} {number} {title}（{label}）：{before} → {after}"
CAL_CONFIRM = "確定儲存"
CAL_SAVED = "已儲存：{day}{kind}（{reason}）。"
CAL_BAD_DAY = "看不懂這個日期，請用 2024-07-25 的格式。"
CAL_PAST = "{day} 已經過去，沒有儲存。停止上班日與補行上班日只能設定今天或以後的日子（已過的期限不會因此移動）。"
CAL_NEED_REASON = "請寫下原因，日後查得到為什麼這天不同。"
CAL_NOT_ALLOWED = "只有研考與主任可以變更行事曆。"

# 同仁
NAV_STAFF = "同仁"
STAFF_TITLE = "同仁與 LINE 綁定"
STAFF_NAME = "姓名"
STAFF_ROLE = "角色"
STAFF_LINE = "LINE"
STAFF_ACTION = "綁定碼"
STAFF_LINKED = "已綁定"
STAFF_NOT_LINKED = "尚未綁定"
STAFF_INACTIVE = "已停用"
STAFF_NOT_ALLOWED = "只有研考與主任可以管理同仁與綁定碼。"
INVITE_BUTTON = "發綁定碼"
INVITE_BUTTON_FOR = "發綁定碼給{name}"
INVITE_ISSUED = "{name} 的綁定碼"
INVITE_HOW = "請他在 LINE 對 planbot 傳：綁定 {code}（先前未用的綁定碼已失效）"
INVITE_EXPIRES = "有效期限：{when} 前，只能使用一次。"


def signin_again(staff: object | None) -> str:
    """Return how to get another link: 管理 in LINE for those who may use it, else ask the coordinator."""
    role = getattr(getattr(staff, "role", None), "value", None)
    return SIGNIN_AGAIN_ASK if role == "staff" else SIGNIN_AGAIN


def no_items(found: object, year: int) -> str:
    """Say plainly that the plan has nothing for this person (a chief: their section), and whom to ask."""
    whose = getattr(found, "whose", "office")
    if whose == "office":
        return NO_ITEMS_OFFICE.format(year=year)
    said = (NO_ITEMS_SECTION.format(section=getattr(found, "section", ""), year=year) if whose == "section"
            else NO_ITEMS_OWN.format(year=year))
    names = getattr(found, "coordinators", ())
    return said + NO_ITEMS_ASK.format(who=NO_ITEMS_ASK_NAMES.format(names="、".join(names)) if names else "")
