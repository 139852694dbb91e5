//! Bulk import of people already registered elsewhere (CSV).

use super::*;

// ---- bulk import -------------------------------------------------------------------------------

/// One person of a bulk import (registered elsewhere, e.g. on paper).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub name: String,
    pub furigana: String,
    pub birth_date: String,
    pub email: String,
    pub employer: String,
}

/// The columns of an import file, in this order, after a header line.
pub const IMPORT_COLUMNS: [&str; 5] = ["name", "furigana", "birth_date", "email", "employer"];

/// Splits one CSV line (RFC 4180: fields may be quoted, `""` inside quotes is a quote).
pub(super) fn csv_fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                out.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    out.push(field);
    Ok(out)
}

/// Reads an import file: a header line naming [`IMPORT_COLUMNS`], then one person per line.
pub fn parse_import(text: &str) -> Result<Vec<ImportRow>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err("the file is empty".into());
    };
    let header = csv_fields(header)?;
    if header.iter().map(|h| h.trim()).ne(IMPORT_COLUMNS) {
        return Err(format!(
            "the first line must be the header {}",
            IMPORT_COLUMNS.join(",")
        ));
    }
    lines
        .map(|(i, l)| {
            let f = csv_fields(l).map_err(|e| format!("line {}: {e}", i + 1))?;
            if f.len() != IMPORT_COLUMNS.len() {
                return Err(format!(
                    "line {}: {} fields, expected {}",
                    i + 1,
                    f.len(),
                    IMPORT_COLUMNS.len()
                ));
            }
            Ok(ImportRow {
                line: i + 1,
                name: f[0].trim().to_owned(),
                furigana: f[1].trim().to_owned(),
                birth_date: f[2].trim().to_owned(),
                email: f[3].trim().to_owned(),
                employer: f[4].trim().to_owned(),
            })
        })
        .collect()
}

/// What became of one imported person.
#[derive(Debug)]
pub enum Imported {
    Created(Box<CreatedAccount>),
    /// Registered already (same 氏名, フリガナ and 生年月日): nothing was created.
    Duplicate,
    /// The row cannot be used; why.
    Invalid(String),
}

/// Creates a technician account for each person registered elsewhere, with an initial password
/// and 本人確認番号 to print on their card; a person registered already is skipped.
pub async fn import_registered(app: &App, rows: &[ImportRow]) -> AppResult<Vec<Imported>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let birth = parse_birth_date(&r.birth_date).map(format_date);
        if let Some(b) = &birth {
            let same = app
                .store()
                .registrations()
                .accounts_of_person(&search_key(&r.furigana), b)
                .await?;
            if same
                .iter()
                .any(|a| search_key(&a.name) == search_key(&r.name))
            {
                out.push(Imported::Duplicate);
                continue;
            }
        }
        let req = AccountRequest {
            kind: AccountKind::Technician,
            name: r.name.clone(),
            email: r.email.clone(),
            password: None,
            security_code: None,
            must_change_password: true,
            profile: ProfileRequest {
                furigana: r.furigana.clone(),
                birth_date: Some(r.birth_date.clone()),
                employer: Some(r.employer.clone()).filter(|e| !e.is_empty()),
            },
        };
        out.push(
            match crate::account::provisioning::create_account(app, req).await {
                Ok(c) => Imported::Created(Box::new(c)),
                Err(crate::account::provisioning::CreateError::Invalid(why)) => {
                    Imported::Invalid(why)
                }
                Err(crate::account::provisioning::CreateError::App(e)) => return Err(e),
            },
        );
    }
    Ok(out)
}
