//! Registration (技能者登録): what an application holds, what makes it complete, what it costs,
//! where it stands, and what a screener can say is wrong with it. Pure rules; the application
//! layer stores and moves applications.

use time::Date;

use crate::input::nfkc;
use crate::profile::{is_kana, parse_birth_date, search_key};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being filled in (一時保存); only the applicant sees it.
    Draft,
    /// Sent (申請); waiting for a screener.
    Submitted,
    /// Returned with 不備: the applicant fixes the items named and sends it again.
    Returned,
    /// Approved by a screener; the registration fee is awaited.
    Approved,
    /// 登録完了: the ID has been issued.
    Issued,
    /// Withdrawn by the applicant, or refused (e.g. already registered).
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Submitted,
        Status::Returned,
        Status::Approved,
        Status::Issued,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Approved => "approved",
            Status::Issued => "issued",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What the applicant reads on the status page.
    pub fn label_ja(self) -> &'static str {
        match self {
            Status::Draft => "作成中（一時保存）",
            Status::Submitted => "審査中",
            Status::Returned => "不備があります（修正をお願いします）",
            Status::Approved => "審査完了（登録料のお支払い待ち）",
            Status::Issued => "登録完了",
            Status::Closed => "終了",
        }
    }

    /// Whether the applicant may change the form now.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }
}

/// 簡略型 or 詳細型 registration of a technician.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Basic,
    Detailed,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Basic => "basic",
            Plan::Detailed => "detailed",
        }
    }
    pub fn parse(s: &str) -> Option<Plan> {
        match s {
            "basic" => Some(Plan::Basic),
            "detailed" => Some(Plan::Detailed),
            _ => None,
        }
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Plan::Basic => "簡略型",
            Plan::Detailed => "詳細型",
        }
    }
    /// The technician registration fee in yen (valid for 10 years).
    pub fn fee_yen(self) -> u32 {
        match self {
            Plan::Basic => 2_500,
            Plan::Detailed => 4_900,
        }
    }
}

/// One item of a technician's application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Plan,
    Name,
    Furigana,
    BirthDate,
    Gender,
    Nationality,
    ResidenceCard,
    PostalCode,
    Address,
    Phone,
    /// The person's own address: where 登録完了 and, for a 代行申請, the consent request go.
    Email,
    Employer,
    Insurance,
    Qualifications,
    // A business (事業者登録).
    CompanyName,
    CompanyFurigana,
    Representative,
    SoleProprietor,
    Capital,
    Permit,
    Trades,
    Contact,
}

/// What is applied for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationKind {
    /// 技能者登録.
    Technician,
    /// 事業者登録.
    Business,
}

impl ApplicationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationKind::Technician => "technician",
            ApplicationKind::Business => "business",
        }
    }
    pub fn parse(s: &str) -> Option<ApplicationKind> {
        match s {
            "technician" => Some(ApplicationKind::Technician),
            "business" => Some(ApplicationKind::Business),
            _ => None,
        }
    }
    /// 技能者登録 / 事業者登録.
    pub fn label_ja(self) -> &'static str {
        match self {
            ApplicationKind::Technician => "技能者登録",
            ApplicationKind::Business => "事業者登録",
        }
    }
    pub fn account_kind(self) -> crate::AccountKind {
        match self {
            ApplicationKind::Technician => crate::AccountKind::Technician,
            ApplicationKind::Business => crate::AccountKind::Business,
        }
    }
    /// The items of its form, in order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            ApplicationKind::Technician => &TECHNICIAN_FIELDS,
            ApplicationKind::Business => &BUSINESS_FIELDS,
        }
    }
}

const TECHNICIAN_FIELDS: [Field; 14] = [
    Field::Plan,
    Field::Name,
    Field::Furigana,
    Field::BirthDate,
    Field::Gender,
    Field::Nationality,
    Field::ResidenceCard,
    Field::PostalCode,
    Field::Address,
    Field::Phone,
    Field::Email,
    Field::Employer,
    Field::Insurance,
    Field::Qualifications,
];

