//! The registration card notice (登録のお知らせ) mailed to a newly registered person, as a
//! one-page A4 PDF written by hand.
//!
//! The PDF embeds no font: Japanese text uses the standard Japanese CID font HeiseiKakuGo-W5
//! with the UniJIS-UCS2-H CMap, so every text string is written as hex UTF-16BE code units.
//! The face photo, when there is one and it can be read, is embedded as an image XObject:
//! a JPEG unchanged (/DCTDecode), a PNG decoded here and re-compressed (/FlateDecode).
//! Anything that cannot be embedded is replaced by an empty frame labelled 「写真なし」.
//!
//! The output is deterministic: the same card gives the same bytes.

use std::fmt::Write as _;

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

/// The PDF bytes (A4 portrait, one page).
pub fn render(card: &CardNotice) -> Vec<u8> {
    let image = card.photo.and_then(decode_photo);
    let content = page_content(card, image.as_ref());
    assemble(&content, image.as_ref())
}

// ---------------------------------------------------------------------------------------------
// Page geometry (points; A4 portrait).

const PAGE_W: f64 = 595.0;
const PAGE_H: f64 = 842.0;
const MARGIN: f64 = 50.0;
/// The photo frame: 30 × 40 mm.
const PHOTO_W: f64 = 85.0;
const PHOTO_H: f64 = 113.0;
const PHOTO_X: f64 = PAGE_W - MARGIN - PHOTO_W;
/// The label column and the value column of the labelled lines.
const LABEL_X: f64 = MARGIN;
const LABEL_W: f64 = 90.0;
const VALUE_X: f64 = MARGIN + LABEL_W + 5.0;
const VALUE_W: f64 = PHOTO_X - 12.0 - VALUE_X;
const LABEL_SIZE: f64 = 10.5;
/// The sealed area that hides the security code.
const SEAL_W: f64 = 180.0;
const SEAL_H: f64 = 44.0;
/// Longest name or reading printed, in lines; the rest is cut with "…".
const MAX_NAME_LINES: usize = 3;

const TITLE_PREFIX: &str = "建設キャリアアップシステム";
const DOCUMENT_TITLE: &str = "建設キャリアアップシステム 登録のお知らせ";
const NO_PHOTO: &str = "写真なし";
const SEAL_LABEL: &str = "本人確認番号（4桁）— はがして確認してください";

