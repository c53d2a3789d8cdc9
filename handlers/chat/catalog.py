"""Every command, each defined once: its handler, how people say it, its button, who may use it, its help line.

The router, the parser, 說明, the navigation buttons and the role checks are all read from this table, so a
new command is one entry here. Order matters: it is the order of 說明's lines and of the buttons.
"""

from __future__ import annotations

from handlers.chat import (
    console_link,
    due_lists,
    help,
    linking,
    onboarding,
    reports,
    review_chat,
    search,
    summaries,
    team,
)
from handlers.core import leave
from handlers.core.access import MAY_EXPORT, MAY_SUMMARIZE
from handlers.core.audience import ASKER
from handlers.core.commands import CommandDef, Commands, Help
from handlers.documents import exports
from handlers.office import closures
from handlers.texts import chat as M
from handlers.texts import console as T
from handlers.texts import leave as L
from handlers.texts import review as RV
from storage.models import Role

EVERYONE = (Role.staff, Role.chief, Role.coordinator, Role.director)
WORKERS = (Role.staff, Role.chief, Role.coordinator)

COMMANDS = Commands([
    CommandDef(
        "today", due_lists.due_in_span, ("今天", "今日", "today"), menu=WORKERS,
        help=Help("今天／明天／後天／本週／下週／上週／本月／下個月／上個月（或 12月、12/5）：我負責、在那段期間到期的作業"),
    ),
    CommandDef("tomorrow", due_lists.due_in_span, ("明天", "明日", "tomorrow"), menu=(Role.staff,)),
    CommandDef(
        "this_week", due_lists.due_in_span,
        ("本週", "本周", "這週", "這周", "這禮拜", "這個禮拜", "這星期", "這個星期", "本星期", "這一週", "week"), menu=EVERYONE,
    ),
    CommandDef(
        "next_week", due_lists.due_in_span, ("下週", "下周", "下禮拜", "下個禮拜", "下星期", "下個星期", "下一週"),
        menu=(Role.staff, Role.chief),
    ),
    CommandDef(
        "last_week", due_lists.due_in_span, ("上週", "上周", "上禮拜", "上個禮拜", "上星期", "上個星期", "上一週"),
    ),
    CommandDef(
        "this_month", due_lists.due_in_span, ("本月", "這個月", "這月", "當月"), menu=EVERYONE,
        help=Help(office="本月：全所這個月還沒完成的作業，依課室和承辦人（本月 課室名稱 看清單）"),
    ),
    CommandDef("next_month", due_lists.due_in_span, ("下個月", "下月", "下一個月"), menu=(Role.staff,)),
    CommandDef("last_month", due_lists.due_in_span, ("上個月", "上月", "上一個月")),
    CommandDef("day_after_tomorrow", due_lists.due_in_span, ("後天", "後日")),
    CommandDef("month", due_lists.due_in_span, (), pattern=due_lists.MONTH_ASKED),
    CommandDef("day", due_lists.due_in_span, (), pattern=due_lists.DAY_ASKED),
    CommandDef(
        "overdue", due_lists.overdue, ("逾期", "過期", "遲交", "逾時", "overdue", "late"), menu=WORKERS,
        help=Help(
            "逾期：我逾期未完成的作業",
            chief="逾期 {section}：本課逾期作業，依承辦人分組、最近的在前；逾期 姓名（或 查 姓名）：一位同仁的逾期和待辦",
            office="逾期 全所／逾期 課室名稱：逾期作業，依承辦人分組；逾期 姓名（或 查 姓名）：一位同仁的逾期和待辦",
        ),
    ),
    CommandDef(
        "not_reported", team.not_reported, ("未回報", "誰還沒回報", "誰沒回報", "還沒回報", "尚未回報"),
        roles=MAY_SUMMARIZE, refusal=M.REFUSE_NOT_REPORTED, menu=(Role.chief, Role.coordinator),
        help=Help(chief="未回報：本課上個月起到期、還沒有人回報的作業，依承辦人分組",
                  office="未回報／未回報 課室名稱：還沒有人回報的作業，依課室和承辦人分組"),
    ),
    CommandDef(
        "mine", due_lists.mine, ("我的", "我負責的", "我的項目", "我的工作", "mine", "my"), menu=EVERYONE,
        help=Help("我的：我今年還要辦的項目"),
    ),
    CommandDef(
        "search", search.search, ("查", "查詢", "搜尋", "搜索", "找", "search", "find"),
        help=Help("查 關鍵字（或直接打項目名稱）：查項目內容、時程、承辦人"),
    ),
    CommandDef(
        "report", reports.report, ("回報", "填報", "進度回報", "report"), menu=WORKERS,
        help=Help("回報 12 完成／回報 12 50% 已完成初稿／回報 12 延遲 原因：回報進度；撤銷：收回我剛才的回報"),
    ),
    CommandDef("more", help.more_typed, ("更多", "下一頁", "more"), offered=False),
    CommandDef("undo", reports.undo, ("撤銷", "撤回", "取消回報", "取消", "復原", "undo")),
    CommandDef(
        "summary", summaries.summary, ("摘要", "統計", "總覽", "概況", "summary"),
        roles=MAY_SUMMARIZE, refusal=M.REFUSE_SUMMARY, menu=(Role.chief, Role.coordinator, Role.director),
        help=Help(chief="摘要：本課進度摘要（摘要 3月 看某個月）", office="摘要 全所／摘要 戶籍資料課 3月：進度摘要"),
    ),
    CommandDef(
        "export", exports.export, ("匯出", "下載", "管制表", "export"),
        roles=MAY_EXPORT, refusal=M.REFUSE_EXPORT, menu=(Role.chief, Role.coordinator, Role.director),
        help=Help(chief="匯出：下載本課管制表（.ods／.xlsx）", office="匯出：下載全所管制表（匯出 課室名稱 只下載一課）"),
    ),
    CommandDef(
        "console", console_link.console_link, ("管理", "管理頁", "console"),
        roles=console_link.MAY_SIGN_IN_BY_CHAT, refusal=T.LINK_REFUSED, audience=ASKER,
        help=Help(chief=T.HELP_CHIEF, office=T.HELP_OFFICE),
    ),
    CommandDef(
        "review", review_chat.review, ("管考", "管考會議", "列管"), help=Help(RV.HELP), audience=ASKER,  # names people behind
    ),
    CommandDef(
        "help", help.show_help, ("說明", "幫助", "求助", "使用說明", "功能", "選單", "指令", "help", "menu"), menu=EVERYONE,
    ),
    CommandDef(
        "invite", team.invite_code, ("綁定碼", "發綁定碼", "邀請碼"), roles=(Role.coordinator,), refusal=M.REFUSE_INVITE, audience=ASKER,
        help=Help(office="綁定碼 姓名：發給同仁一次性的綁定碼（研考）"),
    ),
    CommandDef(
        "leave", leave.ask_leave, ("請假", "休假"),
        help=Help(L.HELP_LEAVE, chief=L.HELP_LEAVE_CHIEF, office=L.HELP_LEAVE_OFFICE),
    ),
    CommandDef("leave_back", leave.back, ("銷假", "取消請假")),
    CommandDef(
        "closure", closures.close, ("停班", "停止上班"), roles=(Role.coordinator,), refusal=L.CLOSURE_REFUSED, audience=ASKER,
        help=Help(office=L.HELP_CLOSURE),
    ),
    CommandDef("reopen", closures.reopen, ("取消停班",), roles=(Role.coordinator,), refusal=L.CLOSURE_REFUSED, audience=ASKER),
    CommandDef("link_group", linking.link_group, ("綁定群組", "群組綁定"), offered=False),
    CommandDef(
        "thanks", help.thanks, ("謝謝", "感謝", "多謝", "謝啦", "3q", "thanks", "thank you", "thx"), small_talk=True,
    ),
    CommandDef(
        "ack", help.acknowledge, ("好的", "收到", "了解", "瞭解", "知道了", "辛苦了", "ok", "okay", "👍"), small_talk=True,
    ),
    CommandDef(
        "hello", help.show_help, ("你好", "您好", "哈囉", "嗨", "早安", "午安", "hello", "hi"), small_talk=True,
    ),
    CommandDef("link", linking.link, ("綁定", "連結帳號", "綁定帳號", "link"), offered=False, linked_only=False),
    CommandDef("introduce", onboarding.introduce, ("我是",), offered=False, linked_only=False),
])
