"""What `planbot due` says when it is not told which days (its other words are in cli.py)."""

NEED_SPAN = "請給 --month（例：--month 4，今年 4 月），或 --from 和 --to（例：--from 2024-04-01 --to 2024-04-30）。"
