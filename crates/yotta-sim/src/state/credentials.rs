//! Container registry credentials (v1 `/openapi/v1/credentials`, v2
//! `/v2/container-registry-auths`): one store both versions read and write, which endpoints
//! reference by id (`credentialId`, or `containerRegistryAuthId` on a v2 create).
//!
//! The secret (v1 `token`, v2 `password`) is stored so a credential behaves like the real one,
//! but no route returns it: "Credentials cannot be retrieved" (API guides overview).

use serde::{Deserialize, Serialize};

use super::State;
use crate::http::envelope::{ApiError, CREDENTIAL_IN_USE, PARAM_ERROR, RECORD_NOT_EXIST};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    pub id: u64,
    pub name: String,
    /// `DOCKER_HUB`, `GCR`, ... (v2 only; a v1 credential has none).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub username: String,
    /// Never rendered by a route; kept in the `--state` file only.
    pub secret: String,
    pub created_at: u64,
    pub updated_at: u64,
}

/// The fields of a credential being created or changed (`None`: keep the current value).
#[derive(Debug, Clone, Default)]
pub struct CredentialInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub username: Option<String>,
    pub secret: Option<String>,
}

fn not_exist(id: u64) -> ApiError {
    ApiError::business(RECORD_NOT_EXIST, format!("Record not exist: no credential {id}"))
}

impl State {
    pub fn create_credential(&mut self, input: CredentialInput, now: u64) -> u64 {
        let id = self.ids.next(now);
        self.credentials.insert(
            id,
            Credential {
                id,
                name: input.name.unwrap_or_default(),
                kind: input.kind,
                username: input.username.unwrap_or_default(),
                secret: input.secret.unwrap_or_default(),
                created_at: now,
                updated_at: now,
            },
        );
        id
    }

    pub fn credential(&self, id: u64) -> Result<&Credential, ApiError> {
        self.credentials.get(&id).ok_or_else(|| not_exist(id))
    }

    pub fn update_credential(&mut self, id: u64, input: CredentialInput, now: u64) -> Result<(), ApiError> {
        let credential = self.credentials.get_mut(&id).ok_or_else(|| not_exist(id))?;
        if let Some(name) = input.name {
            credential.name = name;
        }
        if let Some(kind) = input.kind {
            credential.kind = Some(kind);
        }
        if let Some(username) = input.username {
            credential.username = username;
        }
        if let Some(secret) = input.secret {
            credential.secret = secret;
        }
        credential.updated_at = now;
        Ok(())
    }

    /// Refused with 25002 while an endpoint references the credential (both pages say deleting
    /// a credential in use fails; the code is the vendor SDK fixtures').
    pub fn delete_credential(&mut self, id: u64) -> Result<(), ApiError> {
        self.credential(id)?;
        if let Some(ep) = self
            .endpoints
            .values()
            .find(|ep| ep.spec.credential_id == Some(id as i64))
        {
            return Err(ApiError::business(
                CREDENTIAL_IN_USE,
                format!(
                    "Credential is in use and cannot be deleted. (endpoint {} references it)",
                    ep.id
                ),
            ));
        }
        self.credentials.remove(&id);
        Ok(())
    }

    /// The parameter error an endpoint create or update gets for a credential id that names no
    /// credential; `field` is the request's spelling (`credentialId`, `containerRegistryAuthId`).
    pub fn check_credential_reference(&self, id: Option<i64>, field: &str) -> Result<(), ApiError> {
        match id {
            Some(id) if u64::try_from(id).map_or(true, |id| !self.credentials.contains_key(&id)) => Err(
                ApiError::business(PARAM_ERROR, format!("parameter error: {field}: no credential {id}")),
            ),
            _ => Ok(()),
        }
    }

    /// Endpoints referencing credential `id`, for the admin state dump.
    pub fn credential_users(&self, id: u64) -> Vec<u64> {
        self.endpoints
            .values()
            .filter(|ep| ep.spec.credential_id == Some(id as i64))
            .map(|ep| ep.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::SimConfig;
    use crate::state::Snapshot;

    fn input(name: &str, secret: &str) -> CredentialInput {
        CredentialInput {
            name: Some(name.into()),
            kind: Some("GCR".into()),
            username: Some("u".into()),
            secret: Some(secret.into()),
        }
    }

    #[test]
    fn credentials_survive_a_state_file_and_old_files_load() {
        let mut st = State::new(Arc::new(SimConfig::for_tests()));
        let id = st.create_credential(input("reg", "s3cret"), 1_700_000_000_000);
        let text = serde_json::to_string(&st.snapshot(0, 0)).unwrap();
        let snap: Snapshot = serde_json::from_str(&text).unwrap();
        let mut back = State::new(Arc::new(SimConfig::for_tests()));
        back.restore(snap, 1_700_000_000_000);
        assert_eq!(back.credential(id).unwrap(), st.credential(id).unwrap());
        assert_eq!(
            back.credential(id).unwrap().secret,
            "s3cret",
            "kept for the simulator, never rendered"
        );

        let old: Snapshot = serde_json::from_str(
            r#"{"version":1,"savedAtMs":0,"clockOffsetMs":0,"ids":{"last":0},"tombstones":[],"endpoints":[]}"#,
        )
        .unwrap();
        assert!(old.credentials.is_empty());
    }

    #[test]
    fn updates_keep_what_they_leave_out_and_unknown_ids_are_10007() {
        let mut st = State::new(Arc::new(SimConfig::for_tests()));
        let id = st.create_credential(input("reg", "one"), 1);
        st.update_credential(
            id,
            CredentialInput {
                secret: Some("two".into()),
                ..CredentialInput::default()
            },
            2,
        )
        .unwrap();
        let c = st.credential(id).unwrap();
        assert_eq!((c.name.as_str(), c.secret.as_str(), c.updated_at), ("reg", "two", 2));
        assert_eq!(st.credential(id + 1).unwrap_err().code, RECORD_NOT_EXIST);
        assert_eq!(st.delete_credential(id + 1).unwrap_err().code, RECORD_NOT_EXIST);
        assert_eq!(
            st.check_credential_reference(Some(-1), "credentialId")
                .unwrap_err()
                .code,
            PARAM_ERROR
        );
        st.check_credential_reference(Some(id as i64), "credentialId").unwrap();
        st.delete_credential(id).unwrap();
    }
}
