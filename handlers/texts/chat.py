"""Every Traditional Chinese string the conversation says, in one place to read and review as one text.

The words for statuses, kinds and roles come from `words`; what each command is called, and its help
line, is in the command table (`handlers/chat/catalog.py`).
"""

from __future__ import annotations

from datetime import date

from handlers.texts import words as W
from schedules.dates import format_date

# ---------------------------------------------------------------- words used everywhere

KIND = W.KIND
PERIOD_KIND = "{label}作業"
DEADLINE_SUFFIX = "截止"
MEETING = W.MEETING
MEETING_WORDS = W.MEETING_WORDS
STATUS = W.STATUS
NOT_REPORTED = W.NOT_REPORTED
STATUS_MARK = W.STATUS_MARK
OVERDUE_MARK = W.OVERDUE_MARK
WHOLE_OFFICE = W.WHOLE_OFFICE
ROLE = W.ROLE
ROLLED = "（{day} {rolled}）"
ROLLED_WORD = W.ROLLED
EARLIER_WORD = W.EARLIER
SPAN = {
    "today": "今天",
    "tomorrow": "明天",
    "this_week": "本週",
    "next_week": "下週",
    "last_week": "上週",
    "this_month": "本月",
    "next_month": "下個月",
    "last_month": "上個月",
    "day_after_tomorrow": "後天",
}
MONTH_WORD = "{month}月"
LIST_SEP = "、"
SUB_ITEM = "{title}：{content}"
NAME_WITH_SCHEDULE = "{name}：{schedule}"  # items that would read the same, told apart by their schedule
NOBODY = "（未指定）"
ELLIPSIS = "…"


def span_text(start: date, end: date) -> str:
    """Return a date span as 4/8（一）～4/14（日）, or one date when it is one day."""
    return format_date(start) if start == end else f"{format_date(start)}～{format_date(end)}"


def plan_year(year: int, today: date) -> str:
    """Return 今年 for this year's plan, else 113 年度 (in January, before the new plan is imported)."""
    return THIS_YEAR if year == today.year else PLAN_YEAR.format(roc=year - 1911)


def percent(value: float) -> str:
    """Return a fraction as a whole percentage."""
    return f"{round(value * 100)}%"


# ---------------------------------------------------------------- buttons

BUTTON_MORE = "更多"
BUTTON_RECORD_AGAIN = "再記一筆"
BUTTON_DONE = W.STATUS_SAID["done"][0]
BUTTON_IN_PROGRESS = W.IN_PROGRESS
BUTTON_HALF = "50%"
BUTTON_DELAYED = W.DELAYED
BUTTON_NOT_STARTED = W.NOT_STARTED

# ---------------------------------------------------------------- people we do not know yet

UNLINKED = (
    "你好！這裡是工作計畫小幫手。\n"
    "這個 LINE 帳號還沒有綁定同仁資料，所以還不能查看或回報計畫。\n\n"
    "請向研考（管理者）索取一次性的綁定碼，再傳：\n"
    "綁定 你的綁定碼\n"
    "例如：綁定 7KQ2MX9P（72 小時內有效，只能用一次）"
)
UNLINKED_IN_GROUP = "請先私訊我完成綁定，才能查詢或回報計畫。"
FOLLOW_KNOWN = "{name}，歡迎回來！需要什麼隨時告訴我，或傳「說明」看看能問什麼。"
JOIN_GROUP = (
    "大家好，我是工作計畫小幫手。\n"
    "請課長在這個群組傳「綁定群組 課室名稱」（例如：綁定群組 戶籍資料課），"
    "之後課室的提醒就會送到這裡。\n"
    "在群組中我只回應以指令開頭的訊息（例如「本週」「逾期」），或 @ 我的訊息。"
)

# ---------------------------------------------------------------- 綁定

