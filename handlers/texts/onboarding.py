"""The words of 我是 NAME (a person introduces themselves and the coordinator or their chief confirms) and of unlinking."""

from __future__ import annotations

INTRODUCE_USAGE = "請在「我是」後面寫上你的姓名，例如：我是 陳怡君\n研考（或你的課長）確認後就會幫你綁定。"
NOTIFIED = "已通知研考確認。確認後我會告訴你，72 小時內有效。\n也可以向研考索取綁定碼，傳「綁定 綁定碼」立即完成。"
ALREADY_ASKED = "已通知研考確認，請稍候（{day} 前有效）。"
NOT_ON_ROSTER = "名冊上找不到「{name}」。請確認姓名寫法（要和名冊一樣），或向研考索取綁定碼。"
SEVERAL_ON_ROSTER = "名冊上有不只一位「{name}」，請向研考索取綁定碼。"
NAME_TAKEN = "「{name}」已經綁定了另一個 LINE 帳號，不能再用「我是」綁定。如果要換手機或帳號，請洽研考處理。"
TOO_MANY = "今天已經送出太多次申請了，請明天再試，或向研考索取綁定碼。"
TOO_MANY_FOR_NAME = "今天已經有人多次申請綁定「{name}」，請明天再試，或向研考索取綁定碼。"
TOO_MANY_IN_OFFICE = "今天的綁定申請已經太多了，請明天再試，或向研考索取綁定碼。"
NOBODY_TO_ASK = "目前沒有研考或課長可以確認，請向研考索取綁定碼。"
ALREADY_YOU = "這個 LINE 帳號已經綁定為「{name}」了，不用再申請。"

CARD_TITLE = "綁定申請：{name}"
CARD_SUBTITLE = "LINE 名稱「{shown}」的帳號自稱是{name}（{section}・{role}），要綁定這個帳號。請先向本人確認再同意。"
CARD_SUBTITLE_NO_PROFILE = "一個 LINE 帳號自稱是{name}（{section}・{role}），要綁定這個帳號；LINE 沒有提供它的名稱。請先向本人確認再同意。"
CARD_ROW_LINE_NAME = "LINE 名稱"
CARD_NO_PROFILE = "（LINE 沒有提供名稱）"
CARD_ROW_LAST_LINKED = "上次綁定"
CARD_LINKED_AT = "{day} {time}（{days} 天前）"
CARD_NEVER_LINKED = "從未綁定"
CARD_ROW_WHO = "姓名"
CARD_ROW_SECTION = "課室"
CARD_ROW_UNTIL = "有效至"
CARD_ALT = "綁定申請：{name}，請確認是否本人"
APPROVE = "同意"
REFUSE = "不同意"

APPROVED = "已同意，{name} 的 LINE 帳號已綁定。"
REFUSED = "已拒絕 {name} 的綁定申請。"
DECIDED_ALREADY = "這筆申請已經處理過了（{status}）。"
EXPIRED = "這筆申請已經過期（超過 72 小時），請對方重新申請或改用綁定碼。"
NOT_YOURS = "只有研考、主任或該同仁的課長可以確認綁定申請，而且不能確認職位比自己高的同仁。"
TAKEN_SINCE = "{name} 已經綁定了其他帳號，這筆申請不再有效。"
ACCOUNT_TAKEN_SINCE = "申請的 LINE 帳號已經綁定為「{name}」，這筆申請不再有效。"
STATUS = {"approved": "已同意", "refused": "已拒絕", "expired": "已過期", "replaced": "已有新的申請"}

TOLD_APPROVED = "{name}，{by}已確認你的身分，LINE 帳號綁定完成（{section}・{role}）。\n傳「說明」看看能問什麼，或用下方選單。"
TOLD_REFUSED = "你的綁定申請沒有通過確認。如有疑問請洽研考，或向研考索取綁定碼。"

# planbot staff unlink
STAFF_UNLINKED = "已解除 {name} 的 LINE 綁定。"
STAFF_NOT_LINKED = "{name} 本來就沒有綁定 LINE 帳號。"
OR_INTRODUCE = "或傳：我是 你的姓名（例如：我是 {example}），研考確認後就會幫你綁定。"
EXAMPLE_NAME = "王小明"  # when everyone on the roster is linked already
