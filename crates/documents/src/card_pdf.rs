//! The registration card notice (登録のお知らせ) mailed to a newly registered person, as a
//! one-page A4 PDF written by `krilla`.
//!
//! The text is set in Noto Sans CJK JP (SIL Open Font License 1.1), shipped with the portal as
//! a subset (`fonts/NotoSansJP-CardSubset.otf`, made by `tools/card_font.py`) and embedded
//! subset again to the glyphs a card uses, so the notice prints the same on every reader,
//! whether or not it has a Japanese font. The shipped font holds ASCII, Latin-1, the kana,
//! JIS X 0208 and JIS X 0213: every name registration accepts in practice. A character
//! outside it (an emoji, Hangul, a rare variant) is printed as 〓, the customary mark for a
//! character that cannot be printed, and the card is still issued: the name is kept as typed
//! in the records, and only its print is marked. Control characters print as spaces.
//!
//! The face photo, when there is one, is decoded by [`crate::photo::decode`] (within its
//! limits), reduced to the print resolution of the frame, composited over white and embedded
//! as pixels: the reader never parses the applicant's bytes. A photo that cannot be decoded
//! gets an empty frame labelled 「写真なし」.
//!
//! The page is laid out first as a list of drawing operations ([`Op`], positions from the top
//! of the page, in points) and then painted. The output is deterministic: the same card gives
//! the same bytes.

use std::sync::Arc;

use image::{imageops::FilterType, ColorType};
use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};

use crate::typeset::{self, Face, Op};

/// What is printed on the notice.
#[derive(Debug, Clone, Copy)]
pub struct CardNotice<'a> {
    /// "技能者" or "事業者".
    pub kind_label: &'a str,
    /// 氏名 (a worker) or 商号 (a business), in Japanese.
    pub name: &'a str,
    /// The reading of the name, in katakana.
    pub furigana: &'a str,
    /// The login ID, grouped for reading: "1234 5678 9012 34".
    pub login_id: &'a str,
    /// The initial password (ASCII).
    pub initial_password: &'a str,
    /// The 4-digit security code (本人確認番号), printed under the scratch seal.
    pub security_code: &'a str,
    /// The day of registration, e.g. "2026-11-26".
    pub issued: &'a str,
    /// The last valid day, e.g. "2036-11-25".
    pub expires: &'a str,
    /// The face photo (JPEG or PNG bytes), if any.
    pub photo: Option<&'a [u8]>,
}