const BUSINESS_FIELDS: [Field; 11] = [
    Field::CompanyName,
    Field::CompanyFurigana,
    Field::Representative,
    Field::SoleProprietor,
    Field::Capital,
    Field::Permit,
    Field::Trades,
    Field::PostalCode,
    Field::Address,
    Field::Phone,
    Field::Contact,
];

/// The business registration fee in yen (valid for 5 years), by capital (資本金); ¥0 only for a
/// 一人親方. A 個人事業主 with employees has no capital and pays the lowest tier.
pub fn business_fee_yen(capital_yen: u64, sole_proprietor: bool) -> u32 {
    if sole_proprietor {
        return 0;
    }
    BUSINESS_FEES
        .iter()
        .find(|(below, _)| capital_yen < *below)
        .map_or(TOP_BUSINESS_FEE, |(_, fee)| *fee)
}

const MAN: u64 = 10_000;

/// The fee tiers: (capital below which the tier applies, fee), in order.
pub const BUSINESS_FEES: [(u64, u32); 10] = [
    (500 * MAN, 6_000),
    (1_000 * MAN, 12_000),
    (2_000 * MAN, 24_000),
    (5_000 * MAN, 48_000),
    (10_000 * MAN, 60_000),
    (30_000 * MAN, 120_000),
    (100_000 * MAN, 240_000),
    (500_000 * MAN, 480_000),
    (1_000_000 * MAN, 600_000),
    (5_000_000 * MAN, 1_200_000),
];

/// The fee from ¥50 billion of capital up.
pub const TOP_BUSINESS_FEE: u32 = 2_400_000;

/// The largest 資本金 taken, in yen (100兆円, far above any company's): more is a typing mistake.
pub const MAX_CAPITAL_YEN: u64 = 100_000_000_000_000;

/// 資本金 as typed, in yen: digits with optional commas (full-width digits too), optionally
/// ending in 円, or a number of 万 (`300万`). `None` for anything else: a sign, a decimal, a
/// letter, an empty value, or more than [`MAX_CAPITAL_YEN`].
pub fn parse_yen(s: &str) -> Option<u64> {
    let n = nfkc(s.trim());
    let n = n.trim();
    let n = n.strip_suffix('円').unwrap_or(n).trim_end();
    let (digits, unit) = match n.strip_suffix('万') {
        Some(man) => (man.trim_end(), MAN),
        None => (n, 1),
    };
    let digits: String = digits.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits
        .parse::<u64>()
        .ok()?
        .checked_mul(unit)
        .filter(|yen| *yen <= MAX_CAPITAL_YEN)
}

/// Whether 資本金 as typed is a number at all (so a value over [`MAX_CAPITAL_YEN`] can be told
/// apart from one that is not a number).
fn capital_is_number(s: &str) -> bool {
    let n = nfkc(s.trim());
    let n = n.trim();
    let n = n.strip_suffix('円').unwrap_or(n).trim_end();
    let n = n.strip_suffix('万').unwrap_or(n).trim_end();
    !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == ',')
}

impl Field {
    /// Every item of every kind.
    pub const ALL: [Field; 22] = [
        Field::Plan,
        Field::Name,
        Field::Furigana,
        Field::BirthDate,
        Field::Gender,
        Field::Nationality,
        Field::ResidenceCard,
        Field::PostalCode,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::Employer,
        Field::Insurance,
        Field::Qualifications,
        Field::CompanyName,
        Field::CompanyFurigana,
        Field::Representative,
        Field::SoleProprietor,
        Field::Capital,
        Field::Permit,
        Field::Trades,
        Field::Contact,
    ];

