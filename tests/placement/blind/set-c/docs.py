"""Document renderers: docx (table / paragraphs), text PDF, image JPG, image-only PDF, xlsx.

A spec is a dict:
  left:  list of letterhead lines (left column)
  right: list (defaults to the national motto)
  no:    "Số: 05/BC-CĐ" (put under left)
  place: "Long Biên, ngày 10 tháng 3 năm 2021"
  title: list of title lines
  body:  list of paragraphs
  sign:  list of signature lines
"""
import io
import random

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONTB = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _right(spec):
    return spec.get("right") or MOTTO


def _rows(spec):
    """Pairs (left, right) of the letterhead block."""
    left = []
    for ln in spec["left"]:
        left += _wrap(ln, 32) if len(ln) > 34 else [ln]
    left += [spec["no"]] if spec.get("no") else []
    right = list(_right(spec)) + [""] + ([spec["place"]] if spec.get("place") else [])
    n = max(len(left), len(right))
    left += [""] * (n - len(left))
    right += [""] * (n - len(right))
    return list(zip(left, right))


# ---------------------------------------------------------------- determinism
def fix_zip(data):
    """Rewrite an OOXML zip with fixed timestamps (deterministic output)."""
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re
                blob = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-01-01T00:00:00Z", blob)
            z.writestr(zi, blob)
    return out.getvalue()


# ---------------------------------------------------------------- docx
def docx_bytes(spec, layout="table", font=None):
    from docx import Document
    from docx.shared import Pt
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    d = Document()
    st = d.styles["Normal"]
    st.font.name = font or "Times New Roman"
    st.font.size = Pt(13)
    if layout == "table":
        left = list(spec["left"]) + ([spec["no"]] if spec.get("no") else [])
        right = list(_right(spec)) + ([spec["place"]] if spec.get("place") else [])
        t = d.add_table(rows=1, cols=2)
        for cell, lines in ((t.cell(0, 0), left), (t.cell(0, 1), right)):
            cell.paragraphs[0].text = lines[0]
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for ln in lines[1:]:
                p = cell.add_paragraph(ln)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:  # plain paragraphs, one after another
        for ln in spec["left"]:
            d.add_paragraph(ln)
        if spec.get("no"):
            d.add_paragraph(spec["no"])
        for ln in _right(spec):
            p = d.add_paragraph(ln)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.get("place"):
            p = d.add_paragraph(spec["place"])
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("")
    for ln in spec["title"]:
        p = d.add_paragraph()
        r = p.add_run(ln)
        r.bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for para in spec["body"]:
        d.add_paragraph(para)
    for ln in spec.get("sign", []):
        p = d.add_paragraph(ln)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    b = io.BytesIO()
    import datetime as _dt
    d.core_properties.created = _dt.datetime(2020, 1, 1)
    d.core_properties.modified = _dt.datetime(2020, 1, 1)
    d.core_properties.author = "Admin"
    d.save(b)
    return fix_zip(b.getvalue())


# ---------------------------------------------------------------- text pdf
_reg = False


def _fonts():
    global _reg
    if not _reg:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        pdfmetrics.registerFont(TTFont("DVS", FONT))
        pdfmetrics.registerFont(TTFont("DVSB", FONTB))
        _reg = True


def _wrap(text, width_chars):
    words, out, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + 1 > width_chars:
            out.append(cur)
            cur = w
        else:
            cur = (cur + " " + w).strip()
    if cur:
        out.append(cur)
    return out


def pdf_bytes(spec, merged=False):
    """Text PDF. merged=True: each letterhead row is drawn as ONE string
    (left text, spaces, right text), so text extraction yields both on one line."""
    _fonts()
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import A4
    b = io.BytesIO()
    c = canvas.Canvas(b, pagesize=A4, invariant=1)
    W, H = A4
    y = H - 60
    for lft, rgt in _rows(spec):
        if merged:
            c.setFont("DVS", 10)
            c.drawString(40, y, (lft + "      " + rgt).strip())
        else:
            c.setFont("DVS", 10)
            if lft:
                c.drawCentredString(140, y, lft)
            if rgt:
                c.drawCentredString(410, y, rgt)
        y -= 15
    y -= 15
    for ln in spec["title"]:
        c.setFont("DVSB", 13)
        c.drawCentredString(W / 2, y, ln)
        y -= 18
    y -= 8
    c.setFont("DVS", 11)
    for para in spec["body"]:
        for ln in _wrap(para, 88):
            if y < 60:
                c.showPage()
                c.setFont("DVS", 11)
                y = H - 60
            c.drawString(50, y, ln)
            y -= 15
        y -= 4
    y -= 10
    for ln in spec.get("sign", []):
        c.drawCentredString(430, y, ln)
        y -= 15
    c.save()
    return b.getvalue()


