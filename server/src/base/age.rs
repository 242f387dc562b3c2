//! How long ago something was, and how people read an age ("3 min", "2 h").

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long ago a Unix time (in seconds) was.
pub fn age_since(unix_secs: u64) -> Duration {
    Duration::from_secs(now_secs().saturating_sub(unix_secs))
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// "3 min", "2 h", "5 days": an age as people read it.
pub fn describe_age(age: Duration) -> String {
    let secs = age.as_secs();
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 => format!("{} min", secs / 60),
        3600..=86_399 => format!("{} h", secs / 3600),
        _ => format!("{} days", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_people_say_them() {
        assert_eq!(describe_age(Duration::from_secs(5)), "5 s");
        assert_eq!(describe_age(Duration::from_secs(150)), "2 min");
        assert_eq!(describe_age(Duration::from_secs(7300)), "2 h");
        assert_eq!(describe_age(Duration::from_secs(200_000)), "2 days");
    }
}