    /// The form field's name.
    pub fn key(self) -> &'static str {
        match self {
            Field::Plan => "plan",
            Field::Name => "name",
            Field::Furigana => "furigana",
            Field::BirthDate => "birth_date",
            Field::Gender => "gender",
            Field::Nationality => "nationality",
            Field::ResidenceCard => "residence_card",
            Field::PostalCode => "postal_code",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Employer => "employer",
            Field::Insurance => "insurance",
            Field::Qualifications => "qualifications",
            Field::CompanyName => "company_name",
            Field::CompanyFurigana => "company_furigana",
            Field::Representative => "representative",
            Field::SoleProprietor => "sole_proprietor",
            Field::Capital => "capital",
            Field::Permit => "permit",
            Field::Trades => "trades",
            Field::Contact => "contact",
        }
    }

    pub fn parse(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Field::Plan => "登録の種類",
            Field::Name => "氏名",
            Field::Furigana => "フリガナ",
            Field::BirthDate => "生年月日",
            Field::Gender => "性別",
            Field::Nationality => "国籍",
            Field::ResidenceCard => "在留カード番号",
            Field::PostalCode => "郵便番号",
            Field::Address => "住所",
            Field::Phone => "電話番号",
            Field::Email => "本人のメールアドレス",
            Field::Employer => "所属事業者の事業者ID",
            Field::Insurance => "社会保険の加入状況",
            Field::Qualifications => "保有資格",
            Field::CompanyName => "商号（会社名・屋号）",
            Field::CompanyFurigana => "商号のフリガナ",
            Field::Representative => "代表者氏名",
            Field::SoleProprietor => "事業の形態",
            Field::Capital => "資本金",
            Field::Permit => "建設業許可番号",
            Field::Trades => "許可業種",
            Field::Contact => "登録責任者の氏名",
        }
    }

    /// Longest value accepted, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            Field::Qualifications => 2_000,
            Field::Address => 200,
            Field::Email => 254,
            _ => 100,
        }
    }
}

/// Why a screener returns an item (不備の理由).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefectCode {
    /// 記載漏れ
    Missing,
    /// 本人確認書類と一致しない
    Mismatch,
    /// 書類が不鮮明・不足
    Document,
    /// 有効期限切れ
    Expired,
    /// その他
    Other,
}

impl DefectCode {
    pub const ALL: [DefectCode; 5] = [
        DefectCode::Missing,
        DefectCode::Mismatch,
        DefectCode::Document,
        DefectCode::Expired,
        DefectCode::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DefectCode::Missing => "missing",
            DefectCode::Mismatch => "mismatch",
            DefectCode::Document => "document",
            DefectCode::Expired => "expired",
            DefectCode::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<DefectCode> {
        DefectCode::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            DefectCode::Missing => "記載漏れ",
            DefectCode::Mismatch => "本人確認書類の内容と一致しません",
            DefectCode::Document => "書類が不鮮明、または不足しています",
            DefectCode::Expired => "有効期限が切れています",
            DefectCode::Other => "その他",
        }
    }
}

/// Choices of the select fields: (value, label).
pub const GENDERS: &[(&str, &str)] = &[
    ("male", "男性"),
    ("female", "女性"),
    ("other", "その他・回答しない"),
];
pub const SOLE: &[(&str, &str)] = &[
    ("company", "法人・個人事業主（従業員あり）"),
    ("sole", "一人親方"),
];
pub const INSURANCE: &[(&str, &str)] = &[
    ("enrolled", "健康保険・年金保険・雇用保険に加入"),
    ("partly", "一部に加入（適用除外を含む）"),
    ("none", "未加入"),
];

/// The label of a select value, or the value itself.
pub fn choice_label(choices: &[(&'static str, &'static str)], value: &str) -> String {
    choices
        .iter()
        .find(|(v, _)| *v == value)
        .map_or_else(|| value.to_owned(), |(_, l)| (*l).to_owned())
}

