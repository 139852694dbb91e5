//! The shape of the code, checked: the application and web layers are feature folders over a
//! kernel with no import circles — neither between files nor between folders — and the paths
//! docs/architecture.md names exist.
//!
//! A module's references are read from its source: `crate::a::b` paths (also inside grouped
//! `use crate::{…}` imports) and `super::` paths, each resolved to the deepest source file it
//! names. A parent declaring its children (`mod x;`, `pub use x::…`) is not a reference, nor is
//! a test module (`tests.rs`, or the `#[cfg(test)] mod tests` at a file's end).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, by module path (`auth/login.rs` → `["auth", "login"]`,
/// `auth/mod.rs` → `["auth"]`, `lib.rs` → `[]`).
fn modules(src: &Path) -> BTreeMap<Module, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Module = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
            parts.pop();
        }
        if parts.last().is_some_and(|p| p == "tests") {
            continue;
        }
        let mut text = std::fs::read_to_string(&f).unwrap();
        if let Some(i) = text.find("#[cfg(test)]\nmod tests") {
            text.truncate(i);
        }
        // Comments name paths too; only code counts.
        let code: String = text
            .lines()
            .map(|l| match l.find("//") {
                Some(i) => &l[..i],
                None => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        out.insert(parts, code);
    }
    out
}

fn ident_chars(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(s.len())
}

/// The module paths a source mentions, relative to the crate root.
fn mentioned(module: &Module, code: &str) -> Vec<Module> {
    let mut out = Vec::new();
    let split = |p: &str| -> Module {
        p.split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `ccus_app::crate…` never happens; `mycrate::` is another word
        }
        let n = ident_chars(rest);
        let base = split(&rest[..n]);
        if rest[n..].starts_with('{') {
            let end = rest.find('}').unwrap_or(rest.len());
            for item in rest[n + 1..end].split(',') {
                let item = item.split(" as ").next().unwrap_or("").trim();
                if !item.is_empty() {
                    let mut p = base.clone();
                    p.extend(split(item));
                    out.push(p);
                }
            }
        } else {
            out.push(base);
        }
    }
    let mut rest = code;
    while let Some(i) = rest.find("super::") {
        let before = rest[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            rest = &rest[i + 7..];
            continue;
        }
        let mut up = 0;
        let mut r = &rest[i..];
        while let Some(x) = r.strip_prefix("super::") {
            up += 1;
            r = x;
        }
        let n = ident_chars(r);
        let mut p: Module = module[..module.len().saturating_sub(up)].to_vec();
        p.extend(split(&r[..n]));
        out.push(p);
        rest = r;
    }
    out
}

/// Which module (file) depends on which, parents' references to their own children left out.
fn graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mods = modules(src);
    let mut g = BTreeMap::new();
    for (m, code) in &mods {
        let mut to = BTreeSet::new();
        for path in mentioned(m, code) {
            let target = (0..=path.len())
                .rev()
                .map(|k| path[..k].to_vec())
                .find(|p| mods.contains_key(p));
            if let Some(t) = target {
                let own_child = t.len() > m.len() && t[..m.len()] == m[..];
                if !t.is_empty() && t != *m && !own_child {
                    to.insert(t);
                }
            }
        }
        g.insert(m.clone(), to);
    }
    g
}

