# -*- coding: utf-8 -*-
"""Attachment builders: report/registration content, docx, xlsx, text pdf, scans, photos."""
import io
import random
import datetime as dt

from docx import Document
from docx.shared import Pt, Cm
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Font, Alignment
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont, ImageFilter

from legacy import to_tcvn3, to_vni

FONTDIR = "/usr/share/fonts/truetype/dejavu/"
QUOC_HIEU = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_title(obl, variant=0):
    """Second title line of a report for obligation key like report-2021-h1."""
    _, y, p = obl.split("-")
    y = int(y)
    if p == "q1":
        v = ["Kết quả thực hiện công tác dân vận quý I năm %d" % y,
             "Công tác dân vận, phong trào thi đua \"Dân vận khéo\" quý I/%d" % y,
             "Kết quả công tác dân vận 3 tháng đầu năm %d" % y]
    elif p == "h1":
        v = ["Sơ kết công tác dân vận 6 tháng đầu năm %d" % y,
             "Kết quả thực hiện công tác dân vận quý II năm %d" % y,
             "Sơ kết 6 tháng thực hiện Kế hoạch công tác dân vận năm %d" % y]
    elif p == "q3":
        v = ["Kết quả thực hiện công tác dân vận quý III năm %d" % y,
             "Kết quả công tác dân vận 9 tháng năm %d" % y,
             "Công tác dân vận, \"Dân vận khéo\" quý III/%d" % y]
    else:
        v = ["Tổng kết công tác dân vận năm %d, phương hướng nhiệm vụ năm %d" % (y, y + 1),
             "Kết quả thực hiện công tác dân vận quý IV và cả năm %d" % y,
             "Tổng kết thực hiện Kế hoạch công tác dân vận, \"Dân vận khéo\" năm %d" % y]
    return v[variant % len(v)]


def next_period(obl):
    _, y, p = obl.split("-")
    y = int(y)
    return {"q1": "quý II năm %d" % y, "h1": "6 tháng cuối năm %d" % y,
            "q3": "quý IV năm %d" % y, "y": "năm %d" % (y + 1)}[p]


_ACTS = [
    "Tuyên truyền, vận động đoàn viên, người lao động thực hiện tốt chủ trương của Đảng, chính sách pháp luật của Nhà nước; {n} lượt đoàn viên tham gia học tập, quán triệt.",
    "Phối hợp với chuyên môn tổ chức đối thoại, giải quyết kịp thời các kiến nghị chính đáng của người lao động; không có đơn thư vượt cấp.",
    "Duy trì mô hình \"Dân vận khéo\" đã đăng ký; mô hình được {n} đoàn viên hưởng ứng, bước đầu có hiệu quả.",
    "Vận động đoàn viên ủng hộ Quỹ \"Vì người nghèo\", Quỹ \"Mái ấm công đoàn\" được {m} triệu đồng.",
    "Thực hiện tốt công tác phòng, chống dịch Covid-19 tại đơn vị; 100% đoàn viên thực hiện nghiêm thông điệp 5K.",
    "Tổ chức thăm hỏi {n2} đoàn viên ốm đau, có hoàn cảnh khó khăn với tổng số tiền {m2} triệu đồng.",
    "Phát động phong trào thi đua gắn với thực hiện Quy chế dân chủ ở cơ sở; công khai, minh bạch các chế độ chính sách.",
]


def _acts(rng, k=4):
    out = []
    for s in rng.sample(_ACTS, k):
        out.append(s.format(n=rng.randint(18, 160), m=rng.randint(3, 25),
                            n2=rng.randint(2, 9), m2=rng.randint(2, 12)))
    return out


