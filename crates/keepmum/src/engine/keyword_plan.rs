//! The part of building a keyword index (`prefilter::KeywordIndex`) that
//! depends on the keywords alone: the distinct lowercase keywords, the rules
//! each one wakes, and the (folded window, keyword) entries in lookup order.
//!
//! The build script includes this file and plans the built-in keywords once
//! (`rules::builtin::keyword_plan`): an engine of every built-in rule then
//! sorts nothing when it starts (the entries' sort alone was ~0.33 million
//! instructions of every hook process). Other keyword sets are planned when
//! their index is built.

/// A window's four bytes, case-folded by OR-ing `0x20` (a folded window
/// always has bit 5 of every byte set, so it is never 0).
#[inline(always)]
pub(crate) fn fold4(b: [u8; 4]) -> u32 {
    u32::from_le_bytes(b) | 0x2020_2020
}

/// Bytes that may follow a 3-byte keyword: token characters
/// (`[A-Za-z0-9+/=_-]`) and `.`.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-' | b'.')
}

/// What a keyword index is built from.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct KeywordPlan {
    /// The distinct lowercase keywords, sorted.
    pub(crate) patterns: Vec<String>,
    /// For each pattern, the rules it wakes, end to end: pattern `p`'s are
    /// `rule_lists[rule_ends[p - 1]..rule_ends[p]]`.
    pub(crate) rule_lists: Vec<u32>,
    pub(crate) rule_ends: Vec<u32>,
    /// (folded first four bytes, pattern index) for every pattern (a 3-byte
    /// one once per token byte that may follow it), sorted by window, then
    /// longest pattern first, then pattern index: the first pattern of a
    /// window that matches is the longest.
    pub(crate) entries: Vec<(u32, u32)>,
    /// Each entry's pattern head, side by side with `entries`.
    pub(crate) heads: Vec<Head>,
}

/// A keyword's first 16 bytes folded (`| 0x20`), and which of them it has:
/// a window whose 16 folded bytes differ from them under the mask cannot
/// start the keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) bytes: [u64; 2],
    pub(crate) mask: [u64; 2],
}

impl Head {
    /// The head of `pattern`.
    pub(crate) fn of(pattern: &[u8]) -> Head {
        let n = pattern.len().min(16);
        let mut b = [0u8; 16];
        b[..n].copy_from_slice(&pattern[..n]);
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i * 8..i * 8 + 8]);
            u64::from_le_bytes(w)
        };
        // The low `k` bytes of a word.
        let mask = |k: usize| {
            if k >= 8 {
                u64::MAX
            } else {
                (1u64 << (8 * k)) - 1
            }
        };
        let mask = [mask(n.min(8)), mask(n.saturating_sub(8))];
        let fold = 0x2020_2020_2020_2020u64;
        Head {
            bytes: [(word(0) | fold) & mask[0], (word(1) | fold) & mask[1]],
            mask,
        }
    }
}

/// Plans an index of `keywords[i]` = (keyword, rule index).
pub(crate) fn plan<S: AsRef<str>>(keywords: &[(S, u32)]) -> KeywordPlan {
    // Lowercased once (borrowed when already lowercase, as the built-in
    // keywords are); sorting is cheap when they come sorted, as an engine
    // of built-in rules passes them.
    let lower: Vec<std::borrow::Cow<'_, str>> = keywords
        .iter()
        .map(|(k, _)| {
            let k = k.as_ref();
            if k.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(k.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(k)
            }
        })
        .collect();
    let (patterns, rule_lists, rule_ends) = patterns_and_rules(&lower, keywords);
    let mut entries: Vec<(u32, u32)> = Vec::new();
    for (i, k) in patterns.iter().enumerate() {
        let b = k.as_bytes();
        if b.len() >= 4 {
            entries.push((fold4([b[0], b[1], b[2], b[3]]), i as u32));
        } else if b.len() == 3 {
            for next in (0..=255u8).filter(|&n| is_token_byte(n)) {
                entries.push((fold4([b[0], b[1], b[2], next]), i as u32));
            }
        }
    }
    sort_longest_first(&mut entries, &patterns);
    let heads = entries
        .iter()
        .map(|&(_, p)| Head::of(patterns.get(p as usize).map_or(&[], |p| p.as_bytes())))
        .collect();
    KeywordPlan {
        patterns,
        rule_lists,
        rule_ends,
        entries,
        heads,
    }
}

