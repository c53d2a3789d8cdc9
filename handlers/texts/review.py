"""Words of the monthly review (管考): lights, 落後原因 / 因應對策, 列管 decisions, 決議, the report and the meeting pack."""

from __future__ import annotations

# ---------------------------------------------------------------- lights

LIGHT = {"done": "完成", "green": "綠燈", "yellow": "黃燈", "red": "紅燈"}
LIGHT_MARK = {"done": "✅", "green": "🟢", "yellow": "🟡", "red": "🔴"}
LIGHT_CELL = "{mark}{name}"
LEGEND_TITLE = "燈號說明"
LEGEND = (
    "綠燈：依進度辦理（尚未到期）",
    "黃燈：逾期 {yellow_plus} 至 {red} 個工作天且已提因應對策，或逾期完成",
    "紅燈：逾期超過 {red} 個工作天，或逾期未提因應對策",
    "完成：如期完成",
)
LEGEND_GRACE = "（逾期 {yellow} 個工作天內仍為綠燈）"
LEGEND_NOTE = "燈號門檻為本所設定（planbot 預設：逾期即黃燈，逾期超過 5 個工作天紅燈）。"
SECTION_LIGHTS = "{section}：{light}（紅燈 {red}、黃燈 {yellow}、綠燈 {green}、完成 {done}）"

# ---------------------------------------------------------------- 落後原因 / 因應對策 in the chat

CAUSE = "落後原因"
REMEDY = "因應對策"
ASK_CAUSE = "「{number} {title}」{occ}進度落後，請簡述落後原因（{limit} 字內，直接輸入即可）："
ASK_REMEDY_AFTER_NOTE = "已記下落後原因：{cause}\n請再簡述因應對策（改善措施，{limit} 字內）："
KEPT = "已記下「{number} {title}」{occ}的落後原因與因應對策，將列入本月管考：\n落後原因：{cause}\n因應對策：{remedy}"
LATER = "好的，稍後再填。要填寫時請點逾期提醒或項目卡片（輸入「查 {number}」）上的「說明落後原因」。"
ASK_CAUSE_NOW = "目前的落後原因：{cause}\n目前的因應對策：{remedy}\n（直接輸入新的內容即可修改）\n"
ASK_CAUSE_DONE_LATE = "「{number} {title}」{occ}逾期 {days} 個工作天才完成，管考需要落後原因與因應對策。請簡述落後原因（{limit} 字內，直接輸入即可）："
BUTTON_EDIT = "修改落後原因"
BUTTON_EDIT_ITEM = "修改落後原因 {number}"
EMPTY = "沒有收到內容，請再輸入一次（或點「稍後再填」）。"
TOO_LONG = "太長了（{count} 字），請精簡到 {limit} 字內再輸入一次。"
BUTTON_EXPLAIN = "說明落後原因"
BUTTON_LATER = "稍後再填"
NOTHING_BEHIND = "「{number} {title}」目前沒有落後的期程，不需說明。"
NOT_YOURS = "「{item}」不是您承辦的項目，落後原因請由承辦人或課長填寫。"
EXPLAIN_USAGE = "請輸入「說明 編號」，例如：說明 12"
WRITTEN_BY = "（{name} {day} 填寫）"
CARD_CAUSE = "落後原因"
CARD_REMEDY = "因應對策"

# ---------------------------------------------------------------- 列管 suggestions and decisions

LISTING = {"release": "解除列管", "keep": "繼續列管"}
SUGGEST_REASONS = "落後原因：{cause}\n因應對策：{remedy}\n"
SUGGEST_ASK = "「{number} {title}」{month}月落後，課室建議："
SUGGEST_KEPT = "已記下課室建議：「{number} {title}」{month}月 {listing}。"
SUGGEST_REFUSED = "只有該課室的課長可以提出解除或繼續列管的建議。"
DECIDE_REFUSED = "只有研考人員可以決定解除或繼續列管。"
NOT_BEHIND_MONTH = "「{number} {title}」{month}月沒有落後，不需列管。"
BAD_LISTING = "請選「解除列管」或「繼續列管」。"
OPINION_TOO_LONG = "研考意見太長了（{count} 字），請精簡到 {limit} 字內。"
CARRIED = "（{month}月起繼續列管）"

# ---------------------------------------------------------------- 決議

