//! Response bodies, typed per the reference specs: the simulator's own wire types, independent
//! of the SDK so that tests comparing the two catch the SDK's mistakes.
//!
//! Absent values are sent as `null` (Jackson's default inclusion), and the version differences are
//! the documented ones: v1 `id` is a JSON string, v2 `id` a JSON number; v1 says `webhookUrl`,
//! v2 says `webhook`.

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::state::catalog::{gpu_info, region_display_name};
use crate::state::endpoint::{Endpoint, EnvVar};
use crate::state::log_query::LogPage;
use crate::state::tasks::{Task, TaskStore};
use crate::state::timefmt::iso_ms;
use crate::state::worker::Worker;
use crate::state::{State, Version, task_output};

/// An id sent as a JSON string (v1) or a JSON number (v2).
#[derive(Debug, Clone, Copy)]
pub enum WireId {
    Text(u64),
    Number(u64),
}

impl Serialize for WireId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            WireId::Text(id) => s.collect_str(id),
            WireId::Number(id) => s.serialize_u64(*id),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceWire {
    region: String,
    region_display_name: String,
    gpu_type: String,
    gpu_display_name: String,
    gpu_count: u32,
    single_card_vram_in_gb: i32,
    single_card_vcpu: i32,
    single_card_ram_in_gb: i32,
}

