//! The background driver: settles endpoints that have queued or running tasks, waking exactly
//! when the next task finishes (or a worker becomes ready), so webhooks go out on time even when
//! no client is polling.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::watch;

use crate::app::App;

/// Longest sleep while work is pending (a safety net; wake-ups are normally computed exactly).
const MAX_NAP: Duration = Duration::from_millis(250);

pub async fn run(app: App, mut stop: watch::Receiver<bool>) {
    loop {
        let (busy, nap) = {
            let mut st = app.lock();
            let now = app.now();
            let busy = st.settle_active(now);
            (busy, st.next_wakeup(now, MAX_NAP))
        };
        if busy > 0 {
            // Task completions are worth saving; the saver debounces.
            app.generation.fetch_add(1, Ordering::Relaxed);
            app.changed.notify_one();
        }
        let wait = async {
            if busy > 0 {
                tokio::time::sleep(nap.max(Duration::from_millis(1))).await;
            } else {
                app.work.notified().await;
            }
        };
        tokio::select! {
            _ = wait => {}
            _ = stop.changed() => return,
        }
    }
}
