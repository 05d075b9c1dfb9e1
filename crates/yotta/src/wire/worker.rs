//! Workers on the wire (v1's shape, which the v2 guide's route is assumed to share).

use super::missing;
use crate::error::Result;
use crate::ids::WorkerId;
use crate::model::{Amount, Worker, WorkerStatus};
use crate::operation::Call;
use yotta_api::types;

pub fn from_wire(call: Call, wire: types::OpenapiElasticWorkerResponse) -> Result<Worker> {
    let (Some(id), Some(status)) = (wire.id, wire.status) else {
        return Err(missing(call, "worker id or status"));
    };
    Ok(Worker {
        id: WorkerId::from_wire(id),
        status: WorkerStatus::parse(&status),
        region: wire.region,
        region_display_name: wire.region_display_name,
        gpu_type: wire.gpu_type,
        gpu_display_name: wire.gpu_display_name,
        gpu_count: wire.gpu_count,
        single_card_vram_in_gb: wire.single_card_vram_in_gb,
        single_card_vcpu: wire.single_card_vcpu,
        single_card_ram_in_gb: wire.single_card_ram_in_gb,
        uptime: wire.uptime.map(|u| u.get()),
        cost: wire.cost.map(Amount::from_wire),
    })
}
