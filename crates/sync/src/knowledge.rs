//! What an office knows: for each origin device, the highest change number it holds. Offices only
//! ever hold an unbroken run `1..=n` of each origin's series (import refuses anything else), so this
//! one number per device says exactly which changes are held, and doubles as the acknowledgement a
//! bundle carries back to its sender.
use crate::change::{Change, ChangeRef};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// Highest change number held, per origin device.
pub type Have = BTreeMap<Uuid, u64>;

pub fn holds(have: &Have, r: ChangeRef) -> bool {
    have.get(&r.origin).is_some_and(|n| r.n <= *n)
}

/// Why a set of incoming changes cannot be applied on top of what an office holds.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GapError {
    #[error("changes {from}..{to} from device {origin} are missing before change {to_next}")]
    Missing { origin: Uuid, from: u64, to: u64, to_next: u64 },
    #[error("change {change} builds on change {pred}, which neither this office nor the bundle holds")]
    MissingPred { change: ChangeRef, pred: ChangeRef },
    #[error("change {change} appears twice with different content")]
    Duplicate { change: ChangeRef },
    #[error("change {change} is not well formed: {reason}")]
    Malformed { change: ChangeRef, reason: String },
}

/// The changes among `incoming` this office does not hold yet, in series order, after checking that
/// they continue each origin's series without a hole and that everything they build on is held.
/// Changes already held are skipped without being compared (a change never changes).
pub fn new_changes<'a>(have: &Have, incoming: &'a [Change]) -> Result<Vec<&'a Change>, GapError> {
    if let Some((c, reason)) = incoming.iter().find_map(|c| c.check_shape().err().map(|r| (c, r))) {
        return Err(GapError::Malformed { change: c.id(), reason });
    }
    let mut fresh: Vec<&Change> = incoming.iter().filter(|c| !holds(have, c.id())).collect();
    fresh.sort_by_key(|c| c.id());
    let mut ids: HashSet<ChangeRef> = HashSet::with_capacity(fresh.len());
    let mut out: Vec<&Change> = Vec::with_capacity(fresh.len());
    for c in fresh {
        if !ids.insert(c.id()) {
            if out.last().is_some_and(|prev| *prev != c) {
                return Err(GapError::Duplicate { change: c.id() });
            }
            continue;
        }
        let expected = match out.last() {
            Some(prev) if prev.origin == c.origin => prev.n + 1,
            _ => have.get(&c.origin).copied().unwrap_or(0) + 1,
        };
        if c.n != expected {
            return Err(GapError::Missing { origin: c.origin, from: expected, to: c.n - 1, to_next: c.n });
        }
        out.push(c);
    }
    for c in &out {
        if let Some(pred) = c.preds.iter().find(|p| !holds(have, **p) && !ids.contains(p)) {
            return Err(GapError::MissingPred { change: c.id(), pred: *pred });
        }
    }
    Ok(out)
}

/// The knowledge after also holding `changes` (which [`new_changes`] accepted).
pub fn advance(have: &mut Have, changes: &[&Change]) {
    for c in changes {
        let n = have.entry(c.origin).or_insert(0);
        *n = (*n).max(c.n);
    }
}
