"""The monthly progress form (附件2): export and import.

command     the command line's arguments, checked, handed to export or intake
labels      the form's words, shared both ways: column labels, title, how labels compare

form export: export (the projects, the files, -o safety) → layout (rows and cells) →
formfile (checks, protection, printing, the same bytes every time)

form import: intake (the flow) → workbook (the limits, grids, CSV and sheets) with sheetxml and
xlsxparts → entries (a sheet's header and project entries, footer for 审核人) → rows (checked
against the projects, values read by cells) and plausible → posting (refused or written together)
with compose (a post over the one there), posttext (YAML and Markdown) and mirror (the content as
it would be)
"""
