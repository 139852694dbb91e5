//! For tests: the text a PDF reader extracts from a card notice written by
//! [`crate::card_pdf::render`], through the fonts' ToUnicode maps, as a PDF reader copies it.
//!
//! This reads only what our writer writes (direct `/Length`, Flate or no filter, two-byte
//! glyph codes): it is a test's eye on our own output, never a reader for others' files.

use std::io::Read as _;

/// The streams of a PDF, decoded: (dictionary text, data).
fn streams(pdf: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = find(&pdf[pos..], b"stream") {
        let at = pos + found;
        let before = &pdf[..at];
        let trimmed = before.trim_ascii_end();
        let after = &pdf[at + 6..];
        let data_start = if after.starts_with(b"\r\n") {
            at + 8
        } else if after.starts_with(b"\n") {
            at + 7
        } else {
            pos = at + 6;
            continue;
        };
        if !trimmed.ends_with(b">>") {
            pos = at + 6;
            continue;
        }
        let dict_start = rfind(before, b" obj").unwrap_or(0);
        let dict = String::from_utf8_lossy(&before[dict_start..]).into_owned();
        let Some(len) = dict
            .find("/Length ")
            .and_then(|i| dict[i + 8..].split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<usize>().ok())
        else {
            pos = at + 6;
            continue;
        };
        let Some(raw) = pdf.get(data_start..data_start + len) else {
            break;
        };
        let data = if dict.contains("/FlateDecode") {
            let mut inflated = Vec::new();
            match flate2::read::ZlibDecoder::new(raw).read_to_end(&mut inflated) {
                Ok(_) => inflated,
                Err(_) => Vec::new(),
            }
        } else {
            raw.to_vec()
        };
        out.push((dict, data));
        pos = data_start + len;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn hex_tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        out.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    out
}

fn hex_u32(h: &str) -> Option<u32> {
    u32::from_str_radix(h, 16).ok()
}

fn utf16_hex(h: &str) -> String {
    let units: Vec<u16> = (0..h.len() / 4)
        .filter_map(|i| u16::from_str_radix(&h[i * 4..i * 4 + 4], 16).ok())
        .collect();
    String::from_utf16_lossy(&units)
}

/// Glyph code → text, from every ToUnicode CMap in the file.
fn to_unicode(streams: &[(String, Vec<u8>)]) -> std::collections::HashMap<u32, String> {
    let mut map = std::collections::HashMap::new();
    for (_, data) in streams {
        let text = String::from_utf8_lossy(data);
        if !text.contains("begincmap") {
            continue;
        }
        for block in text.split("beginbfchar").skip(1) {
            let block = block.split("endbfchar").next().unwrap_or("");
            for pair in hex_tokens(block).chunks(2) {
                if let [code, dst] = pair {
                    if let Some(code) = hex_u32(code) {
                        map.insert(code, utf16_hex(dst));
                    }
                }
            }
        }
        for block in text.split("beginbfrange").skip(1) {
            let block = block.split("endbfrange").next().unwrap_or("");
            for line in block.lines() {
                let tokens = hex_tokens(line);
                let (Some(lo), Some(hi)) = (
                    tokens.first().and_then(|t| hex_u32(t)),
                    tokens.get(1).and_then(|t| hex_u32(t)),
                ) else {
                    continue;
                };
                if line.contains('[') {
                    for (code, dst) in (lo..=hi).zip(&tokens[2..]) {
                        map.insert(code, utf16_hex(dst));
                    }
                } else if let Some(first) = tokens.get(2) {
                    let base: Vec<u16> = (0..first.len() / 4)
                        .filter_map(|i| u16::from_str_radix(&first[i * 4..i * 4 + 4], 16).ok())
                        .collect();
                    for (k, code) in (lo..=hi).enumerate() {
                        let mut units = base.clone();
                        if let Some(last) = units.last_mut() {
                            *last = last.wrapping_add(k as u16);
                        }
                        map.insert(code, String::from_utf16_lossy(&units));
                    }
                }
            }
        }
    }
    map
}

/// The bytes of a literal string starting after its `(`, and the index after its `)`.
fn literal(data: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 0usize;
    while let Some(&b) = data.get(i) {
        i += 1;
        match b {
            b'\\' => {
                let Some(&e) = data.get(i) else { break };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match data.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push((v & 0xFF) as u8);
                    }
                    b'\r' | b'\n' => {}
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                out.push(b);
            }
            _ => out.push(b),
        }
    }
    (out, i)
}

/// The text shown on the pages, one line per positioned run of text.
pub fn pdf_text(pdf: &[u8]) -> String {
    let streams = streams(pdf);
    let map = to_unicode(&streams);
    let mut out = String::new();
    let show = |codes: &[u8], out: &mut String| {
        for pair in codes.chunks_exact(2) {
            if let Some(text) = map.get(&u32::from(u16::from_be_bytes([pair[0], pair[1]]))) {
                out.push_str(text);
            }
        }
    };
    for (_, data) in &streams {
        if !contains(data, b"BT") || contains(data, b"begincmap") {
            continue;
        }
        let mut i = 0;
        let mut word = Vec::new();
        while let Some(&b) = data.get(i) {
            i += 1;
            match b {
                b'(' => {
                    let (bytes, next) = literal(data, i);
                    show(&bytes, &mut out);
                    i = next;
                }
                b'<' if data.get(i) == Some(&b'<') => {
                    // A dictionary (marked-content properties): skip it whole.
                    i = find(&data[i..], b">>").map_or(data.len(), |e| i + e + 2);
                }
                b'<' => {
                    let end = find(&data[i..], b">").map_or(data.len(), |e| i + e);
                    let hex = String::from_utf8_lossy(&data[i..end]).into_owned();
                    let bytes: Vec<u8> = (0..hex.len() / 2)
                        .filter_map(|k| u8::from_str_radix(&hex[k * 2..k * 2 + 2], 16).ok())
                        .collect();
                    show(&bytes, &mut out);
                    i = end + 1;
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'*' => word.push(b),
                _ => {
                    if matches!(&word[..], b"ET" | b"Td" | b"TD" | b"Tm" | b"T*")
                        && !out.is_empty()
                        && !out.ends_with('\n')
                    {
                        out.push('\n');
                    }
                    word.clear();
                }
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}
