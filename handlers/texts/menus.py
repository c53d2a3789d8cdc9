"""The words of the rich menus (the panel under the chat), their tabs, and of `planbot richmenu`."""

from __future__ import annotations

# What each button says on the panel; a tap sends the same word, as if typed.
TODAY = "今天"
THIS_WEEK = "本週"
OVERDUE = "逾期"
REPORT = "回報"
MINE = "我的"
HELP = "說明"
SUMMARY = "摘要"
NOT_REPORTED = "未回報"
OFFICE = "全所"
OFFICE_SENDS = "摘要 全所"  # 全所 shows the whole office's summary
EXPORT = "匯出"
CONSOLE = "管理"

# Small print under each button's word.
HINTS = {
    TODAY: "今天到期的工作",
    THIS_WEEK: "這週到期的工作",
    OVERDUE: "逾期未完成",
    REPORT: "回報進度",
    MINE: "今年還要辦的",
    HELP: "能問什麼",
    SUMMARY: "進度摘要",
    NOT_REPORTED: "還沒回報的",
    OFFICE: "全所進度摘要",
    EXPORT: "下載管制表",
    CONSOLE: "管理網頁",
}

TAB_MINE = "我的工作"
TAB_SECTION = "課室管理"
TAB_OFFICE = "全所管理"
CHAT_BAR = "工作選單"

# planbot richmenu
NO_CJK_FONT = (
    "找不到中文字型，無法畫選單圖片。請安裝 Noto CJK 字型（Debian／Ubuntu：apt-get install fonts-noto-cjk），"
    "或用 --font 指定一個 .ttc／.otf／.ttf 字型檔。"
)
FONT_UNREADABLE = "字型檔 {path} 無法讀取：{error}"
NO_LINE_TOKEN = "沒有設定 LINE_CHANNEL_ACCESS_TOKEN，無法在 LINE 建立選單（planbot richmenu images 資料夾 只畫圖片）。"
INSTALLED = "已建立 {count} 個選單（{pages}），預設選單：{default}；刪除舊選單 {deleted} 個；為 {linked} 位已綁定同仁換上角色選單。"
IMAGES_WRITTEN = "已畫好 {count} 張選單圖片，放在 {folder}"
SYNCED = "已為 {linked} 個帳號換上角色選單，{unlinked} 個帳號改回預設選單。"
LINE_FAILED = "LINE 拒絕了這個要求：{error}"
NOT_INSTALLED = "還沒有建立選單，請先執行 planbot richmenu install。"

# planbot richmenu install|sync with offices that have LINE accounts of their own
FOR_OFFICE = "{office}："  # put before each office's line when there are several accounts
ENVIRONMENT_CHANNEL = "環境變數的 LINE 帳號（沒有自己帳號的機關）："
OFFICE_HAS_NO_CHANNEL = "「{office}」沒有自己的 LINE 官方帳號（planbot office channel 設定），它的選單在環境變數的帳號：不加 --office 執行。"
