//! A memory budget given in megabytes, decimals allowed (`0.5`), held as bytes.

use std::str::FromStr;

const MEGABYTE: f64 = 1024.0 * 1024.0;

/// How many bytes something may hold; from a setting in megabytes of 2^20 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBudget(usize);

impl MemoryBudget {
    pub const fn from_bytes(bytes: usize) -> MemoryBudget {
        MemoryBudget(bytes)
    }

    pub fn bytes(self) -> usize {
        self.0
    }
}

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a number of megabytes such as 64 or 0.5")]
pub struct NotMegabytes(String);

impl FromStr for MemoryBudget {
    type Err = NotMegabytes;

    fn from_str(value: &str) -> Result<MemoryBudget, NotMegabytes> {
        let megabytes = value.trim().parse::<f64>().ok().filter(|mb| mb.is_finite() && *mb >= 0.0);
        // Capped at what the machine can address: a budget that large is no limit anyway.
        let bytes = megabytes.map(|mb| (mb * MEGABYTE).min(usize::MAX as f64) as usize);
        bytes.map(MemoryBudget).ok_or_else(|| NotMegabytes(value.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn megabytes_with_decimals_are_bytes_and_nonsense_is_refused() {
        assert_eq!("64".parse::<MemoryBudget>().map(MemoryBudget::bytes).ok(), Some(64 << 20));
        assert_eq!("0.5".parse::<MemoryBudget>().map(MemoryBudget::bytes).ok(), Some(512 << 10));
        assert_eq!("0".parse::<MemoryBudget>().map(MemoryBudget::bytes).ok(), Some(0));
        for nonsense in ["-1", "NaN", "inf", "64MB", ""] {
            assert!(nonsense.parse::<MemoryBudget>().is_err(), "{nonsense}");
        }
    }
}
