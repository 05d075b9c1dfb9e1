//! `-f FILE` input: a JSON or YAML document from a file or (`-`) from stdin.
//!
//! A document whose first character is `{` or `[` is read as JSON, anything else as YAML. The
//! SDK's input types refuse unknown fields, so a misspelt field is named in the error.

use crate::exit::{CliResult, Failure};
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;

/// Larger documents are refused rather than read into memory.
const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// A document read from a file or stdin, with a name for error messages.
pub struct Document {
    pub name: String,
    pub text: String,
}

impl Document {
    /// Reads `path`, or stdin when it is `-`.
    pub fn read(path: &Path) -> CliResult<Self> {
        let stdin = path.as_os_str() == "-";
        let name = if stdin {
            "stdin".to_string()
        } else {
            path.display().to_string()
        };
        let mut bytes = Vec::new();
        let read = if stdin {
            std::io::stdin()
                .lock()
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut bytes)
        } else {
            std::fs::File::open(path).and_then(|file| file.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes))
        };
        read.map_err(|e| Failure::Usage(format!("cannot read {name}: {e}")))?;
        if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
            return Err(Failure::Usage(format!(
                "{name} is larger than {} MiB",
                MAX_DOCUMENT_BYTES >> 20
            )));
        }
        let text = String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("{name} is not UTF-8 text")))?;
        Self::from_text(name, text)
    }

    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> CliResult<Self> {
        let name = name.into();
        let text = text.into();
        if text.trim_start_matches('\u{feff}').trim().is_empty() {
            return Err(Failure::Usage(format!("{name} is empty")));
        }
        Ok(Self { name, text })
    }

    fn is_json(&self) -> bool {
        matches!(self.body().chars().next(), Some('{' | '['))
    }

    fn body(&self) -> &str {
        self.text.trim_start_matches('\u{feff}').trim_start()
    }

    /// The document as `T`; errors name the path of the bad field in both formats.
    pub fn parse<T: DeserializeOwned>(&self) -> CliResult<T> {
        let parsed = if self.is_json() {
            let mut reader = serde_json::Deserializer::from_str(self.body());
            serde_path_to_error::deserialize(&mut reader).map_err(|e| match e.path().to_string().as_str() {
                "." => e.inner().to_string(),
                path => format!("{path}: {}", e.inner()),
            })
        } else {
            serde_yaml_ng::from_str(self.body()).map_err(|e| e.to_string())
        };
        parsed.map_err(|e| Failure::Usage(format!("invalid {}: {e}", self.name)))
    }
}

/// `--input JSON`.
pub fn parse_json_arg(flag: &str, text: &str) -> CliResult<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| Failure::Usage(format!("{flag} is not valid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yotta::{EndpointPatch, EndpointSpec, TaskSpec};

    fn message(failure: Failure) -> String {
        match failure {
            Failure::Usage(message) => message,
            other => panic!("{other:?}"),
        }
    }

    const YAML: &str = "name: demo\nimage: nginx:latest\nserviceMode: QUEUE\nworkers: 1\ncontainerVolumeInGb: 20\n\
                        resources:\n  - region: us-east-1\n    gpuType: NVIDIA_RTX_4090_24G\n    gpuCount: 1\n";

    #[test]
    fn yaml_and_json_documents() {
        let spec: EndpointSpec = Document::from_text("spec.yaml", YAML).unwrap().parse().unwrap();
        assert_eq!(spec.name, "demo");
        let json = r#" {"input": {"prompt": "hi"}, "workerPort": 8000, "processUri": "/run", "taskId": "t_1"}"#;
        let task: TaskSpec = Document::from_text("stdin", json).unwrap().parse().unwrap();
        assert_eq!(task.task_id.unwrap().as_str(), "t_1");
    }

    #[test]
    fn errors_name_the_document_and_the_field() {
        let misspelt = YAML.replace("gpuCount", "gpuCounts");
        let error = message(
            Document::from_text("spec.yaml", misspelt)
                .unwrap()
                .parse::<EndpointSpec>()
                .unwrap_err(),
        );
        assert!(
            error.starts_with("invalid spec.yaml: resources[0]: unknown field `gpuCounts`"),
            "{error}"
        );
        let error = message(
            Document::from_text(
                "spec.json",
                r#"{"resources": [{"region": "r", "gpuType": "g", "gpuCount": "two"}]}"#,
            )
            .unwrap()
            .parse::<EndpointSpec>()
            .unwrap_err(),
        );
        assert!(
            error.starts_with("invalid spec.json: resources[0].gpuCount: invalid type"),
            "{error}"
        );
        let error = message(
            Document::from_text("t.json", r#"{"workerPort": 1}"#)
                .unwrap()
                .parse::<TaskSpec>()
                .unwrap_err(),
        );
        assert!(error.contains("missing field `input`"), "{error}");
        let error = message(Document::from_text("stdin", " \n").err().unwrap());
        assert_eq!(error, "stdin is empty");
        // An update document: unknown fields and a field given twice (under a guide's other
        // spelling) are refused by name.
        let patch = |text: &str| {
            message(
                Document::from_text("u.json", text)
                    .unwrap()
                    .parse::<EndpointPatch>()
                    .unwrap_err(),
            )
        };
        let error = patch(r#"{"workers": 1, "gpuCounts": 2}"#);
        assert!(
            error.starts_with("invalid u.json: gpuCounts: unknown field `gpuCounts`, expected one of"),
            "{error}"
        );
        assert!(patch(r#"{"envVars": [], "environmentVars": []}"#).contains("duplicate field `environmentVars`"));
        assert!(patch(r#"{"workers": "three"}"#).contains("workers: invalid type"));
        let error = message(Document::read(Path::new("/nonexistent/spec.yaml")).err().unwrap());
        assert!(error.starts_with("cannot read /nonexistent/spec.yaml"), "{error}");
        assert!(message(parse_json_arg("--input", "{").unwrap_err()).starts_with("--input is not valid JSON"));
    }
}
