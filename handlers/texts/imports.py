"""What the plan and staff imports say: file errors, row problems and the import report."""

from __future__ import annotations

from handlers.texts import words

# What each kind of file is called where a message names it.
KINDS = {
    "xlsx": "Excel (.xlsx) 活頁簿",
    "xls": "舊版 Excel (.xls) 活頁簿",
    "ods": "OpenDocument 試算表 (.ods)",
    "odt": "OpenDocument 文件 (.odt)",
    "docx": "Word (.docx) 文件",
}
EXTENSIONS = {"xlsx": ".xlsx", "xls": ".xls", "ods": ".ods", "odt": ".odt", "docx": ".docx"}

# One message per SheetError code; {fields} come from the error.
SHEET_ERRORS = {
    "unknown_type": "不支援的檔案類型「{ext}」：請提供 .xlsx、.xls、.ods、.csv、.odt 或 .docx 檔",
    "missing": "找不到檔案「{name}」",
    "unreadable": "無法讀取檔案「{name}」",
    "empty_file": "檔案是空的（0 位元組）",
    "no_rows": "檔案裡沒有任何資料列",
    "no_tables": "文件裡沒有任何表格",
    "not_xlsx": "檔案不是有效的 Excel (.xlsx) 活頁簿",
    "not_xls": "檔案不是有效的舊版 Excel (.xls) 活頁簿",
    "not_ods": "檔案不是有效的 OpenDocument 試算表 (.ods)",
    "not_odt": "檔案不是有效的 OpenDocument 文件 (.odt)",
    "not_docx": "檔案不是有效的 Word (.docx) 文件",
    "is_xlsx": "檔案不是有效的{expected}：內容是 Excel 活頁簿，請把副檔名改為 .xlsx",
    "is_ods": "檔案不是有效的{expected}：內容是 OpenDocument 試算表，請把副檔名改為 .ods",
    "is_odt": "檔案不是有效的{expected}：內容是 OpenDocument 文件，請把副檔名改為 .odt",
    "is_docx": "檔案不是有效的{expected}：內容是 Word 文件，請把副檔名改為 .docx",
    "locked": "檔案設有密碼保護，無法讀取：請先移除密碼再匯入",
    "locked_or_xls": "檔案設有密碼保護，或是舊版 Excel (.xls) 格式：請移除密碼，或把副檔名改為 .xls 後再匯入",
    "corrupt": "{kind}已損毀，無法讀取：請重新存檔後再匯入",
    "csv_binary": "檔案不是文字格式的 CSV：可能是其他格式的檔案改了副檔名",
    "csv_workbook": "檔案不是文字格式的 CSV：內容是試算表活頁簿，請把副檔名改為 .xlsx 或 .ods",
    "csv_encoding": ("無法辨識 CSV 檔的文字編碼：用 UTF-8（含或不含 BOM）與 Big5（cp950）都讀不通"
                     "（最遠讀到第 {line} 行，那一行可能有造字或損毀的字）。請在 Excel 另存為「CSV UTF-8（逗號分隔）」再匯入"),
    "csv_ambiguous": ("CSV 檔用 UTF-8 與 Big5（cp950）都讀得通，讀出的字卻不同（第 {line} 行：UTF-8 讀成「{utf8}」，"
                      "Big5 讀成「{big5}」），無法確定是哪一種，沒有匯入。請在 Excel 另存為「CSV UTF-8（逗號分隔）」再匯入"),
    "csv_marked": "CSV 檔開頭標示為 {encoding} 編碼，第 {line} 行卻有不是 {encoding} 的字：檔案可能已損毀，請重新存檔後再匯入",
    "csv_syntax": "CSV 格式錯誤（第 {row} 列附近）：請檢查引號是否成對",
    "too_many_rows": "工作表「{name}」超過 {limit} 列，無法讀取",
    "too_many_cells": "檔案的儲存格超過 {limit:,} 個，遠多於任何工作計畫：可能是損毀或惡意的檔案，不予匯入",
    "too_big": "檔案解壓縮後超過 {limit_mb} MB，遠大於任何工作計畫：可能是損毀或惡意的檔案，不予匯入",
    "no_sheets": "沒有要寫入的工作表",
}


def sheet_error(exc) -> str:
    """Return the Traditional Chinese message for a storage.sheets.SheetError."""
    fields = dict(exc.fields)
    if "kind" in fields:
        fields["expected"] = KINDS.get(fields["kind"], fields["kind"])
        fields["kind"] = KINDS.get(fields["kind"], fields["kind"])
    template = SHEET_ERRORS.get(exc.code)
    if template is None:
        return f"無法讀取檔案（{exc.code}）"
    return template.format(**fields)


# Row problems of a plan file.
NO_HEADER = "找不到表頭：需要「計畫項目／專案名稱」等欄位名稱"
NO_ITEMS = "檔案裡沒有任何計畫項目"
TOO_MANY_PLAN_ROWS = ("檔案有 {rows:,} 列，超過管理頁一次能預覽的 {limit:,} 列計畫項目（一年的工作計畫遠少於此），沒有匯入。"
                      "請確認選的是工作計畫表；真的這麼大，請在伺服器上用 planbot import 匯入。")
TOO_SLOW = ("檔案的 {rows:,} 列計畫項目在管理頁的時限內讀不完，沒有匯入。"
            "請確認選的是工作計畫表，或分成幾個檔案；也可以在伺服器上用 planbot import 匯入。")