/// The PDF bytes (A4 portrait, one page). Should the photo make the writer fail, the notice is
/// written without it; should the writer fail even then, the answer is empty (the tests show
/// that it does not).
pub fn render(card: &CardNotice) -> Vec<u8> {
    let face = Face::new();
    let photo = card.photo.and_then(print_photo);
    let ops = layout(card, photo.as_ref().map(|p| (p.width, p.height)), &face);
    paint(&ops, photo, &face)
        .or_else(|| {
            let ops = layout(card, None, &face);
            paint(&ops, None, &face)
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Page geometry (points; A4 portrait).

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
/// The photo frame: 30 × 40 mm.
const PHOTO_W: f32 = 85.0;
const PHOTO_H: f32 = 113.0;
const PHOTO_X: f32 = PAGE_W - MARGIN - PHOTO_W;
/// The photo's pixels at most: the frame at 300 dpi.
const PRINT_W: u32 = 354;
const PRINT_H: u32 = 472;
/// The label column and the value column of the labelled lines.
const LABEL_X: f32 = MARGIN;
const LABEL_W: f32 = 90.0;
const VALUE_X: f32 = MARGIN + LABEL_W + 5.0;
const VALUE_W: f32 = PHOTO_X - 12.0 - VALUE_X;
const LABEL_SIZE: f32 = 10.5;
/// The sealed area that hides the security code.
const SEAL_W: f32 = 180.0;
const SEAL_H: f32 = 44.0;
/// Longest name or reading printed, in lines; the rest is cut with "…".
const MAX_NAME_LINES: usize = 3;

const TITLE_PREFIX: &str = "建設キャリアアップシステム";
const DOCUMENT_TITLE: &str = "建設キャリアアップシステム 登録のお知らせ";
const NO_PHOTO: &str = "写真なし";
const SEAL_LABEL: &str = "本人確認番号（4桁）— はがして確認してください";

// ---------------------------------------------------------------------------------------------
// Layout.

struct Canvas<'f> {
    face: &'f Face,
    ops: Vec<Op>,
}

impl Canvas<'_> {
    fn text_gray(&mut self, x: f32, baseline: f32, size: f32, s: &str, gray: f32) {
        self.ops.push(Op::Text {
            x,
            baseline,
            size,
            text: self.face.printed(s),
            gray,
        });
    }

    /// Black text with its baseline `baseline` points from the top of the page.
    fn text(&mut self, x: f32, baseline: f32, size: f32, s: &str) {
        self.text_gray(x, baseline, size, s, 0.0);
    }

    /// A label in the label column, on the given baseline.
    fn label(&mut self, s: &str, baseline: f32) {
        let mut baseline = baseline;
        for line in self.face.wrap(s, LABEL_SIZE, LABEL_W, 2) {
            self.text(LABEL_X, baseline, LABEL_SIZE, &line);
            baseline += LABEL_SIZE * 1.3;
        }
    }

    /// One labelled line: the label on the value's first baseline. Returns the next top.
    fn row(&mut self, label: &str, value: &str, size: f32, top: f32) -> f32 {
        let mut top = top;
        self.label(label, top + size);
        for line in self.face.wrap(value, size, VALUE_W, usize::MAX) {
            self.text(VALUE_X, top + size, size, &line);
            top += size * 1.45;
        }
        self.separator(top)
    }

    /// A thin gray rule closing a labelled line. Returns the next top.
    fn separator(&mut self, top: f32) -> f32 {
        let y = top + 4.0;
        self.line(MARGIN, y, PHOTO_X - 12.0, y, 0.5, 0.75);
        y + 10.0
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, gray: f32) {
        self.ops.push(Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            gray,
        });
    }

    /// The photo frame, with the image fitted inside keeping its aspect ratio, or 「写真なし」.
    fn photo(&mut self, size: Option<(u32, u32)>, x: f32, top: f32) {
        self.ops.push(Op::StrokeRect {
            x,
            top,
            w: PHOTO_W,
            h: PHOTO_H,
            gray: 0.5,
        });
        match size {
            Some((iw, ih)) if iw > 0 && ih > 0 => {
                let (iw, ih) = (iw as f32, ih as f32);
                let scale = (PHOTO_W / iw).min(PHOTO_H / ih);
                let (w, h) = (iw * scale, ih * scale);
                self.ops.push(Op::Photo {
                    x: x + (PHOTO_W - w) / 2.0,
                    top: top + (PHOTO_H - h) / 2.0,
                    w,
                    h,
                });
            }
            _ => {
                let size = 10.0;
                let w = self.face.text_width(NO_PHOTO, size);
                let baseline = top + PHOTO_H / 2.0 + size * 0.35;
                self.text_gray(x + (PHOTO_W - w) / 2.0, baseline, size, NO_PHOTO, 0.4);
            }
        }
    }
}

