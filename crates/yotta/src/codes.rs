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
        10_001 => ErrorKind::InvalidParameter,
        // v2 "endpoint not found"; v1 "Elastic does not exist" / v2 "serverless does not exist".
        14_000 | 24_001 => ErrorKind::NotFound,
        24_000 => ErrorKind::Unavailable,
        24_002 => ErrorKind::NotAllowed,
        24_003 => ErrorKind::QuotaExceeded,
        24_009 => ErrorKind::InsufficientGpus,
        24_011 => ErrorKind::TaskNotFound,
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
            if text.contains("not found") || text.contains("does not exist") {
                assert!(
                    matches!(kind, ErrorKind::NotFound | ErrorKind::TaskNotFound),
                    "{documented:?}"
                );
            }
            if text.contains("unavailable") {
                assert_eq!(kind, ErrorKind::Unavailable, "{documented:?}");
            }
            if text.contains("insufficient gpus") {
                assert_eq!(kind, ErrorKind::InsufficientGpus, "{documented:?}");
            }
        }
    }

    #[test]
    fn undocumented_codes_are_unknown() {
        assert_eq!(kind_of(10_002), ErrorKind::Unknown);
        assert_eq!(kind_of(-1), ErrorKind::Unknown);
    }
}
