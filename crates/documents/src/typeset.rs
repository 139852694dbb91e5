//! What the portal's PDFs share: the shipped Japanese font with its glyph map and advances
//! (layout needs widths before anything is drawn), line breaking that keeps punctuation off the
//! start of a line, the drawing operations a page is laid out as, and painting them with
//! `krilla` into a deterministic file (the same document gives the same bytes).

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use skrifa::instance::{LocationRef, Size as FontSize};
use skrifa::MetadataProvider;

/// Printed in place of a character the font does not have.
pub(crate) const MISSING: char = '〓';

/// The shipped subset of Noto Sans CJK JP (see the module docs and `fonts/OFL.txt`).
pub(crate) static FONT: &[u8] = include_bytes!("../fonts/NotoSansJP-CardSubset.otf");

/// The card's typeface: its glyph map and advances for layout, and the font to embed.
pub(crate) struct Face {
    font: Option<skrifa::FontRef<'static>>,
    units_per_em: f32,
}

impl Face {
    pub(crate) fn new() -> Face {
        let font = skrifa::FontRef::from_index(FONT, 0).ok();
        let units_per_em = font
            .as_ref()
            .map(|f| {
                f32::from(
                    f.metrics(FontSize::unscaled(), LocationRef::default())
                        .units_per_em,
                )
            })
            .filter(|u| *u > 0.0)
            .unwrap_or(1000.0);
        Face { font, units_per_em }
    }

    /// The glyph of `ch`, if the font has one (glyph 0 is the font's "missing" box).
    pub(crate) fn glyph(&self, ch: char) -> Option<skrifa::GlyphId> {
        let gid = self.font.as_ref()?.charmap().map(ch)?;
        (gid.to_u32() != 0).then_some(gid)
    }

    /// The character actually printed: a control character becomes a space, a character the
    /// font lacks [`MISSING`].
    pub(crate) fn printable(&self, ch: char) -> char {
        if ch.is_control() {
            ' '
        } else if self.glyph(ch).is_some() {
            ch
        } else {
            MISSING
        }
    }

    /// The advance of a printable character, in ems.
    pub(crate) fn advance(&self, ch: char) -> f32 {
        let advance = self.font.as_ref().and_then(|f| {
            let gid = self.glyph(ch)?;
            f.glyph_metrics(FontSize::unscaled(), LocationRef::default())
                .advance_width(gid)
        });
        advance.map_or(1.0, |a| a / self.units_per_em)
    }

    pub(crate) fn text_width(&self, s: &str, size: f32) -> f32 {
        s.chars()
            .map(|c| self.advance(self.printable(c)))
            .sum::<f32>()
            * size
    }

    /// The glyphs of `text` (already printable), for krilla.
    pub(crate) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, ch)| {
                let gid = self.glyph(ch).map_or(0, |g| g.to_u32());
                KrillaGlyph::new(
                    GlyphId::new(gid),
                    self.advance(ch),
                    0.0,
                    0.0,
                    0.0,
                    at..at + ch.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// `s` as printed (see [`Face::printable`]).
    pub(crate) fn printed(&self, s: &str) -> String {
        s.chars().map(|c| self.printable(c)).collect()
    }

    /// Splits `text` into lines no wider than `width` at `size`, keeping punctuation off the
    /// start of a line. At most `max_lines` lines; a text cut short ends with "…". Lines hold
    /// the printed characters.
    pub(crate) fn wrap(&self, text: &str, size: f32, width: f32, max_lines: usize) -> Vec<String> {
        let w = |ch: char| self.advance(ch) * size;
        let mut lines: Vec<Vec<char>> = Vec::new();
        let mut line: Vec<char> = Vec::new();
        let mut used = 0.0f32;
        for ch in text.chars().map(|c| self.printable(c)) {
            // At least one character per line, whatever the width.
            if used + w(ch) > width + 0.01 && !line.is_empty() {
                let mut next = Vec::new();
                // Carry the last character along rather than start a line with punctuation.
                if no_line_start(ch) && line.len() > 1 {
                    if let Some(last) = line.pop() {
                        next.push(last);
                    }
                }
                lines.push(std::mem::replace(&mut line, next));
                used = line.iter().copied().map(w).sum();
            }
            line.push(ch);
            used += w(ch);
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        let max_lines = max_lines.max(1);
        if lines.len() > max_lines {
            lines.truncate(max_lines);
            if let Some(last) = lines.last_mut() {
                let mut used: f32 = last.iter().copied().map(w).sum();
                while used + w('…') > width + 0.01 {
                    match last.pop() {
                        Some(ch) => used -= w(ch),
                        None => break,
                    }
                }
                last.push('…');
            }
        }
        lines.into_iter().map(|l| l.into_iter().collect()).collect()
    }
}

/// Characters that must not begin a line (closing brackets, punctuation, small kana).
pub(crate) fn no_line_start(ch: char) -> bool {
    "、。，．,.）)」』】〕〉》ー・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ".contains(ch)
}

/// One drawing operation; `top`, `baseline` and `y` are measured from the top of the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// Text (printable characters) in a gray level (0 black, 1 white).
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
        gray: f32,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        gray: f32,
    },
    FillRect {
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
    StrokeRect {
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
    /// The photo, scaled to `w` × `h`.
    Photo { x: f32, top: f32, w: f32, h: f32 },
}

fn gray_level(gray: f32) -> luma::Color {
    luma::Color::new((gray.clamp(0.0, 1.0) * 255.0).round() as u8)
}

fn fill(gray: f32) -> Fill {
    Fill {
        paint: gray_level(gray).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(gray: f32, width: f32) -> Stroke {
    Stroke {
        paint: gray_level(gray).into(),
        width,
        ..Default::default()
    }
}

/// Paints each page's operations on a page of `size` (points), `image` wherever an
/// [`Op::Photo`] is. `None` when krilla refuses (it has not, in tests).
pub(crate) fn paint(
    pages: &[Vec<Op>],
    (width, height): (f32, f32),
    image: Option<&Image>,
    face: &Face,
    title: &str,
    lang: &str,
) -> Option<Vec<u8>> {
    let font = Font::new(Data::from(FONT), 0)?;
    let mut document = Document::new();
    for ops in pages {
        let mut page = document.start_page_with(PageSettings::from_wh(width, height)?);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    baseline,
                    size,
                    text,
                    gray,
                } => {
                    if text.is_empty() {
                        continue;
                    }
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*gray)));
                    surface.draw_glyphs(
                        Point::from_xy(*x, *baseline),
                        &face.glyphs(text),
                        font.clone(),
                        text,
                        *size,
                        false,
                    );
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    gray,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(stroke(*gray, *width)));
                        surface.draw_path(&path);
                    }
                }
                Op::FillRect { x, top, w, h, gray } | Op::StrokeRect { x, top, w, h, gray } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *top, *w, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        if matches!(op, Op::FillRect { .. }) {
                            surface.set_stroke(None);
                            surface.set_fill(Some(fill(*gray)));
                        } else {
                            surface.set_fill(None);
                            surface.set_stroke(Some(stroke(*gray, 0.75)));
                        }
                        surface.draw_path(&path);
                    }
                }
                Op::Photo { x, top, w, h } => {
                    if let (Some(image), Some(size)) = (image, Size::from_wh(*w, *h)) {
                        surface.push_transform(&krilla::geom::Transform::from_translate(*x, *top));
                        surface.draw_image(image.clone(), size);
                        surface.pop();
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .producer("CCUS Portal".to_owned())
            .language(lang.to_owned()),
    );
    document.finish().ok()
}