LINK_USAGE = "請在「綁定」後面加上綁定碼，例如：綁定 7KQ2MX9P\n綁定碼請向研考（管理者）索取。"
LINKED = "綁定成功！{name}（{section}・{role}）你好。\n之後我會在這裡提醒你的工作，也可以直接回報進度。傳「說明」看看能問什麼。"
LINK_WRONG = "綁定碼不正確，請確認後再試一次（一小時內還可以試 {left} 次）。"
LINK_EXPIRED = "這個綁定碼已經過期（有效期限 72 小時），請向研考索取新的綁定碼。"
LINK_USED = "這個綁定碼已經用過了，每個綁定碼只能用一次。如需重新綁定，請向研考索取新的綁定碼。"
LINK_LIMITED = "錯誤次數太多，為了安全請一小時後再試，或請研考確認你的綁定碼。"
LINK_TAKEN = "這個 LINE 帳號已經綁定為「{name}」。如果需要更改，請洽研考處理。"
LINK_OTHER_OFFICE = "這個綁定碼是「{office}」的，請加入「{office}」的 LINE 官方帳號，在那裡輸入（綁定碼仍然有效）。"
LINK_GROUP_NOT_IN_GROUP = "「綁定群組」要在課室的 LINE 群組裡傳，例如在群組中傳：綁定群組 戶籍資料課"
LINK_GROUP_USAGE = "請寫出要綁定的課室，例如：綁定群組 戶籍資料課\n課室有：{sections}"
LINK_GROUP_REFUSED = "只有該課室的課長（或研考）可以把群組綁定為課室群組。"
LINK_GROUP_DONE = "好的，這個群組已綁定為「{section}」的課室群組，之後課室的提醒會送到這裡。"
LINK_GROUP_MOVED = "（原本綁定的「{old}」已改為這個新設定。）"
LINK_GROUP_SAME = "這個群組本來就是「{section}」的課室群組，不用再設定。"

# ---------------------------------------------------------------- refusals and problems

NO_PLAN = "目前還沒有匯入今年的工作計畫，請洽研考。"
REFUSE_SECTION = "抱歉，{section}的資料只開放給該課課長、研考和主任查看。你可以傳「我的」查看自己負責的項目。"
REFUSE_WHOLE_OFFICE = "抱歉，全所的資料只開放給研考和主任查看。"
REFUSE_SUMMARY = "抱歉，摘要只提供給課長、研考和主任。你可以傳「我的」或「逾期」查看自己負責的項目。"
REFUSE_EXPORT = "抱歉，管制表只開放課長、研考和主任下載。"
REFUSE_REPORT = "抱歉，只有承辦人、所屬課長和研考可以回報「{item}」的進度。"
REFUSE_SECTION_ONLY_OWN = "你可以看自己課室（{section}）的資料；其他課室請洽研考。"
UNKNOWN_SECTION = "找不到「{name}」這個課室。課室有：{sections}"
NOT_UNDERSTOOD = "抱歉，我看不懂「{text}」。"
NOT_UNDERSTOOD_HINT = "你可以試試下面的指令，或傳「說明」看全部功能。"
NOT_UNDERSTOOD_EMPTY = "我只看得懂文字訊息喔。傳「說明」看看能問什麼。"
ACKNOWLEDGED = "好的 👍 有需要隨時找我。"
YOU_ARE_WELCOME = "不客氣！有需要隨時找我。"
MORE_NOTHING = "目前沒有還沒看完的清單。可以再問一次，例如「本月」或「逾期」，清單太長時再傳「更多」看下一頁。"
STALE_BUTTON = "這個按鈕已經失效了，請重新輸入指令（例如「本週」或「說明」）。"
SOMETHING_WRONG = "抱歉，處理時出了問題，這次沒有做任何變更。請稍後再試，或洽研考。"

# ---------------------------------------------------------------- due lists