/// The page's drawing operations. `photo` is the photo's size in pixels, when it is printed.
fn layout(card: &CardNotice, photo: Option<(u32, u32)>, face: &Face) -> Vec<Op> {
    let mut c = Canvas {
        face,
        ops: Vec::new(),
    };
    let kind = card.kind_label;
    let full_width = PAGE_W - 2.0 * MARGIN;

    // Title and the rule under it.
    let mut top = MARGIN;
    let title = format!("{TITLE_PREFIX} {kind}登録のお知らせ");
    for line in face.wrap(&title, 16.0, full_width, usize::MAX) {
        c.text(MARGIN, top + 16.0, 16.0, &line);
        top += 24.0;
    }
    top += 4.0;
    c.line(MARGIN, top, PAGE_W - MARGIN, top, 1.0, 0.0);
    top += 12.0;

    // The photo, to the right of the labelled lines.
    let photo_top = top;
    c.photo(photo, PHOTO_X, photo_top);

    // 氏名 / 商号 with the reading above the name.
    let name_label = if kind == "事業者" {
        "商号"
    } else {
        "氏名"
    };
    for line in face.wrap(card.furigana, 9.0, VALUE_W, MAX_NAME_LINES) {
        c.text(VALUE_X, top + 9.0, 9.0, &line);
        top += 13.0;
    }
    c.label(name_label, top + 14.0);
    for line in face.wrap(card.name, 14.0, VALUE_W, MAX_NAME_LINES) {
        c.text(VALUE_X, top + 14.0, 14.0, &line);
        top += 20.0;
    }
    top = c.separator(top);

    // The ID in large type, then the other lines.
    top = c.row(&format!("{kind}ID"), card.login_id, 20.0, top);
    top = c.row("初期パスワード", card.initial_password, 13.0, top);
    top = c.row("登録日", card.issued, 11.0, top);
    top = c.row("有効期限", card.expires, 11.0, top);

    // The sealed area, below both the lines and the photo.
    top = top.max(photo_top + PHOTO_H) + 20.0;
    for line in face.wrap(SEAL_LABEL, LABEL_SIZE, full_width, usize::MAX) {
        c.text(MARGIN, top + LABEL_SIZE, LABEL_SIZE, &line);
        top += LABEL_SIZE * 1.6;
    }
    top += 2.0;
    c.ops.push(Op::FillRect {
        x: MARGIN,
        top,
        w: SEAL_W,
        h: SEAL_H,
        gray: 0.25,
    });
    let code_size = 26.0;
    let code_w = face.text_width(card.security_code, code_size);
    let code_x = MARGIN + ((SEAL_W - code_w) / 2.0).max(4.0);
    // Digits are about 0.7 em high: centre them vertically in the seal.
    let code_baseline = top + SEAL_H / 2.0 + code_size * 0.35;
    c.text_gray(code_x, code_baseline, code_size, card.security_code, 1.0);
    top += SEAL_H + 28.0;

    // How to log in for the first time.
    c.line(MARGIN, top - 12.0, PAGE_W - MARGIN, top - 12.0, 0.5, 0.6);
    let instructions = format!(
        "初めてログインするときは、{kind}ログイン画面で{kind}IDと初期パスワードを入力し、\
         本人確認番号を使ってご自分のパスワードに変更してください。"
    );
    for line in face.wrap(&instructions, LABEL_SIZE, full_width, usize::MAX) {
        c.text(MARGIN, top + LABEL_SIZE, LABEL_SIZE, &line);
        top += LABEL_SIZE * 1.7;
    }

    c.ops
}

// ---------------------------------------------------------------------------------------------
// The photo.

/// A photo ready to print: 8-bit gray or RGB samples, no alpha.
#[derive(Debug, Clone, Hash)]
struct PrintPhoto {
    width: u32,
    height: u32,
    gray: bool,
    samples: Arc<[u8]>,
}

impl CustomImage for PrintPhoto {
    fn color_channel(&self) -> &[u8] {
        &self.samples
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        None
    }
    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }
    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }
    fn color_space(&self) -> ImageColorspace {
        if self.gray {
            ImageColorspace::Luma
        } else {
            ImageColorspace::Rgb
        }
    }
}

/// The photo decoded (within its limits), reduced to at most the frame's print resolution and
/// composited over a white page; `None` when it cannot be decoded.
fn print_photo(bytes: &[u8]) -> Option<PrintPhoto> {
    let decoded = crate::photo::decode(bytes)?;
    let image = if decoded.width() > PRINT_W || decoded.height() > PRINT_H {
        decoded.resize(PRINT_W, PRINT_H, FilterType::Triangle)
    } else {
        decoded
    };
    let gray = matches!(
        image.color(),
        ColorType::L8 | ColorType::La8 | ColorType::L16 | ColorType::La16
    );
    let rgba = image.to_rgba8();
    let (width, height) = rgba.dimensions();
    let over_white = |v: u8, a: u8| -> u8 {
        let (v, a) = (u32::from(v), u32::from(a));
        u8::try_from((v * a + 255 * (255 - a) + 127) / 255).unwrap_or(255)
    };
    let samples: Vec<u8> = if gray {
        rgba.pixels().map(|p| over_white(p[0], p[3])).collect()
    } else {
        rgba.pixels()
            .flat_map(|p| [0, 1, 2].map(|i| over_white(p[i], p[3])))
            .collect()
    };
    Some(PrintPhoto {
        width,
        height,
        gray,
        samples: samples.into(),
    })
}

// ---------------------------------------------------------------------------------------------
// Painting.

/// Paints the operations on one A4 page. `None` when krilla refuses (it has not, in tests).
fn paint(ops: &[Op], photo: Option<PrintPhoto>, face: &Face) -> Option<Vec<u8>> {
    let image = match photo {
        Some(p) => Some(Image::from_custom(p, true).ok()?),
        None => None,
    };
    typeset::paint(
        &[ops.to_vec()],
        (PAGE_W, PAGE_H),
        image.as_ref(),
        face,
        DOCUMENT_TITLE,
        "ja",
    )
}

#[cfg(test)]
mod tests;
