//! The table of API operations: the generated one of `yotta_api` (10 from the v1 reference, 12
//! from the v2 reference and the two v2 guide routes), each named by its `operationId` in
//! `openapi/yotta.json`. Routing, proxy mode and fault matching (`op=...`) all read it.

pub use yotta_api::operation::Operation as Op;

/// Every operation.
pub fn all() -> impl Iterator<Item = &'static Op> {
    yotta_api::operations::ALL.iter().copied()
}

pub fn by_id(id: &str) -> Option<&'static Op> {
    all().find(|op| op.id.eq_ignore_ascii_case(id))
}

/// The axum method filter of an operation's method.
pub fn method_filter(op: &Op) -> axum::routing::MethodFilter {
    use axum::routing::MethodFilter;
    use yotta_api::operation::Method;
    match op.method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
        Method::Put => MethodFilter::PUT,
        Method::Patch => MethodFilter::PATCH,
        Method::Delete => MethodFilter::DELETE,
    }
}

/// Whether `path` (a concrete request path) belongs to the API rather than to the console or admin.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/openapi/") || path.starts_with("/v2/serverless")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_24_distinct_operations_under_api_paths() {
        let ops: Vec<&Op> = all().collect();
        assert_eq!(ops.len(), 24);
        for (i, a) in ops.iter().enumerate() {
            assert!(is_api_path(a.path), "{}", a.path);
            assert!(
                ops[i + 1..]
                    .iter()
                    .all(|b| a.id != b.id && (a.method, a.path) != (b.method, b.path))
            );
        }
        assert_eq!(
            by_id("V1_createEndpoint").map(|o| o.path),
            Some("/openapi/v1/elastic/deploy/create")
        );
    }
}
