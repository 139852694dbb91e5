//! The documents of CCUS Portal that come from or go to people as files: face photos (what
//! their headers declare, their EXIF date, decoding them within limits) and the card notice
//! PDF. Everything here reads hostile bytes or writes a file format, so it is done with
//! maintained libraries (`image`, `imagesize`, `kamadak-exif`, `krilla`), not by hand; it is
//! kept out of `ccus-domain`, whose rules stay free of file formats.

pub mod card_pdf;
pub mod photo;
pub mod report_pdf;
mod typeset;

#[cfg(any(test, feature = "test-support"))]
pub mod testing;
