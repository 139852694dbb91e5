//! What can be read from a face photo without decoding it: its pixel size (PNG IHDR, JPEG SOF)
//! and, for a camera's JPEG, the day it was taken (EXIF DateTimeOriginal). Used to refuse a
//! photo that is too small, too old, dated in the future, or that claims a size no photo has or
//! more pixels than we decode — before a screener has to look at it, and before anything
//! decodes it (a small PNG can declare 4000×4000 pixels and cost hundreds of megabytes).

use time::{Date, Month};

/// Width and height in pixels, from a PNG's IHDR or a JPEG's start-of-frame marker.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
        return Some((w, h));
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut i = 2;
        while i + 9 < bytes.len() {
            if bytes[i] != 0xFF {
                return None;
            }
            let marker = bytes[i + 1];
            let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
            // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
                let h = u32::from(u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]));
                let w = u32::from(u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]));
                return Some((w, h));
            }
            i += 2 + len;
        }
    }
    None
}

/// The day a JPEG was taken, from its EXIF DateTimeOriginal (or DateTime), if it has one.
pub fn taken_on(bytes: &[u8]) -> Option<Date> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 4 < bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let body = bytes.get(i + 4..i + 2 + len)?;
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return exif_date(&body[6..]);
        }
        if marker == 0xDA {
            break;
        }
        i += 2 + len;
    }
    None
}

/// Reads the TIFF structure of an EXIF block for tag 0x9003 (in the EXIF IFD) or 0x0132.
fn exif_date(tiff: &[u8]) -> Option<Date> {
    let big = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(o..o + 2)?.try_into().ok()?;
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(o..o + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    // (tag → value offset) of one IFD.
    let entries = |ifd: usize| -> Option<Vec<(u16, usize)>> {
        let n = usize::from(u16_at(ifd)?);
        (0..n.min(256))
            .map(|k| {
                let e = ifd + 2 + k * 12;
                Some((u16_at(e)?, e))
            })
            .collect()
    };
    let ascii_date = |entry: usize| -> Option<Date> {
        let offset = usize::try_from(u32_at(entry + 8)?).ok()?;
        let s = std::str::from_utf8(tiff.get(offset..offset + 10)?).ok()?;
        let y: i32 = s.get(0..4)?.parse().ok()?;
        let m: u8 = s.get(5..7)?.parse().ok()?;
        let d: u8 = s.get(8..10)?.parse().ok()?;
        Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
    };
    let ifd0 = usize::try_from(u32_at(4)?).ok()?;
    let first = entries(ifd0)?;
    if let Some((_, e)) = first.iter().find(|(t, _)| *t == 0x8769) {
        let exif_ifd = usize::try_from(u32_at(e + 8)?).ok()?;
        if let Some((_, e)) = entries(exif_ifd)?.iter().find(|(t, _)| *t == 0x9003) {
            if let Some(d) = ascii_date(*e) {
                return Some(d);
            }
        }
    }
    first
        .iter()
        .find(|(t, _)| *t == 0x0132)
        .and_then(|(_, e)| ascii_date(*e))
}

/// The smallest face photo accepted, in pixels.
pub const MIN_PHOTO_WIDTH: u32 = 240;
pub const MIN_PHOTO_HEIGHT: u32 = 320;

/// The most pixels of a PNG face photo: it is decoded to be printed on the card notice, and
/// decoding costs about 11 bytes a pixel. 4 megapixels (e.g. 1,700×2,300) is far more than a
/// card photo needs.
pub const MAX_DECODED_PIXELS: u64 = 4_000_000;

/// The most pixels of a JPEG face photo. A JPEG is never decoded here (the card notice embeds
/// it as it is), but the screener's PDF reader does: 50 megapixels takes any phone's camera.
pub const MAX_PHOTO_PIXELS: u64 = 50_000_000;

/// The longest side a photo may claim, in pixels; longer is no photo.
pub const MAX_PHOTO_SIDE: u32 = 20_000;

/// A face photo may be at most this many times taller than wide.
pub const MAX_PHOTO_ASPECT: u32 = 3;

/// The most pixels of a photo with these bytes we accept (and decode, for a PNG).
pub fn pixel_limit(bytes: &[u8]) -> u64 {
    if bytes.starts_with(b"\x89PNG") {
        MAX_DECODED_PIXELS
    } else {
        MAX_PHOTO_PIXELS
    }
}

/// Whether a declared size is one a photo can have: no side zero or over [`MAX_PHOTO_SIDE`].
pub fn possible_size(width: u32, height: u32) -> bool {
    (1..=MAX_PHOTO_SIDE).contains(&width) && (1..=MAX_PHOTO_SIDE).contains(&height)
}

/// Why a face photo cannot be used. Its words are chosen by whoever shows it
/// ([`PhotoProblem::message_ja`] in Japanese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoProblem {
    /// Smaller than [`MIN_PHOTO_WIDTH`] × [`MIN_PHOTO_HEIGHT`]: its size.
    TooSmall { width: u32, height: u32 },
    /// Wider than high.
    Sideways,
    /// Not an image we can read.
    Unreadable,
    /// Taken more than six months ago: when.
    TooOld { taken: Date },
    /// The header claims a size no photo has (a side of zero or over [`MAX_PHOTO_SIDE`], or
    /// more than [`MAX_PHOTO_ASPECT`] times taller than wide).
    ImpossibleSize { width: u32, height: u32 },
    /// More pixels than [`pixel_limit`] allows for its type.
    TooManyPixels { width: u32, height: u32, max: u64 },
    /// The camera dated it after today (in Japan): its clock is wrong, or the date was made up.
    TakenInFuture { taken: Date },
}

