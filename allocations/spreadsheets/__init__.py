"""Allocation tables as spreadsheets: export any version to Excel or CSV, import into a draft.

- `layout`: the sheets and columns both directions agree on.
- `problems`: a problem placed by sheet, row and column; `SpreadsheetRefused` carries them all.
- `export`: writes a version as an .xlsx workbook or a CSV file.
- `safety`: checks an uploaded file is what it claims to be before anything reads it.
- `values`: turns one cell into pence, basis points or points, never through float arithmetic.
- `reading`: reads a whole workbook or CSV file into bands and reductions, listing every problem.
- `imports`: the service that validates a file and saves it into a draft through the one door.
"""
