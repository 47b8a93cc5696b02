"""The printable certificate of grassroots service (基层服务经历证明) for 职称 review
committees: a PDF in Chinese with the periods and the rules behind it, written with
fpdf2; the glyphs used are embedded (a subset of a CJK font), so it prints the same
anywhere."""

from __future__ import annotations

from pathlib import Path

from service.errors import AppError
from service.i18n import translate
from service.usecases.service_ledger import Ledger, period_label

# Where Debian/Ubuntu put CJK fonts (fonts-noto-cjk, fonts-wqy-zenhei).
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)
LOCALE = "zh-CN"


def find_font(configured: Path | None) -> Path:
    for path in (configured, *FONT_CANDIDATES):
        if path is not None and path.is_file():
            return path
    raise AppError(
        503,
        "no_cjk_font",
        "no font with Chinese glyphs: set RENCAI_CJK_FONT or install fonts-noto-cjk",
        "未找到中文字体：请设置 RENCAI_CJK_FONT 或安装 fonts-noto-cjk",
    )


def _collection_index(path: Path) -> int:
    """In a font collection, the simplified-Chinese face (its name ends in SC)."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for i, font in enumerate(collection.fonts):
        name = font["name"].getDebugName(1) or ""
        if name.endswith(" SC"):
            return i
    return 0


def _t(key: str) -> str:
    return translate(key, LOCALE)


def pdf(ledger: Ledger, font: Path | None) -> bytes:
    """The certificate as PDF bytes."""
    from fpdf import FPDF

    path = find_font(font)
    doc = FPDF(format="A4")
    doc.set_title(_t("people.cert.title"))
    doc.set_creator(_t("people.cert.issuer"))
    doc.add_font("cjk", fname=str(path), collection_font_number=_collection_index(path))
    doc.add_page()
    doc.set_font("cjk", size=18)
    doc.cell(0, 12, _t("people.cert.title"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("cjk", size=11)
    body = _t("people.cert.body").format(name=ledger.talent.name, date=ledger.as_of.isoformat())
    doc.multi_cell(0, 7, body, new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    _periods(doc, ledger)
    doc.ln(3)
    total = _t("people.ledger.total").format(
        days=ledger.total_days, years=round(ledger.total_days / 365.25, 1)
    )
    doc.multi_cell(0, 7, total, new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_font("cjk", size=13)
    doc.cell(0, 9, _t("people.ledger.rules"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("cjk", size=10)
    for check in ledger.rules:
        d = check.as_dict(LOCALE)
        status = (
            _t("people.not_applicable")
            if not check.applies
            else _t("people.met" if check.met else "people.not_met")
        )
        on = f"（{d['on']}）" if d["on"] else ""
        doc.multi_cell(0, 6, f"■ {d['label']}：{status}{on}", new_x="LMARGIN", new_y="NEXT")
        for reason in d["reasons"]:
            doc.multi_cell(0, 6, f"    {reason}", new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    doc.cell(0, 8, _t("people.cert.issuer"), align="R", new_x="LMARGIN", new_y="NEXT")
    doc.cell(0, 8, ledger.as_of.isoformat(), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def _periods(doc: object, ledger: Ledger) -> None:
    headers = ("source", "place", "poverty", "altitude", "starts_on", "ends_on", "days", "review")
    widths = (30, 40, 18, 18, 24, 24, 14, 22)
    from fpdf.fonts import FontFace

    doc.set_font("cjk", size=9)  # type: ignore[attr-defined]
    heading = FontFace(emphasis="", fill_color=(232, 236, 240))
    with doc.table(  # type: ignore[attr-defined]
        col_widths=widths, text_align="LEFT", headings_style=heading
    ) as table:
        table.row([_t(f"people.field.{h}") for h in headers])
        for p in ledger.periods:
            table.row(
                [
                    period_label(p, LOCALE),
                    p.place,
                    _t("people.yes") if p.poverty_township else _t("people.no"),
                    "—" if p.altitude_m is None else f"{p.altitude_m:.0f}",
                    p.starts_on.isoformat(),
                    p.ends_on.isoformat(),
                    str(p.days),
                    _t(f"people.decision.{p.decision}") if p.decision else "",
                ]
            )