DUE_SPAN = "{span}（{dates}）"
DUE_HEADER = "{span}{whose}有 {count} 項作業到期："
DUE_NONE = "{span}{whose}沒有作業到期。"
DAY_OFF = "{span}是{name}，放假。"
WEEKEND = "週末"
CLOSURE = "停止上班日"
NO_SUCH_DAY = "沒有 {day} 這一天，請再確認日期（例如 12/5）。"
DUE_NEXT = "下一項是 {day} 的「{title}」。"
DUE_BEFORE = "在那之前，還有 {day} 的「{title}」要完成。"
DUE_NOTHING_LEFT = "{year}已經沒有其他待辦的作業了。"
PLAN_NOT_YET = "{roc}年度的工作計畫還沒匯入，這段期間的作業要等匯入後才看得到。"
THIS_YEAR = "今年"
PLAN_YEAR = "{roc}年度"
WHOSE_MINE = "你"
DAY_HEADER = "【{day}】"
DUE_LINE = "・{number} {title}｜{kind}｜{status}"
DUE_LINE_OWNERS = "・{number} {title}｜{kind}｜{status}｜{owners}"
WINDOW_KIND = "{kind} {starts} 起"
STATUS_PERCENT = "{status} {percent}%"
STATUS_OVERDUE = "逾期（{status}）"
PAGE_NOTE = "第 {page}/{pages} 頁，按「更多」看下一頁。"
PAGE_LAST = "（第 {page}/{pages} 頁，已到最後一頁）"

OVERDUE_HEADER = "{whose}有 {count} 項作業逾期未完成（統計至 {today}）："
OVERDUE_NONE = "{whose}目前沒有逾期的作業，很好！"
OVERDUE_NONE_BUT_WIDER = "你自己目前沒有逾期的作業。{scope}有 {count} 項作業逾期未完成，傳「{command} {scope}」看全部。"
OVERDUE_NONE_WIDER_TOO = "你自己和{scope}目前都沒有逾期的作業，很好！"
OVERDUE_LINE = "・{due} {number} {title}｜{kind}｜逾 {days} 天｜{status}"
SECTION_HEADER = "【{section}】"
PERSON_HEADER = "▍{person}（{count} 次）"

MINE_HEADER = "你{year}還有 {count} 個項目要辦（{today} 起）："
MINE_NONE = "你{year}負責的項目都已完成或沒有待辦的作業了。"
MINE_NOT_OWNER = "名冊上你目前沒有負責的計畫項目。如有錯誤請洽研考。"
MINE_NOT_OWNER_OFFICE = "名冊上你目前沒有負責的計畫項目。全所的進度可以傳「摘要 全所」或「逾期 全所」查看。"
MINE_LINE = "・{number} {title}｜下次 {next} {kind}｜{status}｜{year}還有 {left} 次"
MINE_LINE_ONLY_LATE = "・{number} {title}｜{year}沒有後續作業"
MINE_OVERDUE = "｜⚠️ {count} 次逾期"
MINE_NO_SCHEDULE = "・{number} {title}｜時程待確認（{schedule}）"

# ---------------------------------------------------------------- search and item cards

SEARCH_USAGE = "請在「查」後面加上關鍵字或編號，例如：查 門牌、查 11、查 戶籍資料課 11"
SEARCH_NONE = "找不到和「{query}」有關的項目。可以換個關鍵字，或用編號查，例如：查 11"
SEARCH_MAYBE = "你要找的是這一項嗎？請點選："
SEARCH_MAYBE_MANY = "和「{query}」接近的項目如下，請選一項："
SENTENCE_REPORT_CONFIRM = "要把「{number} {title}」回報為「{status}」嗎？確定請點下面的按鈕。"
SENTENCE_REPORT_WHICH = "要回報「{status}」的是哪一項？請點選（和「{name}」有關）："
BUTTON_SENTENCE_REPORT = "確定回報"
SENTENCE_REPORT_ZERO_PERCENT = "「0%」看不出進度，沒有記錄。還沒開始請傳「回報 12 未開始」；做了一部分請寫百分比，例如：回報 12 50%"
SENTENCE_OTHER_YEAR = "目前只查得到今年的作業，{year}年的日期查不到。可以傳「12/31」這樣的日期，或「本月」「下週」。"
SEARCH_MANY = "有 {count} 個項目和「{query}」有關，請選一項："
SEARCH_LINE = "{n}. {section} {number} {title}"
SEARCH_TOO_LONG = "還有 {count} 項，請用更精確的關鍵字再查一次。"
REPORT_CHOICE = "・{number} {title}"
REPORT_CHOICE_SECTION = "・{section} {number} {title}"
NUMBER_MANY = "編號 {number} 在好幾個課室都有，請選一項："
NUMBER_SUB_ITEMS = "編號 {number} 分成好幾個子項目，請選一項："