def report_content(u, obl, date, *, number=None, variant=0, extra=(), signer=None,
                   title2=None, seed=0, short=False):
    """Structured content of a report document."""
    rng = random.Random("%s|%s|%s" % (u.code, obl, seed))
    y = int(obl.split("-")[1])
    number = number or "%02d/BC-CĐCS" % rng.randint(3, 48)
    t2 = title2 or period_title(obl, variant)
    paras = ["Thực hiện Kế hoạch số %02d/KH-LĐLĐ của Liên đoàn Lao động quận Long Biên về "
             "thực hiện công tác dân vận và phong trào thi đua \"Dân vận khéo\" năm %d, "
             "Ban Chấp hành %s báo cáo kết quả như sau:" % (rng.randint(2, 30), y, u.name)]
    paras.append("I. KẾT QUẢ THỰC HIỆN")
    acts = _acts(rng, 2 if short else 4)
    paras += ["%d. %s" % (i + 1, a) for i, a in enumerate(acts)]
    paras += list(extra)
    paras.append("II. PHƯƠNG HƯỚNG, NHIỆM VỤ %s" % next_period(obl).upper())
    paras.append("Tiếp tục đẩy mạnh công tác tuyên truyền, duy trì và nhân rộng các mô hình "
                 "\"Dân vận khéo\"; thực hiện tốt nhiệm vụ %s." % next_period(obl))
    p = signer or {"name": "?"}
    return {
        "created": dt.datetime(date.year, date.month, date.day, 8, rng.randint(0, 59), tzinfo=dt.timezone.utc),
        "left": ["LĐLĐ QUẬN LONG BIÊN", u.name.upper(), "Số: %s" % number],
        "right": QUOC_HIEU,
        "place_date": "Long Biên, ngày %02d tháng %02d năm %d" % (date.day, date.month, date.year),
        "title": ["BÁO CÁO", t2],
        "paras": paras,
        "sign": ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "", p["name"]],
        "recv": ["Nơi nhận:", "- LĐLĐ quận Long Biên;", "- Lưu CĐCS."],
    }


DVK_MODELS = [
    ("Tổ công đoàn tự quản - đoàn kết, giúp nhau cùng tiến", "Văn hóa - xã hội"),
    ("Nhà giáo mẫu mực đồng hành cùng học sinh khó khăn", "Giáo dục"),
    ("Bữa cơm công đoàn nghĩa tình", "Chăm lo đời sống"),
    ("Tuyến phố văn minh, sạch đẹp", "Xây dựng đô thị"),
    ("Phân loại rác tại nguồn trong cơ quan", "Môi trường"),
    ("Một cửa thân thiện - cán bộ tận tâm", "Cải cách hành chính"),
    ("Ca làm việc an toàn - không tai nạn lao động", "Sản xuất, kinh doanh"),
    ("Đoàn viên góp ngày công xây dựng nhà văn hóa", "Văn hóa - xã hội"),
    ("Thư viện xanh - góc đọc sách cho con công nhân", "Giáo dục"),
    ("Tiết kiệm điện, nước trong sản xuất", "Kinh tế"),
    ("Chung tay phòng chống dịch Covid-19", "Y tế"),
]


def dvk_content(u, date, *, year=2021, models=None, signer=None, seed=0, number=None):
    rng = random.Random("dvk|%s|%s" % (u.code, seed))
    models = models or [DVK_MODELS[rng.randrange(len(DVK_MODELS))]]
    p = signer or {"name": "?"}
    paras = ["Căn cứ Kế hoạch số %02d/KH-LĐLĐ của LĐLĐ quận Long Biên về việc đăng ký, xây dựng "
             "mô hình \"Dân vận khéo\" năm %d, %s đăng ký mô hình như sau:" % (rng.randint(2, 20), year, u.name)]
    for i, (m, f) in enumerate(models):
        paras.append("%d. Tên mô hình: \"%s\" - Lĩnh vực: %s." % (i + 1, m, f))
    paras.append("Thời gian thực hiện: từ tháng %d/%d đến tháng 12/%d. Người phụ trách: đồng chí %s."
                 % (rng.randint(2, 4), year, year, p["name"]))
    return {
        "created": dt.datetime(date.year, date.month, date.day, 8, rng.randint(0, 59), tzinfo=dt.timezone.utc),
        "left": ["LĐLĐ QUẬN LONG BIÊN", u.name.upper(), "Số: %s" % (number or "%02d/ĐK-CĐ" % rng.randint(1, 15))],
        "right": QUOC_HIEU,
        "place_date": "Long Biên, ngày %02d tháng %02d năm %d" % (date.day, date.month, date.year),
        "title": ["PHIẾU ĐĂNG KÝ", "Mô hình \"Dân vận khéo\" năm %d" % year],
        "paras": paras,
        "sign": ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "", p["name"]],
        "recv": [],
        "models": models,
    }


