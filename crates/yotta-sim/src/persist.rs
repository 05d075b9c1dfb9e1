//! `--state <file>`: load at start, save after changes (debounced) and at shutdown.
//!
//! Writes are atomic: the snapshot goes to `<file>.tmp`, is fsynced, then renamed over `<file>`,
//! so a crash (even SIGKILL mid-write) leaves either the previous or the new snapshot, never a
//! torn one. A crash loses what was acknowledged after the last completed save began.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use anyhow::Context;
use tokio::sync::watch;

use crate::app::App;
use crate::state::{SNAPSHOT_VERSION, Snapshot};

pub fn load(path: &Path) -> anyhow::Result<Option<Snapshot>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading state file {}", path.display())),
    };
    let snap: Snapshot = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "state file {} is not a simulator snapshot (move it away to start fresh)",
            path.display()
        )
    })?;
    if snap.version != SNAPSHOT_VERSION {
        anyhow::bail!(
            "state file {} has version {}, expected {SNAPSHOT_VERSION}",
            path.display(),
            snap.version
        );
    }
    Ok(Some(snap))
}

/// Serialises under the lock (consistent), writes outside it.
pub async fn save(app: &App, path: &Path) -> anyhow::Result<()> {
    let bytes = {
        let st = app.lock();
        serde_json::to_vec(&st.snapshot(app.now(), app.clock.offset_ms()))?
    };
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || write_atomic(&path, &bytes)).await??;
    Ok(())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = PathBuf::from(path);
    tmp.as_mut_os_string().push(".tmp");
    let mut file = std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
    // Make the rename itself durable; not every filesystem supports syncing a directory.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Saves whenever the generation moved, at most once per `state_interval`, and once more at stop.
///
/// Serialising holds the state lock, so the pause between saves grows to four times the last
/// save's duration: a huge state cannot keep the API blocked more than a fifth of the time.
pub async fn run_saver(app: App, path: PathBuf, mut stop: watch::Receiver<bool>) {
    let mut saved = app.generation.load(Ordering::Relaxed);
    let mut pause = app.cfg.state_interval;
    loop {
        let stopping = tokio::select! {
            _ = app.changed.notified() => false,
            _ = stop.changed() => true,
        };
        if !stopping {
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
        let current = app.generation.load(Ordering::Relaxed);
        if current != saved {
            let started = std::time::Instant::now();
            match save(&app, &path).await {
                Ok(()) => saved = current,
                Err(e) => tracing::error!("saving state to {}: {e:#}", path.display()),
            }
            pause = app.cfg.state_interval.max(started.elapsed().saturating_mul(4));
        }
        if stopping || *stop.borrow() {
            return;
        }
    }
}