/// Whether a nationality means 日本 (as a Japanese or an English speaker writes it).
pub fn is_japanese(nationality: &str) -> bool {
    let n = nfkc(nationality.trim()).to_lowercase();
    matches!(
        n.as_str(),
        "日本"
            | "日本国"
            | "日本国籍"
            | "にほん"
            | "にっぽん"
            | "ニホン"
            | "ニッポン"
            | "japan"
            | "japanese"
            | "jp"
            | "jpn"
    )
}

/// What is wrong with one value of an application. Its words are chosen by whoever shows it
/// ([`FieldProblem::message_ja`] in Japanese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// Longer than [`Field::max_chars`].
    TooLong,
    /// Holds control characters.
    BadCharacters,
    /// Empty while required.
    Required,
    /// A choice is empty or not one of the choices.
    Choose,
    /// Empty for a foreign national.
    ResidenceCardRequired,
    FuriganaNotKana,
    BirthDateFormat,
    BirthDateInFuture,
    /// Younger than 15.
    TooYoung,
    /// Older than 100.
    TooOld,
    PostalCode,
    Phone,
    ResidenceCardFormat,
    /// The employer is not a 14-digit ID.
    EmployerFormat,
    /// The employer is a 技能者ID.
    EmployerIsTechnician,
    /// 資本金 is not a number of yen.
    CapitalFormat,
    /// 資本金 is over [`MAX_CAPITAL_YEN`].
    CapitalTooLarge,
}

impl FieldProblem {
    /// The problem of `field`, in the words the applicant reads in Japanese.
    pub fn message_ja(self, field: Field) -> String {
        let label = field.label_ja();
        match self {
            FieldProblem::TooLong => {
                format!("{label}は{}文字以内で入力してください。", field.max_chars())
            }
            FieldProblem::BadCharacters => format!("{label}に使えない文字が含まれています。"),
            FieldProblem::Required => format!("{label}を入力してください。"),
            FieldProblem::Choose => format!("{label}を選んでください。"),
            FieldProblem::ResidenceCardRequired => {
                "日本国籍以外の方は、在留カード番号を入力してください。".to_owned()
            }
            FieldProblem::FuriganaNotKana => "フリガナはカタカナで入力してください。".to_owned(),
            FieldProblem::BirthDateFormat => {
                "生年月日は「1985-04-01」のように、年・月・日で入力してください。".to_owned()
            }
            FieldProblem::BirthDateInFuture => "生年月日が未来の日付になっています。".to_owned(),
            FieldProblem::TooYoung => {
                "生年月日をご確認ください（15歳未満の方は登録できません）。".to_owned()
            }
            FieldProblem::TooOld => "生年月日の年をご確認ください。".to_owned(),
            FieldProblem::PostalCode => {
                "郵便番号は7桁の数字で入力してください（例: 100-0013）。".to_owned()
            }
            FieldProblem::Phone => {
                "電話番号は0から始まる10桁または11桁の数字で入力してください。".to_owned()
            }
            FieldProblem::ResidenceCardFormat => {
                "在留カード番号は、英字2文字・数字8桁・英字2文字の12文字です（例: AB12345678CD）。"
                    .to_owned()
            }
            FieldProblem::EmployerFormat => {
                "事業者IDは14桁の数字です。分からない場合は空欄のままにしてください。".to_owned()
            }
            FieldProblem::EmployerIsTechnician => {
                "入力されたIDは技能者IDです。所属事業者の事業者IDを入力してください。".to_owned()
            }
            FieldProblem::CapitalFormat => {
                "資本金は円単位の数字で入力してください（例: 10,000,000）。資本金のない個人事業主は0です。"
                    .to_owned()
            }
            FieldProblem::CapitalTooLarge => {
                "資本金が大きすぎます。円単位で入力されているか確認してください。".to_owned()
            }
        }
    }
}

/// The problems of one value, as the applicant reads them in Japanese; `None` when fine.
/// `complete` asks for every required item (on 申請); a draft only checks what was typed.
pub fn check_field(
    field: Field,
    value: &str,
    all: &dyn Fn(Field) -> String,
    today: Date,
    complete: bool,
) -> Option<String> {
    field_problem(field, value, all, today, complete).map(|p| p.message_ja(field))
}

