//! Moments as the store keeps them: whole milliseconds since the Unix epoch, in an `i64`.

use time::OffsetDateTime;

/// A moment beyond what an `i64` of milliseconds holds is stored as the latest one, which sorts last.
pub(crate) fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// A stored moment, or why it is not one `time` can hold.
pub(crate) fn checked_from_millis(ms: i64) -> Result<OffsetDateTime, time::error::ComponentRange> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
}

/// A stored moment; one out of range reads as the epoch.
pub(crate) fn from_millis(ms: i64) -> OffsetDateTime {
    checked_from_millis(ms).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