#[derive(Serialize)]
pub struct ExposeWire {
    port: i32,
    protocol: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointWire {
    id: WireId,
    name: String,
    creator: String,
    domain: Option<String>,
    image_registry: Option<String>,
    image: String,
    resources: Vec<ResourceWire>,
    min_single_card_vram_in_gb: Option<i32>,
    min_single_card_vcpu: Option<i32>,
    min_single_card_ram_in_gb: Option<i32>,
    credential_id: Option<i64>,
    container_volume_in_gb: i32,
    initialization_command: Option<String>,
    environment_vars: Option<Vec<EnvVar>>,
    expose: Option<ExposeWire>,
    total_workers: usize,
    running_workers: usize,
    cost: f64,
    per_second_price: f64,
    per_hour_price: f64,
    service_mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook: Option<Option<String>>,
    status: &'static str,
}

/// Money rounded to micro-dollars, so responses do not carry float noise.
fn money(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub fn endpoint(st: &State, ep: &Endpoint, now: u64, version: Version) -> EndpointWire {
    let s = &ep.spec;
    let price = |g: &str| st.price(g);
    let gpus_per_worker = s.resources.first().map_or(0, |r| r.gpu_count);
    let per_second =
        s.resources.first().map_or(0.0, |r| price(&r.gpu_type)) * f64::from(gpus_per_worker) * f64::from(s.workers);
    let webhook = Some(s.webhook.clone());
    EndpointWire {
        id: match version {
            Version::V1 => WireId::Text(ep.id),
            Version::V2 => WireId::Number(ep.id),
        },
        name: s.name.clone(),
        creator: st.cfg.creator.clone(),
        domain: (s.service_mode.as_str() == "ALB").then(|| format!("ep-{}.serverless.sim.local", ep.id)),
        image_registry: s.image_registry.clone(),
        image: s.image.clone(),
        resources: s
            .resources
            .iter()
            .map(|r| {
                let gpu = gpu_info(&r.gpu_type, None);
                ResourceWire {
                    region: r.region.clone(),
                    region_display_name: region_display_name(&r.region),
                    gpu_type: r.gpu_type.clone(),
                    gpu_display_name: gpu.display_name.into_owned(),
                    gpu_count: r.gpu_count,
                    single_card_vram_in_gb: gpu.vram_gb,
                    single_card_vcpu: gpu.vcpu,
                    single_card_ram_in_gb: gpu.ram_gb,
                }
            })
            .collect(),
        min_single_card_vram_in_gb: s.min_single_card_vram_in_gb,
        min_single_card_vcpu: s.min_single_card_vcpu,
        min_single_card_ram_in_gb: s.min_single_card_ram_in_gb,
        credential_id: s.credential_id,
        container_volume_in_gb: s.container_volume_in_gb,
        initialization_command: s.initialization_command.clone(),
        environment_vars: s.environment_vars.clone(),
        expose: s.expose.as_ref().map(|e| ExposeWire {
            port: e.port,
            protocol: e.protocol.clone(),
        }),
        total_workers: ep.total_workers(now),
        running_workers: ep.running_workers(now),
        cost: money(ep.cost(now, price)),
        per_second_price: money(per_second),
        per_hour_price: money(per_second * 3600.0),
        service_mode: s.service_mode.as_str(),
        webhook_url: (version == Version::V1).then(|| webhook.clone().flatten()),
        webhook: (version == Version::V2).then(|| webhook.flatten()),
        status: ep.status(now).as_str(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerWire {
    id: WireId,
    region: String,
    region_display_name: String,
    gpu_type: String,
    gpu_display_name: String,
    gpu_count: u32,
    single_card_vram_in_gb: i32,
    single_card_vcpu: i32,
    single_card_ram_in_gb: i32,
    uptime: u64,
    cost: f64,
    status: &'static str,
}

/// Worker ids are strings in both versions (v2 reuses v1's worker schema).
pub fn worker(st: &State, w: &Worker, now: u64) -> WorkerWire {
    let gpu = gpu_info(&w.gpu_type, st.cfg.price_override(&w.gpu_type));
    WorkerWire {
        id: WireId::Text(w.id),
        region: w.region.clone(),
        region_display_name: region_display_name(&w.region),
        gpu_type: w.gpu_type.clone(),
        gpu_display_name: gpu.display_name.into_owned(),
        gpu_count: w.gpu_count,
        single_card_vram_in_gb: gpu.vram_gb,
        single_card_vcpu: gpu.vcpu,
        single_card_ram_in_gb: gpu.ram_gb,
        uptime: w.uptime_ms(now),
        cost: money(w.cost(now, gpu.price_per_second)),
        status: w.status(now).as_str(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskWire {
    task_id: String,
    endpoint_id: u64,
    endpoint_name: String,
    status: &'static str,
    worker_url: Option<String>,
    webhook: Option<String>,
    delivery_status: &'static str,
    delivery_attempts: u16,
    error: Option<String>,
    created_at: u64,
    delivered_at: Option<u64>,
    updated_at: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<Option<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<Option<Value>>,
}

/// A task as listed, or (with `detail`) with its input, output and headers.
pub fn task(ep: &Endpoint, tasks: &TaskStore, t: &Task, detail: bool) -> TaskWire {
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    TaskWire {
        task_id: t.task_id.to_string(),
        endpoint_id: ep.id,
        endpoint_name: ep.spec.name.clone(),
        status: t.status.as_str(),
        worker_url: (t.worker_id != 0).then(|| format!("http://worker-{}.sim.local:{}", t.worker_id, t.worker_port)),
        webhook: t.webhook().map(str::to_owned),
        delivery_status: t.delivery.as_str(),
        delivery_attempts: t.attempts,
        error: t.error().map(str::to_owned),
        created_at: t.created_at,
        delivered_at: t.delivered_at(),
        updated_at: t.updated_at,
        input: detail.then(|| parse(&t.input)),
        output: detail.then(|| task_output(tasks, t)),
        headers: detail.then(|| t.extra().and_then(|e| e.headers.as_deref()).map(parse)),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskPageWire {
    pub items: Vec<TaskWire>,
    pub page: u64,
    pub size: u64,
    pub total: u64,
    pub pages: u64,
}

#[derive(Serialize)]
pub struct LogWire {
    timestamp: String,
    log: String,
    offset: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogPageWire {
    logs: Vec<LogWire>,
    has_more: bool,
    next_search_after_time: Option<String>,
    next_search_after_offset: Option<String>,
}

/// Tokens are strings on the wire, as documented; with no line to point at, the request's own
/// tokens are echoed so a client tailing the log can keep polling with them.
pub fn log_page(page: LogPage, echo: (Option<String>, Option<String>)) -> LogPageWire {
    let (time, offset) = match page.resume {
        Some((ts, off)) => (Some(ts.to_string()), Some(off.to_string())),
        None => echo,
    };
    LogPageWire {
        logs: page
            .lines
            .into_iter()
            .map(|l| LogWire {
                timestamp: iso_ms(l.ts),
                log: l.text,
                offset: l.offset,
            })
            .collect(),
        has_more: page.has_more,
        next_search_after_time: time,
        next_search_after_offset: offset,
    }
}
