"""Horizontal bar charts laid out for inline SVG (the template draws them, escaping labels).

No JavaScript and no outside library: the page's strict CSP forbids inline scripts and
style attributes, so colours come from console.css classes and SVG attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.reports.service import Count, Report
from bot.texts import reports as texts

WIDTH = 640
LABEL_WIDTH = 210  # room for a unit's or a status's name, right-aligned
VALUE_ROOM = 60  # room after the longest bar for its number
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PADDING = 8


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and geometry."""

    label: str
    value: int
    y: int
    width: float
    text_y: int
    value_x: float


@dataclass(frozen=True)
class BarChart:
    """A chart ready for the template: an id for aria references, its size and bars."""

    id: str
    title: str
    description: str
    width: int
    height: int
    bar_x: int
    bar_height: int
    bars: list[Bar]


def bar_chart(*, chart_id: str, title: str, description: str, counts: Sequence[Count]) -> BarChart:
    """One bar per count, scaled so the largest spans the drawing area."""
    top = max((c.value for c in counts), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for row, count in enumerate(counts):
        y = PADDING + row * ROW_HEIGHT
        width = room * count.value / top if top else 0.0
        bars.append(
            Bar(
                label=count.label,
                value=count.value,
                y=y,
                width=round(width, 1),
                text_y=y + BAR_HEIGHT - 4,
                value_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    height = 2 * PADDING + max(len(counts), 1) * ROW_HEIGHT
    return BarChart(chart_id, title, description, WIDTH, height, LABEL_WIDTH, BAR_HEIGHT, bars)


def dashboard_charts(report: Report) -> dict[str, BarChart]:
    """The dashboard's charts by name: kinds, statuses, units, ratings."""
    sources = {
        "kind": (texts.BY_KIND, report.by_kind),
        "status": (texts.BY_STATUS, report.by_status),
        "unit": (texts.BY_UNIT, report.by_unit),
        "rating": (texts.RATINGS, report.ratings.distribution),
    }
    return {
        name: bar_chart(
            chart_id=f"chart-{name}", title=title, description=texts.CHART_DESC, counts=counts
        )
        for name, (title, counts) in sources.items()
    }