# ---------------------------------------------------------------- images
def page_image(spec, seed=0, photo=False, width=880):
    from PIL import Image, ImageDraw, ImageFont, ImageFilter
    rnd = random.Random(seed)
    H = int(width * 1.414)
    bg = (236, 228, 210) if photo else 255
    mode = "RGB" if photo else "L"
    img = Image.new(mode, (width, H), bg)
    dr = ImageDraw.Draw(img)
    f = ImageFont.truetype(FONT, 19)
    fb = ImageFont.truetype(FONTB, 23)
    ink = (30, 30, 45) if photo else 0
    y = 40
    cx_l, cx_r = int(width * 0.25), int(width * 0.70)
    for lft, rgt in _rows(spec):
        if lft:
            dr.text((cx_l, y), lft, font=f, fill=ink, anchor="ma")
        if rgt:
            dr.text((cx_r, y), rgt, font=f, fill=ink, anchor="ma")
        y += 27
    y += 22
    for ln in spec["title"]:
        dr.text((width // 2, y), ln, font=fb, fill=ink, anchor="ma")
        y += 33
    y += 12
    per = int(width / 11.5)
    for para in spec["body"]:
        for ln in _wrap(para, per):
            if y > H - 170:
                break
            dr.text((50, y), ln, font=f, fill=ink)
            y += 26
        y += 6
    y = max(y + 10, H - 240) if y < H - 240 else y + 10
    for i, ln in enumerate(spec.get("sign", [])):
        dr.text((cx_r, y), ln, font=f, fill=ink, anchor="ma")
        y += 27
        if i == 0:  # signature squiggle
            pts = [(cx_r - 70 + k * 12, y + 12 + rnd.randint(-12, 12)) for k in range(12)]
            dr.line(pts, fill=(20, 40, 140) if photo else 60, width=3)
            y += 40
    if photo:
        img = img.rotate(rnd.uniform(-3.5, 3.5), expand=True, fillcolor=(90, 80, 70))
        # uneven lighting
        grad = Image.linear_gradient("L").rotate(rnd.choice([0, 90, 180, 270])).resize(img.size)
        shade = Image.new("RGB", img.size, (0, 0, 0))
        img = Image.composite(img, shade, grad.point(lambda v: 200 + v * 55 // 255))
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    else:
        img = img.rotate(rnd.uniform(-1.0, 1.0), expand=False, fillcolor=255)
    return img


def jpg_bytes(spec, seed=0, photo=True):
    img = page_image(spec, seed=seed, photo=photo)
    b = io.BytesIO()
    img.save(b, "JPEG", quality=55)
    return b.getvalue()


def scan_pdf_bytes(spec, seed=0):
    img = page_image(spec, seed=seed, photo=False, width=820)
    b = io.BytesIO()
    import datetime as _dt
    import time as _t
    fixed = _t.gmtime(1609459200)
    img.save(b, "PDF", resolution=100.0, creationDate=fixed, modDate=fixed)
    return b.getvalue()


# ---------------------------------------------------------------- xlsx
def xlsx_bytes(header_lines, columns, rows):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DK"
    r = 1
    for ln in header_lines:
        ws.cell(row=r, column=1, value=ln)
        r += 1
    r += 1
    for j, c in enumerate(columns, 1):
        ws.cell(row=r, column=j, value=c)
    for row in rows:
        r += 1
        for j, v in enumerate(row, 1):
            ws.cell(row=r, column=j, value=v)
    b = io.BytesIO()
    import datetime as _dt
    wb.properties.created = _dt.datetime(2021, 1, 1)
    wb.properties.modified = _dt.datetime(2021, 1, 1)
    wb.save(b)
    return fix_zip(b.getvalue())


if __name__ == "__main__":
    spec = dict(left=["LĐLĐ QUẬN LONG BIÊN", "CĐCS TRƯỜNG THCS THẠCH BÀN"], no="Số: 05/BC-CĐ",
                place="Long Biên, ngày 10 tháng 3 năm 2021",
                title=["BÁO CÁO", "Kết quả thực hiện công tác dân vận quý I năm 2021"],
                body=["Thực hiện Kế hoạch của LĐLĐ quận Long Biên về công tác dân vận năm 2021, " * 3, "Kết quả cụ thể như sau."],
                sign=["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "Nguyễn Thị Hòa"])
    import os
    os.makedirs("/tmp/setc_t", exist_ok=True)
    open("/tmp/setc_t/a.docx", "wb").write(docx_bytes(spec))
    open("/tmp/setc_t/b.docx", "wb").write(docx_bytes(spec, "paras"))
    open("/tmp/setc_t/c.pdf", "wb").write(pdf_bytes(spec, merged=True))
    open("/tmp/setc_t/d.jpg", "wb").write(jpg_bytes(spec, 3))
    open("/tmp/setc_t/e.pdf", "wb").write(scan_pdf_bytes(spec, 4))
    open("/tmp/setc_t/f.xlsx", "wb").write(xlsx_bytes(["x"], ["a", "b"], [[1, 2]]))
    for n in sorted(os.listdir("/tmp/setc_t")):
        print(n, os.path.getsize("/tmp/setc_t/" + n))