CARD_CONTENT = "工作內容"
CARD_SCHEDULE = "預定時程"
CARD_NEXT = "接下來"
CARD_OWNERS = W.STAFF
CARD_KPI = "考核指標"
CARD_POINTS = "配分"
POINTS = "{points} 分"
CARD_LATEST = "最新狀況"
CARD_CURRENT = "本次作業"
CARD_NO_SCHEDULE = "時程待確認：{problem}"
CARD_NO_MORE = "今年已無後續作業"
CARD_NO_REPORT = W.NOT_REPORTED
CARD_REPORT = "{status}（{who}，{day}）"
CARD_NOTE = "備註"
CARD_MONTHS = "{months}月"
OCCURRENCE = "{label}：{when}"
OCC_WINDOW = "{starts}～{due}"

# ---------------------------------------------------------------- 回報

REPORT_USAGE = (
    "請寫出編號和進度，例如：\n"
    "回報 12 完成\n回報 12 50% 已完成初稿\n回報 12 延遲 等民政局回函\n"
    "回報 戶籍資料課 11 3月 完成（編號在不同課室重複時加上課室；指定月份可回報其他次作業）"
)
REPORT_PICK_ITEM = "要回報哪一項？請選："
REPORT_NOT_FOUND = "找不到編號 {number} 的項目{where}。傳「我的」可以看自己負責的項目和編號。"
REPORT_IN_SECTION = "（{section}）"
REPORT_ASK_STATUS = "「{number} {title}」{occ}目前進度如何？請選："
REPORT_ASK_NOTE_LOST = "（備註太長放不進按鈕；選好進度後請再傳一次完整的回報。）"
REPORT_NO_OCCURRENCE = "「{number} {title}」在 {when} 沒有排定的作業。這個項目今年的作業有：{list}"
REPORT_BAD_MONTH = "月份要在 1～12 月之間，例如：回報 12 3月 完成"
REPORT_BAD_PERCENT = "百分比要在 0～100 之間，例如：回報 12 50%"
REPORT_DONE = "已記錄 ✅\n{section} {number} {title}\n作業：{occ}\n進度：{status}{note}"
REPORT_NOTE = "\n備註：{note}"
REPORT_BY = "\n回報人：{name}（{time}）"
REPORT_NEXT = "\n下一次：{next}"
REPORT_WHOLE_YEAR = W.WHOLE_YEAR
REPORT_OTHER_LATE = "另有 {count} 次作業逾期未完成（最近一次：{last}）。要回報那一次請傳：回報 {number} {which} 完成"
REPORT_WHICH_OCCURRENCE = "「{section} {number} {title}」有 {count} 次作業逾期未完成，要回報哪一次？"
REPORT_WHICH_LINE = "・{occ}"
REPORT_WHICH_OVERDUE = "{label}（逾期）"
REPORT_WHICH_OLDER = "更早的幾次請寫出月份，例如：回報 {number} 1月 完成"
REPORT_NAME_NOT_FOUND = "找不到和「{name}」有關、你可以回報的項目。可以寫編號，例如：回報 12 完成；傳「我的」看自己的項目和編號。"
REPORT_NAME_MANY = "有 {count} 個項目和「{name}」有關，要回報哪一項？"
REPORT_ASK_REASON = "延後的原因是什麼？直接傳給我，我會記在這筆回報的備註（不用補充就傳別的指令）。"
REPORT_ASK_REASON_AGAIN = "另外，剛才延後的原因還沒記下：直接傳原因給我，我會記在那筆回報的備註（不用補充就傳別的指令）。"
REPORT_REASON_KEPT = "已記下原因 ✅\n{number} {title}\n備註：{note}"
REPORT_REASON_TOO_LATE = "這次作業後來已經有新的回報，所以沒有把這段話記成原因。"
BUTTON_UNDO = "確定撤銷"
REPORT_NEWER_EXISTS = "「{number} {title}」這次作業已由 {who} 在 {day} 回報為「{old}」，比這個按鈕新。要改成「{new}」嗎？"
BUTTON_OVERWRITE = "改成{new}"
BUTTON_KEEP = "不用，看目前狀況"
UNDO_ASK = "要撤銷你剛才的這筆回報嗎？\n{report}"
UNDO_REPORT = "{section} {number} {title}\n作業：{occ}\n進度：{status}（{time} 回報）"
UNDO_DONE = "已撤銷 ↩️\n{report}\n現在的進度：{now}"
UNDO_NOTHING = "你在 24 小時內沒有可以撤銷的回報（只能撤銷自己最近的一筆，且之後沒有別人再回報）。"
UNDO_ALREADY = "這筆回報已經撤銷了。"
UNDO_TOO_OLD = "這筆回報已超過 24 小時，不能撤銷了；請直接回報正確的進度。"
UNDO_NEWER = "這次作業在你之後又有新的回報，所以不能撤銷；請直接回報正確的進度。"
REPORT_DONE_ASK = "{number} {title} 的 {occ} 已於 {day} 完成，要再記一筆嗎？"
REPORT_ALREADY_DONE_NOTE = "（這次作業先前已回報完成，已另外記下這筆新的回報。）"

