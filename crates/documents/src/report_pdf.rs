//! Reports as A4 PDF: a title, labelled facts, and tables that run over as many pages as they
//! need (each page repeats the title and the table's header, and says "page n of N"). The
//! 就業履歴 certificate and the 現場利用料 statement are written with it; every word comes from
//! the caller, in the reader's language. Text is set in the shipped font (see
//! [`crate::card_pdf`]): a character it lacks prints as 〓, a cell too long for its column is
//! cut with "…" after two lines. The same report gives the same bytes.

use crate::typeset::{self, Face, Op};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;
const BODY_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Where a page's content stops: the footer is below.
const BOTTOM: f32 = PAGE_H - MARGIN - 18.0;
const FACT_LABEL_W: f32 = 130.0;
const FACT_SIZE: f32 = 10.0;
const CELL_SIZE: f32 = 8.5;
const CELL_PAD: f32 = 3.0;
const LINE_H: f32 = CELL_SIZE * 1.35;
/// Lines a cell may take before it is cut.
const CELL_LINES: usize = 2;

/// A column of a table: its heading, its share of the width, and whether its figures are set
/// flush right.
#[derive(Debug, Clone)]
pub struct Column {
    pub heading: String,
    pub weight: f32,
    pub right: bool,
}

impl Column {
    pub fn new(heading: impl Into<String>, weight: f32) -> Column {
        Column {
            heading: heading.into(),
            weight,
            right: false,
        }
    }
    /// A column of figures.
    pub fn figures(heading: impl Into<String>, weight: f32) -> Column {
        Column {
            right: true,
            ..Column::new(heading, weight)
        }
    }
}

/// A table with an optional heading above it; an empty table prints `empty` instead.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub heading: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub empty: String,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The title, on top of every page and in the document's metadata.
    pub title: String,
    /// The language of the words (`ja`, `en`), for the document's metadata.
    pub lang: String,
    /// Labelled lines under the title of the first page.
    pub facts: Vec<(String, String)>,
    pub tables: Vec<Table>,
    /// Words at the end, after the tables (e.g. who issued it).
    pub closing: Vec<String>,
    /// The footer of each page, with `{page}` and `{pages}` replaced.
    pub footer: String,
}

struct Pages<'f> {
    face: &'f Face,
    title: String,
    pages: Vec<Vec<Op>>,
    top: f32,
}

impl Pages<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, s: &str, gray: f32) {
        let text = self.face.printed(s);
        self.ops().push(Op::Text {
            x,
            baseline,
            size,
            text,
            gray,
        });
    }

    fn rule(&mut self, y: f32, width: f32, gray: f32) {
        self.ops().push(Op::Line {
            x1: MARGIN,
            y1: y,
            x2: PAGE_W - MARGIN,
            y2: y,
            width,
            gray,
        });
    }

    /// A new page, with the title on top.
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.top = MARGIN;
        let first = self.pages.len() == 1;
        let size = if first { 16.0 } else { 11.0 };
        let title = self.title.clone();
        for line in self.face.wrap(&title, size, BODY_W, 2) {
            self.text(MARGIN, self.top + size, size, &line, 0.0);
            self.top += size * 1.45;
        }
        self.top += 3.0;
        self.rule(self.top, if first { 1.0 } else { 0.5 }, 0.0);
        self.top += 10.0;
    }

    /// Room for `h` more points on this page, or a new page.
    fn room(&mut self, h: f32) -> bool {
        if self.top + h > BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    fn fact(&mut self, label: &str, value: &str) {
        let labels = self.face.wrap(label, FACT_SIZE, FACT_LABEL_W - 6.0, 2);
        let values = self
            .face
            .wrap(value, FACT_SIZE, BODY_W - FACT_LABEL_W, usize::MAX);
        let lines = labels.len().max(values.len()).max(1);
        let h = lines as f32 * FACT_SIZE * 1.5;
        self.room(h);
        let top = self.top;
        for (i, l) in labels.iter().enumerate() {
            let baseline = top + FACT_SIZE + i as f32 * FACT_SIZE * 1.5;
            self.text(MARGIN, baseline, FACT_SIZE, l, 0.35);
        }
        for (i, v) in values.iter().enumerate() {
            let baseline = top + FACT_SIZE + i as f32 * FACT_SIZE * 1.5;
            self.text(MARGIN + FACT_LABEL_W, baseline, FACT_SIZE, v, 0.0);
        }
        self.top += h + 2.0;
    }

    /// A row of cells; `header` rows are shaded.
    fn row(&mut self, widths: &[f32], columns: &[Column], cells: &[String], header: bool) {
        let wrapped: Vec<Vec<String>> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let s = cells.get(i).map_or("", String::as_str);
                self.face
                    .wrap(s, CELL_SIZE, (w - 2.0 * CELL_PAD).max(1.0), CELL_LINES)
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = lines as f32 * LINE_H + 2.0 * CELL_PAD;
        let top = self.top;
        if header {
            self.ops().push(Op::FillRect {
                x: MARGIN,
                top,
                w: BODY_W,
                h,
                gray: 0.92,
            });
        }
        let mut x = MARGIN;
        for (i, cell) in wrapped.iter().enumerate() {
            let w = widths[i];
            let right = !header && columns.get(i).is_some_and(|c| c.right);
            for (n, line) in cell.iter().enumerate() {
                let baseline = top + CELL_PAD + CELL_SIZE + n as f32 * LINE_H;
                let lx = if right {
                    x + w - CELL_PAD - self.face.text_width(line, CELL_SIZE)
                } else {
                    x + CELL_PAD
                };
                self.text(lx, baseline, CELL_SIZE, line, 0.0);
            }
            x += w;
        }
        self.top += h;
        self.rule(self.top, 0.4, 0.7);
    }

    fn height_of(&self, widths: &[f32], cells: &[String]) -> f32 {
        let lines = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let s = cells.get(i).map_or("", String::as_str);
                self.face
                    .wrap(s, CELL_SIZE, (w - 2.0 * CELL_PAD).max(1.0), CELL_LINES)
                    .len()
            })
            .max()
            .unwrap_or(1)
            .max(1);
        lines as f32 * LINE_H + 2.0 * CELL_PAD
    }

    fn table(&mut self, t: &Table) {
        let total: f32 = t.columns.iter().map(|c| c.weight.max(0.0)).sum();
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| BODY_W * c.weight.max(0.0) / total.max(f32::MIN_POSITIVE))
            .collect();
        let headings: Vec<String> = t.columns.iter().map(|c| c.heading.clone()).collect();
        let header_h = self.height_of(&widths, &headings);
        // The heading, the header and the first row stay together.
        let first_h = t.rows.first().map_or(0.0, |r| self.height_of(&widths, r));
        self.room(24.0 + header_h + first_h);
        if !t.heading.is_empty() {
            let heading = t.heading.clone();
            self.text(MARGIN, self.top + 12.0, 12.0, &heading, 0.0);
            self.top += 20.0;
        }
        if t.rows.is_empty() {
            let empty = t.empty.clone();
            self.text(MARGIN, self.top + FACT_SIZE, FACT_SIZE, &empty, 0.35);
            self.top += FACT_SIZE * 2.0;
            return;
        }
        self.row(&widths, &t.columns, &headings, true);
        for r in &t.rows {
            let h = self.height_of(&widths, r);
            if self.room(h) {
                self.row(&widths, &t.columns, &headings, true);
            }
            self.row(&widths, &t.columns, r, false);
        }
        self.top += 14.0;
    }
}