impl PhotoProblem {
    /// The reason, in the applicant's words in Japanese.
    pub fn message_ja(self) -> String {
        match self {
            PhotoProblem::TooSmall { width, height } => format!(
                "顔写真が小さすぎます（{width}×{height}ピクセル）。横{MIN_PHOTO_WIDTH}×縦{MIN_PHOTO_HEIGHT}ピクセル以上の写真を選んでください。"
            ),
            PhotoProblem::Sideways => "顔写真は縦長（縦向き）の写真を選んでください。".to_owned(),
            PhotoProblem::Unreadable => {
                "この画像は読み取れません。JPEGまたはPNGの写真を選び直してください。".to_owned()
            }
            PhotoProblem::TooOld { taken } => format!(
                "この写真は{}年{}月{}日に撮影されています。6か月以内に撮影した顔写真を選んでください。",
                taken.year(),
                u8::from(taken.month()),
                taken.day()
            ),
            PhotoProblem::ImpossibleSize { width, height } => format!(
                "この画像の大きさ（{width}×{height}ピクセル）は顔写真としてありえないため、受け付けられません。撮影した写真を選び直してください。"
            ),
            PhotoProblem::TooManyPixels { width, height, max } => format!(
                "顔写真の画素数が多すぎます（{width}×{height}ピクセル）。{}万画素以下の写真を選んでください。",
                max / 10_000
            ),
            PhotoProblem::TakenInFuture { taken } => format!(
                "この写真の撮影日が未来の日付（{}年{}月{}日）になっています。カメラの日付を確かめて、撮り直した写真を選んでください。",
                taken.year(),
                u8::from(taken.month()),
                taken.day()
            ),
        }
    }
}

/// Why a face photo cannot be used, in the applicant's words in Japanese; `None` when it can.
pub fn check_face_photo(bytes: &[u8], today: Date) -> Option<String> {
    face_photo_problem(bytes, today).map(PhotoProblem::message_ja)
}

