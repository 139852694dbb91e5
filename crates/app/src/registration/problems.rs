//! What is wrong with an item or a photo, as a catalog message.

use super::*;

/// The problem of one item of an application, for the page. Its `label` argument is the
/// item's Japanese label; a page in another language puts its own label in its place.
pub fn field_problem_msg(field: Field, problem: FieldProblem) -> Msg {
    let key = match problem {
        FieldProblem::TooLong => "apply-problem-too-long",
        FieldProblem::BadCharacters => "apply-problem-bad-characters",
        FieldProblem::Required => "apply-problem-required",
        FieldProblem::Choose => "apply-problem-choose",
        FieldProblem::ResidenceCardRequired => "apply-problem-residence-card-required",
        FieldProblem::FuriganaNotKana => "apply-problem-furigana",
        FieldProblem::BirthDateFormat => "apply-problem-birth-date-format",
        FieldProblem::BirthDateInFuture => "apply-problem-birth-date-future",
        FieldProblem::TooYoung => "apply-problem-too-young",
        FieldProblem::TooOld => "apply-problem-too-old",
        FieldProblem::PostalCode => "apply-problem-postal-code",
        FieldProblem::Phone => "apply-problem-phone",
        FieldProblem::ResidenceCardFormat => "apply-problem-residence-card",
        FieldProblem::EmployerFormat => "apply-problem-employer",
        FieldProblem::EmployerIsTechnician => "apply-problem-employer-technician",
        FieldProblem::CapitalFormat => "apply-problem-capital",
        FieldProblem::CapitalTooLarge => "apply-problem-capital-too-large",
    };
    Msg::new(key)
        .arg("label", field.label_ja())
        .arg("max", field.max_chars())
}

/// Why a face photo cannot be used, for the page.
pub fn photo_problem_msg(problem: PhotoProblem) -> Msg {
    use ccus_documents::photo::{MIN_PHOTO_HEIGHT, MIN_PHOTO_WIDTH};
    match problem {
        PhotoProblem::TooSmall { width, height } => Msg::new("apply-photo-too-small")
            .arg("width", width)
            .arg("height", height)
            .arg("min_width", MIN_PHOTO_WIDTH)
            .arg("min_height", MIN_PHOTO_HEIGHT),
        PhotoProblem::Sideways => Msg::new("apply-photo-sideways"),
        PhotoProblem::Unreadable => Msg::new("apply-photo-unreadable"),
        PhotoProblem::TooOld { taken } => Msg::new("apply-photo-too-old")
            .arg("year", taken.year())
            .arg("month", u8::from(taken.month()))
            .arg("day", taken.day())
            .arg("date", format_date(taken)),
        PhotoProblem::TakenInFuture { taken } => Msg::new("apply-photo-future")
            .arg("year", taken.year())
            .arg("month", u8::from(taken.month()))
            .arg("day", taken.day())
            .arg("date", format_date(taken)),
        PhotoProblem::ImpossibleSize { width, height } => Msg::new("apply-photo-impossible")
            .arg("width", width)
            .arg("height", height),
        PhotoProblem::TooManyPixels { width, height, max } => {
            Msg::new("apply-photo-too-many-pixels")
                .arg("width", width)
                .arg("height", height)
                .arg("megapixels", max / 1_000_000)
                .arg("man", max / 10_000)
        }
    }
}
