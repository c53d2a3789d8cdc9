"""Every user-facing Traditional Chinese text, one module per audience and concern. Imports schedules and other handlers.texts modules; no other package of handlers/.

- `words`: the one word for each status, kind and role (used by every other text module).
- `chat`: what staff read in LINE conversations.
- `reminders`: the morning digests and the monthly round.
- `readings`: how a schedule phrase is read back, and what was not understood.
- `imports`: the plan and staff import reports.
- `cli`: what the `planbot` command prints.
- `console`: the coordinator's console pages.
- `web`: download pages, the download button and the simulator's roster.
- `tracking`: the plan's tracking start in lists and summaries, and back-filling (回報 3 1-10月 完成).
"""
