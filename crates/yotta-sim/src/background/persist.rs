//! `--state <file>`: load at start, save after changes (debounced) and at shutdown.
//!
//! Writes are atomic: the snapshot goes to a temporary file of its own beside `<file>`
//! (`<file>.<pid>.<n>.tmp`), is fsynced, then renamed over `<file>`, so a crash (even SIGKILL
//! mid-write) leaves either the previous or the new snapshot, never a torn one. A crash loses what
//! was acknowledged after the last completed save began.
//!
//! The snapshot holds secrets (environment variables, webhook auth keys), so the file is created
//! readable by its owner only (0600 on unix), whatever the umask. One save runs at a time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Serialises under the state lock (consistent), writes outside it. Saves are serialised by
/// `save_lock` across both steps: two interleaved saves could otherwise rename an older snapshot
/// over a newer one.
pub async fn save(app: &App, path: &Path) -> anyhow::Result<()> {
    let _one_at_a_time = app.save_lock.lock().await;
    let bytes = {
        let st = app.lock();
        serde_json::to_vec(&st.snapshot(app.now(), app.clock.offset_ms()))?
    };
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || write_atomic(&path, &bytes)).await??;
    Ok(())
}

/// Distinguishes the temporary files of saves within one process (the pid, between processes).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// `<file>.<pid>.<n>.tmp` in the same directory (a rename is atomic only within a filesystem).
fn temp_path(path: &Path) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut tmp = PathBuf::from(path);
    tmp.as_mut_os_string().push(format!(".{}.{n}.tmp", std::process::id()));
    tmp
}

fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = temp_path(path);
    let written = write_new(&tmp, bytes).and_then(|()| {
        std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
    });
    if written.is_err() {
        // Leave no half-written temporary file behind (it may hold secrets).
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    // Make the rename itself durable; not every filesystem supports syncing a directory.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Creates `tmp` (never opening an existing file or following a planted symlink: `create_new`),
/// owner-only on unix, and writes and fsyncs `bytes`.
fn write_new(tmp: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", tmp.display()))?;
    file.sync_all().with_context(|| format!("syncing {}", tmp.display()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_replace_the_file_atomically_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["state.json"]);
        // Each save has a temporary file of its own.
        assert_ne!(temp_path(&path), temp_path(&path));
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_owner_only_even_over_a_world_readable_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&path, b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // Renaming a file over a non-empty directory fails after the temporary file was written.
        let path = dir.path().join("taken");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"x").unwrap();
        assert!(write_atomic(&path, b"data").is_err());
        assert_eq!(names(dir.path()), ["taken"]);
    }
}