# ---------------------------------------------------------------- 未回報, one person's work, 綁定碼

NOT_REPORTED_HEADER = "{whose}有 {count} 次作業還沒有人回報（{span}以來到期的，和正在辦理期間的），共 {people} 位同仁："
NOT_REPORTED_NONE = "{whose}{span}以來到期的、和正在辦理期間的作業，都已經有人回報了。"
NOT_REPORTED_LINE = "・{due} {number} {title}｜{kind}{mark}"
NOT_REPORTED_USAGE = "請這樣問：未回報、未回報 全所、未回報 戶籍資料課。\n課室有：{sections}"
REFUSE_NOT_REPORTED = "抱歉，誰還沒回報只提供給課長、研考和主任。你可以傳「逾期」或「我的」查看自己負責的項目。"
REFUSE_PERSON = "抱歉，{name}的工作只開放給本人、所屬課長、研考和主任查看。你可以傳「我的」查看自己負責的項目。"
REFUSE_PERSON_OTHER_SECTION = "{name}不是你課室（{section}）的同仁；其他課室同仁的工作請洽研考。"
PERSON_HEADER_LINE = "{name}（{section}）逾期未完成 {late} 次，{days} 天內還有 {ahead} 次要辦（統計至 {today}）："
PERSON_LATE = "【逾期，最近的在前】"
PERSON_LATE_LINE = "・{due} {number} {title}｜{kind}｜逾 {days} 天｜{status}"
PERSON_AHEAD = "【{days} 天內到期】"
PERSON_AHEAD_LINE = "・{due} {line}"
PERSON_MORE = "……還有 {n} 次"
PERSON_NOTHING = "沒有逾期的作業，{days} 天內也沒有要到期的作業。"
PERSON_NO_ITEMS = "名冊上{name}（{section}）目前沒有負責的計畫項目。"
INVITE_USAGE = "請寫出同仁的姓名，例如：綁定碼 王小明（要先在名冊上）"
INVITE_NOT_ON_ROSTER = "名冊上找不到「{name}」。請確認姓名，或先到管理頁的「同仁」頁新增（傳「管理」取得登入連結）。"
INVITE_CODE = "{name}的綁定碼：{code}\n請{name}私訊我傳「綁定 {code}」。\n{day} {time} 前有效，只能用一次；再發一次會讓這個碼失效。"
INVITE_ALREADY_LINKED = "\n（{name}目前已綁定 LINE 帳號；用新的碼綁定會改綁到新的帳號，舊帳號會收到通知。）"
INVITE_REBIND_ASK = ("{name}目前已綁定 LINE 帳號，而且還在使用。發新的綁定碼後，誰用這個碼綁定，{name}的資料就改綁到誰的帳號"
                     "（舊帳號會收到通知）。請先向{name}本人確認是換了手機或帳號。確定要發嗎？")