# ------------------------------------------------------------------ docx
def _set_font(run, name, size=13, bold=False, italic=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    rpr = run._element.get_or_add_rPr()
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rf)
    for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rf.set(qn(a), name)


def make_docx(c, legacy=None):
    """legacy: None | 'tcvn3' | 'vni'."""
    if legacy == "tcvn3":
        enc, font, fonth = to_tcvn3, ".VnTime", ".VnTimeH"
    elif legacy == "vni":
        enc, font, fonth = to_vni, "VNI-Times", "VNI-Times"
    else:
        enc, font, fonth = (lambda s: s), "Times New Roman", "Times New Roman"

    def caps(s):  # TCVN3 capitals are written with the "H" font using lower-case codes
        return enc(s.lower()) if legacy == "tcvn3" else enc(s)

    d = Document()
    sec = d.sections[0]
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin = sec.bottom_margin = Cm(2)
    t = d.add_table(rows=1, cols=2)
    for cell, lines in zip(t.rows[0].cells, (c["left"], c["right"])):
        cell.paragraphs[0].text = ""
        for i, ln in enumerate(lines):
            par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            up = ln.isupper()
            r = par.add_run(caps(ln) if up else enc(ln))
            _set_font(r, fonth if up else font, 12, bold=(i > 0 and up) or lines is c["right"] and i == 0)
    par = d.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_font(par.add_run(enc(c["place_date"])), font, 13, italic=True)
    for i, ln in enumerate(c["title"]):
        par = d.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = par.add_run(caps(ln) if i == 0 else enc(ln))
        _set_font(r, fonth if i == 0 else font, 14, bold=True)
    for ln in c["paras"]:
        par = d.add_paragraph()
        par.paragraph_format.first_line_indent = Cm(1)
        up = ln.isupper()
        _set_font(par.add_run(caps(ln) if up else enc(ln)), fonth if up else font, 13, bold=up)
    t = d.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    for i, ln in enumerate(c.get("recv") or [""]):
        par = left.paragraphs[0] if i == 0 else left.add_paragraph()
        _set_font(par.add_run(enc(ln)), font, 11, italic=(i == 0), bold=(i == 0))
    for i, ln in enumerate(c["sign"]):
        par = right.paragraphs[0] if i == 0 else right.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        up = ln.isupper()
        _set_font(par.add_run(caps(ln) if up else enc(ln)), fonth if up else font, 13, bold=True)
    cp = d.core_properties
    cp.author = cp.last_modified_by = c["sign"][-1]
    cp.title = c["title"][0]
    when = c.get("created") or dt.datetime(2021, 1, 4, 8, 0)
    cp.created = cp.modified = when
    cp.last_printed = when
    cp.revision = 2
    bio = io.BytesIO()
    d.save(bio)
    return shrink_docx(bio.getvalue(), when)


def rezip(data, when, skip=(), edit=None):
    """Rewrite a zip package with fixed entry dates (deterministic bytes)."""
    import zipfile
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    zout = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for it in zin.infolist():
        if it.filename in skip:
            continue
        b = zin.read(it.filename)
        if edit:
            b = edit(it.filename, b)
        zi = zipfile.ZipInfo(it.filename, date_time=when.timetuple()[:6])
        zi.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(zi, b)
    zout.close()
    return out.getvalue()


def shrink_docx(data, when):
    """Drop python-docx template bulk (stylesWithEffects, thumbnail, latent styles)."""
    import re

    def edit(n, b):
        if n == "word/_rels/document.xml.rels":
            b = re.sub(rb'<Relationship Id="[^"]+" Type="[^"]+stylesWithEffects" Target="stylesWithEffects.xml"/>', b"", b)
        elif n == "_rels/.rels":
            b = re.sub(rb'<Relationship [^>]*thumbnail[^>]*/>', b"", b)
        elif n == "[Content_Types].xml":
            b = re.sub(rb'<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', b"", b)
        elif n == "word/styles.xml":
            b = re.sub(rb"<w:latentStyles.*?</w:latentStyles>", b"", b, flags=re.S)
        return b
    return rezip(data, when, skip=("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"), edit=edit)


