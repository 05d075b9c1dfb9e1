//! Business codes (the envelope's `code`, sent with HTTP 200) and what they mean.
//!
//! The documented codes come from the docs through codegen (each operation's `business_codes`
//! in `yotta_api::operations`); a test checks that every one of them has a kind here, so a code
//! added upstream cannot silently become `Unknown`.

use crate::error::ErrorKind;

/// The envelope code of a successful call.
pub const SUCCESS: i32 = 10_000;

/// What a business code means, across both API versions.
pub fn kind_of(code: i32) -> ErrorKind {
    match code {
        // 40001: the v1 task API's own parameter errors.
        10_001 | 40_001 => ErrorKind::InvalidParameter,
        // v2 "endpoint not found"; v1 "Elastic does not exist" / v2 "serverless does not exist";
        // the overview's "record not exist" (a credential, among others).
        14_000 | 24_001 | 10_007 => ErrorKind::NotFound,
        24_000 => ErrorKind::Unavailable,
        // 25002: a credential an endpoint uses cannot be deleted (the vendor SDK's fixtures).
        24_002 | 25_002 => ErrorKind::NotAllowed,
        24_003 => ErrorKind::QuotaExceeded,
        24_009 => ErrorKind::InsufficientGpus,
        // 40402: the v1 task API's "Task not found".
        24_011 | 40_402 => ErrorKind::TaskNotFound,
        // The v1 task API's "too many requests" (its page lists 429 as a code).
        429 => ErrorKind::RateLimited,
        // "Authentication context not found" (v1 task API).
        40_101 => ErrorKind::Unauthorized,
        // The overview's "system error"; the v1 task API's "failed to create a task".
        10_002 | 50_001 => ErrorKind::Internal,
        _ => ErrorKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yotta_api::operation::BusinessCode;

    /// Every documented (operation id, code) pair.
    fn documented() -> Vec<(&'static str, BusinessCode)> {
        yotta_api::operations::ALL
            .iter()
            .flat_map(|op| op.business_codes.iter().map(|code| (op.id, *code)))
            .collect()
    }

    #[test]
    fn every_documented_error_code_has_a_kind() {
        let documented = documented();
        assert!(documented.len() > 20, "the docs' codes reach the facade");
        for (operation, documented) in documented.iter().filter(|(_, d)| d.code != SUCCESS) {
            assert_ne!(
                kind_of(documented.code),
                ErrorKind::Unknown,
                "{} of {operation} ({}) has no kind",
                documented.code,
                documented.description
            );
        }
    }

    #[test]
    fn kinds_agree_with_the_documented_descriptions() {
        for (_, documented) in documented() {
            let text = documented.description.to_ascii_lowercase();
            let kind = kind_of(documented.code);
            if text.contains("authentication") {
                assert_eq!(kind, ErrorKind::Unauthorized, "{documented:?}");
            } else if text.contains("not found") || text.contains("does not exist") || text.contains("not exist") {
                assert!(
                    matches!(kind, ErrorKind::NotFound | ErrorKind::TaskNotFound),
                    "{documented:?}"
                );
            }
            if text.contains("unavailable") {
                assert_eq!(kind, ErrorKind::Unavailable, "{documented:?}");
            }
            if text.contains("too many requests") {
                assert_eq!(kind, ErrorKind::RateLimited, "{documented:?}");
            }
            if text.contains("system error") || text.contains("internal server error") {
                assert_eq!(kind, ErrorKind::Internal, "{documented:?}");
            }
            if text.contains("in use") {
                assert_eq!(kind, ErrorKind::NotAllowed, "{documented:?}");
            }
            if text.contains("insufficient gpus") {
                assert_eq!(kind, ErrorKind::InsufficientGpus, "{documented:?}");
            }
        }
    }

    #[test]
    fn undocumented_codes_are_unknown() {
        assert_eq!(kind_of(10_003), ErrorKind::Unknown);
        assert_eq!(kind_of(-1), ErrorKind::Unknown);
    }
}