/// Groups of nodes that reach each other (Tarjan), only those of two or more.
fn cycles<N: Ord + Clone>(g: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    struct T<'a, N> {
        g: &'a BTreeMap<N, BTreeSet<N>>,
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        stack: Vec<N>,
        on: BTreeSet<N>,
        out: Vec<Vec<N>>,
    }
    fn visit<N: Ord + Clone>(t: &mut T<'_, N>, v: &N) {
        let i = t.index.len();
        t.index.insert(v.clone(), i);
        t.low.insert(v.clone(), i);
        t.stack.push(v.clone());
        t.on.insert(v.clone());
        let next: Vec<N> = t.g.get(v).into_iter().flatten().cloned().collect();
        for w in next {
            if !t.index.contains_key(&w) {
                visit(t, &w);
                let lw = t.low[&w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(&w) {
                let iw = t.index[&w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = t.stack.pop().unwrap();
                t.on.remove(&w);
                let done = w == *v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// The same graph between top-level folders and kernel files (`lib.rs` left out: it declares
/// every folder).
fn folders(g: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut f: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, to) in g {
        let Some(a) = m.first() else { continue };
        for t in to {
            if t[0] != *a {
                f.entry(a.clone()).or_default().insert(t[0].clone());
            }
        }
    }
    f
}

fn show(c: &[Module]) -> String {
    c.iter()
        .map(|m| m.join("/"))
        .collect::<Vec<_>>()
        .join(" ↔ ")
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    for krate in ["crates/app/src", "crates/web/src"] {
        let g = graph(&root().join(krate));
        assert!(g.len() > 20, "{krate}: the modules were not found");
        let found: Vec<String> = cycles(&g).iter().map(|c| show(c)).collect();
        assert!(found.is_empty(), "{krate}: import circles: {found:#?}");
    }
}

#[test]
fn feature_folders_and_the_kernel_depend_one_way() {
    for krate in ["crates/app/src", "crates/web/src"] {
        let f = folders(&graph(&root().join(krate)));
        let found = cycles(&f);
        assert!(
            found.is_empty(),
            "{krate}: folders that need each other: {found:#?}"
        );
    }
}

#[test]
fn the_kernel_does_not_reach_into_a_feature() {
    // Kernel files sit at the crate root; features are folders with a `mod.rs`, but for the
    // web's shared presentation (`present/`), which is kernel. The router (web's routes.rs)
    // assembles the features and is the one kernel file allowed to name them.
    for krate in ["crates/app/src", "crates/web/src"] {
        let src = root().join(krate);
        let g = graph(&src);
        let feature = |name: &str| name != "present" && src.join(name).join("mod.rs").is_file();
        for (m, to) in &g {
            if m.len() != 1 || feature(&m[0]) || m[0] == "routes" {
                continue;
            }
            for t in to {
                assert!(
                    !feature(&t[0]),
                    "{krate}: the kernel file {}.rs uses the feature {}",
                    m[0],
                    t.join("/")
                );
            }
        }
    }
}

#[test]
fn the_reader_finds_references_and_circles() {
    let m: Module = vec!["auth".into(), "login".into()];
    let refs = mentioned(
        &m,
        "use crate::{a::b, c};\nlet x = super::passkeys::f(); crate::d::e();",
    );
    let refs: Vec<String> = refs.iter().map(|r| r.join("/")).collect();
    assert_eq!(refs, ["a/b", "c", "d/e", "auth/passkeys/f"]);
    let mut g: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    g.insert("a", ["b"].into());
    g.insert("b", ["c"].into());
    g.insert("c", ["a"].into());
    g.insert("d", ["a"].into());
    assert_eq!(cycles(&g).len(), 1);
    g.insert("c", BTreeSet::new());
    assert!(cycles(&g).is_empty());
}

#[test]
fn every_path_the_architecture_names_exists() {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let mut missing = Vec::new();
    for (i, part) in doc.split('`').enumerate() {
        // Text between backticks that looks like a path in the repository.
        if i % 2 == 0 || !(part.starts_with("crates/") || part.starts_with("bench/")) {
            continue;
        }
        // `crates/app/src/{auth,org}/` names several; `…/<language>/…` is a pattern.
        if part.contains('<') || part.contains('*') {
            continue;
        }
        let expanded: Vec<String> = match (part.find('{'), part.find('}')) {
            (Some(a), Some(b)) if a < b => part[a + 1..b]
                .split(',')
                .map(|x| format!("{}{}{}", &part[..a], x.trim(), &part[b + 1..]))
                .collect(),
            _ => vec![part.to_owned()],
        };
        for p in expanded {
            let p = p.split("::").next().unwrap_or(&p).trim_end_matches('/');
            if !root().join(p).exists() {
                missing.push(p.to_owned());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/architecture.md names paths that do not exist: {missing:#?}"
    );
}
