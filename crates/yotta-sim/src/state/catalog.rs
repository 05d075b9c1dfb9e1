//! GPU types and regions: display names, per-card hardware and default prices.
//!
//! The GPU types, their display names and VRAM are the documented catalogue
//! (`yotta_api::catalog::GPU_TYPES`, generated from the API guides overview). The docs give no
//! per-card vCPU, RAM or price, so those are the simulator's own figures (see the README's
//! assumptions). Types outside the catalogue are accepted and described generically rather than
//! rejected, and regions are free text (no API lists them): offline development should not break
//! when the platform adds a GPU or a region.

use std::borrow::Cow;

use yotta_api::catalog::GPU_TYPES;

#[derive(Debug, Clone, PartialEq)]
pub struct GpuInfo {
    pub display_name: Cow<'static, str>,
    pub vram_gb: i32,
    pub vcpu: i32,
    pub ram_gb: i32,
    /// Dollars per GPU per second.
    pub price_per_second: f64,
}

// Simulator figures for the documented types: (code, vCPU per card, RAM GB per card, dollars per
// GPU-hour). Not documented anywhere; chosen to look like a GPU cloud's price list.
const INVENTED: &[(&str, i32, i32, f64)] = &[
    ("NVIDIA_RTX_4090_24G", 8, 48, 0.45),
    ("NVIDIA_RTX_5090_32G", 12, 64, 0.69),
    ("NVIDIA_RTX_A6000_48G", 12, 96, 0.79),
    ("NVIDIA_RTX_6000_Ada_48G", 12, 96, 0.99),
    ("NVIDIA_A100_PCIe_40G", 12, 96, 1.09),
    ("NVIDIA_A100_40G", 12, 96, 1.19),
    ("NVIDIA_A100_PCIe_80G", 16, 128, 1.39),
    ("NVIDIA_A100_80G", 16, 128, 1.49),
    ("NVIDIA_H100_PCIe_80G", 20, 180, 2.19),
    ("NVIDIA_H100_80G", 24, 200, 2.49),
    ("NVIDIA_RTX_PRO_6000_96G", 16, 180, 1.89),
    ("NVIDIA_H200_141G", 24, 240, 3.29),
    ("NVIDIA_B200_180G", 28, 280, 5.49),
    ("NVIDIA_B300_262G", 32, 320, 6.99),
    ("AWS_Trainium_32G", 8, 64, 0.59),
    ("AMD_MI300X_192G", 24, 240, 2.99),
];

const UNKNOWN_PER_HOUR: f64 = 1.0;

/// What the simulator reports for `gpu_type`, with `price_override` (per GPU-second) if configured.
pub fn gpu_info(gpu_type: &str, price_override: Option<f64>) -> GpuInfo {
    let per_hour_to_second = |h: f64| h / 3600.0;
    // Case-insensitive, as the simulator always matched GPU types: a client's casing slip is not
    // what these tests are about.
    match GPU_TYPES.iter().find(|g| g.code.eq_ignore_ascii_case(gpu_type)) {
        Some(documented) => {
            let (vcpu, ram, hourly) = INVENTED
                .iter()
                .find(|i| i.0 == documented.code)
                .map_or((8, 32, UNKNOWN_PER_HOUR), |&(_, vcpu, ram, hourly)| (vcpu, ram, hourly));
            GpuInfo {
                display_name: Cow::Borrowed(documented.display_name),
                vram_gb: i32::try_from(documented.vram_gb).unwrap_or(i32::MAX),
                vcpu,
                ram_gb: ram,
                price_per_second: price_override.unwrap_or(per_hour_to_second(hourly)),
            }
        }
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
    fn documented_types_come_from_the_generated_catalogue() {
        let h100 = gpu_info("NVIDIA_H100_80G", None);
        assert_eq!((h100.display_name.as_ref(), h100.vram_gb), ("H100", 80));
        assert!((h100.price_per_second * 3600.0 - 2.49).abs() < 1e-9);
        assert_eq!(gpu_info("NVIDIA_H100_80G", Some(0.01)).price_per_second, 0.01);
        assert_eq!(gpu_info("amd_mi300x_192g", None).display_name, "MI300X");
        // Every documented type has the simulator's figures, and only documented types do.
        for gpu in &GPU_TYPES {
            assert!(INVENTED.iter().any(|i| i.0 == gpu.code), "{} has no figures", gpu.code);
        }
        for (code, ..) in INVENTED {
            assert!(GPU_TYPES.iter().any(|g| g.code == *code), "{code} is not documented");
        }
    }

    #[test]
    fn unknown_types_are_described_generically() {
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
