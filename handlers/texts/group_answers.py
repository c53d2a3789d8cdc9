"""What a group hears when an answer goes to the asker one-to-one instead (handlers/chat/group_answers.py)."""

SENT_PRIVATELY = "{name}，這則回覆有群組裡不是每個人都能看的資料（全所或其他課室的資料、下載或登入連結、綁定碼），已私訊給你。"
NOT_A_FRIEND = (
    "{name}，這則回覆有群組裡不是每個人都能看的資料，只能私訊給你，但你還沒有加我為好友（或已封鎖），私訊傳不出去。"
    "請先加我為好友，再私訊我一次。"
)
ASK_ONE_TO_ONE_LIMIT = (
    "{name}，這則回覆只能私訊給你，但今天因你在群組的訊息而私訊的回覆已經 {limit} 則了（每則都佔本月的推播額度）。"
    "請直接私訊我同樣的內容：一對一聊天裡的回覆不佔額度。"
)
ASK_ONE_TO_ONE_QUOTA = (
    "{name}，這則回覆只能私訊給你，但本月的推播額度所剩不多，要留給提醒。"
    "請直接私訊我同樣的內容：一對一聊天裡的回覆不佔額度。"
)
NOTHING_DONE = "（這則訊息沒有做任何變更。）"
STILL_OPEN = "{name}，{time} 私訊給你的下載連結還沒用過，請直接使用；用過或過期後再傳「匯出」。"
UNKNOWN_ASKER = (
    "這則回覆有群組裡不是每個人都能看的資料，只能私訊給綁定的同仁；你的 LINE 帳號還沒綁定，"
    "請先加我為好友，在私訊中傳「綁定 綁定碼」。"
)
