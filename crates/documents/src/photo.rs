//! Face photos: what a photo's header declares (its pixel size, read by `imagesize`), the day
//! it was taken (its EXIF, read by `kamadak-exif`), and decoding it for print (by `image`,
//! under [`image::Limits`]).
//!
//! An upload is judged from its header alone: a photo that is too small, too old, dated in the
//! future, or that claims a size no photo has or more pixels than we decode is refused before a
//! screener has to look at it, and before anything decodes it (a small PNG can declare
//! 4000×4000 pixels and cost hundreds of megabytes). [`decode`] is the only place that turns a
//! photo into pixels: it checks the same limits again and hands them to the decoder as
//! [`image::Limits`], so a file whose header lies is refused before its buffer is allocated.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

/// Width and height in pixels, as a PNG's IHDR or a JPEG's start-of-frame marker declares
/// them. Nothing is decoded, so the size may be one no real image has.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    photo_format(bytes)?;
    let size = imagesize::blob_size(bytes).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// JPEG or PNG, the only formats of a face photo, by magic bytes.
fn photo_format(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(PNG_SIGNATURE) && bytes.get(12..16) == Some(b"IHDR") {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else {
        None
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Japan Standard Time, in which "today" is reckoned.
const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The day a JPEG was taken, in Japan, from its EXIF DateTimeOriginal (or DateTime), if it
/// has one. A camera writes its own clock's local time; when it also wrote the offset of that
/// clock (OffsetTimeOriginal / OffsetTime), the time is moved to Japanese time first, else it is
/// taken to be Japanese time already.
pub fn taken_on(bytes: &[u8]) -> Option<Date> {
    use exif::{In, Tag};
    if photo_format(bytes) != Some(ImageFormat::Jpeg) {
        return None;
    }
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let ascii = |tag: Tag| -> Option<Vec<u8>> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            exif::Value::Ascii(values) => values.first().cloned(),
            _ => None,
        }
    };
    [
        (Tag::DateTimeOriginal, Tag::OffsetTimeOriginal),
        (Tag::DateTime, Tag::OffsetTime),
    ]
    .into_iter()
    .find_map(|(when, offset)| {
        let mut taken = exif::DateTime::from_ascii(&ascii(when)?).ok()?;
        if let Some(offset) = ascii(offset) {
            // An unreadable offset leaves the time as written.
            let _ = taken.parse_offset(&offset);
        }
        jst_date(&taken)
    })
}

/// The date in Japan of an EXIF date and time (whose numbers are not range-checked by the
/// reader: a month of 13 is no date).
fn jst_date(t: &exif::DateTime) -> Option<Date> {
    let date =
        Date::from_calendar_date(i32::from(t.year), Month::try_from(t.month).ok()?, t.day).ok()?;
    let Some(minutes) = t.offset else {
        return Some(date);
    };
    let time = Time::from_hms(t.hour, t.minute, t.second).ok()?;
    let offset = UtcOffset::from_whole_seconds(i32::from(minutes) * 60).ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_offset(offset)
            .to_offset(JST)
            .date(),
    )
}

/// The smallest face photo accepted, in pixels.
pub const MIN_PHOTO_WIDTH: u32 = 240;
pub const MIN_PHOTO_HEIGHT: u32 = 320;

/// The most pixels of a PNG face photo. 4 megapixels (e.g. 1,700×2,300) is far more than a
/// card photo needs, and decodes to at most 16 MB (four bytes a pixel).
pub const MAX_DECODED_PIXELS: u64 = 4_000_000;

/// The most pixels of a JPEG face photo: 50 megapixels takes any phone's camera.
pub const MAX_PHOTO_PIXELS: u64 = 50_000_000;

/// The longest side a photo may claim, in pixels; longer is no photo.
pub const MAX_PHOTO_SIDE: u32 = 20_000;

/// A face photo may be at most this many times taller than wide.
pub const MAX_PHOTO_ASPECT: u32 = 3;

/// The most pixels of a photo with these bytes we accept (and decode).
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

