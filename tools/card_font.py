#!/usr/bin/env python3
"""Regenerates crates/documents/fonts/NotoSansJP-CardSubset.otf, the font of the card notice PDF.

Source: Noto Sans CJK JP Regular (SIL Open Font License 1.1), the Japanese face of the
collection in Debian's fonts-noto-cjk package. The subset keeps every character the card can
ever print — ASCII, Latin-1, the kana, JIS X 0208 and JIS X 0213 (both planes), the
Windows (CP932) extensions that names are often typed with (髙, 﨑, ①), half-width katakana,
the full-width forms and the symbols of the card's own text — and drops the layout
tables (the card lays text out itself) and the hinting, so the committed file stays small.

    apt-get install fonts-noto-cjk && pip install fonttools
    python3 tools/card_font.py

The PDF writer embeds only the glyphs a card uses, subset again from this file. A character
outside this set is printed as 〓 (see crates/documents/src/card_pdf.rs).
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "documents", "fonts", "NotoSansJP-CardSubset.otf")

# Printed by the card itself, whatever the name: the geta mark for a missing character, the
# ellipsis of a cut line, the dash of the seal's label.
CARD_SYMBOLS = "〓…—（）・ー"


def jis_characters():
    """Every character of JIS X 0208 and JIS X 0213 (planes 1 and 2), through EUC-JIS-2004."""
    chars = set()
    for hi in range(0xA1, 0xFF):
        for lo in range(0xA1, 0xFF):
            for seq in (bytes([hi, lo]), bytes([0x8F, hi, lo])):
                try:
                    chars.update(seq.decode("euc_jis_2004"))
                except UnicodeDecodeError:
                    pass
    return chars


def cp932_characters():
    """Every character of Windows' Shift_JIS (CP932), which adds NEC and IBM kanji (髙, 﨑)."""
    chars = set()
    for hi in list(range(0x81, 0xA0)) + list(range(0xE0, 0xFD)):
        for lo in range(0x40, 0xFD):
            try:
                chars.update(bytes([hi, lo]).decode("cp932"))
            except UnicodeDecodeError:
                pass
    return chars


def main():
    chars = jis_characters() | cp932_characters()
    chars.update(chr(c) for c in range(0x20, 0x7F))  # ASCII
    chars.update(chr(c) for c in range(0xA0, 0x100))  # Latin-1
    chars.update(chr(c) for c in range(0x3040, 0x3100))  # hiragana, katakana
    chars.update(chr(c) for c in range(0x31F0, 0x3200))  # small katakana for Ainu
    chars.update(chr(c) for c in range(0xFF01, 0xFFA0))  # full-width forms, half-width kana
    chars.update(CARD_SYMBOLS)

    # Keep the source's timestamps, so the same source gives the same bytes.
    font = TTCollection(SOURCE, recalcTimestamp=False).fonts[0]
    if font["name"].getDebugName(4) != "Noto Sans CJK JP":
        sys.exit("the first face of the collection is not Noto Sans CJK JP")
    cmap = font.getBestCmap()
    unicodes = sorted(ord(c) for c in chars if ord(c) in cmap)

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(OUT)
    print(f"{len(unicodes)} characters, {os.path.getsize(OUT)} bytes: {OUT}")


if __name__ == "__main__":
    main()
