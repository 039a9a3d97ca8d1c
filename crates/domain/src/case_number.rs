//! Human case numbers: `PRI-2026-K7QX-0042` = municipality prefix, intake year, the device's code,
//! and that device's sequence number for the year.
//!
//! Two laptops of one unit creating cases offline on the same day never produce the same number:
//! each device numbers only its own cases, and devices differ by their code (four Crockford base32
//! characters drawn at set-up, 2^20 values). The store's unique index catches the remaining
//! one-in-a-million chance that two devices of a unit drew the same code.
use std::fmt;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A device code from three random bytes (the first 20 bits are used).
pub fn device_code(bytes: [u8; 3]) -> String {
    let bits = (u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2])) >> 4;
    (0..4).rev().map(|i| CROCKFORD[((bits >> (5 * i)) & 31) as usize] as char).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaseNumber {
    pub prefix: String,
    pub year: i32,
    pub device: String,
    pub seq: u32,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}-{:04}", self.prefix, self.year, self.device, self.seq)
    }
}

impl CaseNumber {
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.trim().split('-');
        let prefix = parts.next()?.to_ascii_uppercase();
        let year = parts.next()?.parse().ok()?;
        let device = parts.next()?.to_ascii_uppercase();
        let seq = parts.next()?.parse().ok()?;
        if parts.next().is_some() || prefix.len() != 3 || device.len() != 4 {
            return None;
        }
        Some(Self { prefix, year, device, seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_read_as_documented() {
        let n = CaseNumber { prefix: "PRI".into(), year: 2026, device: "K7QX".into(), seq: 42 };
        assert_eq!(n.to_string(), "PRI-2026-K7QX-0042");
        assert_eq!(CaseNumber::parse("pri-2026-k7qx-0042"), Some(n), "typing in lower case finds the case");
    }

    proptest! {
        #[test]
        fn device_codes_are_four_unambiguous_characters(b in any::<[u8; 3]>()) {
            let code = device_code(b);
            prop_assert_eq!(code.len(), 4);
            prop_assert!(code.chars().all(|c| !"ILOU".contains(c)), "Crockford base32 avoids I, L, O, U");
        }

        #[test]
        fn different_device_codes_never_give_the_same_number(
            a in any::<[u8; 3]>(), b in any::<[u8; 3]>(), seq in 1u32..10_000
        ) {
            prop_assume!(device_code(a) != device_code(b));
            let na = CaseNumber { prefix: "PRI".into(), year: 2026, device: device_code(a), seq };
            let nb = CaseNumber { prefix: "PRI".into(), year: 2026, device: device_code(b), seq };
            prop_assert_ne!(na.to_string(), nb.to_string());
        }

        #[test]
        fn numbers_parse_back(seq in 1u32..100_000, b in any::<[u8; 3]>(), year in 2000i32..2100) {
            let n = CaseNumber { prefix: "GJI".into(), year, device: device_code(b), seq };
            prop_assert_eq!(CaseNumber::parse(&n.to_string()), Some(n));
        }
    }
}