/// Builds the page's content stream (uncompressed, ASCII only).
fn page_content(card: &CardNotice, image: Option<&Image>) -> String {
    let mut c = Canvas::default();
    let kind = card.kind_label;

    // Title and the rule under it.
    let mut top = MARGIN;
    let title = format!("{TITLE_PREFIX} {kind}登録のお知らせ");
    for line in wrap(&title, 16.0, PAGE_W - 2.0 * MARGIN, usize::MAX) {
        c.text(MARGIN, top + 16.0, 16.0, &line);
        top += 24.0;
    }
    top += 4.0;
    c.line(MARGIN, top, PAGE_W - MARGIN, top, 1.0, 0.0);
    top += 12.0;

    // The photo, to the right of the labelled lines.
    let photo_top = top;
    c.photo(image, PHOTO_X, photo_top);

    // 氏名 / 商号 with the reading above the name.
    let name_label = if kind == "事業者" {
        "商号"
    } else {
        "氏名"
    };
    let furigana = wrap(card.furigana, 9.0, VALUE_W, MAX_NAME_LINES);
    for line in &furigana {
        c.text(VALUE_X, top + 9.0, 9.0, line);
        top += 13.0;
    }
    let name_lines = wrap(card.name, 14.0, VALUE_W, MAX_NAME_LINES);
    c.label(name_label, top + 14.0);
    for line in &name_lines {
        c.text(VALUE_X, top + 14.0, 14.0, line);
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
    for line in wrap(SEAL_LABEL, LABEL_SIZE, PAGE_W - 2.0 * MARGIN, usize::MAX) {
        c.text(MARGIN, top + LABEL_SIZE, LABEL_SIZE, &line);
        top += LABEL_SIZE * 1.6;
    }
    top += 2.0;
    c.fill_rect(MARGIN, top, SEAL_W, SEAL_H, 0.25);
    let code_size = 26.0;
    let code_w = text_width(card.security_code, code_size);
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
    for line in wrap(&instructions, LABEL_SIZE, PAGE_W - 2.0 * MARGIN, usize::MAX) {
        c.text(MARGIN, top + LABEL_SIZE, LABEL_SIZE, &line);
        top += LABEL_SIZE * 1.7;
    }

    c.ops
}

/// Drawing operators, with positions given from the top of the page.
#[derive(Default)]
struct Canvas {
    ops: String,
}

impl Canvas {
    fn op(&mut self, args: std::fmt::Arguments) {
        // Writing into a String cannot fail.
        let _ = self.ops.write_fmt(args);
        self.ops.push('\n');
    }

    /// Black text with its baseline `baseline` points from the top of the page.
    fn text(&mut self, x: f64, baseline: f64, size: f64, s: &str) {
        self.op(format_args!(
            "BT /F1 {} Tf {} {} Td <{}> Tj ET",
            num(size),
            num(x),
            num(PAGE_H - baseline),
            utf16_hex(s)
        ));
    }

    /// Text in the given gray level (0 black, 1 white).
    fn text_gray(&mut self, x: f64, baseline: f64, size: f64, s: &str, gray: f64) {
        self.op(format_args!("q {} g", num(gray)));
        self.text(x, baseline, size, s);
        self.op(format_args!("Q"));
    }

    /// A label in the label column, on the given baseline.
    fn label(&mut self, s: &str, baseline: f64) {
        let mut baseline = baseline;
        for line in wrap(s, LABEL_SIZE, LABEL_W, 2) {
            self.text(LABEL_X, baseline, LABEL_SIZE, &line);
            baseline += LABEL_SIZE * 1.3;
        }
    }

    /// One labelled line: the label on the value's first baseline. Returns the next top.
    fn row(&mut self, label: &str, value: &str, size: f64, top: f64) -> f64 {
        let mut top = top;
        self.label(label, top + size);
        for line in wrap(value, size, VALUE_W, usize::MAX) {
            self.text(VALUE_X, top + size, size, &line);
            top += size * 1.45;
        }
        self.separator(top)
    }

    /// A thin gray rule closing a labelled line. Returns the next top.
    fn separator(&mut self, top: f64) -> f64 {
        let y = top + 4.0;
        self.line(MARGIN, y, PHOTO_X - 12.0, y, 0.5, 0.75);
        y + 10.0
    }

    fn line(&mut self, x1: f64, top1: f64, x2: f64, top2: f64, width: f64, gray: f64) {
        self.op(format_args!(
            "q {} G {} w {} {} m {} {} l S Q",
            num(gray),
            num(width),
            num(x1),
            num(PAGE_H - top1),
            num(x2),
            num(PAGE_H - top2)
        ));
    }

    fn fill_rect(&mut self, x: f64, top: f64, w: f64, h: f64, gray: f64) {
        self.op(format_args!(
            "q {} g {} {} {} {} re f Q",
            num(gray),
            num(x),
            num(PAGE_H - top - h),
            num(w),
            num(h)
        ));
    }

    fn stroke_rect(&mut self, x: f64, top: f64, w: f64, h: f64, gray: f64) {
        self.op(format_args!(
            "q {} G 0.75 w {} {} {} {} re S Q",
            num(gray),
            num(x),
            num(PAGE_H - top - h),
            num(w),
            num(h)
        ));
    }

    /// The photo frame, with the image fitted inside keeping its aspect ratio, or 「写真なし」.
    fn photo(&mut self, image: Option<&Image>, x: f64, top: f64) {
        self.stroke_rect(x, top, PHOTO_W, PHOTO_H, 0.5);
        match image {
            Some(img) if img.width > 0 && img.height > 0 => {
                let (iw, ih) = (f64::from(img.width), f64::from(img.height));
                let scale = (PHOTO_W / iw).min(PHOTO_H / ih);
                let (w, h) = (iw * scale, ih * scale);
                let left = x + (PHOTO_W - w) / 2.0;
                let bottom = PAGE_H - top - PHOTO_H + (PHOTO_H - h) / 2.0;
                self.op(format_args!(
                    "q {} 0 0 {} {} {} cm /Im1 Do Q",
                    num(w),
                    num(h),
                    num(left),
                    num(bottom)
                ));
            }
            _ => {
                let size = 10.0;
                let w = text_width(NO_PHOTO, size);
                let baseline = top + PHOTO_H / 2.0 + size * 0.35;
                self.text_gray(x + (PHOTO_W - w) / 2.0, baseline, size, NO_PHOTO, 0.4);
            }
        }
    }
}

/// A number for a content stream: at most two decimals, no trailing zeros, never "-0".
fn num(v: f64) -> String {
    if !v.is_finite() || v.abs() < 0.005 {
        return "0".to_owned();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Text: encoding and measuring.

/// The character actually printed: characters outside the BMP become 〓 (the font's CMap is
/// UCS-2), control characters a space.
fn printable(ch: char) -> char {
    if u32::from(ch) > 0xFFFF {
        '\u{3013}'
    } else if ch.is_control() {
        ' '
    } else {
        ch
    }
}

/// Uppercase hex of the UTF-16BE code units of `s` (after [`printable`]).
fn utf16_hex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 4);
    for ch in s.chars() {
        let mut units = [0u16; 2];
        for unit in printable(ch).encode_utf16(&mut units) {
            let _ = write!(out, "{unit:04X}");
        }
    }
    out
}

/// Width in half-ems: half-width ASCII and half-width katakana are 1, everything else 2.
/// This matches the font's /W array.
fn half_ems(ch: char) -> usize {
    match printable(ch) {
        '\u{20}'..='\u{7E}' | '\u{FF61}'..='\u{FF9F}' => 1,
        _ => 2,
    }
}

fn text_width(s: &str, size: f64) -> f64 {
    let halves: usize = s.chars().map(half_ems).sum();
    halves as f64 * size / 2.0
}

/// Characters that must not begin a line (closing brackets, punctuation, small kana).
fn no_line_start(ch: char) -> bool {
    "、。，．,.）)」』】〕〉》ー・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ".contains(ch)
}

/// Splits `text` into lines no wider than `width` at `size`, by character count (full-width
/// 1 em, half-width 0.5 em), keeping punctuation off the start of a line. At most
/// `max_lines` lines; a text cut short ends with "…".
fn wrap(text: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
    // At least one full-width character per line, whatever the width.
    let limit = ((width / size) * 2.0).floor().max(2.0) as usize;
    let mut lines: Vec<Vec<char>> = Vec::new();
    let mut line: Vec<char> = Vec::new();
    let mut used = 0usize;
    for ch in text.chars() {
        let w = half_ems(ch);
        if used + w > limit && !line.is_empty() {
            let mut next = Vec::new();
            // Carry the last character along rather than start a line with punctuation.
            if no_line_start(ch) && line.len() > 1 {
                if let Some(last) = line.pop() {
                    next.push(last);
                }
            }
            lines.push(std::mem::replace(&mut line, next));
            used = line.iter().copied().map(half_ems).sum();
        }
        line.push(ch);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let mut used: usize = last.iter().copied().map(half_ems).sum();
            while used + 2 > limit {
                match last.pop() {
                    Some(ch) => used -= half_ems(ch),
                    None => break,
                }
            }
            last.push('…');
        }
    }
    lines.into_iter().map(|l| l.into_iter().collect()).collect()
}

// ---------------------------------------------------------------------------------------------
// The PDF file.

/// The object numbers, in file order. The image, when there is one, comes last.
const OBJ_CATALOG: usize = 1;
const OBJ_PAGES: usize = 2;
const OBJ_PAGE: usize = 3;
const OBJ_FONT: usize = 4;
const OBJ_CIDFONT: usize = 5;
const OBJ_DESCRIPTOR: usize = 6;
const OBJ_CONTENT: usize = 7;
const OBJ_INFO: usize = 8;
const OBJ_IMAGE: usize = 9;

