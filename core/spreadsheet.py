"""Cells for CSV files that people open in a spreadsheet program."""


def safe_cell(value) -> str:
    """The value as text. Spreadsheet programs run cells starting with these as formulas (a
    name or a title typed as "=HYPERLINK(...)"); a leading apostrophe keeps them text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
