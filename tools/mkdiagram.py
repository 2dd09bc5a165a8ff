#!/usr/bin/env python3
"""Draws a picture of docs/ (docs/NAME.svg) from its text source.

    tools/mkdiagram.py docs/layers.txt docs/layers.svg

The source's first directive picks one of three kinds of picture:

    layer TITLE | WHERE          bands of boxes, top to bottom (docs/layers.txt)
    box NAME | WHAT

    field NAME | BITS | WHAT     a word's bit fields, high bits first
                                 (docs/pid-bits.txt)

    stage NAME | WHAT            boxes left to right joined by arrows, then
    unwind TEXT                  lines in red below (docs/restore-stages.txt)

Each band is a row of equal boxes spread over the picture's width, its title
and folder on the left; a box shows its name in bold and what it holds below,
wrapped to fit.  The output depends only on the input (no dates, no
randomness), so the committed picture can be checked against a fresh one
(tests/host/diagrams.py).  `make docs` runs it.  Standard library only.
"""
import sys
from xml.sax.saxutils import escape

WIDTH = 960          # the whole picture
MARGIN = 12          # around everything
LABEL_W = 170        # the band titles on the left
BAND_PAD = 8         # inside a band, around its boxes
GAP = 8              # between boxes and between bands
LINE_H = 15          # one line of small text
NAME_H = 20          # the bold name line
CHAR_W = 6.4         # average width of one 11px character, for wrapping
FILLS = ["#e8f0fb", "#fdf3e1", "#e9f6ec", "#f3ecf9", "#fbe9e9", "#eeeeee"]


class SourceError(Exception):
    pass


def source_lines(text):
    """(line number, first word, the rest) of every line of a source that is
    neither blank nor a # comment."""
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            kind, _, rest = line.partition(" ")
            yield n, kind, rest


def parse(text):
    """[(title, where, [(name, what), ...]), ...] from the source text."""
    bands = []
    for n, kind, rest in source_lines(text):
        left, _, right = rest.partition("|")
        left, right = left.strip(), right.strip()
        if kind == "layer" and left:
            bands.append((left, right, []))
        elif kind == "box" and left and bands:
            bands[-1][2].append((left, right))
        else:
            raise SourceError("line %d: expected `layer TITLE | WHERE` or "
                              "`box NAME | WHAT` after a layer: %r" % (n, raw))
    if not bands:
        raise SourceError("no layers")
    for title, _, boxes in bands:
        if not boxes:
            raise SourceError("layer %r has no boxes" % title)
    return bands


def wrap(text, width):
    """Words of text in lines of at most width pixels (a long word alone)."""
    lines, cur = [], ""
    for word in text.split():
        cand = (cur + " " + word).strip()
        if cur and len(cand) * CHAR_W > width:
            lines.append(cur)
            cur = word
        else:
            cur = cand
    if cur:
        lines.append(cur)
    return lines


def text_el(x, y, s, size=11, weight=None, anchor="middle", fill="#222"):
    w = ' font-weight="%s"' % weight if weight else ""
    return ('<text x="%g" y="%g" font-size="%d"%s text-anchor="%s" '
            'fill="%s">%s</text>' % (x, y, size, w, anchor, fill, escape(s)))


def band_svg(y, index, band):
    """SVG elements for one band whose top is at y, and its height."""
    title, where, boxes = band
    x0 = MARGIN + LABEL_W
    inner = WIDTH - MARGIN - x0 - 2 * BAND_PAD
    box_w = (inner - GAP * (len(boxes) - 1)) / len(boxes)
    wrapped = [wrap(what, box_w - 10) for _, what in boxes]
    box_h = NAME_H + LINE_H * max(len(w) for w in wrapped) + 10
    height = box_h + 2 * BAND_PAD
    fill = FILLS[index % len(FILLS)]
    out = ['<rect x="%g" y="%g" width="%g" height="%g" rx="6" fill="%s" '
           'stroke="#888"/>' % (MARGIN, y, WIDTH - 2 * MARGIN, height, fill)]
    mid = y + height / 2
    out.append(text_el(MARGIN + 10, mid - 2, title, 13, "bold", "start"))
    if where:
        out.append(text_el(MARGIN + 10, mid + 14, where, 11, None, "start",
                           "#555"))
    for i, ((name, _), lines) in enumerate(zip(boxes, wrapped)):
        bx = x0 + BAND_PAD + i * (box_w + GAP)
        by = y + BAND_PAD
        out.append('<rect x="%g" y="%g" width="%g" height="%g" rx="4" '
                   'fill="#ffffff" stroke="#555"/>' % (bx, by, box_w, box_h))
        cx = bx + box_w / 2
        out.append(text_el(cx, by + 16, name, 12, "bold"))
        for k, line in enumerate(lines):
            out.append(text_el(cx, by + NAME_H + 12 + k * LINE_H, line, 11,
                               None, "middle", "#444"))
    return out, height


def render(bands, source="docs/layers.txt"):
    """The SVG document for the bands, as a string."""
    body, y = [], MARGIN
    for i, band in enumerate(bands):
        els, h = band_svg(y, i, band)
        body += els
        y += h + GAP
    height = y - GAP + MARGIN
    return "\n".join(
        svg_head(WIDTH, height, source)
        + ['<rect width="100%" height="100%" fill="#ffffff"/>']
        + body + ["</svg>", ""])