/// Writes the whole file: header, objects, cross-reference table and trailer.
fn assemble(content: &str, image: Option<&Image>) -> Vec<u8> {
    let xobject = if image.is_some() {
        format!(" /XObject << /Im1 {OBJ_IMAGE} 0 R >>")
    } else {
        String::new()
    };
    let mut objects: Vec<Vec<u8>> = vec![
        format!("<< /Type /Catalog /Pages {OBJ_PAGES} 0 R >>").into_bytes(),
        format!("<< /Type /Pages /Kids [{OBJ_PAGE} 0 R] /Count 1 >>").into_bytes(),
        format!(
            "<< /Type /Page /Parent {OBJ_PAGES} 0 R /MediaBox [0 0 {} {}] \
             /Resources << /Font << /F1 {OBJ_FONT} 0 R >>{xobject} >> \
             /Contents {OBJ_CONTENT} 0 R >>",
            num(PAGE_W),
            num(PAGE_H)
        )
        .into_bytes(),
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiKakuGo-W5-UniJIS-UCS2-H \
             /Encoding /UniJIS-UCS2-H /DescendantFonts [{OBJ_CIDFONT} 0 R] >>"
        )
        .into_bytes(),
        // Half-width glyphs: ASCII (CIDs 1-95) and half-width katakana (CIDs 327-389).
        format!(
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> \
             /FontDescriptor {OBJ_DESCRIPTOR} 0 R /DW 1000 /W [1 95 500 327 389 500] >>"
        )
        .into_bytes(),
        b"<< /Type /FontDescriptor /FontName /HeiseiKakuGo-W5 /Flags 4 \
          /FontBBox [-92 -250 1010 922] /ItalicAngle 0 /Ascent 880 /Descent -120 \
          /CapHeight 700 /StemV 80 >>"
            .to_vec(),
        stream_object("", content.as_bytes()),
        format!(
            "<< /Title <FEFF{}> /Producer (CCUS Portal) >>",
            utf16_hex(DOCUMENT_TITLE)
        )
        .into_bytes(),
    ];
    if let Some(img) = image {
        let dict = format!(
            "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {} \
             /BitsPerComponent 8 /Filter {}",
            img.width,
            img.height,
            img.color_space.pdf_name(),
            img.filter.pdf_name()
        );
        objects.push(stream_object(&dict, &img.data));
    }

    let mut out: Vec<u8> = Vec::new();
    // The second line marks the file as binary for transfer programs.
    out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    let size = objects.len() + 1;
    out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root {OBJ_CATALOG} 0 R /Info {OBJ_INFO} 0 R >>\n\
             startxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

/// A stream object: its dictionary (extra entries, then /Length) and its data.
fn stream_object(entries: &str, data: &[u8]) -> Vec<u8> {
    let sep = if entries.is_empty() { "" } else { " " };
    let mut out = format!("<< {entries}{sep}/Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

// ---------------------------------------------------------------------------------------------
// The photo.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColorSpace {
    Gray,
    Rgb,
}

impl ColorSpace {
    fn pdf_name(self) -> &'static str {
        match self {
            ColorSpace::Gray => "/DeviceGray",
            ColorSpace::Rgb => "/DeviceRGB",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Dct,
    Flate,
}

impl Filter {
    fn pdf_name(self) -> &'static str {
        match self {
            Filter::Dct => "/DCTDecode",
            Filter::Flate => "/FlateDecode",
        }
    }
}

/// An image ready to embed: 8 bits per component, `data` encoded as `filter` says.
#[derive(Debug)]
struct Image {
    width: u32,
    height: u32,
    color_space: ColorSpace,
    filter: Filter,
    data: Vec<u8>,
}

/// The photo as an embeddable image, or `None` if it is neither a JPEG nor a PNG this module
/// can read.
fn decode_photo(bytes: &[u8]) -> Option<Image> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_image(bytes)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        png_image(bytes)
    } else {
        None
    }
}

fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let b: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_be_bytes(b))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

/// A JPEG, embedded unchanged. Its start-of-frame marker gives the size and the number of
/// components; only 8-bit Huffman-coded frames (baseline, extended, progressive: SOF0-SOF2)
/// of 1 (gray) or 3 (colour) components are taken, as PDF readers decode those. The file must
/// still hold an end-of-image marker after the frame header, so a cut-off file is refused.
fn jpeg_image(bytes: &[u8]) -> Option<Image> {
    let mut pos = 2usize;
    loop {
        if *bytes.get(pos)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may come before a marker.
        while *bytes.get(pos)? == 0xFF {
            pos = pos.checked_add(1)?;
        }
        let marker = *bytes.get(pos)?;
        pos = pos.checked_add(1)?;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            // A second SOI, the end, or scan data before any frame header.
            0x00 | 0xD8 | 0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = usize::from(be_u16(bytes, pos)?);
        let end = pos.checked_add(len)?;
        let segment = bytes.get(pos.checked_add(2)?..end)?;
        let is_frame = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            if !matches!(marker, 0xC0..=0xC2) {
                return None;
            }
            let precision = *segment.first()?;
            let height = be_u16(segment, 1)?;
            let width = be_u16(segment, 3)?;
            let components = *segment.get(5)?;
            let color_space = match components {
                1 => ColorSpace::Gray,
                3 => ColorSpace::Rgb,
                // CMYK (often Adobe-inverted) and anything else: not embedded.
                _ => return None,
            };
            let needed = 6 + 3 * usize::from(components);
            let pixels = u64::from(width) * u64::from(height);
            if precision != 8
                || width == 0
                || height == 0
                || pixels > crate::photo::MAX_PHOTO_PIXELS
                || segment.len() < needed
            {
                return None;
            }
            let rest = bytes.get(end..)?;
            if !rest.windows(2).any(|w| w == [0xFF, 0xD9]) {
                return None;
            }
            return Some(Image {
                width: u32::from(width),
                height: u32::from(height),
                color_space,
                filter: Filter::Dct,
                data: bytes.to_vec(),
            });
        }
        pos = end;
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The fields of a PNG's IHDR that matter here, already checked to be supported.
struct PngHeader {
    width: usize,
    height: usize,
    color_type: u8,
}

impl PngHeader {
    fn parse(data: &[u8]) -> Option<PngHeader> {
        if data.len() != 13 {
            return None;
        }
        let width = be_u32(data, 0)?;
        let height = be_u32(data, 4)?;
        let (depth, color_type) = (*data.get(8)?, *data.get(9)?);
        let (compression, filter, interlace) = (*data.get(10)?, *data.get(11)?, *data.get(12)?);
        // The declared size is checked before anything is allocated or inflated: a small file
        // can declare far more pixels than it holds (the same limit as at upload).
        let pixels = u64::from(width) * u64::from(height);
        let sides_ok = crate::photo::possible_size(width, height)
            && pixels <= crate::photo::MAX_DECODED_PIXELS;
        if !sides_ok || depth != 8 || compression != 0 || filter != 0 || interlace != 0 {
            return None;
        }
        if !matches!(color_type, 0 | 2 | 3 | 4 | 6) {
            return None;
        }
        Some(PngHeader {
            width: usize::try_from(width).ok()?,
            height: usize::try_from(height).ok()?,
            color_type,
        })
    }

    /// Bytes per pixel in the file.
    fn channels(&self) -> usize {
        match self.color_type {
            2 => 3,
            4 => 2,
            6 => 4,
            _ => 1,
        }
    }
}

/// A PNG, decoded to 8-bit gray or RGB (alpha composited over white, palette expanded) and
/// compressed again with zlib.
fn png_image(bytes: &[u8]) -> Option<Image> {
    if bytes.get(..PNG_SIGNATURE.len())? != PNG_SIGNATURE {
        return None;
    }
    let mut pos = PNG_SIGNATURE.len();
    let mut header: Option<PngHeader> = None;
    let mut palette: Option<&[u8]> = None;
    let mut transparency: Option<&[u8]> = None;
    let mut idat: Vec<u8> = Vec::new();
    loop {
        let len = usize::try_from(be_u32(bytes, pos)?).ok()?;
        let kind = bytes.get(pos.checked_add(4)?..pos.checked_add(8)?)?;
        let start = pos.checked_add(8)?;
        let end = start.checked_add(len)?;
        let data = bytes.get(start..end)?;
        // The chunk's CRC must be there too (it is not checked: zlib has its own check).
        pos = end.checked_add(4)?;
        if bytes.len() < pos {
            return None;
        }
        if header.is_none() && kind != b"IHDR" {
            return None;
        }
        match kind {
            b"IHDR" => {
                if header.is_some() {
                    return None;
                }
                header = Some(PngHeader::parse(data)?);
            }
            b"PLTE" => {
                if data.is_empty() || data.len() % 3 != 0 || data.len() > 256 * 3 {
                    return None;
                }
                palette = Some(data);
            }
            b"tRNS" => transparency = Some(data),
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            // An unknown critical chunk (uppercase first letter) cannot be skipped.
            _ if kind.first().is_some_and(u8::is_ascii_uppercase) => return None,
            _ => {}
        }
    }
    let header = header?;
    let channels = header.channels();
    let stride = header.width.checked_mul(channels)?;
    // Each scanline starts with its filter-type byte.
    let expected = stride.checked_add(1)?.checked_mul(header.height)?;
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&idat, expected).ok()?;
    if raw.len() != expected {
        return None;
    }
    let pixels = unfilter(&raw, stride, header.height, channels)?;
    let (color_space, samples) = flatten(&header, &pixels, palette, transparency)?;
    Some(Image {
        width: u32::try_from(header.width).ok()?,
        height: u32::try_from(header.height).ok()?,
        color_space,
        filter: Filter::Flate,
        data: miniz_oxide::deflate::compress_to_vec_zlib(&samples, 6),
    })
}

