//! Markdown written by operators (お知らせ, FAQ) rendered to safe HTML: raw HTML in the source
//! is shown as text, images are dropped (their text stays), and links keep only `http(s)`,
//! `mailto` and same-site targets — so the output can never carry script.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://")
        || u.starts_with("http://")
        || u.starts_with("mailto:")
        || (u.starts_with('/') && !u.starts_with("//"))
        || u.starts_with('#')
}

/// Renders `md` to sanitised HTML.
pub fn render(md: &str) -> String {
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut dropped_links = 0usize;
    let mut in_image = 0usize;
    let events = parser.filter_map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if safe_url(&dest_url) {
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            } else {
                dropped_links += 1;
                None
            }
        }
        Event::End(TagEnd::Link) if dropped_links > 0 => {
            dropped_links -= 1;
            None
        }
        Event::Text(t) if in_image > 0 => Some(Event::Text(CowStr::from(t.to_string()))),
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_and_sanitises() {
        let h = render("# 見出し\n\n**重要** [ヘルプ](/faq) と [外部](https://ccus.jp/)\n");
        assert!(h.contains("<h1>見出し</h1>") && h.contains("<strong>重要</strong>"));
        assert!(h.contains("href=\"/faq\"") && h.contains("href=\"https://ccus.jp/\""));
        let bad = render("<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![img](https://x/y.png) <img src=x onerror=alert(1)>");
        assert!(
            !bad.contains("<script") && !bad.contains("<img") && !bad.contains("javascript:"),
            "{bad}"
        );
        assert!(bad.contains("&lt;script&gt;"));
    }
}
