from reporting.web import bar_width, format_number, format_percent


def test_numbers_use_the_indonesian_thousands_separator():
    assert [format_number(n) for n in (0, 999, 1234, 8_000_000)] == ["0", "999", "1.234", "8.000.000"]


def test_percentages_use_a_decimal_comma():
    assert [format_percent(r) for r in (0.801, 0.0, 1.25)] == ["80,1 %", "0,0 %", "125,0 %"]


def test_coverage_bar_is_full_at_and_beyond_one_hundred_percent():
    assert [bar_width(r) for r in (0.5, 1.0, 1.7)] == ["50.0%", "100.0%", "100.0%"]
