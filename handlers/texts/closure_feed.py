"""Words of the closure announcements read from the DGPA's feed: the coordinator's notices, the console line, the CLI."""

from __future__ import annotations

ATTRIBUTION = "資料來源：行政院人事行政總處（國家災害防救科技中心發布）"

STATE = {
    "closed": "停止上班",
    "open": "照常上班",
    "not_reached": "未達停止上班標準",
    "not_in_area": "尚未列入警戒區",
    "pending": "尚未宣布消息",
}
OUTCOME = {
    "applied": "已套用",
    "kept": "已套用",
    "already_closed": "原已是停班日",
    "rest_day": "本來就不上班",
    "asked": "已請研考確認",
    "asked_before": "已請研考確認",
    "cancel_asked": "已請研考確認是否取消停班",
    "unchanged": "照常",
    "waiting": "等候宣布",
    "past": "已過",
}
FAILURE = {
    "unreachable": "連不上公告網站",
    "timeout": "公告網站沒有回應",
    "rate_limited": "公告網站限制查詢頻率（HTTP 429）",
    "http": "公告網站回應錯誤（HTTP {status}）",
    "not_json": "公告內容不是可讀的 JSON",
    "no_entries": "公告內容找不到公告項目",
}
WHY_UNREADABLE = {
    "not_an_announcement": "不是停班停課通知",
    "no_area": "看不出地區",
    "unknown_area": "看不出是哪個縣市",
    "no_day": "看不出是哪一天",
    "bad_day": "日期不存在",
    "unknown_status": "看不出是否停止上班",
    "no_time": "看不出發布時間",
}

TODAY, TOMORROW = "今天", "明天"
LAST = "上次查詢 {time}：{what}"
FAILED = "查詢失敗（{time}）：{reason}。停班與否請以人事行政總處網站為準，這不代表照常上班。"
NOTHING = "{place} 沒有停班停課消息"
VERDICT = "{place} {day}{part}{state}（{outcome}）"
APPLIED_NOW = "{moved} 個期限順延，已通知 {told} 位承辦人。"
UNREADABLE = "有 {count} 則公告無法判讀（{why}）：{text}"
NO_PLACE = "尚未設定機關所在地，不查詢停班停課公告。設定：planbot office location --county 臺北市 --district 文山區"
NEVER = "還沒有查詢過停班停課公告。"

# The coordinator's notices
APPLIED = "🌀 {announcement}\n已依公告把 {days} 設為停止上班。{told}"
ASK_PART = "🌀 {announcement}\n公告只停止半天上班，期限要不要順延由你決定："
ASK_OPEN = "🌀 {announcement}\n{days} 已設為停班日，要取消停班嗎？"
REASON_TAIL = "（{published}公告，{entry}）{source}"

# planbot office location / planbot calendar feed
PLACE_SET = "已設定 {office} 的所在地：{place}。停班停課公告只看這裡的消息。"
PLACE_SHOWN = "{office} 的所在地：{place}"
PLACE_NONE = "{office} 尚未設定所在地。"
BAD_COUNTY = "看不懂縣市「{text}」。請寫全名，例如：臺北市、新北市、高雄市。"
DISTRICT_NEEDS_COUNTY = "鄉鎮市區要和縣市一起寫，例如：--county 臺北市 --district 文山區（同名的區不只一個縣市有）。"
BAD_DISTRICT = "看不懂鄉鎮市區「{text}」。請寫全名，例如：文山區、桃源區、竹北市。"
FEED_READ = "讀到 {entries} 則公告；本地（{place}）{ours} 則。"
FEED_IGNORED = "略過：{parts}"
IGNORED = {
    "not_actual": "非正式發布 {n} 則",
    "past": "過去日期 {n} 則",
    "other_place": "其他地區 {n} 則",
    "not_yet": "查詢時間之後發布 {n} 則",
}
FEED_NO_PLACES = "沒有機關設定所在地，不查詢。先執行：planbot office location --county 臺北市 --district 文山區"
FEED_OFF = "已關閉停班停課公告查詢（PLANBOT_CLOSURE_FEED_URL=off）。"
REPLAY_STEP = "── {time}"
REPLAY_BAD_FILE = "讀不了重播檔 {path}：{reason}"
REPLAY_DONE = "重播完畢：{count} 次查詢。"

# The console's 行事曆
CONSOLE_TITLE = "停班停課公告"
CONSOLE_PLACE = "機關所在地：{place}（公告依縣市與鄉鎮市區比對；全縣市的公告適用各區）"
CONSOLE_COUNTY = "縣市（例：臺北市）"
CONSOLE_DISTRICT = "鄉鎮市區（例：文山區；可留空）"
CONSOLE_SAVE_PLACE = "儲存所在地"
