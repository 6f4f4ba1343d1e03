"""Tables that read on a phone and on a laptop: ``show(frame, ...)`` in a chapter, ``html_table`` underneath.

A wide table scrolls sideways inside its own box (with a shadow at the edge that still hides
columns, so the reader sees there is more), never the page. Numbers are printed as the quantity
demands: whole numbers (years, counts, cases) without decimals even when pandas stored them as
floats, and other columns at the precision a chapter names, per column or per row (a reproduction
audit compares each number at its own printed precision). DOIs become links, and flagged rows
(an audit's disagreements) are highlighted and marked in words, not by colour alone.

    tables.show(checks, decimals={"reported": "decimals", "recomputed": "decimals"},
                flag=~checks["agrees"], flag_label="differs", caption="Descriptive statistics")

The styles live in ``book/_static/spinemets.css`` (``.spinemets-table*``).
"""

from __future__ import annotations

import html
import math
import numbers
import re
from typing import Callable, Mapping

import pandas as pd

DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
MISSING = ""


def doi_link(value) -> str | None:
    """An <a> to doi.org for a DOI (bare, doi:, or doi.org URL); None for anything else."""
    match = DOI.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        return None
    doi = match.group(1)
    return f'<a href="https://doi.org/{html.escape(doi, quote=True)}">{html.escape(doi)}</a>'


def whole_numbers(column: pd.Series) -> bool:
    """True when every value is a whole number (a year stored as 1991.0 is printed 1991)."""
    values = column.dropna()
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column) or values.empty:
        return False
    return bool(values.map(lambda v: float(v).is_integer()).all())


def format_value(value, decimals: int | None = None, fmt: str | Callable | None = None) -> str:
    """One cell as text: missing as blank, booleans as yes/no, numbers at ``decimals`` or with ``fmt``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return MISSING
    if callable(fmt):
        return str(fmt(value))
    if isinstance(fmt, str):
        return fmt.format(value) if "{" in fmt else format(value, fmt)
    if isinstance(value, (bool,)) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value)}"
    if isinstance(value, numbers.Real):
        if decimals is not None:
            return f"{float(value):.{int(decimals)}f}"
        # Without a stated precision: a whole number stays whole; anything else keeps about 4
        # significant digits (never an exponent), so no float artefact (0.30000000000000004)
        # ever reaches a page.
        number = float(value)
        if math.isinf(number):
            return "∞" if number > 0 else "−∞"
        if number.is_integer():
            return f"{int(number)}"
        places = min(4, max(0, 3 - math.floor(math.log10(abs(number)))))
        text = f"{number:.{places}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def cell_html(value, text: str, links: bool) -> str:
    link = doi_link(value) if links else None
    return link if link else html.escape(text)


def html_table(frame: pd.DataFrame, *, decimals: Mapping[str, int | str] | None = None,
               formats: Mapping[str, str | Callable] | None = None, flag=None, flag_label: str = "flagged",
               caption: str | None = None, index: bool | None = None, links: bool = True) -> str:
    """``frame`` as an accessible HTML table inside a sideways-scrolling box.

    ``decimals`` maps a column to a number of decimals, or to the name of a column (or a Series
    aligned with ``frame``) that holds each row's number of decimals. ``formats`` maps a column to a format spec (``",.0f"``,
    ``"{:.1f}%"``) or a function. ``flag`` is a boolean Series (aligned with ``frame``), a column
    name or a function of a row; flagged rows are highlighted and say ``flag_label`` in words.
    ``index`` shows the index as the first column (default: when it is named or not 0..n-1).
    """
    decimals, formats = dict(decimals or {}), dict(formats or {})
    unknown = (set(decimals) | set(formats)) - set(frame.columns)
    unknown |= {places for places in decimals.values() if isinstance(places, str) and places not in frame.columns}
    if unknown:
        raise KeyError(f"tables.html_table: no column {sorted(unknown)} in the table (columns: {list(frame.columns)})")
    if index is None:
        index = frame.index.name is not None or not frame.index.equals(pd.RangeIndex(len(frame)))
    flags = _flags(frame, flag)
    texts = formatted(frame, decimals, formats)

    head = []
    if index:
        head.append(f'<th scope="col">{html.escape(str(frame.index.name or ""))}</th>')
    head += [f'<th scope="col">{html.escape(str(column))}</th>' for column in frame.columns]
    rows = []
    for position, (label, row) in enumerate(frame.iterrows()):
        cells = []
        if index:
            label = " · ".join(map(format_value, label)) if isinstance(label, tuple) else format_value(label)
            cells.append(f'<th scope="row">{html.escape(label)}</th>')
        for column_position, column in enumerate(frame.columns):
            value, text = row.iloc[column_position], texts.iloc[position, column_position]
            numeric = isinstance(value, numbers.Real) and not isinstance(value, bool) and text != MISSING
            opening = '<td class="num">' if numeric else "<td>"
            cells.append(f"{opening}{cell_html(value, text, links)}</td>")
        if flags[position]:
            badge = f'<span class="spinemets-flag">{html.escape(flag_label)}</span> '
            cells[0] = cells[0].replace(">", ">" + badge, 1)
            rows.append(f'<tr class="spinemets-flagged">{"".join(cells)}</tr>')
        else:
            rows.append(f"<tr>{''.join(cells)}</tr>")
    name = caption or "Table"
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    # A focusable, labelled region: keyboard readers can scroll it too (axe-core rule
    # scrollable-region-focusable).
    return (f'<div class="spinemets-table-scroll" role="region" tabindex="0" '
            f'aria-label="{html.escape(name, quote=True)} (scrolls sideways)">'
            f'<table class="spinemets-table">{caption_html}<thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def formatted(frame: pd.DataFrame, decimals: Mapping | None = None, formats: Mapping | None = None) -> pd.DataFrame:
    """Every cell of ``frame`` as the text the table prints (see ``html_table``)."""
    decimals, formats = dict(decimals or {}), dict(formats or {})
    texts = pd.DataFrame(index=frame.index, columns=frame.columns, dtype=object)
    for column in frame.columns:
        whole = whole_numbers(frame[column])
        for position, value in enumerate(frame[column]):
            places = decimals.get(column)
            if isinstance(places, str):
                places = frame[places].iloc[position]
            elif isinstance(places, pd.Series):
                places = places.reindex(frame.index).iloc[position]
            elif places is None and whole:
                places = 0
            texts.iloc[position, texts.columns.get_loc(column)] = format_value(value, places, formats.get(column))
    return texts


def _flags(frame: pd.DataFrame, flag) -> list[bool]:
    if flag is None:
        return [False] * len(frame)
    if isinstance(flag, str):
        if flag not in frame.columns:
            raise KeyError(f"tables.html_table: flag column {flag!r} is not in the table (columns: {list(frame.columns)})")
        values = frame[flag]
    elif callable(flag):
        values = frame.apply(flag, axis=1)
    else:
        values = pd.Series(flag)
        if isinstance(flag, pd.Series):
            values = flag.reindex(frame.index)
    return [bool(v) for v in values]


class Table:
    """What ``show`` returns: HTML for the site and JupyterLab, the plain frame as text elsewhere."""

    def __init__(self, frame: pd.DataFrame, **options):
        self.frame, self.options = frame, options

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": html_table(self.frame, **self.options), "text/plain": formatted(self.frame, self.options.get("decimals"),
                                           self.options.get("formats")).to_string()}


def show(frame: pd.DataFrame, **options) -> Table:
    """Display ``frame`` as a book table (see ``html_table`` for the options)."""
    return Table(frame, **options)