def svg_head(width, height, source):
    """The first lines of every picture: XML declaration, the comment that
    names its source, and the <svg> element."""
    return ['<?xml version="1.0" encoding="UTF-8"?>',
            "<!-- Generated by tools/mkdiagram.py from %s; do not edit. -->"
            % escape(source),
            '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, '
            'sans-serif">' % (width, height, width, height)]


def parse_rows(text, kinds):
    """[(kind, [field, ...]), ...] for `KIND A | B | C` lines of the kinds."""
    rows = []
    for n, kind, rest in source_lines(text):
        fields = [f.strip() for f in rest.split("|")]
        if kind not in kinds or len(fields) != kinds[kind] or not fields[0]:
            raise SourceError("line %d: expected one of %s: %r" % (
                n, ", ".join("`%s` with %d fields" % k for k in kinds.items()),
                (kind + " " + rest).strip()))
        rows.append((kind, fields))
    return rows


def svg_doc(width, height, body, source):
    return "\n".join(
        svg_head(width, height, source)
        + ['<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" '
         'refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/>'
         '</marker></defs>',
         '<rect width="100%" height="100%" fill="#ffffff"/>']
        + body + ["</svg>", ""])


def render_fields(rows, source):
    """A word's bit layout: `field NAME | BITS | WHAT`, high bits first."""
    total = sum(int(f[1]) for _, f in rows)
    inner = WIDTH - 2 * MARGIN
    body, x, hi = [], MARGIN, total - 1
    for i, (_, (name, bits, what)) in enumerate(rows):
        w = inner * int(bits) / total
        lo = hi - int(bits) + 1
        body.append('<rect x="%g" y="%g" width="%g" height="60" fill="%s" '
                    'stroke="#555"/>' % (x, MARGIN + 18, w, FILLS[i % 6]))
        body.append(text_el(x + 3, MARGIN + 12, str(hi), 11, None, "start"))
        body.append(text_el(x + w - 3, MARGIN + 12, str(lo), 11, None, "end"))
        body.append(text_el(x + w / 2, MARGIN + 44, name, 13, "bold"))
        body.append(text_el(x + w / 2, MARGIN + 62, "%s bits" % bits, 11))
        for k, line in enumerate(wrap(what, w - 10)):
            body.append(text_el(x + w / 2, MARGIN + 98 + k * LINE_H, line,
                                11, None, "middle", "#444"))
        x, hi = x + w, lo - 1
    return svg_doc(WIDTH, 170, body, source)


def render_stages(rows, source):
    """Stages left to right with arrows, then `unwind` lines below."""
    stages = [f for k, f in rows if k == "stage"]
    if not stages:
        raise SourceError("no stages")
    unwinds = [f[0] for k, f in rows if k == "unwind"]
    inner = WIDTH - 2 * MARGIN
    box_w = (inner - 40 * (len(stages) - 1)) / len(stages)
    wrapped = [wrap(what, box_w - 10) for _, what in stages]
    box_h = NAME_H + LINE_H * max(len(w) for w in wrapped) + 10
    body = []
    for i, ((name, _), lines) in enumerate(zip(stages, wrapped)):
        bx = MARGIN + i * (box_w + 40)
        body.append('<rect x="%g" y="%g" width="%g" height="%g" rx="6" '
                    'fill="%s" stroke="#555"/>'
                    % (bx, MARGIN, box_w, box_h, FILLS[i % 6]))
        body.append(text_el(bx + box_w / 2, MARGIN + 16, name, 12, "bold"))
        for k, line in enumerate(lines):
            body.append(text_el(bx + box_w / 2, MARGIN + NAME_H + 12 +
                                k * LINE_H, line, 11, None, "middle", "#444"))
        if i:
            body.append('<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#555" '
                        'marker-end="url(#arrow)"/>' % (
                            bx - 38, MARGIN + box_h / 2, bx - 2,
                            MARGIN + box_h / 2))
    y = MARGIN + box_h + 24
    for line in unwinds:
        body.append(text_el(MARGIN, y, line, 12, None, "start", "#a33"))
        y += LINE_H + 2
    return svg_doc(WIDTH, y + MARGIN - LINE_H + 6, body, source)


KINDS = {"field": 3, "stage": 2, "unwind": 1}


def draw(text, source):
    """The SVG for a source; its first directive picks the kind of picture:
    `layer` (bands of boxes), `field` (bit layout) or `stage` (a pipeline)."""
    first = next((l.split()[0] for l in text.split("\n")
                  if l.strip() and not l.strip().startswith("#")), "")
    if first == "field":
        return render_fields(parse_rows(text, {"field": 3}), source)
    if first == "stage":
        return render_stages(parse_rows(text, {"stage": 2, "unwind": 1}),
                             source)
    return render(parse(text), source)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: mkdiagram.py SOURCE.txt OUT.svg\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        try:
            svg = draw(f.read(), argv[1])
        except (SourceError, ValueError) as e:
            sys.stderr.write("mkdiagram: %s: %s\n" % (argv[1], e))
            return 1
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
