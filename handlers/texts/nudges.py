"""The 未回報 list's reminder button: what the team lead is told, and what each listed person receives."""

BUTTON_NUDGE = "提醒他們回報"
# To the team lead who tapped the button.
QUEUED = "好的，會用 LINE 推播提醒這 {count} 位同仁回報（上班時間內幾分鐘就會送出）：{names}。"
ALREADY = "今天已經提醒過、不再重複提醒（每人每天最多一次）：{names}。"
UNREACHABLE = "還沒綁定 LINE，無法提醒：{names}。"
NOBODY = "現在沒有還沒回報的作業，不用提醒。"
NOBODY_NEW = "沒有需要再提醒的同仁。"
# To each person reminded.
MESSAGE = "{asker}（{role}）請你回報這 {count} 次作業的進度：\n{lines}"
MESSAGE_MORE = "…另有 {n} 次"
HOW_TO = "回報方式：回報 編號 完成（或 進行中、延後 加原因），例如「回報 {number} 完成」。"
BUTTON_MINE = "我的"
