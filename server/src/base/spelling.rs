//! The likely intended name of a misspelt one: the nearest candidate by edit distance.

/// The candidate nearest to `wanted` by edit distance (ignoring case), if it is close enough
/// to be a likely typo: at most a third of the name's length, and at least one edit allowed.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted_lower = wanted.to_lowercase();
    let wanted_letters = Letters::of(&wanted_lower);
    // The letter bound is used between ASCII names only (all GraphQL names are), where folding
    // case keeps every character as it is counted.
    let ascii = wanted.is_ascii();
    let length = wanted.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        // Two lower bounds of the distance rule out most of a large schema's names before any
        // allocation: the difference in length, and half the difference in letter counts.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .filter(|c| {
            !ascii || !c.is_ascii() || wanted_letters.distance(&Letters::of(c)) <= 2 * limit
        })
        .filter(|c| !c.starts_with("__") && *c != wanted)
        .map(|c| (strsim::osa_distance(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c.to_string())
}

/// How often each ASCII letter or digit occurs in a name, case folded (other characters share
/// one count). An insertion or deletion changes the sum of differences between two names'
/// counts by at most one, a substitution by at most two, a transposition not at all; so half
/// that sum never exceeds their edit distance.
struct Letters([u16; 37]);

impl Letters {
    fn of(name: &str) -> Letters {
        let mut counts = [0u16; 37];
        for c in name.chars() {
            let slot = match c.to_ascii_lowercase() {
                c @ 'a'..='z' => c as usize - 'a' as usize,
                c @ '0'..='9' => 26 + c as usize - '0' as usize,
                _ => 36,
            };
            counts[slot] = counts[slot].saturating_add(1);
        }
        Letters(counts)
    }

    fn distance(&self, other: &Letters) -> usize {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| usize::from(a.abs_diff(*b)))
            .sum()
    }
}