# ------------------------------------------------------------------ xlsx
def make_xlsx_dvk(rows, title, sheet="DK DVK", subtitle=None, when=None):
    """rows: list of (unit, model, field, person, phone)."""
    when = when or dt.datetime(2021, 1, 25, 9, 0)
    wb = Workbook()
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "Microsoft Office User"
    ws = wb.active
    ws.title = sheet
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells("A1:G1")
    ws["A1"].alignment = Alignment(horizontal="center")
    if subtitle:
        ws["A2"] = subtitle
        ws.merge_cells("A2:G2")
        ws["A2"].alignment = Alignment(horizontal="center")
    hdr = ["STT", "Đơn vị", "Tên mô hình \"Dân vận khéo\"", "Lĩnh vực", "Người phụ trách",
           "Số điện thoại", "Ghi chú"]
    ws.append([])
    ws.append(hdr)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for i, r in enumerate(rows):
        ws.append([i + 1] + list(r) + [""])
    for col, w in zip("ABCDEFG", (5, 34, 44, 18, 22, 14, 10)):
        ws.column_dimensions[col].width = w
    bio = io.BytesIO()
    wb.save(bio)
    import re
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def edit(n, b):
        if n == "docProps/core.xml":
            b = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*", lambda m: m.group(1) + stamp, b)
        return b
    return rezip(bio.getvalue(), when, edit=edit)


