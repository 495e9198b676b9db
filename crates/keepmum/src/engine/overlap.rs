//! One finding per span: when findings of two rules overlap, the more
//! specific rule's is reported (see [`Specificity`]), ties going to the
//! higher confidence. For the very same secret bytes, the rule that needed
//! more context wins (`CLERK_SECRET_KEY=sk_live_…` is Clerk's, not Stripe's),
//! then the rule declared later: it refines an earlier one (a routable
//! variant of a token format, a user's own rule after the built-in ones).
//! A secret wholly inside another secret of the same rank is part of it,
//! and the outer finding stays: a SAS token decoded from its percent escapes
//! (reported at the whole encoded run) and the same rule's match of the
//! still-encoded `sig=` value inside that run; a service-account JSON and
//! the private key in it; a `tgp_v1_` token and the context rule's match of
//! its tail; a JWT and an email address decoded from its payload. One kind
//! is never hidden by another the user needs more: a secret inside a PII
//! finding (a token in an email address's local part) stays reported.

use std::ops::Range;

use crate::finding::{Category, Confidence};
use crate::rules::Specificity;

/// One finding as the resolver sees it.
#[derive(Clone, Debug)]
pub(crate) struct Contender {
    pub(crate) rank: (Specificity, Confidence),
    /// Rule index: the tie-break for identical spans (higher wins).
    pub(crate) rule: u32,
    /// Which rule found it: equal for the findings of one rule.
    pub(crate) id: usize,
    /// The secret's bytes.
    pub(crate) secret: Range<usize>,
    /// The whole match (secret plus context, e.g. `token = "…"`). A generic
    /// finding also yields to a specific match that covers it.
    pub(crate) matched: Range<usize>,
    /// Found in decoded text: decoded findings of one encoded run share its
    /// span, so they never eliminate each other.
    pub(crate) decoded: bool,
    /// Secret or PII: a secret is never hidden inside a PII finding.
    pub(crate) category: Category,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end || (a.is_empty() && b.contains(&a.start))
}

/// True when `a` eliminates `b`.
fn beats(a: &Contender, b: &Contender) -> bool {
    if a.decoded && b.decoded {
        return false;
    }
    let touch = overlaps(&a.secret, &b.secret)
        || (b.rank.0 == Specificity::Generic
            && a.rank.0 != Specificity::Generic
            && overlaps(&a.matched, &b.secret));
    let refines = || {
        let (la, lb) = (a.matched.len(), b.matched.len());
        la > lb || (la == lb && a.rule > b.rule)
    };
    // A rule whose capture reaches past its token (a context rule taking
    // `TOKEN=nfp_…` for `nfp_…`) is a rule to fix, not a reason to keep
    // both: the rules' examples and the peers' sets check the captures.
    // A decoded finding's span is its whole encoded run, not its secret's
    // bytes: it hides only its own rule's findings (another rule's token
    // in the run is another secret).
    let outer = || {
        (a.id == b.id || !a.decoded)
            && !(a.category == Category::Pii && b.category == Category::Secret)
            && a.secret.start <= b.secret.start
            && b.secret.end <= a.secret.end
            && a.secret != b.secret
    };
    touch
        && (a.rank > b.rank
            || (a.rank == b.rank && (outer() || (a.secret == b.secret && refines()))))
}