/// What is wrong with one value, if anything; see [`check_field`].
pub fn field_problem(
    field: Field,
    value: &str,
    all: &dyn Fn(Field) -> String,
    today: Date,
    complete: bool,
) -> Option<FieldProblem> {
    let v = value.trim();
    if v.chars().count() > field.max_chars() {
        return Some(FieldProblem::TooLong);
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Some(FieldProblem::BadCharacters);
    }
    let required = match field {
        Field::Employer | Field::Email | Field::Qualifications | Field::Permit | Field::Trades => {
            false
        }
        Field::ResidenceCard => {
            !is_japanese(&all(Field::Nationality)) && !all(Field::Nationality).trim().is_empty()
        }
        // A 一人親方 has no capital to state (and pays no fee).
        Field::Capital => all(Field::SoleProprietor) != "sole",
        _ => true,
    };
    if v.is_empty() {
        return (complete && required).then_some(match field {
            Field::ResidenceCard => FieldProblem::ResidenceCardRequired,
            Field::Plan | Field::Gender | Field::Insurance | Field::SoleProprietor => {
                FieldProblem::Choose
            }
            _ => FieldProblem::Required,
        });
    }
    match field {
        Field::Plan => Plan::parse(v).is_none().then_some(FieldProblem::Choose),
        Field::Gender => (!GENDERS.iter().any(|(g, _)| *g == v)).then_some(FieldProblem::Choose),
        Field::Insurance => {
            (!INSURANCE.iter().any(|(g, _)| *g == v)).then_some(FieldProblem::Choose)
        }
        Field::Furigana => (!is_kana(v)).then_some(FieldProblem::FuriganaNotKana),
        Field::BirthDate => match parse_birth_date(v) {
            None => Some(FieldProblem::BirthDateFormat),
            Some(d) if d > today => Some(FieldProblem::BirthDateInFuture),
            Some(d) if age_on(d, today) < 15 => Some(FieldProblem::TooYoung),
            Some(d) if age_on(d, today) > 100 => Some(FieldProblem::TooOld),
            Some(_) => None,
        },
        Field::PostalCode => {
            let digits: String = nfkc(v).chars().filter(|c| *c != '-').collect();
            (!(digits.len() == 7 && digits.chars().all(|c| c.is_ascii_digit())))
                .then_some(FieldProblem::PostalCode)
        }
        Field::Phone => {
            let digits: String = nfkc(v)
                .chars()
                .filter(|c| !matches!(c, '-' | ' ' | '(' | ')'))
                .collect();
            (!((10..=11).contains(&digits.len())
                && digits.chars().all(|c| c.is_ascii_digit())
                && digits.starts_with('0')))
            .then_some(FieldProblem::Phone)
        }
        Field::ResidenceCard => {
            // Two letters, eight digits, two letters (e.g. AB12345678CD).
            let n: Vec<char> = nfkc(v)
                .to_uppercase()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let ok = n.len() == 12
                && n[..2].iter().all(char::is_ascii_uppercase)
                && n[2..10].iter().all(char::is_ascii_digit)
                && n[10..].iter().all(char::is_ascii_uppercase);
            (!ok).then_some(FieldProblem::ResidenceCardFormat)
        }
        Field::Capital => match parse_yen(v) {
            Some(_) => None,
            None if capital_is_number(v) => Some(FieldProblem::CapitalTooLarge),
            None => Some(FieldProblem::CapitalFormat),
        },
        Field::Employer => {
            crate::LoginId::parse(v).map_or(Some(FieldProblem::EmployerFormat), |id| {
                (id.kind() != crate::AccountKind::Business)
                    .then_some(FieldProblem::EmployerIsTechnician)
            })
        }
        _ => None,
    }
}