# ------------------------------------------------------------------ text pdf
def make_pdf(c):
    pdf = FPDF(format="A4")
    pdf.set_creation_date(c.get("created") or dt.datetime(2021, 1, 4, 8, 0, tzinfo=dt.timezone.utc))
    pdf.set_margins(20, 15, 15)
    pdf.add_font("DV", "", FONTDIR + "DejaVuSerif.ttf")
    pdf.add_font("DV", "B", FONTDIR + "DejaVuSerif-Bold.ttf")
    pdf.add_font("DV", "I", FONTDIR + "DejaVuSerif-Italic.ttf")
    pdf.add_page()
    y0 = pdf.get_y()
    pdf.set_font("DV", "", 9)
    for i, ln in enumerate(c["left"]):
        pdf.set_xy(15, y0 + 5 * i)
        pdf.set_font("DV", "B" if i == 1 else "", 9)
        pdf.cell(80, 5, ln, align="C")
    for i, ln in enumerate(c["right"]):
        pdf.set_xy(95, y0 + 5 * i)
        pdf.set_font("DV", "B", 9)
        pdf.cell(100, 5, ln, align="C")
    pdf.set_xy(95, y0 + 16)
    pdf.set_font("DV", "I", 9.5)
    pdf.cell(100, 5, c["place_date"], align="C")
    pdf.set_xy(20, y0 + 28)
    for i, ln in enumerate(c["title"]):
        pdf.set_font("DV", "B", 12 if i == 0 else 11)
        pdf.multi_cell(0, 6, ln, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for ln in c["paras"]:
        pdf.set_font("DV", "B" if ln.isupper() else "", 10)
        pdf.multi_cell(0, 5.5, ln, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)
    pdf.ln(4)
    for ln in c["sign"]:
        pdf.set_x(110)
        pdf.set_font("DV", "B", 10)
        pdf.cell(80, 5.5, ln, align="C")
        pdf.ln(5.5)
    return bytes(pdf.output())


# ------------------------------------------------------------------ scans / photos
def _font(sz, bold=False):
    return ImageFont.truetype(FONTDIR + ("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"), sz)


def _wrap(draw, text, font, width):
    words, lines, cur = text.split(), [], ""
    for w in words:
        t = (cur + " " + w).strip()
        if draw.textlength(t, font=font) <= width:
            cur = t
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def render_page(c, width=760, stamp=True, max_paras=None):
    H = int(width * 1.414)
    im = Image.new("L", (width, H), 250)
    d = ImageDraw.Draw(im)
    sc = width / 760.0
    f, fb, ft = _font(int(15 * sc)), _font(int(15 * sc), True), _font(int(19 * sc), True)
    y = int(30 * sc)
    for i, ln in enumerate(c["left"]):
        ff = fb if i == 1 else f
        d.text((int(190 * sc) - d.textlength(ln, font=ff) / 2, y + i * int(21 * sc)), ln, font=ff, fill=20)
    for i, ln in enumerate(c["right"] + [c["place_date"]]):
        d.text((int(545 * sc) - d.textlength(ln, font=fb if i < 2 else f) / 2, y + i * int(21 * sc)),
               ln, font=fb if i < 2 else f, fill=20)
    y += int(110 * sc)
    for i, ln in enumerate(c["title"]):
        ff = ft if i == 0 else fb
        for sub in _wrap(d, ln, ff, width - 120 * sc):
            d.text(((width - d.textlength(sub, font=ff)) / 2, y), sub, font=ff, fill=10)
            y += int(26 * sc)
    y += int(10 * sc)
    paras = c["paras"] if max_paras is None else c["paras"][:max_paras]
    for ln in paras:
        for sub in _wrap(d, ln, fb if ln.isupper() else f, width - 130 * sc):
            if y > H - 200 * sc:
                break
            d.text((int(65 * sc), y), sub, font=fb if ln.isupper() else f, fill=25)
            y += int(21 * sc)
        y += int(4 * sc)
    y = max(y + int(15 * sc), int(H - 190 * sc))
    for i, ln in enumerate(c["sign"]):
        d.text((int(545 * sc) - d.textlength(ln, font=fb) / 2, y + i * int(22 * sc)), ln, font=fb, fill=20)
    if stamp:
        cx, cy, r = int(500 * sc), y + int(40 * sc), int(48 * sc)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=90, width=4)
        d.ellipse((cx - r + 9, cy - r + 9, cx + r - 9, cy + r - 9), outline=110, width=2)
        d.line((int(560 * sc), y + int(50 * sc), int(610 * sc), y + int(30 * sc)), fill=40, width=2)
    return im


def make_scan(c, fmt="JPEG", width=720, rot=0.6, seed=0):
    im = render_page(c, width)
    im = im.rotate(rot, fillcolor=235, expand=False).filter(ImageFilter.GaussianBlur(0.35))
    bio = io.BytesIO()
    if fmt == "PNG":
        im = im.quantize(8)
        im.save(bio, "PNG", optimize=True)
    else:
        im.save(bio, "JPEG", quality=48)
    return bio.getvalue()


def make_photo(c, seed=0):
    rng = random.Random(seed)
    page = render_page(c, 600).convert("RGB")
    W, H = 720, 960
    bg = Image.new("RGB", (W, H), (96 + rng.randint(0, 30), 78, 60))
    page = page.rotate(rng.uniform(-4, 4), expand=True, fillcolor=(96, 78, 60))
    page = page.resize((int(page.width * 0.95), int(page.height * 0.95)))
    bg.paste(page, ((W - page.width) // 2, (H - page.height) // 2))
    tint = Image.new("RGB", (W, H), (255, 236, 200))
    bg = Image.blend(bg, tint, 0.12).filter(ImageFilter.GaussianBlur(0.5))
    bio = io.BytesIO()
    bg.save(bio, "JPEG", quality=50)
    return bio.getvalue()


def make_scan_pdf(c, width=720):
    im = render_page(c, width).rotate(0.4, fillcolor=235)
    jb = io.BytesIO()
    im.save(jb, "JPEG", quality=45)
    jb.seek(0)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(c.get("created") or dt.datetime(2021, 1, 4, 8, 0, tzinfo=dt.timezone.utc))
    pdf.set_producer("KONICA MINOLTA bizhub C258")
    pdf.add_page()
    pdf.image(jb, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())