/// Which contenders survive (`true` = keep). Linear in the number of
/// contenders times the number that overlap each one.
pub(crate) fn survivors(items: &[Contender]) -> Vec<bool> {
    let mut keep = vec![true; items.len()];
    if items.len() < 2 {
        return keep;
    }
    let reach =
        |c: &Contender| c.secret.start.min(c.matched.start)..c.secret.end.max(c.matched.end);
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| reach(&items[i]).start);
    // Contenders whose reach has not ended before the current one starts.
    let mut active: Vec<usize> = Vec::new();
    for &i in &order {
        let start = reach(&items[i]).start;
        active.retain(|&j| {
            let r = reach(&items[j]);
            r.end > start || (r.is_empty() && r.start == start)
        });
        for &j in &active {
            if beats(&items[i], &items[j]) {
                keep[j] = false;
            }
            if beats(&items[j], &items[i]) {
                keep[i] = false;
            }
        }
        active.push(i);
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(spec: Specificity, conf: Confidence, rule: u32, secret: Range<usize>) -> Contender {
        Contender {
            rank: (spec, conf),
            rule,
            id: rule as usize,
            matched: secret.clone(),
            secret,
            decoded: false,
            category: Category::Secret,
        }
    }

    #[test]
    fn the_more_specific_rule_wins_an_overlap() {
        let items = [
            c(Specificity::Generic, Confidence::Medium, 0, 10..40),
            c(Specificity::Provider, Confidence::High, 1, 12..40),
            c(Specificity::Context, Confidence::Medium, 2, 10..40),
        ];
        assert_eq!(survivors(&items), [false, true, false]);
    }

    #[test]
    fn confidence_breaks_a_specificity_tie_and_rule_order_an_exact_one() {
        let items = [
            c(Specificity::Provider, Confidence::Medium, 3, 0..20),
            c(Specificity::Provider, Confidence::High, 4, 5..25),
        ];
        assert_eq!(survivors(&items), [false, true]);
        let same = [
            c(Specificity::Provider, Confidence::High, 7, 0..20),
            c(Specificity::Provider, Confidence::High, 2, 0..20),
        ];
        assert_eq!(survivors(&same), [true, false]);
        let mut keyword = c(Specificity::Provider, Confidence::High, 1, 30..60);
        keyword.matched = 10..61;
        let bare = c(Specificity::Provider, Confidence::High, 5, 30..60);
        assert_eq!(survivors(&[keyword, bare]), [true, false]);
    }

    #[test]
    fn disjoint_findings_and_equal_overlapping_peers_all_stay() {
        let items = [
            c(Specificity::Generic, Confidence::Low, 0, 0..10),
            c(Specificity::Provider, Confidence::High, 1, 10..20),
            c(Specificity::Provider, Confidence::High, 2, 15..30),
        ];
        assert_eq!(survivors(&items), [true, true, true]);
    }

    #[test]
    fn a_generic_finding_yields_to_a_specific_match_around_it() {
        let mut provider = c(Specificity::Provider, Confidence::High, 1, 30..50);
        provider.matched = 0..50;
        let items = [
            c(Specificity::Generic, Confidence::Medium, 0, 5..20),
            provider,
        ];
        assert_eq!(survivors(&items), [false, true]);
    }

    #[test]
    fn the_outer_of_two_nested_secrets_of_one_rule_wins() {
        // A percent-decoded SAS token reported at its encoded run, and the
        // same rule's match of the still-encoded `sig=` value inside it.
        let mut decoded = c(Specificity::Provider, Confidence::High, 0, 2..165);
        decoded.decoded = true;
        let mut plain = c(Specificity::Provider, Confidence::High, 1, 111..165);
        plain.id = decoded.id;
        assert_eq!(survivors(&[decoded.clone(), plain.clone()]), [true, false]);
        assert_eq!(survivors(&[plain, decoded]), [false, true]);
        // Either order, sharing an end or not.
        let outer = c(Specificity::Provider, Confidence::Medium, 4, 116..592);
        for inner in [116..152, 200..300, 500..592] {
            let inner = c(Specificity::Provider, Confidence::Medium, 4, inner);
            assert_eq!(survivors(&[outer.clone(), inner.clone()]), [true, false]);
            assert_eq!(survivors(&[inner, outer.clone()]), [false, true]);
        }
        // Two rules of one rank nested: the outer stays.
        let inner = c(Specificity::Provider, Confidence::Medium, 9, 200..300);
        assert_eq!(survivors(&[outer.clone(), inner.clone()]), [true, false]);
        assert_eq!(survivors(&[inner, outer]), [false, true]);
        // A more specific rule's inner secret still beats a generic outer.
        let generic = c(Specificity::Generic, Confidence::High, 0, 10..60);
        let provider = c(Specificity::Provider, Confidence::Low, 1, 20..40);
        assert_eq!(survivors(&[generic, provider]), [false, true]);
    }

    #[test]
    fn decoded_findings_of_one_run_do_not_compete() {
        let mut a = c(Specificity::Provider, Confidence::High, 1, 0..80);
        let mut b = c(Specificity::Provider, Confidence::High, 2, 0..80);
        a.decoded = true;
        b.decoded = true;
        let generic = c(Specificity::Generic, Confidence::Low, 0, 0..80);
        assert_eq!(survivors(&[a, b, generic]), [true, true, false]);
    }

    #[test]
    fn the_outer_of_two_rules_nested_secrets_wins_in_either_order() {
        // gcp-service-account-key around private-key-pkcs8, together-api-key-v1
        // around together-api-key, jwt around kontent-api-key: one rank.
        for (outer, inner) in [(163..293, 163..291), (18..68, 25..68), (116..592, 116..152)] {
            let o = c(Specificity::Provider, Confidence::High, 1, outer);
            let i = c(Specificity::Provider, Confidence::High, 2, inner);
            assert_eq!(survivors(&[o.clone(), i.clone()]), [true, false]);
            assert_eq!(survivors(&[i, o]), [false, true]);
        }
        // Equal spans are not nested: the rule with more context wins.
        let mut context = c(Specificity::Provider, Confidence::High, 1, 60..144);
        context.matched = 0..144;
        let bare = c(Specificity::Provider, Confidence::High, 2, 60..144);
        assert_eq!(survivors(&[context, bare]), [true, false]);
    }

    #[test]
    fn pii_inside_a_secret_goes_and_a_secret_inside_pii_stays() {
        // An email address decoded from a JWT's payload (reported at the
        // encoded bytes inside the token).
        let jwt = c(Specificity::Provider, Confidence::Medium, 1, 23..596);
        let mut email = c(Specificity::Provider, Confidence::Medium, 2, 130..253);
        email.category = Category::Pii;
        email.decoded = true;
        assert_eq!(survivors(&[jwt.clone(), email.clone()]), [true, false]);
        assert_eq!(survivors(&[email, jwt]), [false, true]);
        // A token inside a PII finding is the kind the user needs to see.
        let mut pii = c(Specificity::Provider, Confidence::Medium, 3, 0..60);
        pii.category = Category::Pii;
        let token = c(Specificity::Provider, Confidence::Medium, 4, 5..45);
        assert_eq!(survivors(&[pii.clone(), token.clone()]), [true, true]);
        assert_eq!(survivors(&[token, pii]), [true, true]);
    }

    #[test]
    fn a_decoded_run_hides_only_its_own_rules_findings() {
        // A token decoded from a percent-escaped run and another rule's
        // plain token inside the run: two secrets.
        let mut decoded = c(Specificity::Provider, Confidence::High, 1, 0..200);
        decoded.decoded = true;
        let plain = c(Specificity::Provider, Confidence::High, 2, 50..90);
        assert_eq!(survivors(&[decoded.clone(), plain.clone()]), [true, true]);
        assert_eq!(survivors(&[plain, decoded]), [true, true]);
    }
}
