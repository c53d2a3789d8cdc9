"""Bring a plan (a control table or plan document) and a staff roster into the database, reporting by row.

`plan.import_plan` reads every table of the file (`storage.sheets`), recognises its layout (`layout`),
turns rows into items with every problem placed by row and column (`rows`), reads each schedule phrase
(`schedules.phrases`) and writes the plan in one savepoint. `staff` loads the roster CSV.
"""
