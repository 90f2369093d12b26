"""The SVG charts: well-formed XML, accessible, proportional, over-target marked, escaped,
Indonesian numbers, deterministic."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from reporting import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def widths(root: ET.Element, path: str) -> list[float]:
    return [float(rect.get("width")) for rect in root.findall(path)]


def bars(*items: tuple[str, float]) -> list[charts.CoverageBar]:
    return [charts.CoverageBar(label, ratio, round(ratio * 1000), 1000) for label, ratio in items]


def test_coverage_bars_are_accessible_and_responsive():
    root = parse(charts.coverage_bars("c", "Cakupan Kapuas", bars(("Selat", 0.5))))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 720 ") and root.get("width") == "100%"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Cakupan Kapuas"
    assert "1 wilayah" in root.find(f"{SVG}desc").text


def test_coverage_bars_are_proportional_to_the_ratio():
    root = parse(charts.coverage_bars("c", "t", bars(("A", 0.25), ("B", 0.5), ("C", 1.0))))
    lengths = widths(root, f"{SVG}g/{SVG}rect")
    assert lengths[1] == pytest.approx(2 * lengths[0], abs=0.2)
    assert lengths[2] == pytest.approx(4 * lengths[0], abs=0.2)


def test_bars_beyond_one_hundred_percent_are_marked_and_extend_past_the_target_line():
    root = parse(charts.coverage_bars("c", "t", bars(("Selat", 1.25), ("Hilir", 0.5))))
    over, under = root.findall(f"{SVG}g")
    assert over.get("class") == "bar over" and under.get("class") == "bar"
    beyond = over.find(f"{SVG}rect[@class='beyond-target']")
    assert beyond is not None and beyond.get("fill") == "url(#c-over)"
    assert [t.text for t in over.findall(f"{SVG}text")][-1] == "125,0 % ▲"
    hundred = float(root.find(f"{SVG}line").get("x1"))
    assert float(beyond.get("x")) == pytest.approx(hundred)
    assert under.find(f"{SVG}rect[@class='beyond-target']") is None
    assert "1 wilayah di atas 100 %" in root.find(f"{SVG}desc").text


def test_the_scale_fits_the_largest_bar_so_none_overflows():
    root = parse(charts.coverage_bars("c", "t", bars(("A", 3.0), ("B", 1.0))))
    a_end = sum(widths(root, f"{SVG}g[1]/{SVG}rect")) + 200
    assert a_end <= 720 - 150 + 0.5


def test_text_is_escaped_and_numbers_are_indonesian():
    markup = charts.coverage_bars("c", "<Kapuas & Co>", [charts.CoverageBar("Desa <b>&", 0.801, 1_234_567, 1_541_282)])
    root = parse(markup)
    assert root.find(f"{SVG}title").text == "<Kapuas & Co>"
    assert "<b>" not in str(markup)
    tooltip = root.find(f"{SVG}g/{SVG}title").text
    assert tooltip == "Desa <b>&: 80,1 % (1.234.567 dari 1.541.282)"


def test_charts_are_deterministic():
    days = [charts.SeriesDay(dt.date(2016, 11, 1) + dt.timedelta(days=i), i * 3, i / 7) for i in range(9)]
    assert charts.daily_series("s", "t", days) == charts.daily_series("s", "t", days)
    assert charts.coverage_bars("c", "t", bars(("A", 1 / 3))) == charts.coverage_bars("c", "t", bars(("A", 1 / 3)))


def test_daily_series_has_a_bar_per_day_the_cumulative_line_and_the_target_line():
    days = [charts.SeriesDay(dt.date(2016, 11, 1) + dt.timedelta(days=i), 10 * (i + 1), 0.2 * (i + 1))
            for i in range(6)]
    root = parse(charts.daily_series("s", "Harian", days))
    day_bars = root.findall(f"{SVG}rect[@class='day']")
    assert [int(b.get("data-recorded")) for b in day_bars] == [10, 20, 30, 40, 50, 60]
    heights = [float(b.get("height")) for b in day_bars]
    assert heights[5] == pytest.approx(6 * heights[0], abs=0.3)
    assert len(root.find(f"{SVG}polyline[@class='cumulative']").get("points").split()) == 6
    target = root.find(f"{SVG}line[@class='target']")
    assert target.get("stroke-dasharray") and "Target 100 %" in [t.text for t in root.findall(f"{SVG}text")]
    # the line passes the 100 % target line between day 5 (100 %) and day 6 (120 %)
    ys = [float(p.split(",")[1]) for p in root.find(f"{SVG}polyline").get("points").split()]
    assert ys[4] == pytest.approx(float(target.get("y1")), abs=0.2) and ys[5] < ys[4]
    assert "120,0 %" in root.find(f"{SVG}desc").text


def test_daily_counts_without_coverage_have_no_target_line():
    root = parse(charts.daily_series("d", "t", [charts.SeriesDay(dt.date(2016, 11, 1), 5, 0.0)], with_coverage=False))
    assert root.find(f"{SVG}polyline") is None and root.find(f"{SVG}line[@class='target']") is None


def test_funnel_stages_are_proportional_and_show_their_share_of_the_target():
    root = parse(charts.funnel("f", "Corong", [("Target", 1000), ("Terekam", 800), ("Tercetak", 200)]))
    stages = root.findall(f"{SVG}g")
    lengths = [float(g.find(f"{SVG}rect").get("width")) for g in stages]
    assert lengths[1] == pytest.approx(0.8 * lengths[0], abs=0.2)
    assert lengths[2] == pytest.approx(0.2 * lengths[0], abs=0.2)
    assert [g.findall(f"{SVG}text")[1].text for g in stages] == ["1.000", "800 · 80,0 %", "200 · 20,0 %"]


def test_stock_chart_marks_offices_out_of_stock():
    root = parse(charts.stock("s", "Stok", [charts.StockBar("Kapuas", 0, 0.0, True),
                                            charts.StockBar("Gunung Mas", 820, 41.0, False),
                                            charts.StockBar("Katingan", 410, -1, False)]))
    kapuas, gunung_mas, katingan = root.findall(f"{SVG}g")
    assert kapuas.get("class") == "office out" and kapuas.findall(f"{SVG}text")[1].text == "0 · habis"
    assert gunung_mas.findall(f"{SVG}text")[1].text == "820 · cukup 41 hari"
    assert "belum diketahui" in katingan.findall(f"{SVG}text")[1].text
    assert float(katingan.find(f"{SVG}rect").get("width")) == pytest.approx(
        float(gunung_mas.find(f"{SVG}rect").get("width")) / 2, abs=0.2)


def test_stacked_bars_split_each_row_into_its_shares():
    segments = [charts.Segment("Siap", "#198754"), charts.Segment("Belum", "#dc3545")]
    root = parse(charts.stacked_bars("v", "Pemilih", segments, [("Selat", (300, 100)), ("Hilir", (0, 0))]))
    selat, empty = root.findall(f"{SVG}g")
    ready, missing = selat.findall(f"{SVG}rect")
    assert float(ready.get("width")) == pytest.approx(3 * float(missing.get("width")), abs=0.2)
    assert ready.find(f"{SVG}title").text == "Selat · Siap: 300"
    assert all(float(r.get("width")) == 0 for r in empty.findall(f"{SVG}rect"))


@pytest.mark.parametrize("chart", [
    lambda: charts.coverage_bars("e", "t", []), lambda: charts.daily_series("e", "t", []),
    lambda: charts.funnel("e", "t", []), lambda: charts.stock("e", "t", []),
    lambda: charts.count_bars("e", "t", [], "x"), lambda: charts.stacked_bars("e", "t", [], [])])
def test_an_empty_chart_says_there_is_nothing_yet(chart):
    root = parse(chart())
    assert root.find(f"{SVG}text").text.startswith("Belum ada")
