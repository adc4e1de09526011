"""Server-rendered SVG charts: no script, no CDN, readable without colour (every bar and point carries its
label and value as text, and a <title> for screen readers)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "",
              max_value: float | None = None, width: int = 360) -> Markup:
    """Horizontal bars, one row per (label, value), the value written at the end of each bar."""
    row, label_w, value_w = 22, 120, 56
    height = row * max(len(items), 1) + 8
    top = max_value if max_value else max((v for _, v in items), default=0) or 1
    bar_w = width - label_w - value_w
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = max(bar_w * value / top, 0 if value == 0 else 2)
        text = f"{_num(value)}{unit}"
        parts.append(
            f'<g><title>{escape(label)}: {escape(text)}</title>'
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" class="lbl">{escape(label[:18])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" class="bar"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" class="val">{escape(text)}</text></g>')
    if not items:
        parts.append(f'<text x="8" y="18" class="lbl">{escape("nothing yet")}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(values: Sequence[tuple[str, float]], *, title: str, width: int = 520,
                 height: int = 140, every_label: int = 4) -> Markup:
    """Vertical columns (e.g. touches per week) with the maximum marked and every n-th label written."""
    n = max(len(values), 1)
    top = max((v for _, v in values), default=0) or 1
    plot_h, left, bottom = height - 34, 28, 20
    col = (width - left) / n
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<text x="0" y="12" class="val">{_num(top)}</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" class="axis"/>']
    for i, (label, value) in enumerate(values):
        h = plot_h * value / top
        x = left + i * col
        parts.append(f'<g><title>{escape(label)}: {_num(value)}</title><rect x="{x + 1:.1f}" '
                     f'y="{height - bottom - h:.1f}" width="{max(col - 2, 1):.1f}" height="{h:.1f}" '
                     f'class="bar"/></g>')
        if i % every_label == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 4}" class="tick">{escape(label[5:])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: Sequence[tuple[str, float]], *, title: str, width: int = 520, height: int = 150,
               max_value: float = 100.0) -> Markup:
    """A line over time (e.g. strength, 0–100), with gridlines labelled and the last value written."""
    left, bottom, top_pad = 30, 20, 10
    plot_h, plot_w = height - bottom - top_pad, width - left - 40
    n = max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / n, top_pad + plot_h * (1 - v / max_value)

    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for g in (0, 50, 100):
        _, y = xy(0, g)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{g}</text>')
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, (_, v) in enumerate(points)))
        parts.append(f'<polyline points="{path}" class="line"/>')
        lx, ly = xy(len(points) - 1, points[-1][1])
        parts.append(f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="3" class="dot"/>'
                     f'<text x="{lx + 5:.1f}" y="{ly + 4:.1f}" class="val">{_num(points[-1][1])}</text>')
        parts.append(f'<text x="{left}" y="{height - 4}" class="tick">{escape(points[0][0])}</text>'
                     f'<text x="{left + plot_w}" y="{height - 4}" text-anchor="end" class="tick">'
                     f'{escape(points[-1][0])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
