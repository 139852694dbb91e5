//! 「ログインできない方へ」: a short questionnaire that ends at the exact fix. The answers so far
//! travel in the page address (no JavaScript, nothing stored), [`next`] decides the next
//! question or the ending, and every ending is at most four questions away (tested by walking
//! every path).

/// Which entrance the person uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entrance {
    Technician,
    Business,
    Unknown,
}

/// What the screen says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// 「IDまたはパスワードが違います」
    WrongPassword,
    /// 「このIDは現在ロックされています」
    Locked,
    /// 「入力されたIDは…IDです」
    WrongEntrance,
    /// 「タイムアウトしました」
    Timeout,
    /// メンテナンス中
    Maintenance,
    /// 「この管理者IDは利用停止中です」
    Stopped,
    /// The ID itself is lost.
    NoId,
    /// Something else: a blank page, an old browser…
    Other,
}

/// Where the questionnaire ends: each one the exact fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// The right entrance, with the ID filled in.
    RightEntrance,
    /// パスワードをお忘れの方 (a reset link to the registered address).
    ResetForm,
    /// The unlock link in the lock mail, or waiting, or a reset.
    UnlockMail,
    /// IDをお忘れの方 (every ID of the address by mail).
    IdReminder,
    /// Log in again (after a timeout).
    LoginAgain,
    /// The maintenance notice.
    Maintenance,
    /// A stopped 管理者ID: the business's own 責任者 resumes it.
    AskBusiness,
    /// The inquiry form: the registered address no longer receives mail.
    InquiryEmail,
    /// The inquiry form: locked, and no mail.
    InquiryLock,
    /// The inquiry form: the ID is lost, and no mail.
    InquiryId,
    /// The inquiry form: something else (with the recommended browsers).
    InquiryOther,
}

impl Ending {
    pub const ALL: [Ending; 11] = [
        Ending::RightEntrance,
        Ending::ResetForm,
        Ending::UnlockMail,
        Ending::IdReminder,
        Ending::LoginAgain,
        Ending::Maintenance,
        Ending::AskBusiness,
        Ending::InquiryEmail,
        Ending::InquiryLock,
        Ending::InquiryId,
        Ending::InquiryOther,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::RightEntrance => "right_entrance",
            Ending::ResetForm => "reset_form",
            Ending::UnlockMail => "unlock_mail",
            Ending::IdReminder => "id_reminder",
            Ending::LoginAgain => "login_again",
            Ending::Maintenance => "maintenance",
            Ending::AskBusiness => "ask_business",
            Ending::InquiryEmail => "inquiry_email",
            Ending::InquiryLock => "inquiry_lock",
            Ending::InquiryId => "inquiry_id",
            Ending::InquiryOther => "inquiry_other",
        }
    }
    pub fn parse(s: &str) -> Option<Ending> {
        Ending::ALL.into_iter().find(|e| e.as_str() == s)
    }
    /// What a supervisor reads in the counts.
    pub fn label_ja(self) -> &'static str {
        match self {
            Ending::RightEntrance => "入口の間違い → 正しいログイン画面へ",
            Ending::ResetForm => "パスワードを忘れた → パスワード再設定",
            Ending::UnlockMail => "ロック → ロック解除のメール",
            Ending::IdReminder => "IDを忘れた → IDをメールで受け取る",
            Ending::LoginAgain => "タイムアウト → もう一度ログイン",
            Ending::Maintenance => "メンテナンス → お知らせ",
            Ending::AskBusiness => "管理者IDの利用停止 → 事業者の管理者へ",
            Ending::InquiryEmail => "メールが届かない（パスワード） → お問い合わせ",
            Ending::InquiryLock => "メールが届かない（ロック） → お問い合わせ",
            Ending::InquiryId => "メールが届かない（ID） → お問い合わせ",
            Ending::InquiryOther => "その他 → お問い合わせ",
        }
    }
    /// The inquiry category the form opens with from this ending: an inquiry ending's own, or,
    /// for a self-service fix, the one to ask under when the fix did not help.
    pub fn inquiry_category(self) -> Option<&'static str> {
        // A self-service fix that did not help leads to the inquiry under the category of the
        // same trouble, so the form never opens without one.
        Some(match self {
            Ending::InquiryEmail => "登録メールアドレス変更",
            Ending::InquiryLock | Ending::ResetForm | Ending::UnlockMail => "パスワード・ロック",
            Ending::InquiryId | Ending::IdReminder | Ending::RightEntrance => "ID照会",
            Ending::InquiryOther
            | Ending::LoginAgain
            | Ending::Maintenance
            | Ending::AskBusiness => "その他",
        })
    }
}

/// The answers so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answers {
    pub entrance: Option<Entrance>,
    pub screen: Option<Screen>,
    /// Can the person receive mail at the registered address?
    pub mail: Option<bool>,
}

