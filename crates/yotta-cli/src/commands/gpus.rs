//! `yotta gpus list`: the GPU types the docs list ([`yotta::GPU_TYPES`]). No API call, so no
//! key is needed.

use crate::args::GpusCommand;
use crate::exit::CliResult;
use crate::output::Printer;
use crate::views;
use serde::Serialize;
use yotta::{GPU_TYPES, GpuType};

/// A GPU type as `-o json` prints it, in the API's camelCase.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Gpu {
    code: &'static str,
    display_name: &'static str,
    vram_gb: u32,
}

impl From<&GpuType> for Gpu {
    fn from(gpu: &GpuType) -> Self {
        Self {
            code: gpu.code,
            display_name: gpu.display_name,
            vram_gb: gpu.vram_gb,
        }
    }
}

pub fn run(printer: Printer, command: &GpusCommand) -> CliResult {
    match command {
        GpusCommand::List => {
            let gpus: Vec<Gpu> = GPU_TYPES.iter().map(Gpu::from).collect();
            printer.print(&gpus, |width| views::gpu_list(&GPU_TYPES, width))?;
        }
    }
    Ok(())
}
