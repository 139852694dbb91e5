#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::testing::pdf_text;
use proptest::prelude::*;
use std::io::Cursor;

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

fn real_jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

fn encode_png(img: image::DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn texts(ops: &[Op]) -> Vec<&str> {
    ops.iter()
        .filter_map(|op| match op {
            Op::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn has_no_photo_box(pdf: &[u8]) -> bool {
    pdf_text(pdf).contains(NO_PHOTO)
}

fn has_image(pdf: &[u8]) -> bool {
    contains(pdf, b"/Subtype/Image")
}

#[test]
fn the_pdf_is_one_a4_page_with_its_title() {
    let pdf = render(&card(None));
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    assert!(contains(&pdf, b"/Type/Pages/Count 1/"));
    assert!(contains(&pdf, b"/MediaBox[0 0 595 842]"));
    // The title is in the document information (UTF-16, with its byte-order mark).
    let title: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(DOCUMENT_TITLE.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert!(contains(&pdf, &title) || contains(&pdf, DOCUMENT_TITLE.as_bytes()));
    assert!(!has_image(&pdf));
}

#[test]
fn the_font_is_embedded_as_a_subset() {
    let pdf = render(&card(None));
    assert!(
        contains(&pdf, b"/FontFile3") || contains(&pdf, b"/FontFile2"),
        "an embedded font program"
    );
    assert!(contains(&pdf, b"/ToUnicode"), "text can be copied");
    // A subset's name carries a six-letter tag; the whole font is never in the file.
    assert!(
        contains(&pdf, b"+NotoSansCJKjp"),
        "a subset of the shipped font"
    );
    assert!(
        pdf.len() < crate::typeset::FONT.len() / 10,
        "{} bytes",
        pdf.len()
    );
    // No font a reader would have to supply.
    assert!(!contains(&pdf, b"HeiseiKakuGo"));
}

#[test]
fn the_card_shows_its_text() {
    let text = pdf_text(&render(&card(None)));
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
        assert!(text.contains(s), "{s} in {text}");
    }
    // The instructions, wrapped: their characters all appear, in order, over lines.
    let instructions =
        "初めてログインするときは、技能者ログイン画面で技能者IDと初期パスワードを入力し、\
         本人確認番号を使ってご自分のパスワードに変更してください。";
    assert!(!text.contains(instructions), "must be wrapped");
    assert!(text.replace('\n', "").contains(instructions));
}

/// Where poppler's `pdftotext` is installed, a real reader finds the same text.
#[test]
fn a_pdf_reader_finds_the_id_and_the_name() {
    let dir = std::env::temp_dir().join(format!("ccus-card-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.pdf");
    std::fs::write(&path, render(&card(None))).unwrap();
    let run = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(out) = run else {
        eprintln!("pdftotext is not installed: checked structurally only");
        return;
    };
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for s in [
        "1234 5678 9012 34",
        "山田 太郎",
        "ヤマダ タロウ",
        "4821",
        "技能者ID",
    ] {
        assert!(text.contains(s), "{s} in {text}");
    }
}

#[test]
fn the_code_is_white_on_the_seal() {
    let face = Face::new();
    let ops = layout(&card(None), None, &face);
    let seal = ops
        .iter()
        .find_map(|op| match op {
            Op::FillRect { x, top, w, h, gray } => Some((*x, *top, *w, *h, *gray)),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (seal.0, seal.2, seal.3, seal.4),
        (50.0, SEAL_W, SEAL_H, 0.25)
    );
    let code = ops
        .iter()
        .find_map(|op| match op {
            Op::Text {
                x,
                baseline,
                size,
                text,
                gray,
            } if text == "4821" => Some((*x, *baseline, *size, *gray)),
            _ => None,
        })
        .unwrap();
    assert_eq!((code.2, code.3), (26.0, 1.0));
    // Inside the seal, both ways.
    assert!(code.0 > seal.0 && code.0 + face.text_width("4821", 26.0) < seal.0 + seal.2);
    assert!(code.1 > seal.1 && code.1 < seal.1 + seal.3);
}

#[test]
fn business_notice_says_shogo() {
    let mut c = card(None);
    c.kind_label = "事業者";
    c.name = "株式会社山田建設";
    let text = pdf_text(&render(&c));
    assert!(text.contains("商号"));
    assert!(!text.contains("氏名"));
    assert!(text.contains("事業者ID"));
    assert!(text.contains("建設キャリアアップシステム 事業者登録のお知らせ"));
    assert!(text.contains("株式会社山田建設"));
}

#[test]
fn characters_outside_the_font_print_as_geta_and_controls_as_spaces() {
    let face = Face::new();
    // JIS X 0213 kanji (𠮟, outside the BMP) and 髙 are in the font; emoji and Hangul are not.
    assert_eq!(face.printed("𠮟髙"), "𠮟髙");
    assert_eq!(face.printed("😀田 한"), "〓田 〓");
    assert_eq!(face.printed("a\nb\tc"), "a b c");
    let mut c = card(None);
    c.name = "😀田 一";
    let text = pdf_text(&render(&c));
    assert!(text.contains("〓田 一"), "{text}");
}

#[test]
fn output_is_deterministic() {
    let jpeg = real_jpeg(30, 40);
    assert_eq!(render(&card(None)), render(&card(None)));
    assert_eq!(render(&card(Some(&jpeg))), render(&card(Some(&jpeg))));
}

#[test]
fn wrapping_measures_with_the_font() {
    let face = Face::new();
    // Kana are one em wide: 10 pt over 50 pt holds five.
    assert_eq!(
        face.wrap("あいうえおかきくけ", 10.0, 50.0, 9),
        ["あいうえお", "かきくけ"]
    );
    // A line does not start with 「。」: the last character moves down with it.
    assert_eq!(
        face.wrap("あいうえお。", 10.0, 50.0, 9),
        ["あいうえ", "お。"]
    );
    assert_eq!(face.wrap("", 10.0, 50.0, 9), [""]);
    assert_eq!(
        face.wrap("あいうえおかきくけこさ", 10.0, 50.0, 2),
        ["あいうえお", "かきくけ…"]
    );
    // Latin letters are narrower than kana, and measured as they are.
    assert!(face.text_width("0123456789", 10.0) < face.text_width("あいうえおかきくけこ", 10.0));
    assert!(face.text_width("iiii", 10.0) < face.text_width("WWWW", 10.0));
    // Every line of the instructions fits between the margins.
    let long = "初めてログインするときは、技能者ログイン画面で技能者IDと初期パスワードを入力し、本人確認番号を使ってご自分のパスワードに変更してください。";
    let lines = face.wrap(long, LABEL_SIZE, PAGE_W - 2.0 * MARGIN, usize::MAX);
    assert!(lines.len() >= 2);
    for line in &lines {
        assert!(face.text_width(line, LABEL_SIZE) <= PAGE_W - 2.0 * MARGIN + 0.01);
    }
    assert_eq!(lines.concat(), long);
    // A long name is cut at three lines.
    let name = "山".repeat(80);
    let lines = face.wrap(&name, 14.0, VALUE_W, MAX_NAME_LINES);
    assert_eq!(lines.len(), 3);
    assert!(lines[2].ends_with('…'));
}

#[test]
fn photo_is_fitted_into_the_frame_keeping_its_aspect() {
    let face = Face::new();
    let photo_op = |size| {
        layout(&card(None), Some(size), &face)
            .into_iter()
            .find_map(|op| match op {
                Op::Photo { x, w, h, .. } => Some((x, w, h)),
                _ => None,
            })
            .unwrap()
    };
    // 200 × 100: limited by width, 85 × 42.5 in the 85 × 113 frame.
    assert_eq!(photo_op((200, 100)), (460.0, 85.0, 42.5));
    // 30 × 120: limited by height, 28.25 × 113, centred.
    let (x, w, h) = photo_op((30, 120));
    assert_eq!((w, h), (28.25, 113.0));
    assert!((x - (460.0 + (85.0 - 28.25) / 2.0)).abs() < 0.001);
    assert!(!texts(&layout(&card(None), Some((30, 120)), &face)).contains(&NO_PHOTO));
}

#[test]
fn jpeg_and_png_photos_are_printed() {
    let jpeg = real_jpeg(120, 160);
    let pdf = render(&card(Some(&jpeg)));
    assert!(has_image(&pdf) && !has_no_photo_box(&pdf));
    // The applicant's bytes are not in the file: the photo is drawn from its pixels.
    assert!(!contains(&pdf, &jpeg[..64]));
    assert!(!contains(&pdf, b"/DCTDecode"));
    let gray = encode_png(image::DynamicImage::ImageLuma8(
        image::GrayImage::from_pixel(30, 40, image::Luma([7])),
    ));
    let pdf = render(&card(Some(&gray)));
    assert!(has_image(&pdf) && !has_no_photo_box(&pdf));
    assert!(contains(&pdf, b"/DeviceGray"));
}

#[test]
fn a_photo_is_reduced_to_the_frame_at_300_dpi() {
    let p = print_photo(&real_jpeg(1200, 1600)).unwrap();
    assert_eq!((p.width, p.height), (PRINT_W, PRINT_H));
    assert_eq!(p.samples.len(), (PRINT_W * PRINT_H * 3) as usize);
    let p = print_photo(&real_jpeg(300, 900)).unwrap();
    assert!(p.height == PRINT_H && p.width < PRINT_W);
    // Small photos keep their pixels.
    let p = print_photo(&real_jpeg(30, 40)).unwrap();
    assert_eq!((p.width, p.height, p.gray), (30, 40, false));
}

#[test]
fn transparency_is_composited_over_white() {
    // RGBA: opaque red, transparent black, half-covered black, opaque blue.
    let rgba = image::RgbaImage::from_raw(
        2,
        2,
        vec![
            255, 0, 0, 255, /**/ 0, 0, 0, 0, //
            0, 0, 0, 128, /**/ 0, 0, 255, 255,
        ],
    )
    .unwrap();
    let p = print_photo(&encode_png(image::DynamicImage::ImageRgba8(rgba))).unwrap();
    assert!(!p.gray);
    assert_eq!(
        &p.samples[..],
        [255, 0, 0, 255, 255, 255, 127, 127, 127, 0, 0, 255]
    );
    // Gray with alpha stays gray.
    let la = image::GrayAlphaImage::from_raw(2, 1, vec![0, 255, 0, 0]).unwrap();
    let p = print_photo(&encode_png(image::DynamicImage::ImageLumaA8(la))).unwrap();
    assert!(p.gray);
    assert_eq!(&p.samples[..], [0, 255]);
}

#[test]
fn unusable_photos_get_the_no_photo_box() {
    let good = encode_png(image::DynamicImage::ImageRgb8(image::RgbImage::new(5, 4)));
    let mut cases: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("text".into(), b"not an image at all".to_vec()),
        (
            "garbage".into(),
            b"\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFgarbage".to_vec(),
        ),
        ("bare JPEG start".into(), vec![0xFF, 0xD8, 0xFF, 0xD9]),
    ];
    // A PNG declaring 100000 × 100000, and one claiming a wider row than its data holds.
    let mut huge = good.clone();
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    cases.push(("100000 × 100000".into(), huge));
    let mut wider = good.clone();
    wider[16..20].copy_from_slice(&6u32.to_be_bytes());
    cases.push(("wider than its data".into(), wider));
    // Every cut of a good PNG before its end.
    for len in 0..good.len() - 12 {
        cases.push((format!("cut at {len}"), good[..len].to_vec()));
    }
    assert!(!has_no_photo_box(&render(&card(Some(&good)))));
    for (what, bytes) in cases {
        let pdf = render(&card(Some(&bytes)));
        assert!(has_no_photo_box(&pdf), "{what}");
        assert!(!has_image(&pdf), "{what}");
    }
}

#[test]
fn a_png_over_the_decoded_pixel_limit_is_never_decoded() {
    // Gray, 2,000 × 2,000: exactly the limit's 4 megapixels, printed.
    let at_limit = encode_png(image::DynamicImage::ImageLuma8(image::GrayImage::new(
        2000, 2000,
    )));
    assert!(!has_no_photo_box(&render(&card(Some(&at_limit)))));
    // One row more: refused from the header, whatever the data (here honest and small).
    let over = encode_png(image::DynamicImage::ImageLuma8(image::GrayImage::new(
        2000, 2001,
    )));
    assert!(over.len() < 64 * 1024, "{} bytes", over.len());
    assert!(has_no_photo_box(&render(&card(Some(&over)))));
}

#[test]
fn every_flipped_byte_of_a_photo_is_survived() {
    let good = encode_png(image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(
        5,
        4,
        |x, y| image::Rgba([x as u8 * 40, y as u8 * 60, 7, 200]),
    )));
    for i in 0..good.len() {
        let mut bytes = good.clone();
        bytes[i] ^= 0xA5;
        let pdf = render(&card(Some(&bytes)));
        assert!(pdf.starts_with(b"%PDF-"), "byte {i}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_photo_bytes_never_panic(
        prefix in prop_oneof![
            Just(b"\x89PNG\r\n\x1a\n".to_vec()),
            Just(vec![0xFF, 0xD8, 0xFF]),
            Just(vec![]),
        ],
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = prefix;
        bytes.extend_from_slice(&body);
        let pdf = render(&card(Some(&bytes)));
        prop_assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn arbitrary_text_never_panics(
        name in "\\PC{0,80}",
        code in "[0-9]{0,8}",
    ) {
        let mut c = card(None);
        c.name = &name;
        c.security_code = &code;
        let pdf = render(&c);
        prop_assert!(pdf.starts_with(b"%PDF-"));
    }
}
