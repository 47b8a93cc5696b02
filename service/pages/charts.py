"""Charts and the map as server-side SVG: no JavaScript, no CDN, readable by screen
readers through <title> and the tables printed next to them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from service.usecases.views import MapData

ACCENT = "#1f6f5c"
TRACK = "#e3e8e5"
TARGET = "#9a3b12"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: float | None = None


def bullet_chart(bars: Sequence[Bar], *, title: str, width: int = 640) -> Markup:
    """One horizontal bullet per row: the achieved bar over a track scaled to the target,
    with a tick at the target. Width is a viewBox unit; the SVG scales to its box."""
    label_w, row_h, pad = 220, 30, 8
    height = pad * 2 + row_h * max(len(bars), 1)
    plot_w = width - label_w - 60
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>"
    ]
    for i, bar in enumerate(bars):
        y = pad + i * row_h
        scale = max(bar.target or 0, bar.value, 1)
        achieved_w = plot_w * bar.value / scale
        label = bar.label if len(bar.label) <= 16 else bar.label[:15] + "…"
        parts.append(
            f'<text x="0" y="{y + 19}" class="lbl">{escape(label)}'
            f"<title>{escape(bar.label)}</title></text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 6}" width="{plot_w}" height="16" fill="{TRACK}"/>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 9}" width="{achieved_w:.1f}" height="10" '
            f'fill="{ACCENT}"/>'
        )
        if bar.target:
            tx = label_w + plot_w * bar.target / scale
            parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 3}" y2="{y + 25}" '
                f'stroke="{TARGET}" stroke-width="3"/>'
            )
        figure = f"{bar.value:g}" + (f" / {bar.target:g}" if bar.target else "")
        parts.append(
            f'<text x="{label_w + plot_w + 6}" y="{y + 19}" class="num">{escape(figure)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # nosec B704 # every text went through escape()


def bullet_list(bars: Sequence[Bar], *, title: str, unit_of: Sequence[str] | None = None) -> Markup:
    """Progress that reads on a phone: one list item per row with its whole label (it
    wraps, never cut), a bar scaled to the row's target (a tick marks the target) and
    the figures as text. Each bar carries its figures in a <title> for hover."""
    items = []
    for i, bar in enumerate(bars):
        scale = max(bar.target or 0, bar.value, 1)
        achieved = 100 * bar.value / scale
        unit = unit_of[i] if unit_of else ""
        figure = (
            f"{bar.value:g}"
            + (f" / {bar.target:g}" if bar.target else "")
            + (f" {unit}" if unit else "")
        )
        tick = ""
        if bar.target:
            tx = 100 * bar.target / scale
            tick = (
                f'<line x1="{tx:.2f}" x2="{tx:.2f}" y1="0" y2="12" stroke="{TARGET}" '
                'stroke-width="1.2" vector-effect="non-scaling-stroke"/>'
            )
        items.append(
            f'<li class="bullet"><span class="b-label">{escape(bar.label)}</span>'
            f'<span class="b-row"><svg class="b-bar" viewBox="0 0 100 12" '
            f'preserveAspectRatio="none" aria-hidden="true">'
            f"<title>{escape(bar.label)}: {escape(figure)}</title>"
            f'<rect x="0" y="2" width="100" height="8" fill="{TRACK}"/>'
            f'<rect x="0" y="3.5" width="{achieved:.2f}" height="5" fill="{ACCENT}"/>'
            f"{tick}</svg>"
            f'<span class="b-num">{escape(figure)}</span></span></li>'
        )
    return Markup(  # nosec B704 # every text went through escape()
        f'<ol class="bullets" aria-label="{escape(title)}">{"".join(items)}</ol>'
    )


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 640) -> Markup:
    """Vertical bars, one per county; labels under each bar."""
    height, base, top = 200, 150, 20
    n = max(len(bars), 1)
    slot = (width - 20) / n
    peak = max([b.value for b in bars] + [1])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>"
        f'<line x1="10" x2="{width - 10}" y1="{base}" y2="{base}" stroke="#888"/>'
    ]
    for i, bar in enumerate(bars):
        h = (base - top) * bar.value / peak
        x = 10 + i * slot + slot * 0.15
        w = slot * 0.7
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{ACCENT}"><title>{escape(bar.label)}: {bar.value:g}</title></rect>'
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{base - h - 4:.1f}" class="num" '
            f'text-anchor="middle">{bar.value:g}</text>'
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{base + 18}" class="lbl small" '
            f'text-anchor="middle">{escape(bar.label[:4])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # nosec B704 # every text went through escape()


def _colour(open_needs: int, peak: int) -> str:
    # Light to dark green by open needs; contrast with the white labels is kept by the
    # dark outline rather than the fill.
    share = open_needs / peak if peak else 0.0
    light, dark = (214, 234, 223), (20, 90, 70)
    rgb = [round(a + (b - a) * share) for a, b in zip(light, dark, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def county_map(
    data: MapData,
    *,
    title: str,
    english: bool,
    labels: dict[str, str] | None = None,
    width: int = 640,
) -> Markup:
    """County seats as circles (fill = open needs, radius = placements) over township
    points (poverty townships ringed), projected equirectangularly from lat/lon."""
    labels = labels or {"open": "open needs", "placed": "placements"}
    points = [(c.lat, c.lon) for c in data.counties] + [(t.lat, t.lon) for t in data.townships]
    if not points:
        return Markup("")
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    mid = math.radians((min(lats) + max(lats)) / 2)
    span_x = (max(lons) - min(lons)) * math.cos(mid) or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    pad = 40
    scale = (width - 2 * pad) / span_x
    height = int(span_y * scale + 2 * pad)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (pad + (lon - min(lons)) * math.cos(mid) * scale, pad + (max(lats) - lat) * scale)

    peak = max([c.open_needs for c in data.counties] + [1])
    parts = [
        f'<svg class="map" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#f1f4f2"/>'
    ]
    for t in data.townships:
        x, y = xy(t.lat, t.lon)
        ring = ' stroke="#9a3b12" stroke-width="1.5"' if t.poverty else ""
        fill = "#1f6f5c" if t.open_needs else "#9aa8a1"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}"{ring}>'
            f"<title>{escape(t.name)}: {t.open_needs} ({escape(labels['open'])})</title></circle>"
        )
    for c in data.counties:
        x, y = xy(c.lat, c.lon)
        r = 9 + 3 * math.sqrt(c.placements)
        name = c.name_en if english else c.name
        # A tap on a county (a phone has no hover) opens its details under the map: the
        # link targets the township list inside its <details>, which the browser unfolds.
        parts.append(
            f'<a href="#townships-{escape(c.code)}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
            f'fill="{_colour(c.open_needs, peak)}" stroke="#123" stroke-width="1.5">'
            f"<title>{escape(name)}: {c.open_needs} {escape(labels['open'])}, "
            f"{c.placements} {escape(labels['placed'])}</title></circle>"
        )
        label_x, anchor = _label_place(x, name, width)
        parts.append(
            f'<text x="{label_x:.1f}" y="{y - r - 4:.1f}" class="lbl county-name" '
            f'text-anchor="{anchor}">{escape(name)}</text></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # nosec B704 # every text went through escape()


COUNTY_NAME_PX = 20  # the county names' font size (app.css .map .county-name)


def _label_place(x: float, name: str, width: int) -> tuple[float, str]:
    """Where a county's name goes so that it stays whole inside the map: centred over its
    seat, or pinned to the edge it would run over (a name near the border was cut)."""
    # Chinese characters are about one em wide, Latin letters about 0.6 em.
    half = sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in name) * COUNTY_NAME_PX / 2
    if x + half > width - 4:
        return width - 4, "end"
    if x - half < 4:
        return 4, "start"
    return x, "middle"


def legend_marks() -> dict[str, Markup]:
    """The map's marks drawn alone, for the legend beside it (same colours and sizes)."""

    def svg(body: str) -> Markup:
        return Markup(  # nosec B704 # constant markup
            f'<svg class="mark" viewBox="0 0 24 24" width="24" height="24" '
            f'aria-hidden="true">{body}</svg>'
        )

    return {
        "county": svg(
            f'<circle cx="12" cy="12" r="9" fill="{_colour(1, 2)}" stroke="#123" '
            'stroke-width="1.5"/>'
        ),
        "township_open": svg('<circle cx="12" cy="12" r="4" fill="#1f6f5c"/>'),
        "township_none": svg('<circle cx="12" cy="12" r="4" fill="#9aa8a1"/>'),
        "poverty": svg(
            '<circle cx="12" cy="12" r="4" fill="#9aa8a1" stroke="#9a3b12" stroke-width="2"/>'
        ),
    }