/// Why a face photo cannot be used; `None` when it can. Only headers are read; `today` is the
/// date in Japan.
pub fn face_photo_problem(bytes: &[u8], today: Date) -> Option<PhotoProblem> {
    let Some((width, height)) = image_size(bytes) else {
        return Some(PhotoProblem::Unreadable);
    };
    if let Some(problem) = size_problem(bytes, width, height) {
        return Some(problem);
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

/// A declared size no photo has, or more pixels than are decoded for its type.
fn size_problem(bytes: &[u8], width: u32, height: u32) -> Option<PhotoProblem> {
    if !possible_size(width, height)
        || u64::from(height) > u64::from(width) * u64::from(MAX_PHOTO_ASPECT)
    {
        return Some(PhotoProblem::ImpossibleSize { width, height });
    }
    let max = pixel_limit(bytes);
    (u64::from(width) * u64::from(height) > max).then_some(PhotoProblem::TooManyPixels {
        width,
        height,
        max,
    })
}

/// The decoder's limits for a photo with these bytes: no side over [`MAX_PHOTO_SIDE`], and no
/// more memory than its [`pixel_limit`] of 8-bit pixels (a JPEG decodes to RGB, three bytes a
/// pixel; a PNG to at most RGBA, four), plus a little for the decoder's own buffers.
pub fn decode_limits(bytes: &[u8]) -> Limits {
    let bytes_per_pixel = if bytes.starts_with(b"\x89PNG") { 4 } else { 3 };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    limits.max_alloc = Some(pixel_limit(bytes) * bytes_per_pixel + 1024 * 1024);
    limits
}

/// The photo's pixels, or `None` when it is not a JPEG or PNG that decodes within the limits:
/// its declared size is checked first (as at upload, only the size: a photo too small or
/// too old still prints), and the decoder is given [`decode_limits`], so nothing is allocated
/// for a size the header merely claims. Never panics, whatever the bytes.
pub fn decode(bytes: &[u8]) -> Option<DynamicImage> {
    let format = photo_format(bytes)?;
    let (width, height) = image_size(bytes)?;
    if size_problem(bytes, width, height).is_some() {
        return None;
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decode_limits(bytes));
    let image = reader.decode().ok()?;
    // The decoder reads the frame itself: it must be the size the header declared.
    (image.width() == width && image.height() == height).then_some(image)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use time::macros::date;

    /// A PNG signature and IHDR declaring `w`×`h`, and nothing more.
    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0]);
        b
    }

    /// A TIFF block (big- or little-endian) with IFD0 pointing at an EXIF IFD that holds
    /// DateTimeOriginal and, if given, OffsetTimeOriginal.
    fn exif_block(taken: &str, offset: Option<&str>, big: bool) -> Vec<u8> {
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
        let entries: u16 = if offset.is_some() { 2 } else { 1 };
        let exif_ifd = 26u32;
        let data_at = exif_ifd + 2 + 12 * u32::from(entries) + 4;
        let mut tiff = Vec::new();
        tiff.extend_from_slice(if big { b"MM" } else { b"II" });
        tiff.extend_from_slice(&u16b(42));
        tiff.extend_from_slice(&u32b(8));
        // IFD0 at 8: one entry, the EXIF IFD pointer.
        tiff.extend_from_slice(&u16b(1));
        tiff.extend_from_slice(&u16b(0x8769));
        tiff.extend_from_slice(&u16b(4));
        tiff.extend_from_slice(&u32b(1));
        tiff.extend_from_slice(&u32b(exif_ifd));
        tiff.extend_from_slice(&u32b(0));
        // The EXIF IFD: DateTimeOriginal (20 ASCII bytes), then OffsetTimeOriginal (7).
        tiff.extend_from_slice(&u16b(entries));
        tiff.extend_from_slice(&u16b(0x9003));
        tiff.extend_from_slice(&u16b(2));
        tiff.extend_from_slice(&u32b(20));
        tiff.extend_from_slice(&u32b(data_at));
        if offset.is_some() {
            tiff.extend_from_slice(&u16b(0x9011));
            tiff.extend_from_slice(&u16b(2));
            tiff.extend_from_slice(&u32b(7));
            tiff.extend_from_slice(&u32b(data_at + 20));
        }
        tiff.extend_from_slice(&u32b(0));
        tiff.extend_from_slice(taken.as_bytes());
        tiff.push(0);
        if let Some(o) = offset {
            tiff.extend_from_slice(o.as_bytes());
            tiff.push(0);
        }
        tiff
    }

    /// A JPEG with an EXIF block holding DateTimeOriginal, and a SOF0.
    fn jpeg(w: u16, h: u16, taken: &str, big: bool) -> Vec<u8> {
        jpeg_with(w, h, &exif_block(taken, None, big))
    }

    fn jpeg_with(w: u16, h: u16, tiff: &[u8]) -> Vec<u8> {
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(tiff);
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

    /// A real PNG of `w`×`h` gray pixels, encoded by `image`.
    fn real_png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::GrayImage::from_pixel(w, h, image::Luma([128]))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// A real JPEG of `w`×`h` colour pixels, encoded by `image`.
    fn real_jpeg(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
            .unwrap();
        out
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
        assert_eq!(image_size(&real_jpeg(33, 44)), Some((33, 44)));
        assert_eq!(image_size(&real_png(33, 44)), Some((33, 44)));
        assert_eq!(taken_on(&real_jpeg(33, 44)), None, "no EXIF");
        // Truncated or hostile input never panics.
        let j = jpeg(480, 640, "2026:09:01 10:00:00", true);
        for n in 0..j.len() {
            let _ = (image_size(&j[..n]), taken_on(&j[..n]));
        }
    }

    #[test]
    fn a_date_with_its_offset_is_moved_to_japanese_time() {
        let taken = |time: &str, offset: &str| {
            taken_on(&jpeg_with(480, 640, &exif_block(time, Some(offset), true)))
        };
        // 20:00 in Paris (UTC+1) is 04:00 the next day in Japan.
        assert_eq!(
            taken("2026:11:26 20:00:00", "+01:00"),
            Some(date!(2026 - 11 - 27))
        );
        assert_eq!(
            taken("2026:11:26 20:00:00", "+09:00"),
            Some(date!(2026 - 11 - 26))
        );
        // 08:00 in Japan is still the 26th; 08:00 in Honolulu (UTC-10) is 03:00 the 27th.
        assert_eq!(
            taken("2026:11:26 08:00:00", "-10:00"),
            Some(date!(2026 - 11 - 27))
        );
        // A blank or broken offset leaves the time as written.
        assert_eq!(
            taken("2026:11:26 20:00:00", "   :  "),
            Some(date!(2026 - 11 - 26))
        );
        // No such date: no date at all.
        assert_eq!(taken("2026:13:40 20:00:00", "+09:00"), None);
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
        // Taken at 23:00 on the 26th in London is the 27th in Japan: the future.
        let london = jpeg_with(
            480,
            640,
            &exif_block("2026:11:26 23:00:00", Some("+00:00"), false),
        );
        assert_eq!(
            face_photo_problem(&london, today),
            Some(PhotoProblem::TakenInFuture {
                taken: date!(2026 - 11 - 27)
            })
        );
    }

    #[test]
    fn real_photos_decode_to_their_size() {
        let img = decode(&real_jpeg(48, 64)).unwrap();
        assert_eq!((img.width(), img.height()), (48, 64));
        let img = decode(&real_png(30, 40)).unwrap();
        assert_eq!((img.width(), img.height()), (30, 40));
        // Other formats are not photos here, whatever `image` could read.
        let mut gif = b"GIF89a".to_vec();
        gif.extend_from_slice(&[1, 0, 1, 0, 0, 0, 0, 0x3B]);
        assert!(decode(&gif).is_none());
    }

    #[test]
    fn a_png_bomb_is_refused_before_its_pixels_are_allocated() {
        // A 62 KB PNG whose header declares 4000×4000 (64 MB as RGBA): the declared size is
        // over the limit, so nothing decodes it.
        let mut bomb = png(4000, 4000);
        bomb.resize(62 * 1024, 0);
        let started = std::time::Instant::now();
        assert!(decode(&bomb).is_none());
        // An honest 2,001 × 2,000 gray PNG (over 4 megapixels) is refused the same way.
        let honest = real_png(2001, 2000);
        assert!(decode(&honest).is_none());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        // The decoder's own limits hold even where the header check were skipped: the same
        // bytes through `image` with our limits are refused for their memory, not decoded.
        let mut reader = ImageReader::with_format(Cursor::new(&honest[..]), ImageFormat::Png);
        let mut tight = decode_limits(&honest);
        tight.max_alloc = Some(1024 * 1024);
        reader.limits(tight);
        assert!(matches!(reader.decode(), Err(image::ImageError::Limits(_))));
        // A side over the longest allowed is refused from the header by the decoder too.
        let wide = real_png(MAX_PHOTO_SIDE + 1, 1);
        let mut reader = ImageReader::with_format(Cursor::new(&wide[..]), ImageFormat::Png);
        reader.limits(decode_limits(&wide));
        assert!(matches!(reader.decode(), Err(image::ImageError::Limits(_))));
    }

    #[test]
    fn truncated_or_garbage_photos_are_refused_without_panic() {
        let good_png = real_png(24, 32);
        let good_jpeg = real_jpeg(24, 32);
        assert!(decode(&good_png).is_some() && decode(&good_jpeg).is_some());
        // Every cut of the PNG before its end is refused (its data and CRCs are checked).
        for len in 0..good_png.len() - 12 {
            assert!(decode(&good_png[..len]).is_none(), "length {len}");
        }
        // A JPEG cut anywhere, or any byte of either flipped: an answer, never a panic.
        for len in 0..good_jpeg.len() {
            let _ = decode(&good_jpeg[..len]);
            let _ = face_photo_problem(&good_jpeg[..len], date!(2026 - 11 - 26));
        }
        for good in [&good_png, &good_jpeg] {
            for i in 0..good.len() {
                let mut bytes = good.to_vec();
                bytes[i] ^= 0xA5;
                let _ = decode(&bytes);
                let _ = face_photo_problem(&bytes, date!(2026 - 11 - 26));
            }
        }
        for garbage in [
            &b""[..],
            b"\xFF\xD8",
            b"\xFF\xD8\xFF",
            b"\xFF\xD8\xFF\xE1\x00\x00",
            b"\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFgarbage",
            b"not an image at all",
        ] {
            assert!(decode(garbage).is_none());
            assert_eq!(
                face_photo_problem(garbage, date!(2026 - 11 - 26)),
                Some(PhotoProblem::Unreadable),
                "{garbage:02X?}"
            );
        }
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

        /// Random bytes behind a PNG or JPEG start, or none: every check answers, none panics,
        /// and nothing decodes to more pixels than its limit.
        #[test]
        fn random_bytes_never_panic(
            prefix in proptest::prop_oneof![
                proptest::strategy::Just(PNG_SIGNATURE.to_vec()),
                proptest::strategy::Just(png(300, 400)),
                proptest::strategy::Just(vec![0xFF, 0xD8, 0xFF]),
                proptest::strategy::Just(jpeg(480, 640, "2026:11:01 09:00:00", true)),
                proptest::strategy::Just(vec![]),
            ],
            body in proptest::collection::vec(proptest::arbitrary::any::<u8>(), 0..400),
        ) {
            let mut bytes = prefix;
            bytes.extend_from_slice(&body);
            let _ = face_photo_problem(&bytes, date!(2026 - 11 - 26));
            let _ = (image_size(&bytes), taken_on(&bytes));
            if let Some(img) = decode(&bytes) {
                proptest::prop_assert!(
                    u64::from(img.width()) * u64::from(img.height()) <= pixel_limit(&bytes)
                );
            }
        }
    }
}
