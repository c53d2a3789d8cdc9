"""What a group hears when an answer goes to the asker one-to-one instead (handlers/group_answers.py)."""

SENT_PRIVATELY = "{name}，這則回覆有群組裡不是每個人都能看的資料（全所或其他課室的資料、下載或登入連結、綁定碼），已私訊給你。"
NOT_A_FRIEND = (
    "{name}，這則回覆有群組裡不是每個人都能看的資料，只能私訊給你，但你還沒有加我為好友（或已封鎖），私訊傳不出去。"
    "請先加我為好友，再私訊我一次。"
)
UNKNOWN_ASKER = (
    "這則回覆有群組裡不是每個人都能看的資料，只能私訊給綁定的同仁；你的 LINE 帳號還沒綁定，"
    "請先加我為好友，在私訊中傳「綁定 綁定碼」。"
)
