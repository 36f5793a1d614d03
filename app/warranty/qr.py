"""QR images of a service code's booking URL, drawn by segno (PNG without Pillow, and SVG)."""

import io

import segno

# Medium error correction survives a scuffed sticker on an appliance without a large symbol.
ERROR = "m"
BORDER = 4  # the quiet zone the QR standard asks for


def png(url: str, scale: int) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error=ERROR).save(buf, kind="png", scale=scale, border=BORDER)
    return buf.getvalue()


def svg(url: str, scale: int, title: str) -> bytes:
    buf = io.BytesIO()
    # The URL rides along as the description, so the file says where it leads without a scanner.
    segno.make(url, error=ERROR).save(buf, kind="svg", scale=scale, border=BORDER, title=title, desc=url)
    return buf.getvalue()