RESOLUTION_REFUSED = "只有研考人員可以記錄會議決議。"
RESOLUTION_EMPTY = "請填寫決議內容。"
RESOLUTION_TOO_LONG = "決議內容太長了（{count} 字），請精簡到 {limit} 字內。"
RESOLUTION_BAD_DATE = "完成期限 {day} 不在 {roc} 年度計畫內（{first} 至 {last}），決議沒有記錄。"
RESOLUTION_NO_OWNER = "找不到承辦人「{name}」，決議沒有記錄。"
RESOLUTION_HALF = "決議要追蹤，請同時填寫承辦人與完成期限（或兩者都不填，只記錄不追蹤）。"
RESOLUTION_KEPT = "已記錄決議：{text}"
RESOLUTION_ON_ITEM = "（有關項目：{item}）"
RESOLUTION_ON_NO_ITEM = "（未連結工作項目，列為綜合決議）"
RESOLUTION_TRACKED = "，由 {owner} 於 {due} 前辦理，將提醒並列入追蹤（追蹤項目 {number}）。"
RESOLUTION_ITEM_OTHER_PLAN = "「{item}」是 {item_roc} 年度計畫的項目，不在 {roc} 年度計畫內，決議沒有記錄。請改選 {roc} 年度的項目，或不選項目。"
RESOLUTION_ITEM_UNKNOWN = "找不到所選的工作項目，決議沒有記錄。請重新整理頁面後再選（或不選項目）。"
FOLLOWUP_TITLE = "【會議決議】{text}"
FOLLOWUP_KPI = "會議決議（{roc}年{month}月管考會議）"

# ---------------------------------------------------------------- the report and the pack

REPORT_TITLE = "{roc}年{month}月工作計畫執行情形彙整表"
REPORT_SUBTITLE = "{office}　統計至 {day}"
REPORT_HEADER = (
    "項次", "工作項目", "主辦課室", "承辦人", "預定完成日", "實際完成日", "執行情形", "燈號",
    "落後原因", "因應對策", "課室建議", "研考決定", "研考意見",
)
REPORT_WIDTHS = [5, 22, 10, 9, 11, 11, 18, 7, 22, 22, 9, 9, 16]
NOT_DONE = "未完成"
NOT_WRITTEN = "（未填）"
NOTHING_BEHIND_MONTH = "{roc}年{month}月沒有落後的項目（統計至 {day}），全部依進度辦理。"
NO_PLAN_YEAR = "{year} 年沒有匯入的工作計畫，無法產生 {month} 月的管考資料。"
PACK_TITLE = "{roc}年{month}月工作計畫執行進度檢討會議資料"
PACK_LIGHTS = "一、各課室燈號"
PACK_BEHIND = "二、紅燈、黃燈項目（落後原因及因應對策）"
PACK_CARRIED = "三、上月繼續列管項目辦理情形"
PACK_RESOLUTIONS = "四、上次會議決議追蹤"
PACK_NONE = "無。"
PACK_RESOLUTION_LINE = "{text}（追蹤項目 {number}，{owner}，{due} 前）：{status}"
PACK_RESOLUTION_PLAIN = "{text}（只記錄，不追蹤）"
PACK_CARRIED_LINE = "{section} {number} {title}：{light}，{since}"
PACK_SINCE_DONE = "已於 {day} 完成"
PACK_SINCE_ON_TRACK = "本月已無落後"
PACK_SINCE_OPEN = "尚未完成（{status}）"
PACK_ITEM_HEADER = ("項次", "主辦課室", "工作項目", "承辦人", "燈號", "落後原因", "因應對策", "課室建議", "會議決議")
PACK_DECIDED = "五、本次會議決議"
PACK_RESOLUTION_ON = "【{item}】{line}"
PACK_LAST_RESOLUTION = "；上次會議決議：{line}"
RESOLUTION_NO_ITEM = "綜合決議"
STATUS_LINE = "{label}{status}{note}"
LATE_BY = "，逾期 {days} 個工作天"
DONE_LATE = "逾期完成"
CARRIED_ROW = "上月繼續列管"

# ---------------------------------------------------------------- planbot review

CLI_LIGHTS_NOW = "{office} 的燈號門檻：逾期超過 {yellow} 個工作天黃燈、超過 {red} 個工作天紅燈"
CLI_LIGHTS_SET = "已設定 {office} 的燈號門檻：逾期超過 {yellow} 個工作天黃燈、超過 {red} 個工作天紅燈"
CLI_LIGHTS_RANGE = "燈號門檻須在 0 到 {most} 個工作天之間"
CLI_LIGHTS_ORDER = "黃燈門檻（{yellow}）須小於紅燈門檻（{red}）"
CLI_BAD_OUT = "無法產生「{name}」：管考文件請用 .odt、.docx 或 .pdf"
CLI_BAD_MONTH = "看不懂的月份「{text}」（例：3 或 3月）"
CLI_WRITTEN = "已寫入 {path}（{title}，{count} 項）"
CLI_WRITTEN_EMPTY = "已寫入 {path}：{nothing}"
CLI_NO_FONT = "找不到中文字型，無法產生 PDF（Debian：apt-get install fonts-noto-cjk，或設定 PLANBOT_CJK_FONT）"
DECIDE_KEPT = "已記下研考決定：「{number} {title}」{month}月 {listing}。"