INVITE_REBIND_YES = "確定發綁定碼"
INVITE_REBIND_NO = "不用了"
INVITE_REBIND_DROPPED = "好，沒有發綁定碼。"
LINK_MOVED_AWAY = ("你的 LINE 帳號已不再綁定「{name}」：{name}的資料剛改綁到另一個 LINE 帳號（用研考發的綁定碼）。"
                   "如果不是你本人換手機或帳號，請立刻通知研考。")
OFFICE_SPAN_HEADER = "{span}全所還有 {count} 次作業還沒完成，依課室和承辦人："
OFFICE_SPAN_SECTION = "【{section}】{count} 次（已逾期 {late}）"
OFFICE_SPAN_PERSON = "{person} {count}"
OFFICE_SPAN_HINT = "傳「{command} 課室名稱」看該課的清單，或「{command} 全所」看全部。"
OFFICE_SPAN_NONE = "{span}全所的作業都已經完成了。"
REFUSE_INVITE = "抱歉，綁定碼只能由研考發給同仁。"

# ---------------------------------------------------------------- 摘要

SUMMARY_TITLE = "{scope} {period}進度摘要"
SUMMARY_SUBTITLE = "{dates}｜統計至 {today}"
SUMMARY_MONTH = "{month}月"
SUMMARY_YEAR = "今年至今"
SUMMARY_DUE = "應完成"
SUMMARY_DONE_ON_TIME = W.DONE_ON_TIME
SUMMARY_DONE_LATE = W.DONE_LATE
SUMMARY_NOT_REPORTED = W.NOT_REPORTED
SUMMARY_OVERDUE = W.OVERDUE
SUMMARY_NOT_DUE = W.NOT_DUE
SUMMARY_NEXT_14 = "14 天內到期"
SUMMARY_COMPLETION = "完成率"
SUMMARY_COUNT = "{n} 項"
SUMMARY_TIMES = "{n} 次"
SUMMARY_PART = "{word} {n}"
SUMMARY_OVERDUE_PARTS = "{total}（{parts}）"
SUMMARY_RATES = "{rate}（{done}/{due}），如期 {on_time}"
SUMMARY_NOTHING_DUE = "本期還沒有到期的作業"
SUMMARY_OVERDUE_HEADER = "逾期項目"
SUMMARY_OVERDUE_ROW = "{due}・{owners}"
SUMMARY_OVERDUE_ROW_TIMES = "{times} 次，最近 {due}・{owners}"
SUMMARY_OVERDUE_MORE = "還有 {n} 項逾期，按「逾期 {scope}」看全部"
SUMMARY_SECTIONS_HEADER = "各課室"
SUMMARY_PEOPLE_HEADER = "各承辦人"
SUMMARY_SECTION_ROW = "完成 {done}/{due}・逾期 {overdue}"
SUMMARY_SECTION_EMPTY = "本期沒有排定的作業"
SUMMARY_ASK_SECTION = "要看哪個課室的摘要？請選，或傳「摘要 全所」。"
SUMMARY_USAGE = "請這樣問：摘要、摘要 全所、摘要 戶籍資料課、摘要 戶籍資料課 3月。\n課室有：{sections}"
SUMMARY_NONE = "這段期間沒有排定的作業。"
# 摘要 of a period with nothing due in it: said in words, never as a card of zeros.
SUMMARY_NONE_IN_PERIOD = "{scope}在工作計畫裡，這段期間沒有排定要完成的作業。"
SUMMARY_NO_ITEMS = "{scope}在 {roc} 年度工作計畫裡沒有任何項目，所以沒有進度可以摘要。"
SUMMARY_NO_ITEMS_ASK = "如果{section}應該有項目，請洽研考{who}：可能是計畫裡的課室名稱和名冊上的不一樣。"
SUMMARY_ASK_NAMES = "（{names}）"
SUMMARY_NO_ITEMS_CHECK = "如果{section}應該有項目，請核對計畫裡的課室名稱和名冊上的是否一樣（匯入計畫的報告會列出沒有項目的課室）。"

