//! The table of API operations: the generated one of `yotta_api` (10 from the v1 reference, 12
//! from the v2 reference, the two v2 guide routes, the v1 and v2 credential routes and the v1
//! task API), each named by its `operationId` in `openapi/yotta.json`. Routing, proxy mode,
//! fault matching (`op=...`) and rate limiting all read it.

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
    path.starts_with("/openapi/")
        || path.starts_with("/v2/serverless")
        || path.starts_with("/v2/container-registry-auths")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_37_distinct_operations_under_api_paths() {
        let ops: Vec<&Op> = all().collect();
        assert_eq!(ops.len(), 37);
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
