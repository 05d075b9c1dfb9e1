//! GPU types and regions: display names, per-card hardware and default prices.
//!
//! The docs name GPU types like `NVIDIA_RTX_4090_24G` and regions like `us-east-1` without a
//! published catalogue, so unknown names are accepted and described generically rather than
//! rejected: offline development should not break when the platform adds a GPU.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub struct GpuInfo {
    pub display_name: Cow<'static, str>,
    pub vram_gb: i32,
    pub vcpu: i32,
    pub ram_gb: i32,
    /// Dollars per GPU per second.
    pub price_per_second: f64,
}

// (type, display name, VRAM GB, vCPU per card, RAM GB per card, dollars per GPU-hour)
const KNOWN: &[(&str, &str, i32, i32, i32, f64)] = &[
    ("NVIDIA_RTX_4090_24G", "NVIDIA GeForce RTX 4090", 24, 8, 48, 0.45),
    ("NVIDIA_RTX_5090_32G", "NVIDIA GeForce RTX 5090", 32, 12, 64, 0.69),
    ("NVIDIA_L40S_48G", "NVIDIA L40S", 48, 12, 96, 0.99),
    ("NVIDIA_A100_80G", "NVIDIA A100 80GB", 80, 16, 128, 1.49),
    ("NVIDIA_H100_80G", "NVIDIA H100 80GB", 80, 24, 200, 2.49),
    ("NVIDIA_H200_141G", "NVIDIA H200 141GB", 141, 24, 240, 3.29),
    ("NVIDIA_B200_180G", "NVIDIA B200 180GB", 180, 28, 280, 5.49),
];

const UNKNOWN_PER_HOUR: f64 = 1.0;

/// What the simulator reports for `gpu_type`, with `price_override` (per GPU-second) if configured.
pub fn gpu_info(gpu_type: &str, price_override: Option<f64>) -> GpuInfo {
    let per_hour_to_second = |h: f64| h / 3600.0;
    match KNOWN.iter().find(|k| k.0.eq_ignore_ascii_case(gpu_type)) {
        Some(&(_, name, vram, vcpu, ram, hourly)) => GpuInfo {
            display_name: Cow::Borrowed(name),
            vram_gb: vram,
            vcpu,
            ram_gb: ram,
            price_per_second: price_override.unwrap_or(per_hour_to_second(hourly)),
        },
        None => GpuInfo {
            display_name: Cow::Owned(gpu_type.replace('_', " ")),
            // `..._48G` style suffixes carry the VRAM; anything else reports 0 (unknown).
            vram_gb: gpu_type
                .rsplit('_')
                .next()
                .and_then(|s| s.strip_suffix(['G', 'g']))
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            vcpu: 8,
            ram_gb: 32,
            price_per_second: price_override.unwrap_or(per_hour_to_second(UNKNOWN_PER_HOUR)),
        },
    }
}

/// `us-east-1` -> `US East 1`.
pub fn region_display_name(region: &str) -> String {
    region
        .split(['-', '_'])
        .filter(|p| !p.is_empty())
        .map(|part| match part.to_ascii_lowercase().as_str() {
            p @ ("us" | "eu" | "ap" | "sa" | "me" | "ca" | "uk") => p.to_ascii_uppercase(),
            _ => {
                let mut chars = part.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_gpus() {
        let h100 = gpu_info("NVIDIA_H100_80G", None);
        assert_eq!(h100.vram_gb, 80);
        assert!((h100.price_per_second * 3600.0 - 2.49).abs() < 1e-9);
        assert_eq!(gpu_info("NVIDIA_H100_80G", Some(0.01)).price_per_second, 0.01);
        let odd = gpu_info("ACME_X9_12G", None);
        assert_eq!((odd.display_name.as_ref(), odd.vram_gb), ("ACME X9 12G", 12));
        assert_eq!(gpu_info("", None).vram_gb, 0);
    }

    #[test]
    fn region_names() {
        assert_eq!(region_display_name("us-east-1"), "US East 1");
        assert_eq!(region_display_name("eu-central_2"), "EU Central 2");
        assert_eq!(region_display_name(""), "");
    }
}
