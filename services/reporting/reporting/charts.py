"""Server-rendered SVG charts for the reporting pages: no dependency, no JavaScript.

Each chart is a small inline `<svg>` with a responsive `viewBox`, a `<title>` and `<desc>` for
screen readers (referenced by `aria-labelledby`), every text escaped, and its numbers written
the Indonesian way (1.234.567; 80,1 %). The output is deterministic: the same data gives the
same bytes (coordinates rounded to one decimal), so pages can be compared and cached.

The charts take plain labels and numbers, not the domain's read models: web.py decides what a
page shows, this module only draws it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
COLOURS = {"bar": "#0d6efd", "over": "#198754", "line": "#d63384", "target": "#6c757d",
           "danger": "#dc3545", "warning": "#ffc107", "text": "#212529", "muted": "#6c757d", "grid": "#dee2e6"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def format_number(value: int | float) -> str:
    """Indonesian thousands separator: 1234567 -> '1.234.567'."""
    return f"{round(value):,}".replace(",", ".")


def format_percent(ratio: float) -> str:
    """Indonesian decimal comma: 0.8012 -> '80,1 %'."""
    return f"{ratio * 100:.1f}".replace(".", ",") + " %"


def format_day(day: dt.date) -> str:
    """A short Indonesian date for an axis: 7 Nov."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing '.0' noise differences between runs."""
    return f"{value:.1f}"


def _svg(chart_id: str, height: float, title: str, description: str, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="ektp-chart" role="img" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" {FONT}>'
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = COLOURS["text"],
          extra: str = "") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>'
            f'{escape(content)}</text>')


def _rect(x: float, y: float, width: float, height: float, fill: str, extra: str = "", tooltip: str = "") -> str:
    shape = (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0.0))}" height="{_n(max(height, 0.0))}" '
             f'fill="{fill}"{extra}')
    return f"{shape}><title>{escape(tooltip)}</title></rect>" if tooltip else shape + "/>"


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}"{extra}/>'


def _empty(chart_id: str, title: str, message: str) -> Markup:
    return _svg(chart_id, 60, title, message, [_text(WIDTH / 2, 35, message, anchor="middle", fill=COLOURS["muted"])])


# ---- coverage per child region: horizontal bars, 100 % marked -----------------------------

@dataclass(frozen=True)
class CoverageBar:
    label: str
    ratio: float          # recorded / target; may exceed 1.0
    recorded: int
    target: int


BAR_ROW = 26
LABEL_WIDTH = 200
VALUE_WIDTH = 150


def coverage_bars(chart_id: str, title: str, bars: Sequence[CoverageBar]) -> Markup:
    """One bar per region, length proportional to its coverage on one scale for all rows; a
    dashed line marks 100 %. A bar beyond 100 % is drawn in another colour, with a cross-hatched
    part past the line and a '▲' after its value, so it reads as over target without colour."""
    if not bars:
        return _empty(chart_id, title, "Belum ada wilayah untuk digambar.")
    scale_max = max(1.0, *(bar.ratio for bar in bars))
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    x0, top = LABEL_WIDTH, 24
    height = top + len(bars) * BAR_ROW + 10
    hundred = x0 + plot / scale_max
    body = [f'<defs><pattern id="{escape(chart_id)}-over" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{COLOURS["over"]}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>']
    over_count = sum(1 for bar in bars if bar.ratio > 1.0)
    description = (f"Cakupan perekaman {len(bars)} wilayah terhadap target wajib KTP; "
                   f"{over_count} wilayah di atas 100 %.")
    for index, bar in enumerate(bars):
        y = top + index * BAR_ROW
        length = plot * max(bar.ratio, 0.0) / scale_max
        over = bar.ratio > 1.0
        value = format_percent(bar.ratio) + (" ▲" if over else "")
        body.append(f'<g class="bar{" over" if over else ""}" data-ratio="{bar.ratio:.4f}">')
        body.append(f'<title>{escape(bar.label)}: {escape(format_percent(bar.ratio))} '
                    f'({escape(format_number(bar.recorded))} dari {escape(format_number(bar.target))})</title>')
        body.append(_text(x0 - 8, y + 16, _clip(bar.label, 28), anchor="end"))
        body.append(_rect(x0, y + 4, min(length, hundred - x0), 16, COLOURS["over" if over else "bar"]))
        if over:
            body.append(_rect(hundred, y + 4, length - (hundred - x0), 16, f"url(#{escape(chart_id)}-over)",
                              ' class="beyond-target"'))
        body.append(_text(x0 + length + 6, y + 16, value))
        body.append("</g>")
    body.append(_line(hundred, top - 4, hundred, height - 6, COLOURS["target"], ' stroke-dasharray="4 3"'))
    body.append(_text(hundred, top - 8, "100 %", anchor="middle", fill=COLOURS["muted"]))
    return _svg(chart_id, height, title, description, body)


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


# ---- daily series: recorded per day, cumulative coverage, the 100 % target line ----------

