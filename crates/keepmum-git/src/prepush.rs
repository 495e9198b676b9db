//! The pre-push hook's standard input: which commits are about to be pushed.
//!
//! git runs `pre-push` with lines `<local ref> <local sha> <remote ref>
//! <remote sha>`. An all-zero local sha is a deletion (nothing to scan); an
//! all-zero remote sha is a new branch (scan what no remote-tracking ref
//! already has).

use crate::Selection;

/// One ref update from the pre-push hook's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushUpdate {
    /// Local ref name, e.g. `refs/heads/main`.
    pub local_ref: String,
    /// Local commit id being pushed.
    pub local_sha: String,
    /// Remote ref name.
    pub remote_ref: String,
    /// Remote commit id before the push (all zeros for a new ref).
    pub remote_sha: String,
}

fn is_zero(sha: &str) -> bool {
    !sha.is_empty() && sha.bytes().all(|b| b == b'0')
}

impl PushUpdate {
    /// True when the update deletes the remote ref.
    pub fn is_delete(&self) -> bool {
        is_zero(&self.local_sha)
    }

    /// The commits this update pushes, or `None` for a deletion.
    pub fn selection(&self) -> Option<Selection> {
        if self.is_delete() {
            return None;
        }
        let hidden = if is_zero(&self.remote_sha) {
            vec!["--remotes".to_string()]
        } else {
            vec![self.remote_sha.clone()]
        };
        Some(Selection::Commits {
            tips: vec![self.local_sha.clone()],
            hidden,
        })
    }
}

/// Parses the pre-push hook's standard input. Malformed lines are skipped.
///
/// ```
/// let input = "refs/heads/main 1111111111111111111111111111111111111111 refs/heads/main 0000000000000000000000000000000000000000\n";
/// let updates = keepmum_git::parse_pre_push(input);
/// assert_eq!(updates.len(), 1);
/// assert!(!updates[0].is_delete());
/// ```
pub fn parse_pre_push(input: &str) -> Vec<PushUpdate> {
    input
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let (lr, ls, rr, rs) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            let hex = |s: &str| s.len() >= 4 && s.bytes().all(|b| b.is_ascii_hexdigit());
            if parts.next().is_some() || !hex(ls) || !hex(rs) {
                return None;
            }
            Some(PushUpdate {
                local_ref: lr.to_string(),
                local_sha: ls.to_string(),
                remote_ref: rr.to_string(),
                remote_sha: rs.to_string(),
            })
        })
        .collect()
}

/// What a pre-push hook must scan, from its standard input: the commits of
/// each pushed update, or, when there is no update line at all (pre-commit
/// passes none for a push that holds a root commit, i.e. a new repository's
/// first push), every commit of `HEAD` that no remote-tracking ref has.
///
/// ```
/// let none = keepmum_git::pre_push_selections("");
/// assert_eq!(none.len(), 1); // HEAD, less every remote-tracking ref
/// ```
pub fn pre_push_selections(input: &str) -> Vec<Selection> {
    let updates = parse_pre_push(input);
    if updates.is_empty() {
        return vec![Selection::Commits {
            tips: vec!["HEAD".to_string()],
            hidden: vec!["--remotes".to_string()],
        }];
    }
    updates.iter().filter_map(|u| u.selection()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_without_update_lines_scans_what_no_remote_has() {
        match pre_push_selections("\n").as_slice() {
            [Selection::Commits { tips, hidden }] => {
                assert_eq!(tips, &["HEAD".to_string()]);
                assert_eq!(hidden, &["--remotes".to_string()]);
            }
            other => panic!("unexpected selections: {other:?}"),
        }
        let a = "a".repeat(40);
        let z = "0".repeat(40);
        let one = format!("refs/heads/x {a} refs/heads/x {z}\n");
        assert_eq!(pre_push_selections(&one).len(), 1);
    }

    #[test]
    fn parses_updates_and_skips_garbage() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let input = format!(
            "refs/heads/x {a} refs/heads/x {z}\nnot a line\nrefs/heads/y {z} refs/heads/y {a}\n"
        );
        let u = parse_pre_push(&input);
        assert_eq!(u.len(), 2);
        assert_eq!(
            u[0].selection(),
            Some(Selection::Commits {
                tips: vec![a.clone()],
                hidden: vec!["--remotes".into()]
            })
        );
        assert!(u[1].is_delete());
        assert_eq!(u[1].selection(), None);
    }
}