/// The distinct keywords of `lower` (sorted) and, for each, the rules it
/// wakes: the rules of every keyword that is a prefix of it (itself
/// included), since an anchored leftmost-longest search reports only the
/// longest. Each list is in the order of `keywords`, first occurrence kept;
/// the lists are returned end to end, with each one's end.
///
/// Linear on sorted input (the built-in keywords come sorted): one stable
/// sort of indices, then one walk with a stack of the patterns that are
/// prefixes of the current one; no binary search per keyword.
fn patterns_and_rules<S>(
    lower: &[std::borrow::Cow<'_, str>],
    keywords: &[(S, u32)],
) -> (Vec<String>, Vec<u32>, Vec<u32>) {
    let mut order: Vec<u32> = (0..lower.len() as u32).collect();
    order.sort_by(|&a, &b| lower[a as usize].cmp(&lower[b as usize]));
    // Patterns, and for each the input indices that spell it (ascending:
    // the sort is stable).
    let mut uniq: Vec<String> = Vec::new();
    let mut own_start: Vec<usize> = Vec::new();
    for (n, &j) in order.iter().enumerate() {
        let k = &*lower[j as usize];
        if uniq.last().map(String::as_str) != Some(k) {
            uniq.push(k.to_string());
            own_start.push(n);
        }
    }
    own_start.push(order.len());
    let own = |p: usize| &order[own_start[p]..own_start[p + 1]];
    let rule_of = |j: u32| keywords[j as usize].1;
    let mut rule_lists: Vec<u32> = Vec::with_capacity(order.len());
    let mut rule_ends: Vec<u32> = Vec::with_capacity(uniq.len());
    let mut stack: Vec<usize> = Vec::new();
    let mut js: Vec<u32> = Vec::new();
    for p in 0..uniq.len() {
        while let Some(&top) = stack.last() {
            if uniq[p].starts_with(uniq[top].as_str()) {
                break;
            }
            stack.pop();
        }
        js.clear();
        js.extend_from_slice(own(p));
        if !stack.is_empty() {
            for &a in &stack {
                js.extend_from_slice(own(a));
            }
            js.sort_unstable();
        }
        let start = rule_lists.len();
        for &j in &js {
            let r = rule_of(j);
            if !rule_lists[start..].contains(&r) {
                rule_lists.push(r);
            }
        }
        rule_ends.push(rule_lists.len() as u32);
        stack.push(p);
    }
    (uniq, rule_lists, rule_ends)
}

/// Sorts `entries` (folded window, pattern index) by window, then longest
/// pattern first, then pattern index: the first pattern that matches is the
/// longest. One plain `u64` key per entry where the lengths and indices fit
/// (always, in practice), a tuple key otherwise.
fn sort_longest_first(entries: &mut [(u32, u32)], patterns: &[String]) {
    let len = |i: u32| patterns.get(i as usize).map_or(0, String::len);
    let packable = patterns.len() < (1 << 20) && patterns.iter().all(|p| p.len() < (1 << 12));
    if packable {
        let mut keyed: Vec<u64> = entries
            .iter()
            .map(|&(x, i)| (u64::from(x) << 32) | (((0xFFF - len(i)) as u64) << 20) | u64::from(i))
            .collect();
        keyed.sort_unstable();
        for (e, key) in entries.iter_mut().zip(keyed) {
            *e = ((key >> 32) as u32, (key & 0xF_FFFF) as u32);
        }
    } else {
        entries.sort_unstable_by_key(|&(x, i)| (x, usize::MAX - len(i), i));
    }
}
