//! Webhook delivery: a real HTTP POST of the platform's notification body for each finished task,
//! with retries and exponential backoff, recorded in the task's delivery fields.
//!
//! Only loopback targets (127.0.0.0/8, ::1, localhost) are contacted: the simulator never sends
//! data off the machine. Any other URL is marked `FAILED` without a connection attempt. The task's
//! `webhookAuthKey` is sent as `Authorization: Bearer <key>` (the docs do not say how).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::{Semaphore, watch};

use crate::app::App;
use crate::state::{DeliveryJob, DeliveryOutcome, DeliveryRequest};

/// Concurrent deliveries in flight.
const PARALLEL: usize = 64;

pub fn is_loopback(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else {
        return false;
    };
    match url.host_str() {
        Some(host) => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            bare.eq_ignore_ascii_case("localhost")
                || bare.to_ascii_lowercase().ends_with(".localhost")
                || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

pub async fn run(app: App, mut jobs: UnboundedReceiver<DeliveryJob>, mut stop: watch::Receiver<bool>) {
    let permits = Arc::new(Semaphore::new(PARALLEL));
    loop {
        let job = tokio::select! {
            job = jobs.recv() => job,
            _ = stop.changed() => None,
        };
        let Some(job) = job else { return };
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let (app, stop) = (app.clone(), stop.clone());
        tokio::spawn(async move {
            deliver(app, job, stop).await;
            drop(permit);
        });
    }
}

async fn deliver(app: App, job: DeliveryJob, mut stop: watch::Receiver<bool>) {
    let timing = app.cfg.timing.clone();
    for attempt in 0u32.. {
        if *stop.borrow() {
            return;
        }
        let Some(request) = app.lock().delivery_request(job, app.now()) else {
            return;
        };
        let outcome = if is_loopback(&request.url) {
            post(&app, &request).await
        } else {
            DeliveryOutcome::Refused
        };
        let retry = app
            .lock()
            .record_delivery(job, outcome, app.now(), timing.webhook_max_attempts);
        app.touch();
        if !retry {
            return;
        }
        let backoff = timing
            .webhook_backoff
            .saturating_mul(1 << attempt.min(16))
            .min(Duration::from_secs(300));
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn post(app: &App, request: &DeliveryRequest) -> DeliveryOutcome {
    let mut builder = app.webhook_client.post(&request.url).json(&request.body);
    if let Some(key) = &request.auth_key {
        builder = if request.key_as_api_key {
            builder.header("X-API-Key", key)
        } else {
            builder.bearer_auth(key)
        };
    }
    match builder.send().await {
        Ok(resp) if resp.status().is_success() => DeliveryOutcome::Delivered,
        Ok(resp) if resp.status().is_client_error() && !matches!(resp.status().as_u16(), 408 | 429) => {
            DeliveryOutcome::Rejected
        }
        Ok(_) | Err(_) => DeliveryOutcome::Retryable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets_are_contacted() {
        for url in [
            "http://127.0.0.1:9/x",
            "http://localhost/",
            "https://[::1]:8443/h",
            "http://127.9.9.9/",
            "http://a.localhost/",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://webhook.example.com/x",
            "http://10.0.0.1/",
            "http://[::2]/",
            "not a url",
            "http://127.0.0.1.nip.io/",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