/// The next question, or the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    AskEntrance,
    AskScreen,
    AskMail,
    /// Type the ID, to be sent to the right entrance with it filled in.
    AskId,
    End(Ending),
}

impl Step {
    /// The inquiry category of an inquiry ending.
    pub fn ending_category(self) -> Option<&'static str> {
        match self {
            Step::End(e) => e.inquiry_category(),
            _ => None,
        }
    }
}

/// Decides what comes after `a`.
pub fn next(a: &Answers) -> Step {
    let Some(entrance) = a.entrance else {
        return Step::AskEntrance;
    };
    let mail = |yes: Ending, no: Ending| match a.mail {
        None => Step::AskMail,
        Some(true) => Step::End(yes),
        Some(false) => Step::End(no),
    };
    if entrance == Entrance::Unknown {
        // Not knowing the entrance: the ID's first digit tells it; without the ID either,
        // the ID reminder sends every ID of the address.
        return if a.screen == Some(Screen::NoId) {
            mail(Ending::IdReminder, Ending::InquiryId)
        } else {
            Step::AskId
        };
    }
    let Some(screen) = a.screen else {
        return Step::AskScreen;
    };
    match screen {
        Screen::WrongPassword => mail(Ending::ResetForm, Ending::InquiryEmail),
        Screen::Locked => mail(Ending::UnlockMail, Ending::InquiryLock),
        Screen::NoId => mail(Ending::IdReminder, Ending::InquiryId),
        Screen::WrongEntrance => Step::AskId,
        Screen::Timeout => Step::End(Ending::LoginAgain),
        Screen::Maintenance => Step::End(Ending::Maintenance),
        Screen::Stopped => Step::End(Ending::AskBusiness),
        Screen::Other => Step::End(Ending::InquiryOther),
    }
}

impl Entrance {
    pub fn as_str(self) -> &'static str {
        match self {
            Entrance::Technician => "technician",
            Entrance::Business => "business",
            Entrance::Unknown => "unknown",
        }
    }
    pub fn parse(s: &str) -> Option<Entrance> {
        [Entrance::Technician, Entrance::Business, Entrance::Unknown]
            .into_iter()
            .find(|e| e.as_str() == s)
    }
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Screen::WrongPassword,
        Screen::Locked,
        Screen::WrongEntrance,
        Screen::Timeout,
        Screen::Maintenance,
        Screen::Stopped,
        Screen::NoId,
        Screen::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Screen::WrongPassword => "wrong_password",
            Screen::Locked => "locked",
            Screen::WrongEntrance => "wrong_entrance",
            Screen::Timeout => "timeout",
            Screen::Maintenance => "maintenance",
            Screen::Stopped => "stopped",
            Screen::NoId => "no_id",
            Screen::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Screen> {
        Screen::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Walks every path of answers; returns the endings with the most questions asked on the
    /// way to each (the ID question counts as one).
    fn walk(a: Answers, asked: usize, seen: &mut Vec<(Ending, usize)>) {
        match next(&a) {
            Step::End(e) => seen.push((e, asked)),
            Step::AskId => seen.push((Ending::RightEntrance, asked + 1)),
            Step::AskEntrance => {
                for e in [Entrance::Technician, Entrance::Business, Entrance::Unknown] {
                    walk(
                        Answers {
                            entrance: Some(e),
                            ..a
                        },
                        asked + 1,
                        seen,
                    );
                }
            }
            Step::AskScreen => {
                for s in Screen::ALL {
                    walk(
                        Answers {
                            screen: Some(s),
                            ..a
                        },
                        asked + 1,
                        seen,
                    );
                }
            }
            Step::AskMail => {
                for m in [true, false] {
                    walk(Answers { mail: Some(m), ..a }, asked + 1, seen);
                }
            }
        }
    }

    #[test]
    fn every_ending_is_reached_within_four_questions() {
        let mut seen = Vec::new();
        walk(Answers::default(), 0, &mut seen);
        let reached: HashSet<Ending> = seen.iter().map(|(e, _)| *e).collect();
        for e in Ending::ALL {
            assert!(reached.contains(&e), "{e:?} is never reached");
        }
        for (e, n) in &seen {
            assert!(*n <= 4, "{e:?} after {n} questions");
        }
    }

    #[test]
    fn three_answers_lead_to_an_ending() {
        let a = Answers {
            entrance: Some(Entrance::Technician),
            screen: Some(Screen::Locked),
            mail: Some(false),
        };
        assert_eq!(next(&a), Step::End(Ending::InquiryLock));
        for e in Ending::ALL {
            assert_eq!(Ending::parse(e.as_str()), Some(e));
        }
    }
}
