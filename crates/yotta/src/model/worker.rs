//! Workers: the containers an endpoint runs.

use super::Amount;
use super::enums::WorkerStatus;
use crate::ids::WorkerId;
use serde::{Deserialize, Serialize};

/// One worker of an endpoint.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Worker {
    pub id: WorkerId,
    pub status: WorkerStatus,
    pub region: Option<String>,
    pub region_display_name: Option<String>,
    pub gpu_type: Option<String>,
    pub gpu_display_name: Option<String>,
    pub gpu_count: Option<i32>,
    pub single_card_vram_in_gb: Option<i32>,
    pub single_card_vcpu: Option<i32>,
    pub single_card_ram_in_gb: Option<i32>,
    /// Time since start, in milliseconds.
    pub uptime: Option<i64>,
    /// Cost so far.
    pub cost: Option<Amount>,
}