/// Undoes the PNG scanline filters: `raw` is `height` rows of a filter byte and `stride`
/// bytes; `bpp` is the number of bytes per pixel. Returns the bare rows.
fn unfilter(raw: &[u8], stride: usize, height: usize, bpp: usize) -> Option<Vec<u8>> {
    let row_len = stride.checked_add(1)?;
    let mut out = vec![0u8; stride.checked_mul(height)?];
    for y in 0..height {
        let row_start = y.checked_mul(row_len)?;
        let row = raw.get(row_start..row_start.checked_add(row_len)?)?;
        let (&filter, src) = row.split_first()?;
        if filter > 4 {
            return None;
        }
        let (done, rest) = out.split_at_mut(y.checked_mul(stride)?);
        let prev: Option<&[u8]> = match y.checked_sub(1) {
            Some(p) => Some(done.get(p.checked_mul(stride)?..)?),
            None => None,
        };
        let cur = rest.get_mut(..stride)?;
        for (i, &x) in src.iter().enumerate() {
            let left = i.checked_sub(bpp);
            let a = left.and_then(|j| cur.get(j)).copied().unwrap_or(0);
            let b = prev.and_then(|p| p.get(i)).copied().unwrap_or(0);
            let c = left
                .and_then(|j| prev.and_then(|p| p.get(j)))
                .copied()
                .unwrap_or(0);
            let predicted = match filter {
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => paeth(a, b, c),
                _ => 0,
            };
            if let Some(slot) = cur.get_mut(i) {
                *slot = x.wrapping_add(predicted);
            }
        }
    }
    Some(out)
}

/// The Paeth predictor: whichever of left, above and upper-left is closest to left + above -
/// upper-left, preferring them in that order.
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// `value` seen through `alpha` over a white page.
fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    let mixed = (v * a + 255 * (255 - a) + 127) / 255;
    u8::try_from(mixed).unwrap_or(255)
}