fn age_on(birth: Date, today: Date) -> i32 {
    let mut age = today.year() - birth.year();
    if (today.month() as u8, today.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

/// How an application is matched against registered people and other applications: フリガナ
/// folded for search, and the birth date. The same key is a duplicate.
pub fn person_key(furigana: &str, birth_date: &str) -> String {
    match parse_birth_date(birth_date) {
        Some(d) if !furigana.trim().is_empty() => {
            format!(
                "{}|{}",
                search_key(furigana),
                crate::profile::format_date(d)
            )
        }
        _ => String::new(),
    }
}

/// Who a technician is, for "the same person registered twice": 氏名 and フリガナ each folded by
/// [`search_key`] — NFKC (full-width letters and digits, half-width kana), every space and
/// 「・」 removed, katakana read as hiragana, letters in lower case — and the 生年月日 as a date.
/// So 「田中　一郎／ﾀﾅｶ ｲﾁﾛｳ／1988年7月15日」 and 「田中一郎／たなか いちろう／1988-07-15」 are the
/// same person; a different kanji or a different day is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonIdentity {
    pub name_key: String,
    pub furigana_key: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
}

impl PersonIdentity {
    /// `None` while the name, the フリガナ or the date is missing or unreadable.
    pub fn of(name: &str, furigana: &str, birth_date: &str) -> Option<PersonIdentity> {
        let name_key = search_key(name);
        let furigana_key = search_key(furigana);
        if name_key.is_empty() || furigana_key.is_empty() {
            return None;
        }
        Some(PersonIdentity {
            name_key,
            furigana_key,
            birth_date: crate::profile::format_date(parse_birth_date(birth_date)?),
        })
    }

    /// The [`person_key`] of the same フリガナ and date (what other applications are found by).
    pub fn person_key(&self) -> String {
        format!("{}|{}", self.furigana_key, self.birth_date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn none(_: Field) -> String {
        String::new()
    }

    #[test]
    fn each_item_is_checked_as_the_applicant_types_it() {
        let today = date!(2026 - 11 - 26);
        let check = |f, v: &str| check_field(f, v, &none, today, true);
        assert!(check(Field::Furigana, "ケンセツ タロウ").is_none());
        assert!(check(Field::Furigana, "建設 太郎").is_some());
        assert!(check(Field::BirthDate, "1985年4月1日").is_none());
        assert!(check(Field::BirthDate, "2030-01-01")
            .unwrap()
            .contains("未来"));
        assert!(check(Field::BirthDate, "2020-01-01")
            .unwrap()
            .contains("15歳"));
        assert!(check(Field::PostalCode, "１００－００１３").is_none());
        assert!(check(Field::PostalCode, "100-001").is_some());
        assert!(check(Field::Phone, "090-1234-5678").is_none());
        assert!(check(Field::Phone, "1234").is_some());
        assert!(check(Field::Name, "").unwrap().contains("入力してください"));
        assert!(check(Field::Qualifications, "").is_none(), "optional");
        assert!(check(Field::Plan, "basic").is_none());
        assert!(check(Field::Plan, "gold").is_some());
        assert!(check(Field::ResidenceCard, "ab12345678cd").is_none());
        assert!(check(Field::ResidenceCard, "AB1234").is_some());
        // A draft does not ask for what is still empty.
        assert!(check_field(Field::Name, "", &none, today, false).is_none());
    }

    #[test]
    fn foreign_workers_give_their_residence_card() {
        let today = date!(2026 - 11 - 26);
        let vietnam = |f: Field| {
            if f == Field::Nationality {
                "ベトナム".into()
            } else {
                String::new()
            }
        };
        let japan = |f: Field| {
            if f == Field::Nationality {
                "日本".into()
            } else {
                String::new()
            }
        };
        assert!(check_field(Field::ResidenceCard, "", &vietnam, today, true).is_some());
        assert!(check_field(Field::ResidenceCard, "", &japan, today, true).is_none());
    }

    #[test]
    fn fees_and_keys() {
        assert_eq!(Plan::Basic.fee_yen(), 2_500);
        assert_eq!(Plan::Detailed.fee_yen(), 4_900);
        assert_eq!(
            person_key("ｹﾝｾﾂ ﾀﾛｳ", "1985/4/1"),
            person_key("けんせつたろう", "1985-04-01")
        );
        assert_eq!(person_key("", "1985-04-01"), "");
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for f in Field::ALL {
            assert_eq!(Field::parse(f.key()), Some(f));
        }
    }
}

#[cfg(test)]
mod business_tests {
    use super::*;
    use time::macros::date;

    /// CCUS's fee table for businesses, written out as published: (lowest capital of the
    /// tier in yen, fee in yen).
    const PUBLISHED: [(u64, u32); 11] = [
        (0, 6_000),
        (5_000_000, 12_000),
        (10_000_000, 24_000),
        (20_000_000, 48_000),
        (50_000_000, 60_000),
        (100_000_000, 120_000),
        (300_000_000, 240_000),
        (1_000_000_000, 480_000),
        (5_000_000_000, 600_000),
        (10_000_000_000, 1_200_000),
        (50_000_000_000, 2_400_000),
    ];

    #[test]
    fn every_tier_boundary_charges_the_published_fee() {
        for (i, (lowest, fee)) in PUBLISHED.iter().enumerate() {
            assert_eq!(business_fee_yen(*lowest, false), *fee, "capital {lowest}");
            if i > 0 {
                assert_eq!(
                    business_fee_yen(lowest - 1, false),
                    PUBLISHED[i - 1].1,
                    "capital {}",
                    lowest - 1
                );
            }
        }
        assert_eq!(business_fee_yen(MAX_CAPITAL_YEN, false), 2_400_000);
        assert_eq!(business_fee_yen(u64::MAX, false), 2_400_000);
        assert_eq!(business_fee_yen(0, true), 0);
        assert_eq!(business_fee_yen(50_000_000_000, true), 0);
    }

    proptest::proptest! {
        #[test]
        fn only_a_sole_proprietor_pays_nothing(capital in 0u64..=MAX_CAPITAL_YEN) {
            let fee = business_fee_yen(capital, false);
            let tier = PUBLISHED.iter().rev().find(|(lowest, _)| capital >= *lowest).map(|t| t.1);
            proptest::prop_assert_eq!(Some(fee), tier);
            proptest::prop_assert!(fee >= 6_000);
            proptest::prop_assert!(business_fee_yen(capital.saturating_add(1), false) >= fee);
            proptest::prop_assert_eq!(business_fee_yen(capital, true), 0);
        }

        #[test]
        fn capital_with_or_without_commas_reads_the_same(capital in 0u64..=MAX_CAPITAL_YEN) {
            let plain = capital.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let wide: String = grouped
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap(),
                    ',' => '，',
                    c => c,
                })
                .collect();
            proptest::prop_assert_eq!(parse_yen(&plain), Some(capital));
            proptest::prop_assert_eq!(parse_yen(&grouped), Some(capital));
            proptest::prop_assert_eq!(parse_yen(&format!("{grouped}円")), Some(capital));
            proptest::prop_assert_eq!(parse_yen(&wide), Some(capital));
            proptest::prop_assert_eq!(parse_yen(&format!("-{plain}")), None);
        }
    }

    #[test]
    fn capital_is_yen_in_digits_and_nothing_else() {
        assert_eq!(parse_yen("３００万"), Some(3_000_000));
        assert_eq!(parse_yen("3,000,000円"), Some(3_000_000));
        assert_eq!(parse_yen(" 0 "), Some(0));
        for bad in [
            "たくさん",
            "-1",
            "abc",
            "10^20",
            "1e9",
            "+5",
            "1.5",
            "",
            "円",
            "万",
            "100000000000000000000",
            "0x10",
        ] {
            assert_eq!(parse_yen(bad), None, "{bad:?}");
        }
        assert_eq!(
            parse_yen(&MAX_CAPITAL_YEN.to_string()),
            Some(MAX_CAPITAL_YEN)
        );
        assert_eq!(parse_yen(&(MAX_CAPITAL_YEN + 1).to_string()), None);
        let company = |f: Field| {
            if f == Field::SoleProprietor {
                "company".into()
            } else {
                String::new()
            }
        };
        let sole = |f: Field| {
            if f == Field::SoleProprietor {
                "sole".into()
            } else {
                String::new()
            }
        };
        let today = date!(2026 - 11 - 26);
        let problem = |v: &str, all: &dyn Fn(Field) -> String| {
            field_problem(Field::Capital, v, all, today, true)
        };
        assert_eq!(problem("-1", &company), Some(FieldProblem::CapitalFormat));
        assert_eq!(problem("abc", &company), Some(FieldProblem::CapitalFormat));
        assert_eq!(
            problem("10^20", &company),
            Some(FieldProblem::CapitalFormat)
        );
        assert_eq!(
            problem("100000000000000000000", &company),
            Some(FieldProblem::CapitalTooLarge)
        );
        assert_eq!(problem("", &company), Some(FieldProblem::Required));
        assert_eq!(problem("1,000,000", &company), None);
        // A 一人親方 need not state a capital, but what is typed must still be a number.
        assert_eq!(problem("", &sole), None);
        assert_eq!(problem("-1", &sole), Some(FieldProblem::CapitalFormat));
    }

    #[test]
    fn japanese_nationals_are_recognised_in_either_language() {
        for j in [
            "日本",
            "日本国",
            "Japan",
            "JAPANESE",
            "japanese",
            "にほん",
            "ＪＡＰＡＮ",
        ] {
            assert!(is_japanese(j), "{j}");
        }
        for f in ["ベトナム", "Vietnam", "Philippines", ""] {
            assert!(!is_japanese(f), "{f}");
        }
    }

    #[test]
    fn each_kind_asks_its_own_items() {
        assert!(ApplicationKind::Business.fields().contains(&Field::Capital));
        assert!(!ApplicationKind::Business
            .fields()
            .contains(&Field::BirthDate));
        assert!(!ApplicationKind::Technician
            .fields()
            .contains(&Field::Capital));
        let none = |_: Field| String::new();
        let today = date!(2026 - 11 - 26);
        assert!(check_field(Field::Capital, "300万", &none, today, true).is_none());
        assert!(check_field(Field::Permit, "", &none, today, true).is_none());
        assert!(check_field(
            Field::Permit,
            "東京都知事許可（般-5）第123456号",
            &none,
            today,
            true
        )
        .is_none());
        assert!(check_field(Field::SoleProprietor, "", &none, today, true).is_some());
    }

    #[test]
    fn the_same_person_is_told_by_folded_names_and_the_date() {
        let a = PersonIdentity::of("田中　一郎", "ﾀﾅｶ ｲﾁﾛｳ", "1988年7月15日").unwrap();
        let b = PersonIdentity::of("田中一郎", "たなか いちろう", "1988-07-15").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.person_key(), person_key("タナカ イチロウ", "1988/7/15"));
        let c = PersonIdentity::of("JOHN SMITH", "ジョン・スミス", "1990-01-02").unwrap();
        let d = PersonIdentity::of("John Smith", "ジョンスミス", "1990-1-2").unwrap();
        assert_eq!(c, d);
        assert_ne!(
            Some(a.clone()),
            PersonIdentity::of("田中 一朗", "タナカ イチロウ", "1988-07-15")
        );
        assert_ne!(
            Some(a),
            PersonIdentity::of("田中 一郎", "タナカ イチロウ", "1988-07-16")
        );
        assert_eq!(PersonIdentity::of("", "タナカ", "1988-07-15"), None);
        assert_eq!(PersonIdentity::of("田中", "タナカ", "someday"), None);
    }
}