NO_OFFICE = "不知道是哪個機關的計畫，請用 --office 指定"
NO_SECTION = "不知道這一列屬於哪個課室"
NO_TITLE = "沒有計畫項目名稱"
SECTION_WITHOUT_PEOPLE = "名冊裡沒有人屬於這個課室，課長與同仁會看不到這些項目"
PEOPLE_WITHOUT_ITEMS = "這個課室在這份計畫裡沒有任何項目：{people} 會查不到自己課室的作業"
PERSON_IN_SECTION = "{role} {name}"
NEAREST_ON_ROSTER = "；名冊裡最接近的是「{name}」，請確認課室名稱"
NEAREST_IN_PLAN = "；計畫裡最接近的是「{name}」，請確認課室名稱"
NO_SECTION_NEAR = "；請確認課室名稱"
POINTS_NOT_NUMBER = "配分不是數字"
# Lines our own export prints under a table (handlers.texts.chat EXPORT_LEGEND, EXPORT_AS_OF): not items.
NOTE_PREFIXES = ("圖例：", "狀態統計至")
UNKNOWN_MARK = "看不懂的月份標記（請用 ●、V、✓ 或 —）"
DUPLICATE_NUMBER = "{section} 的編號 {number} 重複（第 {first} 列已用過）"
FOLLOWUP_NUMBER_TAKEN = ("{section} 的編號 {number} 已是會議決議的追蹤項目「{title}」（{roc}年{month}月管考會議），"
                         "同一課室不能有兩個 {number}；決議的追蹤項目不隨計畫匯入變動，請確認這一列的編號")
FOLLOWUP_NUMBER_SHARED = ("編號 {number} 也是{followup_section}會議決議的追蹤項目「{title}」；兩項都會保留，"
                          "回報追蹤項目時請加課室，例如：回報 {followup_section} {number} 完成")
TOO_LONG = "太長了：{column}最多 {limit} 個字，這裡有 {length} 個字"
CANNOT_READ = "無法讀取檔案：{reason}"

# Column names used in problems that are not a header of the file.
COLUMN_FILE = "檔案"
COLUMN_HEADER = "表頭"
COLUMN_ALL = "全部"
COLUMN_OFFICE = "機關"
COLUMN_SECTION = "課室"
COLUMN_NUMBER = "編號"
COLUMN_TITLE = "計畫項目"
COLUMN_POINTS = "配分"
COLUMN_SCHEDULE = "預定作業時程"
COLUMN_MONTH = "{month}月"
# The names of the limited columns, as the report shows them.
FIELD_COLUMNS = {
    "number": "編號",
    "title": "計畫項目",
    "section": "課室",
    "owner": "承辦人",
    "schedule_text": "預定作業時程",
    "kpi": "考核指標",
    "content": "工作內容",
    "status_text": "執行情形",
    "office": "機關",
}


WHOLE_FILE = "整個檔案"


def problem_line(sheet: str, row: int, column: str, value: str, message: str) -> str:
    """Return one problem as 「表 第 N 列［欄］「值」：訊息」; row 0 is the whole file (「整個檔案」)."""
    where = (f"{sheet} 第 {row} 列" if sheet else f"第 {row} 列") if row else (sheet or WHOLE_FILE)
    value = value if len(value) <= 40 else value[:40] + "…"
    shown = f"「{value}」" if value else "（空白）"
    return f"{where}［{column}］{shown}：{message}"


def report_lines(report) -> list[str]:
    """Return the import report as lines for the terminal."""
    lines = [f"檔案：{report.path}（{report.year} 年，民國 {report.year - 1911} 年）"]
    if report.office:
        lines.append(f"機關：{report.office}")
    lines.append(f"讀到 {report.rows} 個項目：新增 {report.created}、更新 {report.updated}、未變 {report.unchanged}")
    if report.staff_created:
        lines.append(f"新增承辦人：{'、'.join(report.staff_created)}")
    if report.missing:
        lines.append(f"資料庫中有、檔案中沒有的項目（保留未刪）：{'、'.join(report.missing)}")
    if report.tracking_from:
        day = report.tracking_from
        lines.append(f"追蹤起日：{day.year - 1911}/{day.month}/{day.day}（{day.isoformat()}）；之前到期、沒人回報的作業不算逾期")
    if report.problems:
        lines.append(f"問題 {len(report.problems)} 項：")
        lines.extend(("  ✗ " if p.fatal else "  ! ") + p.describe() for p in report.problems)
    if report.dry_run:
        lines.append("試算（--dry-run）：資料庫沒有任何變動。")
    elif report.committed:
        lines.append("已匯入。")
    else:
        lines.append("匯入失敗：資料庫沒有任何變動。")
    return lines


# The staff roster.
ROLE_LABELS = words.ROLE
UNKNOWN_ROLE = "不認得的角色「{text}」，可用：承辦人、課長、研考、主任"
ROSTER_UNREADABLE = "{name}：{reason}"
ROSTER_NO_HEADER = "{name} 需要表頭：姓名,課室,角色"
ROSTER_NO_NAME = "{source} 第 {row} 列沒有姓名"
ROSTER_TOO_LONG = "{source} 第 {row} 列［{column}］太長了：最多 {limit} 個字"