/// Why a face photo cannot be used; `None` when it can. Only headers are read.
pub fn face_photo_problem(bytes: &[u8], today: Date) -> Option<PhotoProblem> {
    let Some((width, height)) = image_size(bytes) else {
        return Some(PhotoProblem::Unreadable);
    };
    if !possible_size(width, height)
        || u64::from(height) > u64::from(width) * u64::from(MAX_PHOTO_ASPECT)
    {
        return Some(PhotoProblem::ImpossibleSize { width, height });
    }
    let max = pixel_limit(bytes);
    if u64::from(width) * u64::from(height) > max {
        return Some(PhotoProblem::TooManyPixels { width, height, max });
    }
    if width < MIN_PHOTO_WIDTH || height < MIN_PHOTO_HEIGHT {
        return Some(PhotoProblem::TooSmall { width, height });
    }
    if width > height {
        return Some(PhotoProblem::Sideways);
    }
    if let Some(taken) = taken_on(bytes) {
        if taken > today {
            return Some(PhotoProblem::TakenInFuture { taken });
        }
        if (today - taken).whole_days() > 183 {
            return Some(PhotoProblem::TooOld { taken });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0]);
        b
    }

    /// A JPEG with an EXIF block (big- or little-endian) holding DateTimeOriginal, and a SOF0.
    fn jpeg(w: u16, h: u16, taken: &str, big: bool) -> Vec<u8> {
        let u16b = |v: u16| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let u32b = |v: u32| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut tiff = Vec::new();
        tiff.extend_from_slice(if big { b"MM" } else { b"II" });
        tiff.extend_from_slice(&u16b(42));
        tiff.extend_from_slice(&u32b(8));
        // IFD0 at 8: one entry, the EXIF IFD pointer.
        tiff.extend_from_slice(&u16b(1));
        tiff.extend_from_slice(&u16b(0x8769));
        tiff.extend_from_slice(&u16b(4));
        tiff.extend_from_slice(&u32b(1));
        tiff.extend_from_slice(&u32b(26));
        tiff.extend_from_slice(&u32b(0));
        // EXIF IFD at 26: DateTimeOriginal, ASCII, 20 bytes at 44.
        tiff.extend_from_slice(&u16b(1));
        tiff.extend_from_slice(&u16b(0x9003));
        tiff.extend_from_slice(&u16b(2));
        tiff.extend_from_slice(&u32b(20));
        tiff.extend_from_slice(&u32b(44));
        tiff.extend_from_slice(&u32b(0));
        tiff.extend_from_slice(taken.as_bytes());
        tiff.push(0);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE1];
        b.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
        b.extend_from_slice(&app1);
        b.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8]);
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&[3; 10]);
        b.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
        b
    }

    #[test]
    fn sizes_and_dates_are_read() {
        assert_eq!(image_size(&png(600, 800)), Some((600, 800)));
        for big in [true, false] {
            let j = jpeg(480, 640, "2026:09:01 10:00:00", big);
            assert_eq!(image_size(&j), Some((480, 640)));
            assert_eq!(taken_on(&j), Some(date!(2026 - 09 - 01)));
        }
        assert_eq!(taken_on(&png(1, 1)), None);
        assert_eq!(image_size(b"%PDF-1.4"), None);
        // Truncated or hostile input never panics.
        let j = jpeg(480, 640, "2026:09:01 10:00:00", true);
        for n in 0..j.len() {
            let _ = (image_size(&j[..n]), taken_on(&j[..n]));
        }
    }

    #[test]
    fn small_sideways_or_old_photos_are_refused() {
        let today = date!(2026 - 11 - 26);
        assert!(check_face_photo(&png(600, 800), today).is_none());
        assert!(check_face_photo(&png(100, 120), today)
            .unwrap()
            .contains("小さすぎます"));
        assert!(check_face_photo(&png(800, 600), today)
            .unwrap()
            .contains("縦長"));
        assert!(check_face_photo(b"\x89PNG\r\n\x1a\n", today)
            .unwrap()
            .contains("読み取れません"));
        let recent = jpeg(480, 640, "2026:09:01 10:00:00", true);
        assert!(check_face_photo(&recent, today).is_none());
        let old = jpeg(480, 640, "2024:03:10 10:00:00", false);
        assert!(check_face_photo(&old, today)
            .unwrap()
            .contains("2024年3月10日"));
    }

    #[test]
    fn sizes_no_photo_has_and_too_many_pixels_are_refused_from_the_header() {
        let today = date!(2026 - 11 - 26);
        let problem = |b: &[u8]| face_photo_problem(b, today);
        // A small PNG declaring 4000×4000: refused before anything decodes it.
        assert_eq!(
            problem(&png(4000, 4000)),
            Some(PhotoProblem::TooManyPixels {
                width: 4000,
                height: 4000,
                max: MAX_DECODED_PIXELS
            })
        );
        assert_eq!(problem(&png(1600, 2500)), None, "exactly 4 megapixels");
        assert!(matches!(
            problem(&png(1600, 2501)),
            Some(PhotoProblem::TooManyPixels { .. })
        ));
        // A camera's JPEG of 12 megapixels is fine; one of 65535×65535 is not.
        assert_eq!(
            problem(&jpeg(3024, 4032, "2026:11:01 09:00:00", true)),
            None
        );
        assert!(matches!(
            problem(&jpeg(6000, 9000, "2026:11:01 09:00:00", true)),
            Some(PhotoProblem::TooManyPixels {
                max: MAX_PHOTO_PIXELS,
                ..
            })
        ));
        for (w, h) in [
            (0, 640),
            (480, 0),
            (u32::MAX, u32::MAX),
            (20_001, 30_000),
            (300, 901),
        ] {
            assert_eq!(
                problem(&png(w, h)),
                Some(PhotoProblem::ImpossibleSize {
                    width: w,
                    height: h
                }),
                "{w}×{h}"
            );
        }
        assert_eq!(
            problem(&jpeg(480, 0, "2026:11:01 09:00:00", false)),
            Some(PhotoProblem::ImpossibleSize {
                width: 480,
                height: 0
            })
        );
        assert!(check_face_photo(&png(4000, 4000), today)
            .unwrap()
            .contains("400万画素以下"));
    }

    #[test]
    fn a_photo_dated_after_today_is_refused() {
        let today = date!(2026 - 11 - 26);
        let tomorrow = jpeg(480, 640, "2026:11:27 08:00:00", true);
        assert_eq!(
            face_photo_problem(&tomorrow, today),
            Some(PhotoProblem::TakenInFuture {
                taken: date!(2026 - 11 - 27)
            })
        );
        let far = jpeg(480, 640, "2031:01:01 00:00:00", false);
        assert!(check_face_photo(&far, today)
            .unwrap()
            .contains("未来の日付（2031年1月1日）"));
        let today_shot = jpeg(480, 640, "2026:11:26 23:59:59", true);
        assert_eq!(face_photo_problem(&today_shot, today), None);
    }

    proptest::proptest! {
        /// Whatever a PNG header claims, the check answers from the header alone and never
        /// lets through more pixels than are decoded.
        #[test]
        fn no_declared_size_passes_the_decode_limit(w in 0u32..=u32::MAX, h in 0u32..=u32::MAX) {
            let p = face_photo_problem(&png(w, h), date!(2026 - 11 - 26));
            if p.is_none() {
                proptest::prop_assert!(u64::from(w) * u64::from(h) <= MAX_DECODED_PIXELS);
                proptest::prop_assert!(w >= MIN_PHOTO_WIDTH && h >= MIN_PHOTO_HEIGHT && w <= h);
            }
        }
    }
}