/// Turns unfiltered PNG pixels into 8-bit gray or RGB samples without alpha.
fn flatten(
    header: &PngHeader,
    pixels: &[u8],
    palette: Option<&[u8]>,
    transparency: Option<&[u8]>,
) -> Option<(ColorSpace, Vec<u8>)> {
    let count = header.width.checked_mul(header.height)?;
    match header.color_type {
        0 => {
            // A tRNS chunk names one fully transparent gray level (16-bit, low byte used).
            let key = transparency.and_then(|t| be_u16(t, 0));
            let out = pixels
                .iter()
                .map(|&g| match key {
                    Some(k) if k == u16::from(g) => 255,
                    _ => g,
                })
                .collect();
            Some((ColorSpace::Gray, out))
        }
        4 => {
            let out = pixels
                .chunks_exact(2)
                .map(|px| match *px {
                    [g, a] => over_white(g, a),
                    _ => 255,
                })
                .collect();
            Some((ColorSpace::Gray, out))
        }
        2 => {
            // A tRNS chunk names one fully transparent colour.
            let key =
                transparency.and_then(|t| Some([be_u16(t, 0)?, be_u16(t, 2)?, be_u16(t, 4)?]));
            let mut out = Vec::with_capacity(count.checked_mul(3)?);
            for px in pixels.chunks_exact(3) {
                let as_key = px.iter().map(|&v| u16::from(v));
                if key.is_some_and(|k| as_key.eq(k)) {
                    out.extend_from_slice(&[255, 255, 255]);
                } else {
                    out.extend_from_slice(px);
                }
            }
            Some((ColorSpace::Rgb, out))
        }
        3 => {
            let palette = palette?;
            let mut out = Vec::with_capacity(count.checked_mul(3)?);
            for &index in pixels {
                let i = usize::from(index);
                let entry = palette.get(i * 3..i * 3 + 3)?;
                let alpha = transparency.and_then(|t| t.get(i)).copied().unwrap_or(255);
                out.extend(entry.iter().map(|&v| over_white(v, alpha)));
            }
            Some((ColorSpace::Rgb, out))
        }
        6 => {
            let mut out = Vec::with_capacity(count.checked_mul(3)?);
            for px in pixels.chunks_exact(4) {
                if let [r, g, b, a] = *px {
                    out.extend_from_slice(&[over_white(r, a), over_white(g, a), over_white(b, a)]);
                }
            }
            Some((ColorSpace::Rgb, out))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    fn card(photo: Option<&[u8]>) -> CardNotice<'_> {
        CardNotice {
            kind_label: "技能者",
            name: "山田 太郎",
            furigana: "ヤマダ タロウ",
            login_id: "1234 5678 9012 34",
            initial_password: "Xk3-p9Qa7mWz",
            security_code: "4821",
            issued: "2026-11-26",
            expires: "2036-11-25",
            photo,
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).rposition(|w| w == needle)
    }

    /// The offsets of objects 1.. as the xref table gives them, after checking the table's
    /// shape and the trailer.
    fn xref_offsets(pdf: &[u8]) -> Vec<usize> {
        let sx = rfind(pdf, b"startxref\n").unwrap();
        let tail = std::str::from_utf8(&pdf[sx + 10..]).unwrap();
        let xref_at: usize = tail.lines().next().unwrap().parse().unwrap();
        assert!(pdf[xref_at..].starts_with(b"xref\n0 "));
        let head_end = xref_at + find(&pdf[xref_at..], b"\n").unwrap();
        let head_end = head_end + 1 + find(&pdf[head_end + 1..], b"\n").unwrap() + 1;
        let subsection = std::str::from_utf8(&pdf[xref_at + 5..head_end - 1]).unwrap();
        let size: usize = subsection.split(' ').nth(1).unwrap().parse().unwrap();
        let mut offsets = Vec::new();
        for i in 0..size {
            let entry = &pdf[head_end + 20 * i..head_end + 20 * (i + 1)];
            assert!(entry.ends_with(b" \n") || entry.ends_with(b"\r\n"));
            let entry = std::str::from_utf8(entry).unwrap();
            if i == 0 {
                assert_eq!(entry, "0000000000 65535 f \n");
                continue;
            }
            assert_eq!(&entry[10..17], " 00000 ");
            assert_eq!(&entry[17..18], "n");
            offsets.push(entry[..10].parse().unwrap());
        }
        let trailer = &pdf[head_end + 20 * size..];
        assert!(trailer.starts_with(b"trailer\n<<"));
        let size_entry = format!("/Size {size} ");
        assert!(contains(trailer, size_entry.as_bytes()));
        assert!(contains(trailer, b"/Root 1 0 R"));
        offsets
    }

    /// Object `n`'s dictionary text and, if it is a stream, the stream data.
    fn object(pdf: &[u8], n: usize) -> (String, Option<Vec<u8>>) {
        let at = xref_offsets(pdf)[n - 1];
        let body = &pdf[at..];
        let end = find(body, b"\nendobj").unwrap();
        let body = &body[..end];
        match find(body, b">>\nstream\n") {
            None => (String::from_utf8(body.to_vec()).unwrap(), None),
            Some(i) => {
                let dict = String::from_utf8(body[..i + 2].to_vec()).unwrap();
                let len_at = dict.find("/Length ").unwrap() + 8;
                let len: usize = dict[len_at..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let data = body[i + 10..i + 10 + len].to_vec();
                assert_eq!(&body[i + 10 + len..], b"\nendstream");
                (dict, Some(data))
            }
        }
    }

    fn content(pdf: &[u8]) -> String {
        String::from_utf8(object(pdf, OBJ_CONTENT).1.unwrap()).unwrap()
    }

    fn hex(s: &str) -> String {
        s.encode_utf16().map(|u| format!("{u:04X}")).collect()
    }

    fn has_no_photo_box(pdf: &[u8]) -> bool {
        content(pdf).contains(&hex(NO_PHOTO))
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        out.extend_from_slice(&typed);
        out.extend_from_slice(&crc32(&typed).to_be_bytes());
    }

    /// Filters one scanline as a PNG encoder would (the reverse of `unfilter`).
    fn filter_row(filter: u8, cur: &[u8], prev: &[u8], bpp: usize) -> Vec<u8> {
        let mut out = vec![filter];
        for i in 0..cur.len() {
            let a = if i >= bpp { cur[i - bpp] } else { 0 };
            let b = prev[i];
            let c = if i >= bpp { prev[i - bpp] } else { 0 };
            let p = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                _ => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
            };
            out.push(cur[i].wrapping_sub(p));
        }
        out
    }

    struct PngSpec<'a> {
        width: u32,
        height: u32,
        depth: u8,
        color_type: u8,
        interlace: u8,
        palette: Option<&'a [u8]>,
        transparency: Option<&'a [u8]>,
        /// Bare pixel rows; row y is filtered with filter type y % 5.
        pixels: &'a [u8],
    }

    fn png(spec: &PngSpec) -> Vec<u8> {
        let channels = match spec.color_type {
            2 => 3,
            4 => 2,
            6 => 4,
            _ => 1,
        } * usize::from(spec.depth / 8).max(1);
        let stride = spec.width as usize * channels;
        let mut raw = Vec::new();
        let zero = vec![0u8; stride];
        for y in 0..spec.height as usize {
            let cur = &spec.pixels[y * stride..(y + 1) * stride];
            let prev = if y == 0 {
                &zero[..]
            } else {
                &spec.pixels[(y - 1) * stride..y * stride]
            };
            raw.extend(filter_row((y % 5) as u8, cur, prev, channels));
        }
        let mut out = PNG_SIGNATURE.to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&spec.width.to_be_bytes());
        ihdr.extend_from_slice(&spec.height.to_be_bytes());
        ihdr.extend_from_slice(&[spec.depth, spec.color_type, 0, 0, spec.interlace]);
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"tEXt", b"Comment\0test image");
        if let Some(p) = spec.palette {
            chunk(&mut out, b"PLTE", p);
        }
        if let Some(t) = spec.transparency {
            chunk(&mut out, b"tRNS", t);
        }
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);
        // Split the data over two IDAT chunks, as encoders may.
        let (z1, z2) = z.split_at(z.len() / 2);
        chunk(&mut out, b"IDAT", z1);
        chunk(&mut out, b"IDAT", z2);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn simple(color_type: u8, width: u32, height: u32, pixels: &[u8]) -> PngSpec<'_> {
        PngSpec {
            width,
            height,
            depth: 8,
            color_type,
            interlace: 0,
            palette: None,
            transparency: None,
            pixels,
        }
    }

    /// Renders a notice with `photo`, checks the image object and returns its samples.
    fn embedded(photo: &[u8], width: u32, height: u32, space: &str, filter: &str) -> Vec<u8> {
        let pdf = render(&card(Some(photo)));
        xref_offsets(&pdf);
        assert!(!has_no_photo_box(&pdf));
        assert!(content(&pdf).contains("/Im1 Do"));
        let (page, _) = object(&pdf, OBJ_PAGE);
        assert!(page.contains("/XObject << /Im1 9 0 R >>"));
        let (dict, data) = object(&pdf, OBJ_IMAGE);
        assert!(dict.contains("/Subtype /Image"));
        assert!(dict.contains(&format!("/Width {width} ")), "{dict}");
        assert!(dict.contains(&format!("/Height {height} ")), "{dict}");
        assert!(dict.contains(&format!("/ColorSpace {space} ")), "{dict}");
        assert!(dict.contains("/BitsPerComponent 8"));
        assert!(dict.contains(&format!("/Filter {filter} ")), "{dict}");
        data.unwrap()
    }

    fn embedded_png(photo: &[u8], width: u32, height: u32, space: &str) -> Vec<u8> {
        let data = embedded(photo, width, height, space, "/FlateDecode");
        miniz_oxide::inflate::decompress_to_vec_zlib(&data).unwrap()
    }

    fn minimal_jpeg(width: u16, height: u16, components: u8) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        // An APP0 segment first, so the frame header has to be found.
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]);
        let len = 8 + 3 * u16::from(components);
        j.extend_from_slice(&[0xFF, 0xC0]);
        j.extend_from_slice(&len.to_be_bytes());
        j.push(8);
        j.extend_from_slice(&height.to_be_bytes());
        j.extend_from_slice(&width.to_be_bytes());
        j.push(components);
        for c in 1..=components {
            j.extend_from_slice(&[c, 0x11, 0]);
        }
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    #[test]
    fn file_structure_and_xref_offsets_are_exact() {
        for photo in [None, Some(minimal_jpeg(30, 40, 3))] {
            let pdf = render(&card(photo.as_deref()));
            assert!(pdf.starts_with(b"%PDF-1.4\n"));
            assert!(pdf.ends_with(b"%%EOF\n"));
            let offsets = xref_offsets(&pdf);
            let expected = if photo.is_some() { 9 } else { 8 };
            assert_eq!(offsets.len(), expected);
            for (i, &at) in offsets.iter().enumerate() {
                let head = format!("{} 0 obj\n", i + 1);
                assert!(pdf[at..].starts_with(head.as_bytes()), "object {}", i + 1);
            }
            let sx = rfind(&pdf, b"startxref\n").unwrap();
            let trailer = &pdf[rfind(&pdf, b"trailer\n").unwrap()..sx];
            assert!(contains(trailer, b"/Info 8 0 R"));
        }
    }

    #[test]
    fn catalog_font_and_info_dictionaries() {
        let pdf = render(&card(None));
        let (catalog, _) = object(&pdf, OBJ_CATALOG);
        assert!(catalog.contains("/Type /Catalog /Pages 2 0 R"));
        let (page, _) = object(&pdf, OBJ_PAGE);
        assert!(page.contains("/MediaBox [0 0 595 842]"));
        assert!(!page.contains("/XObject"));
        let (font, _) = object(&pdf, OBJ_FONT);
        assert!(font.contains("/Subtype /Type0"));
        assert!(font.contains("/Encoding /UniJIS-UCS2-H"));
        assert!(font.contains("/DescendantFonts [5 0 R]"));
        let (cid, _) = object(&pdf, OBJ_CIDFONT);
        assert!(cid.contains("/Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 "));
        assert!(cid.contains("/Registry (Adobe) /Ordering (Japan1) /Supplement 2"));
        assert!(cid.contains("/DW 1000 /W [1 95 500"));
        let (fd, _) = object(&pdf, OBJ_DESCRIPTOR);
        for entry in [
            "/Flags 4",
            "/FontBBox [",
            "/ItalicAngle 0",
            "/Ascent 880",
            "/Descent -120",
            "/CapHeight 700",
            "/StemV 80",
        ] {
            assert!(fd.contains(entry), "{entry}");
        }
        let (info, _) = object(&pdf, OBJ_INFO);
        let title = format!(
            "/Title <FEFF{}>",
            hex("建設キャリアアップシステム 登録のお知らせ")
        );
        assert!(info.contains(&title), "{info}");
        assert!(info.contains("/Producer (CCUS Portal)"));
    }

    #[test]
    fn content_shows_the_card_as_utf16_hex() {
        let pdf = render(&card(None));
        let (dict, _) = object(&pdf, OBJ_CONTENT);
        assert!(!dict.contains("/Filter"), "content must stay uncompressed");
        let text = content(&pdf);
        for s in [
            "建設キャリアアップシステム 技能者登録のお知らせ",
            "山田 太郎",
            "ヤマダ タロウ",
            "氏名",
            "技能者ID",
            "1234 5678 9012 34",
            "初期パスワード",
            "Xk3-p9Qa7mWz",
            "登録日",
            "2026-11-26",
            "有効期限",
            "2036-11-25",
            "4821",
            SEAL_LABEL,
            NO_PHOTO,
        ] {
            assert!(text.contains(&format!("<{}> Tj", hex(s))), "{s}");
        }
        // The seal: a 0.25 gray filled rectangle, the code in white.
        assert!(text.contains("q 0.25 g 50 "));
        assert!(text.contains("q 1 g\nBT /F1 26 Tf"));
        // The instructions, wrapped: their characters all appear, in order.
        let all_hex: String = text
            .lines()
            .filter_map(|l| l.split('<').nth(1))
            .filter_map(|l| l.split('>').next())
            .collect();
        let instructions =
            "初めてログインするときは、技能者ログイン画面で技能者IDと初期パスワードを入力し、\
             本人確認番号を使ってご自分のパスワードに変更してください。";
        assert!(all_hex.contains(&hex(instructions)));
        assert!(
            !text.contains(&format!("<{}>", hex(instructions))),
            "must be wrapped"
        );
    }

    #[test]
    fn business_notice_says_shogo() {
        let mut c = card(None);
        c.kind_label = "事業者";
        c.name = "株式会社山田建設";
        let text = content(&render(&c));
        assert!(text.contains(&hex("商号")));
        assert!(!text.contains(&hex("氏名")));
        assert!(text.contains(&hex("事業者ID")));
        assert!(text.contains(&hex("建設キャリアアップシステム 事業者登録のお知らせ")));
    }

    #[test]
    fn characters_outside_the_bmp_become_geta() {
        assert_eq!(utf16_hex("𠮷野"), "301391CE");
        assert_eq!(utf16_hex("a\nb"), "006100200062");
        let mut c = card(None);
        c.name = "𠮷田 一";
        let text = content(&render(&c));
        assert!(text.contains(&hex("〓田 一")));
    }

    #[test]
    fn output_is_deterministic() {
        let jpeg = minimal_jpeg(10, 20, 1);
        assert_eq!(render(&card(None)), render(&card(None)));
        assert_eq!(render(&card(Some(&jpeg))), render(&card(Some(&jpeg))));
    }

    #[test]
    fn wrapping_counts_full_and_half_width() {
        // 10 pt over 50 pt: 5 full-width or 10 half-width characters.
        assert_eq!(
            wrap("あいうえおかきくけ", 10.0, 50.0, 9),
            ["あいうえお", "かきくけ"]
        );
        assert_eq!(wrap("0123456789ab", 10.0, 50.0, 9), ["0123456789", "ab"]);
        assert_eq!(wrap("あい12345678", 10.0, 50.0, 9), ["あい123456", "78"]);
        // A line does not start with 「。」: the last character moves down with it.
        assert_eq!(wrap("あいうえお。", 10.0, 50.0, 9), ["あいうえ", "お。"]);
        assert_eq!(wrap("", 10.0, 50.0, 9), [""]);
        assert_eq!(
            wrap("あいうえおかきくけこさ", 10.0, 50.0, 2),
            ["あいうえお", "かきくけ…"]
        );
        // Every line of the instructions fits between the margins.
        let long = "初めてログインするときは、技能者ログイン画面で技能者IDと初期パスワードを入力し、本人確認番号を使ってご自分のパスワードに変更してください。";
        let lines = wrap(long, LABEL_SIZE, PAGE_W - 2.0 * MARGIN, usize::MAX);
        assert!(lines.len() >= 2);
        for line in &lines {
            assert!(text_width(line, LABEL_SIZE) <= PAGE_W - 2.0 * MARGIN);
        }
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(595.0), "595");
        assert_eq!(num(10.5), "10.5");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(1.0 / 3.0), "0.33");
    }

    #[test]
    fn png_gray_embeds() {
        let px = [0, 64, 128, 255, 10, 20];
        let png = png(&simple(0, 3, 2, &px));
        assert_eq!(embedded_png(&png, 3, 2, "/DeviceGray"), px);
    }

    #[test]
    fn png_rgb_embeds_with_every_filter() {
        // 5 rows, so each of the five filter types is used once.
        let (w, h) = (4u32, 5u32);
        let px: Vec<u8> = (0..w * h * 3).map(|i| (i * 37 % 251) as u8).collect();
        let png = png(&simple(2, w, h, &px));
        assert_eq!(embedded_png(&png, w, h, "/DeviceRGB"), px);
    }

    #[test]
    fn png_that_compresses_well_inflates_to_exactly_its_size() {
        // The inflate buffer grows several times before reaching the exact limit.
        let (w, h) = (400u32, 300u32);
        let px: Vec<u8> = (0..w * h * 3).map(|i| (i / 3 % w / 50) as u8).collect();
        let png = png(&simple(2, w, h, &px));
        assert!(png.len() * 8 < px.len());
        assert_eq!(embedded_png(&png, w, h, "/DeviceRGB"), px);
    }

    #[test]
    fn png_palette_expands_to_rgb() {
        let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
        let mut spec = simple(3, 2, 2, &[0, 1, 2, 1]);
        spec.palette = Some(&palette);
        let png = png(&spec);
        assert_eq!(
            embedded_png(&png, 2, 2, "/DeviceRGB"),
            [255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 0]
        );
        // A palette with transparency: entry 0 fully transparent → white.
        spec.transparency = Some(&[0]);
        let png = self::png(&spec);
        assert_eq!(
            embedded_png(&png, 2, 2, "/DeviceRGB"),
            [255, 255, 255, 0, 255, 0, 0, 0, 255, 0, 255, 0]
        );
        // An index past the palette is malformed.
        let bad = self::png(&PngSpec {
            pixels: &[0, 1, 2, 3],
            transparency: None,
            ..spec
        });
        assert!(has_no_photo_box(&render(&card(Some(&bad)))));
        // And so is a palette image without a palette.
        let bad = self::png(&PngSpec {
            palette: None,
            transparency: None,
            ..spec
        });
        assert!(has_no_photo_box(&render(&card(Some(&bad)))));
    }

    #[test]
    fn png_gray_alpha_composites_over_white() {
        // (gray, alpha): opaque black, transparent black, half-covered black, opaque gray.
        let px = [0, 255, 0, 0, 0, 128, 100, 255];
        let png = png(&simple(4, 2, 2, &px));
        assert_eq!(embedded_png(&png, 2, 2, "/DeviceGray"), [0, 255, 127, 100]);
    }

    #[test]
    fn png_rgba_composites_over_white() {
        // A 2×2 RGBA with one transparent pixel: that pixel becomes white.
        let px = [
            255, 0, 0, 255, /**/ 0, 0, 0, 0, //
            0, 255, 0, 255, /**/ 0, 0, 255, 255,
        ];
        let png = png(&simple(6, 2, 2, &px));
        assert_eq!(
            embedded_png(&png, 2, 2, "/DeviceRGB"),
            [255, 0, 0, 255, 255, 255, 0, 255, 0, 0, 0, 255]
        );
    }

    #[test]
    fn png_transparent_key_colour_becomes_white() {
        let px = [1, 2, 3, 9, 9, 9];
        let mut spec = simple(2, 2, 1, &px);
        spec.transparency = Some(&[0, 9, 0, 9, 0, 9]);
        let png = png(&spec);
        assert_eq!(
            embedded_png(&png, 2, 1, "/DeviceRGB"),
            [1, 2, 3, 255, 255, 255]
        );
    }

    #[test]
    fn photo_is_fitted_into_the_frame_keeping_its_aspect() {
        // 200 × 100: limited by width, 85 × 42.5 centred in the 85 × 113 frame.
        let jpeg = minimal_jpeg(200, 100, 3);
        let text = content(&render(&card(Some(&jpeg))));
        assert!(text.contains("q 85 0 0 42.5 460 "), "{text}");
        // 30 × 120: limited by height, 28.25 × 113.
        let jpeg = minimal_jpeg(30, 120, 3);
        let text = content(&render(&card(Some(&jpeg))));
        assert!(text.contains("q 28.25 0 0 113 488.38 "), "{text}");
    }

    #[test]
    fn jpeg_embeds_unchanged() {
        let jpeg = minimal_jpeg(120, 160, 3);
        let data = embedded(&jpeg, 120, 160, "/DeviceRGB", "/DCTDecode");
        assert_eq!(data, jpeg);
        let gray = minimal_jpeg(64, 48, 1);
        assert_eq!(embedded(&gray, 64, 48, "/DeviceGray", "/DCTDecode"), gray);
    }

    #[test]
    fn unusable_jpegs_get_the_no_photo_box() {
        let good = minimal_jpeg(120, 160, 3);
        let mut cases: Vec<Vec<u8>> = vec![
            minimal_jpeg(120, 160, 4),    // CMYK
            minimal_jpeg(0, 160, 3),      // no width
            vec![0xFF, 0xD8],             // nothing after SOI
            vec![0xFF, 0xD8, 0xFF, 0xD9], // no frame
            b"\xFF\xD8 garbage here".to_vec(),
        ];
        // A lossless frame (SOF3) is not decoded by PDF readers.
        let mut lossless = good.clone();
        let sof = find(&lossless, &[0xFF, 0xC0]).unwrap();
        lossless[sof + 1] = 0xC3;
        cases.push(lossless);
        // A frame header claiming a length past the end.
        let mut long = good.clone();
        long[sof + 2] = 0x7F;
        cases.push(long);
        // Every truncation of a good file, including just before its EOI.
        for len in 0..good.len() {
            cases.push(good[..len].to_vec());
        }
        for bytes in cases {
            let pdf = render(&card(Some(&bytes)));
            assert!(has_no_photo_box(&pdf), "{bytes:02X?}");
            assert!(!content(&pdf).contains("/Im1"));
            assert_eq!(xref_offsets(&pdf).len(), 8);
        }
    }

    #[test]
    fn unusable_pngs_get_the_no_photo_box() {
        let px = [0u8; 2 * 2 * 3];
        let good = png(&simple(2, 2, 2, &px));
        let sixteen = png(&PngSpec {
            depth: 16,
            pixels: &[0u8; 2 * 2 * 6],
            ..simple(2, 2, 2, &px)
        });
        let interlaced = png(&PngSpec {
            interlace: 1,
            ..simple(2, 2, 2, &px)
        });
        let mut huge = good.clone();
        // IHDR width and height at bytes 16..24; the CRC is not checked.
        huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let mut wider = good.clone();
        // Claims 3 pixels a row: the data is too short for that.
        wider[16..20].copy_from_slice(&3u32.to_be_bytes());
        let mut bad_filter = good.clone();
        let reference = png(&PngSpec {
            height: 1,
            pixels: &px[..6],
            ..simple(2, 2, 1, &px)
        });
        // Replace the first IDAT's data with a stream whose row has filter type 9.
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&[9, 0, 0, 0, 0, 0, 0], 6);
        bad_filter.truncate(33);
        chunk(&mut bad_filter, b"IDAT", &z);
        chunk(&mut bad_filter, b"IEND", &[]);
        bad_filter[20..24].copy_from_slice(&1u32.to_be_bytes());
        let mut no_signature = good.clone();
        no_signature[1] = b'Q';
        let mut bad_zlib = good.clone();
        let idat = find(&bad_zlib, b"IDAT").unwrap();
        bad_zlib[idat + 4] ^= 0xFF;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("16-bit", sixteen),
            ("interlaced", interlaced),
            ("100000 × 100000", huge),
            ("wider than its data", wider),
            ("unknown filter type", bad_filter),
            ("bad signature", no_signature),
            ("bad zlib", bad_zlib),
            (
                "garbage",
                b"\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFgarbage".to_vec(),
            ),
            ("empty", Vec::new()),
            ("text", b"not an image at all".to_vec()),
        ];
        // The reference image does embed.
        assert!(!has_no_photo_box(&render(&card(Some(&reference)))));
        for (what, bytes) in cases {
            let pdf = render(&card(Some(&bytes)));
            assert!(has_no_photo_box(&pdf), "{what}");
            assert_eq!(xref_offsets(&pdf).len(), 8, "{what}");
        }
    }

    #[test]
    fn a_png_over_the_decoded_pixel_limit_is_never_inflated() {
        // Gray, so 2,000 × 2,000 is exactly the limit's 4 megapixels of one byte each.
        let at_limit = png(&simple(0, 2000, 2000, &vec![0u8; 2000 * 2000]));
        assert!(!has_no_photo_box(&render(&card(Some(&at_limit)))));
        // One row more: refused from the header, whatever the data (here honest and small).
        let over = png(&simple(0, 2000, 2001, &vec![0u8; 2000 * 2001]));
        assert!(over.len() < 64 * 1024, "{} bytes", over.len());
        assert!(has_no_photo_box(&render(&card(Some(&over)))));
        // A JPEG claiming more than any camera's frame is not embedded either.
        let jpeg = minimal_jpeg(65_535, 65_535, 3);
        assert!(has_no_photo_box(&render(&card(Some(&jpeg)))));
    }

    #[test]
    fn every_truncation_of_a_png_is_refused_without_panic() {
        let px: Vec<u8> = (0..5u8 * 4 * 4).collect();
        let good = png(&simple(6, 5, 4, &px));
        assert!(!has_no_photo_box(&render(&card(Some(&good)))));
        for len in 0..good.len() {
            let pdf = render(&card(Some(&good[..len])));
            assert!(has_no_photo_box(&pdf), "length {len}");
        }
        // Flipping any one byte may or may not spoil the image, but never panics.
        for i in 0..good.len() {
            let mut bytes = good.clone();
            bytes[i] ^= 0xA5;
            let pdf = render(&card(Some(&bytes)));
            assert!(pdf.ends_with(b"%%EOF\n"));
        }
    }

    proptest! {
        #[test]
        fn arbitrary_photo_bytes_never_panic(
            prefix in prop_oneof![Just(PNG_SIGNATURE.to_vec()), Just(vec![0xFF, 0xD8]), Just(vec![])],
            body in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let mut bytes = prefix;
            bytes.extend_from_slice(&body);
            let pdf = render(&card(Some(&bytes)));
            prop_assert!(pdf.starts_with(b"%PDF-1.4\n"));
            prop_assert!(pdf.ends_with(b"%%EOF\n"));
        }

        #[test]
        fn arbitrary_text_never_panics_and_keeps_the_xref_right(
            name in "\\PC{0,80}",
            code in "[0-9]{0,8}",
        ) {
            let mut c = card(None);
            c.name = &name;
            c.security_code = &code;
            let pdf = render(&c);
            let offsets = xref_offsets(&pdf);
            for (i, &at) in offsets.iter().enumerate() {
                let head = format!("{} 0 obj\n", i + 1);
                prop_assert!(pdf[at..].starts_with(head.as_bytes()));
            }
        }
    }
}