@dataclass(frozen=True)
class SeriesDay:
    day: dt.date
    recorded: int          # recorded that day
    coverage_ratio: float  # cumulative / target


SERIES_HEIGHT = 260


def daily_series(chart_id: str, title: str, days: Sequence[SeriesDay], *, with_coverage: bool = True) -> Markup:
    """Bars for recordings per day (left axis); with coverage, a line for the cumulative
    coverage (right side, percent) and a dashed line at the 100 % target."""
    if not days:
        return _empty(chart_id, title, "Belum ada perekaman pada rentang tanggal ini.")
    left, right, top, bottom = 56, 96, 20, 36
    plot_w, plot_h = WIDTH - left - right, SERIES_HEIGHT - top - bottom
    base = top + plot_h
    most = max(1, *(d.recorded for d in days))
    step = plot_w / len(days)
    body = [_line(left, base, left + plot_w, base, COLOURS["text"]),
            _text(left - 6, top + 4, format_number(most), anchor="end", fill=COLOURS["muted"]),
            _text(left - 6, base, "0", anchor="end", fill=COLOURS["muted"])]
    for index, day in enumerate(days):
        height = plot_h * day.recorded / most
        body.append(_rect(left + index * step + step * 0.15, base - height, step * 0.7, height, COLOURS["bar"],
                          f' class="day" data-day="{day.day.isoformat()}" data-recorded="{day.recorded}"'))
    every = max(1, len(days) // 6)
    for index in sorted({*range(0, len(days), every), len(days) - 1}):
        body.append(_text(left + (index + 0.5) * step, base + 16, format_day(days[index].day), anchor="middle",
                          fill=COLOURS["muted"]))
    last = days[-1]
    description = (f"Perekaman harian {format_day(days[0].day)} {days[0].day.year} sampai "
                   f"{format_day(last.day)} {last.day.year}: {format_number(sum(d.recorded for d in days))} "
                   f"terekam")
    legend = "▮ terekam per hari"
    if with_coverage:
        body += _coverage_line(days, left, plot_w, plot_h, base, step)
        description += f", cakupan kumulatif akhir {format_percent(last.coverage_ratio)}"
        legend += "   — cakupan kumulatif   - - target 100 %"
    body.append(_text(left, SERIES_HEIGHT - 4, legend, fill=COLOURS["muted"]))
    return _svg(chart_id, SERIES_HEIGHT, title, description + ".", body)


def _coverage_line(days: Sequence[SeriesDay], left: float, plot_w: float, plot_h: float, base: float,
                   step: float) -> list[str]:
    ratio_max = max(1.0, *(d.coverage_ratio for d in days)) * 1.1
    points = " ".join(f"{_n(left + (i + 0.5) * step)},{_n(base - plot_h * d.coverage_ratio / ratio_max)}"
                      for i, d in enumerate(days))
    target_y = base - plot_h / ratio_max
    last_y = base - plot_h * days[-1].coverage_ratio / ratio_max
    return [f'<polyline class="cumulative" points="{points}" fill="none" stroke="{COLOURS["line"]}" '
            f'stroke-width="2"/>',
            _line(left, target_y, left + plot_w, target_y, COLOURS["target"], ' class="target" stroke-dasharray="6 4"'),
            _text(left + plot_w + 4, target_y + 4, "Target 100 %", fill=COLOURS["muted"]),
            _text(left + plot_w + 4, last_y - 6 if abs(last_y - target_y) > 12 else last_y + 16,
                  format_percent(days[-1].coverage_ratio), fill=COLOURS["line"])]


# ---- counts per item: drives, teams -------------------------------------------------------

def count_bars(chart_id: str, title: str, items: Sequence[tuple[str, int]], unit: str) -> Markup:
    """One horizontal bar per item, proportional to its count against the largest."""
    if not items:
        return _empty(chart_id, title, "Belum ada data untuk digambar.")
    top, plot = 8, WIDTH - LABEL_WIDTH - VALUE_WIDTH
    most = max(1, *(count for _, count in items))
    height = top + len(items) * BAR_ROW + 6
    body = []
    for index, (label, count) in enumerate(items):
        y = top + index * BAR_ROW
        length = plot * count / most
        body.append(f'<g class="item" data-count="{count}">')
        body.append(_text(LABEL_WIDTH - 8, y + 16, _clip(label, 28), anchor="end"))
        body.append(_rect(LABEL_WIDTH, y + 4, length, 16, COLOURS["bar"]))
        body.append(_text(LABEL_WIDTH + length + 6, y + 16, f"{format_number(count)} {unit}"))
        body.append("</g>")
    description = "; ".join(f"{label}: {format_number(count)} {unit}" for label, count in items) + "."
    return _svg(chart_id, height, title, description, body)


# ---- parts of a whole per region: voter readiness ------------------------------------------

@dataclass(frozen=True)
class Segment:
    label: str
    colour: str


def stacked_bars(chart_id: str, title: str, segments: Sequence[Segment],
                 rows: Sequence[tuple[str, Sequence[int]]]) -> Markup:
    """One full-width bar per region split into its parts (each part's share of the row's sum),
    with a legend; a part's count is in its tooltip and the row's sum after the bar."""
    if not rows:
        return _empty(chart_id, title, "Belum ada wilayah untuk digambar.")
    top, plot = 30, WIDTH - LABEL_WIDTH - 90
    height = top + len(rows) * BAR_ROW + 6
    body = []
    x = LABEL_WIDTH
    for segment in segments:
        body.append(_rect(x, 6, 12, 12, segment.colour))
        body.append(_text(x + 16, 16, segment.label))
        x += 30 + 7 * len(segment.label)
    for index, (label, values) in enumerate(rows):
        y, total = top + index * BAR_ROW, sum(values)
        body.append(f'<g class="region" data-total="{total}">')
        body.append(_text(LABEL_WIDTH - 8, y + 16, _clip(label, 28), anchor="end"))
        start = float(LABEL_WIDTH)
        for segment, value in zip(segments, values, strict=True):
            width = plot * value / total if total else 0.0
            body.append(_rect(start, y + 4, width, 16, segment.colour, f' data-value="{value}"',
                              tooltip=f"{label} · {segment.label}: {format_number(value)}"))
            start += width
        body.append(_text(LABEL_WIDTH + plot + 6, y + 16, format_number(total)))
        body.append("</g>")
    description = (f"{len(rows)} wilayah, masing-masing dibagi menjadi: "
                   + ", ".join(segment.label for segment in segments) + ".")
    return _svg(chart_id, height, title, description, body)


# ---- funnel: target -> recorded -> print-ready -> printed -> dispatched -> handed over ------

def funnel(chart_id: str, title: str, stages: Sequence[tuple[str, int]]) -> Markup:
    """Centred bars, width proportional to each stage's count against the largest; each stage
    shows its count and its share of the first stage."""
    if not stages:
        return _empty(chart_id, title, "Belum ada data corong.")
    row, top, label_w = 38, 8, 170
    plot = WIDTH - label_w - 20
    centre = label_w + plot / 2
    most = max(1, *(count for _, count in stages))
    first = stages[0][1]
    height = top + len(stages) * row + 4
    body = []
    for index, (label, count) in enumerate(stages):
        y = top + index * row
        width = plot * count / most
        share = f" · {format_percent(count / first)}" if first > 0 and index else ""
        body.append(f'<g class="stage" data-count="{count}">')
        body.append(_text(label_w - 10, y + 21, label, anchor="end"))
        body.append(_rect(centre - width / 2, y + 4, width, 26, COLOURS["bar"], ' rx="3"'))
        body.append(_text(centre, y + 22, format_number(count) + share, anchor="middle",
                          fill="#ffffff" if width > 160 else COLOURS["text"],
                          extra=' font-weight="600"'))
        body.append("</g>")
    description = "; ".join(f"{label}: {format_number(count)}" for label, count in stages) + "."
    return _svg(chart_id, height, title, description, body)


# ---- stock per office: on hand, days of cover ---------------------------------------------

@dataclass(frozen=True)
class StockBar:
    label: str
    on_hand: int
    days_of_cover: float   # -1 when unknown
    out_of_stock: bool


def stock(chart_id: str, title: str, offices: Sequence[StockBar]) -> Markup:
    """One bar per office, length proportional to the blanks on hand; the days of cover written
    after it. An office out of stock is shown in red with the word 'habis'."""
    if not offices:
        return _empty(chart_id, title, "Belum ada data stok.")
    top = 8
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 40
    most = max(1, *(office.on_hand for office in offices))
    height = top + len(offices) * BAR_ROW + 6
    body = []
    for index, office in enumerate(offices):
        y = top + index * BAR_ROW
        length = plot * office.on_hand / most
        cover = ("habis" if office.out_of_stock else
                 "ketahanan belum diketahui" if office.days_of_cover < 0 else
                 f"cukup {format_number(office.days_of_cover)} hari")
        colour = COLOURS["danger"] if office.out_of_stock else COLOURS["bar"]
        body.append(f'<g class="office{" out" if office.out_of_stock else ""}" data-on-hand="{office.on_hand}">')
        body.append(_text(LABEL_WIDTH - 8, y + 16, _clip(office.label, 28), anchor="end"))
        body.append(_rect(LABEL_WIDTH, y + 4, length, 16, colour))
        body.append(_text(LABEL_WIDTH + length + 6, y + 16, f"{format_number(office.on_hand)} · {cover}",
                          fill=COLOURS["danger"] if office.out_of_stock else COLOURS["text"]))
        body.append("</g>")
    out = sum(1 for office in offices if office.out_of_stock)
    description = (f"Stok blanko di {len(offices)} kantor, {out} kantor kehabisan; "
                   f"total {format_number(sum(o.on_hand for o in offices))} keping.")
    return _svg(chart_id, height, title, description, body)