# ---------------------------------------------------------------- 匯出

EXPORT_FILE_NAME = "{office}{roc}年度工作計畫期程管制一覽表"
EXPORT_STILL_OPEN = "{time} 給你的下載連結還沒用過，請往上找那則訊息直接使用；用過或過期後再傳「匯出」就會產生新的（10 分鐘內不重複產生）。"
EXPORT_READY = "管制表已產生（{scope}{month}），執行情形已填入最新回報。下載連結只能用一次，{hours} 小時內有效。"
EXPORT_LINK_TITLE = "{scope} 管制表（{kind}）"
EXPORT_EXPIRES = "{day} {time} 前有效，只能下載一次"
EXPORT_SHEET_TITLE = "{office}{section}{roc}年度工作計畫期程管制一覽表{month}"
EXPORT_SHEET_MONTH = "（{month}月）"
EXPORT_READY_MONTH = " {month}月"
EXPORT_HEADER = ["編號", "計畫項目", "工作內容", W.STAFF, "預定作業時程", *(MONTH_WORD.format(month=m) for m in range(1, 13)),
                 "執行情形", "考核指標"]
EXPORT_MARK = "●"
# 執行情形, one line per occurrence (schedules.status decides the state; see docs/STATUS.md)
EXPORT_LINE_DONE = "{label}：已完成{note}（{by}）"
EXPORT_LINE_DONE_LATE = "{label}：逾期完成{note}（逾 {days} 天，{by}）"
EXPORT_LINE_NOT_REPORTED = "{label}：逾期未回報"
EXPORT_LINE_OVERDUE = "{label}：逾期 {days} 天，{said}{note}（{by}）"
EXPORT_LINE_REPORTED = "{label}：{said}{note}（{by}）"
EXPORT_LEGEND = "圖例：{marks}"
EXPORT_AS_OF = "狀態統計至 {day}"
# The printable table (one page per section of up to 25 items) and its appendix of every report
PRINT_HEADER = ["編號", "計畫項目", W.STAFF, "預定作業時程", *(f"{m}月" for m in range(1, 13)), "最新執行情形"]
PRINT_SHEET_PAGE = "{section}（{page}）"
PRINT_OVERDUE_TIMES = "逾期 {count} 次，最近 {line}"
PRINT_LOG_NAME = "回報紀錄"
PRINT_LOG_TITLE = "{office}{roc}年度工作計畫 回報紀錄（附件）"
PRINT_LOG_HEADER = ["課室", "編號", "計畫項目", "作業", "狀態", "回報日", "回報人", "備註"]
PRINT_UNDONE = "撤銷（回到{status}）"
PRINT_FILE_SUFFIX = "列印版"
EXPORT_STATUS_NOTE = "，{note}"
EXPORT_STATUS_BY = "{day} {who}"
EXPORT_NO_ITEMS = "沒有符合的項目可以匯出。"
EXPORT_FAILED = "抱歉，管制表產生失敗，請稍後再試或洽研考。"

# ---------------------------------------------------------------- 說明 (each command's own line is in handlers/chat/catalog.py)

HELP_INTRO = "{name}你好！你可以這樣問我（按下方按鈕也可以）："
HELP_FOOTER = "指令不分全形半形、有沒有空格；「本週」也可以說「這週」「這禮拜」。"

# A person of another office writing to this office's LINE account (a city: one account per office)
OTHER_OFFICE_ACCOUNT = ("這是「{office}」的 LINE 官方帳號，這裡看不到您機關的資料。"
                        "請改用您所屬機關的官方帳號查詢與回報；若您已調到{office}，請研考在名冊上更新。")