# ---------------------------------------------------------------- 管考 in the chat

CHAT_TITLE = "📋 {roc}年{month}月管考（統計至 {day}）"
CHAT_NOTHING_BEHIND = "本月沒有落後的項目，全部依進度辦理。"
CHAT_BEHIND = "落後或列管中的項目（{count} 項）："
CHAT_ROW = "{light} {section} {number} {title}（{owners}）"
CHAT_REASON = "　{label}落後原因：{cause}；因應對策：{remedy}"
CHAT_SUGGESTED = "　課室建議：{listing}"
CHAT_MORE = "……還有 {count} 項，請到管理頁看全部。"
CHAT_CONSOLE = "研考決定、研考意見與會議決議請在管理頁填寫（輸入「管理」取得登入連結）。"
CHAT_USAGE = "請輸入「管考」看上個月，或「管考 3月」看某個月。"
BUTTON_LISTING = "列管建議 {number}"
BUTTON_EXPLAIN_ITEM = "說明 {number}"
HELP = "管考：上個月的燈號與落後項目（管考 3月 看某個月）；落後原因、因應對策與列管建議從這裡填"

# ---------------------------------------------------------------- the console's 管考 page

NAV = "管考"
PAGE_TITLE = "{roc}年{month}月管考（統計至 {day}）"
PAGE_MONTH = "月份"
PAGE_SHOW = "顯示"
PAGE_SECTIONS = "各課室燈號"
PAGE_ROWS = "落後及列管項目"
PAGE_NOT_ALLOWED = "管考頁給課長、研考與主任使用。"
COL_ITEM = "工作項目"
COL_OWNERS = "承辦人"
COL_BEHIND = "落後的期程"
COL_LIGHT = "燈號"
COL_REASONS = "落後原因／因應對策"
COL_LISTING = "課室建議／研考決定"
FORM_CAUSE = "落後原因"
FORM_REMEDY = "因應對策"
FORM_SAVE_REASON = "儲存原因與對策"
FORM_SUGGEST = "課室建議"
FORM_DECIDE = "研考決定"
FORM_OPINION = "研考意見（可不填）"
FORM_SAVE = "儲存"
DOWNLOADS = "下載"
DOWNLOAD_REPORT = "執行情形彙整表（{fmt}）"
DOWNLOAD_PACK = "檢討會議資料（{fmt}）"
RESOLUTIONS = "會議決議"
PAGE_LAST_RESOLUTION = "上次會議決議"
RESOLUTIONS_NONE = "本月會議還沒有記錄決議。"
RESOLUTION_TEXT = "決議內容"
RESOLUTION_OWNER = "承辦人（要追蹤時填）"
RESOLUTION_DUE = "完成期限（例：113/5/31）"
RESOLUTION_ITEM = "有關的工作項目（可不選）"
RESOLUTION_ADD = "記錄決議"
RESOLUTION_FOLLOWUP = "追蹤中：{number}，{owner}，{due} 前，{status}"
RESOLUTION_BAD_DAY = "看不懂的日期「{text}」（例：113/5/31）"
LIGHTS_FORM = "燈號門檻"
LIGHTS_YELLOW = "逾期超過幾個工作天轉黃燈"
LIGHTS_RED = "逾期超過幾個工作天轉紅燈"
LIGHTS_SAVED = "已更新燈號門檻。"
LIGHTS_BAD = "燈號門檻須是 0 到 {most} 的整數，且黃燈門檻小於紅燈門檻；沒有變更。"
REASON_REFUSED = "您不能填寫這一項的落後原因（承辦人、代理人、課長與研考可以）。"
REASON_NOT_BEHIND = "這個期程沒有落後，不需說明。"
REASON_SAVED = "已儲存落後原因與因應對策。"
NO_PLAN_CONSOLE = "還沒有匯入今年的工作計畫。"
EXPORT_REASON = "{label}：落後原因：{cause}；因應對策：{remedy}"
BUTTON_REPORT = "管考彙整表"
DEMO_REVIEW = "示範管考紀錄：{month}月的落後原因 {reasons} 筆、列管決定 {decisions} 項、會議決議 {resolutions} 項"
CARD_ASK = "本月管考需要落後原因與因應對策，請按「說明落後原因」填寫（可稍後再填）。"
