//! A small line diff for `install --dry-run`: unified format with three
//! lines of context, computed with a longest-common-subsequence table.
//! Settings files are small; above a size cap the diff degrades to "remove
//! every old line, add every new line", which is still correct.

use std::fmt::Write;

/// Cells of the LCS table above which we stop looking for common lines.
const MAX_CELLS: usize = 4_000_000;

/// Lines of context around each change.
const CONTEXT: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Keep,
    Del,
    Add,
}

/// Unified diff of `old` and `new` labelled with `label`. Empty when equal.
pub(crate) fn unified(label: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = script(&a, &b);

    // Positions (index into ops) of every change, grouped into hunks.
    let mut out = String::new();
    let _ = writeln!(out, "--- {label}");
    let _ = writeln!(out, "+++ {label}");
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != Op::Keep).collect();
    let mut g = 0;
    while g < changed.len() {
        let start = changed[g].saturating_sub(CONTEXT);
        let mut end = changed[g];
        while g < changed.len() && changed[g] <= end + 2 * CONTEXT {
            end = changed[g];
            g += 1;
        }
        let end = (end + CONTEXT + 1).min(ops.len());
        let (mut a_start, mut b_start) = (0, 0);
        for &(op, _) in &ops[..start] {
            match op {
                Op::Keep => {
                    a_start += 1;
                    b_start += 1;
                }
                Op::Del => a_start += 1,
                Op::Add => b_start += 1,
            }
        }
        let a_len = ops[start..end].iter().filter(|o| o.0 != Op::Add).count();
        let b_len = ops[start..end].iter().filter(|o| o.0 != Op::Del).count();
        let _ = writeln!(
            out,
            "@@ -{},{a_len} +{},{b_len} @@",
            a_start + usize::from(a_len > 0),
            b_start + usize::from(b_len > 0)
        );
        for &(op, line) in &ops[start..end] {
            let sign = match op {
                Op::Keep => ' ',
                Op::Del => '-',
                Op::Add => '+',
            };
            let _ = writeln!(out, "{sign}{line}");
        }
    }
    out
}

/// The edit script turning `a` into `b`.
fn script<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Op, &'a str)> {
    let (n, m) = (a.len(), b.len());
    if (n + 1).saturating_mul(m + 1) > MAX_CELLS {
        let mut ops: Vec<(Op, &str)> = a.iter().map(|l| (Op::Del, *l)).collect();
        ops.extend(b.iter().map(|l| (Op::Add, *l)));
        return ops;
    }
    // lcs[i][j] = LCS length of a[i..] and b[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((Op::Keep, a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            ops.push((Op::Del, a[i]));
            i += 1;
        } else {
            ops.push((Op::Add, b[j]));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_give_no_diff() {
        assert_eq!(unified("f", "a\nb\n", "a\nb\n"), "");
    }

    #[test]
    fn one_added_line() {
        let d = unified("f", "a\nb\nc\n", "a\nb\nx\nc\n");
        assert_eq!(d, "--- f\n+++ f\n@@ -1,3 +1,4 @@\n a\n b\n+x\n c\n");
    }

    #[test]
    fn from_empty_file() {
        let d = unified("f", "", "{\n}\n");
        assert_eq!(d, "--- f\n+++ f\n@@ -0,0 +1,2 @@\n+{\n+}\n");
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let old: String = (0..20).map(|i| format!("l{i}\n")).collect();
        let new = old.replace("l1\n", "L1\n").replace("l18\n", "L18\n");
        let d = unified("f", &old, &new);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert!(d.contains("-l1\n+L1\n") && d.contains("-l18\n+L18\n"));
    }
}
