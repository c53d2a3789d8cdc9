"""What the web edge shows outside the chat: download pages, the download button, the simulator's roster."""

DOWNLOAD_EXPIRED = "這個下載連結已失效（只能下載一次，24 小時內有效）。請在 LINE 重新輸入「匯出」。"
DOWNLOAD_BUTTON = "下載"
SIMULATOR_STRANGER = "陌生人（未綁定）"