/// The PDF bytes of a report; empty should the writer refuse (the tests show it does not).
pub fn render(r: &Report) -> Vec<u8> {
    let face = Face::new();
    let mut p = Pages {
        face: &face,
        title: r.title.clone(),
        pages: Vec::new(),
        top: MARGIN,
    };
    p.new_page();
    for (label, value) in &r.facts {
        p.fact(label, value);
    }
    p.top += 8.0;
    for t in &r.tables {
        p.table(t);
    }
    for line in &r.closing {
        for l in face.wrap(line, FACT_SIZE, BODY_W, usize::MAX) {
            p.room(FACT_SIZE * 1.6);
            p.text(MARGIN, p.top + FACT_SIZE, FACT_SIZE, &l, 0.0);
            p.top += FACT_SIZE * 1.6;
        }
    }
    let n = p.pages.len();
    for (i, ops) in p.pages.iter_mut().enumerate() {
        let footer = r
            .footer
            .replace("{page}", &(i + 1).to_string())
            .replace("{pages}", &n.to_string());
        let text = face.printed(&footer);
        let w = face.text_width(&text, 8.0);
        ops.push(Op::Text {
            x: PAGE_W - MARGIN - w,
            baseline: PAGE_H - MARGIN,
            size: 8.0,
            text,
            gray: 0.35,
        });
    }
    typeset::paint(&p.pages, (PAGE_W, PAGE_H), None, &face, &r.title, &r.lang).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(rows: usize) -> Report {
        Report {
            title: "就業履歴証明書".into(),
            lang: "ja".into(),
            facts: vec![
                ("氏名".into(), "建設 太郎".into()),
                ("技能者ID".into(), "1234 5678 9012 34".into()),
            ],
            tables: vec![Table {
                heading: "就業履歴".into(),
                columns: vec![
                    Column::new("就業日", 1.0),
                    Column::new("現場名", 3.0),
                    Column::figures("件数", 0.8),
                ],
                rows: (0..rows)
                    .map(|i| {
                        vec![
                            format!("2026-11-{:02}", i % 30 + 1),
                            format!("現場 {i} 号棟新築工事（とても長い名前の現場、二行を超えるときは切ります）"),
                            i.to_string(),
                        ]
                    })
                    .collect(),
                empty: "ありません".into(),
            }],
            closing: vec!["CCUS Portal が発行しました。".into()],
            footer: "{page} / {pages}".into(),
        }
    }

    #[test]
    fn a_report_reads_back_with_every_row_and_page_numbers() {
        let pdf = render(&report(120));
        assert!(pdf.starts_with(b"%PDF-"));
        let text = crate::testing::pdf_text(&pdf);
        for part in [
            "就業履歴証明書",
            "建設 太郎",
            "現場 0 号棟",
            "現場 119 号棟",
            "1 / ",
            "発行しました",
        ] {
            assert!(text.contains(part), "missing 「{part}」");
        }
        // Several pages, each numbered of all of them.
        let pages = text.matches(" / ").count();
        assert!(pages >= 3, "{pages} pages");
        assert!(text.contains(&format!("{pages} / {pages}")));
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        assert_eq!(render(&report(10)), render(&report(10)));
    }

    #[test]
    fn an_empty_table_says_so_and_odd_characters_print() {
        let mut r = report(0);
        r.facts.push(("名前".into(), "😀\u{7}한국".into()));
        let text = crate::testing::pdf_text(&render(&r));
        assert!(text.contains("ありません"));
        assert!(text.contains('〓'));
    }
}
