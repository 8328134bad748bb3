"""The exported record read back with the real tools: the XLSX with openpyxl, the CSV with
Python's csv module; both must hold the rows of the JSON export (one per register and purpose,
lists as lines of a cell), under a header row, and no cell may be a formula.

Usage: python3 .ci/record-check.py RECORD.json RECORD.csv RECORD.xlsx
"""

import csv
import json
import sys

import openpyxl

COLUMNS = [
    "register", "register_name", "file", "controller", "dpo", "purpose", "legal_basis", "laws",
    "data_subjects", "data_categories", "recipients", "transfers", "retention", "security",
    "updated", "errors", "warnings", "problem",
]


def cells(row):
    out = []
    for key in COLUMNS:
        value = row[key]
        if isinstance(value, list):
            value = "\n".join(value)
        elif value is None:
            value = ""
        out.append(str(value))
    return out


def main(json_path, csv_path, xlsx_path):
    with open(json_path, encoding="utf-8") as f:
        expected = [cells(r) for r in json.load(f)]
    problems = []

    with open(csv_path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    # A value a spreadsheet would take for a formula must be written with a leading `'` (OWASP).
    defused = [
        ["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in r] for r in expected
    ]
    if len(rows[0]) != len(COLUMNS):
        problems.append(f"csv: the header has {len(rows[0])} columns")
    if rows[1:] != defused:
        problems.append("csv: the rows differ from the JSON export (with formulas defused)")

    book = openpyxl.load_workbook(xlsx_path)
    sheet = book.worksheets[0]
    table = []
    for r in sheet.iter_rows(values_only=False):
        line = []
        for c in r:
            if c.data_type == "f":
                problems.append(f"xlsx: {c.coordinate} is a formula")
            v = c.value
            line.append("" if v is None else str(int(v)) if isinstance(v, float) else str(v))
        table.append(line)
    if sheet.freeze_panes != "A2":
        problems.append(f"xlsx: the header is not frozen ({sheet.freeze_panes})")
    if not sheet.auto_filter.ref:
        problems.append("xlsx: no autofilter")
    if len(table[0]) != len(COLUMNS):
        problems.append(f"xlsx: the header has {len(table[0])} columns")
    if table[1:] != expected:
        problems.append("xlsx: the rows differ from the JSON export")

    for p in problems:
        print(p, file=sys.stderr)
    print(f"record-check: {len(expected)} rows in the JSON, CSV and XLSX exports, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
