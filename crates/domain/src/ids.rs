//! Record identities: UUIDv7 (time-ordered, unique without coordination) wrapped in one newtype
//! per kind of record, so a task id can never be passed where a case id is expected.
use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    };
}

id_type!(/// A case.
    CaseId);
id_type!(/// An alleged act within a case.
    ActId);
id_type!(/// An entry of a case's timeline.
    EntryId);
id_type!(/// A follow-up task.
    TaskId);
id_type!(/// A training, round table or outreach meeting.
    ActivityId);
id_type!(/// An installation of the app (one laptop).
    DeviceId);

/// Makes UUIDv7 ids from the injected clock and a random source (seeded in tests and demo data).
pub struct IdGen {
    rng: StdRng,
}

impl IdGen {
    /// Ids from the operating system's randomness.
    pub fn from_os() -> Self {
        Self { rng: rand::make_rng() }
    }
    /// Reproducible ids, for tests and demo data.
    pub fn seeded(seed: u64) -> Self {
        Self { rng: StdRng::seed_from_u64(seed) }
    }
    /// A fresh id whose time part is `now`.
    pub fn next<T: From<Uuid>>(&mut self, now: DateTime<Utc>) -> T {
        let mut random = [0u8; 10];
        self.rng.fill_bytes(&mut random);
        let millis = u64::try_from(now.timestamp_millis()).unwrap_or(0);
        T::from(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid())
    }
    /// Random bytes (for device codes).
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.rng.fill_bytes(&mut out);
        out
    }
}

impl fmt::Debug for IdGen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdGen")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ids_are_version_7_and_carry_the_clock_time() {
        let mut ids = IdGen::seeded(1);
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
        let id: CaseId = ids.next(now);
        assert_eq!(id.0.get_version_num(), 7, "records are identified by UUIDv7");
        let (secs, _) = id.0.get_timestamp().expect("v7 has a timestamp").to_unix();
        assert_eq!(secs as i64, now.timestamp(), "the id's time part is the injected clock's time");
    }

    #[test]
    fn two_ids_in_the_same_millisecond_differ() {
        let mut ids = IdGen::seeded(7);
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
        let a: CaseId = ids.next(now);
        let b: CaseId = ids.next(now);
        assert_ne!(a, b, "the random part keeps ids unique within one millisecond");
    }
}
