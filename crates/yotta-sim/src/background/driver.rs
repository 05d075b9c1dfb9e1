//! The background driver: settles endpoints when their timers come due (a task finishing, a
//! worker becoming ready for queued tasks), so webhooks go out on time even when no client polls.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::watch;

use crate::app::App;

/// Longest sleep while timers are pending (a safety net; wake-ups are normally exact).
const MAX_NAP: Duration = Duration::from_millis(250);

pub async fn run(app: App, mut stop: watch::Receiver<bool>) {
    let wake = app.lock().wake.clone();
    loop {
        let (busy, nap) = {
            let mut st = app.lock();
            let now = app.now();
            let busy = st.settle_due(now);
            let nap = (!st.timers.is_empty()).then(|| st.next_wakeup(now, MAX_NAP));
            st.planned_wake = nap.map_or(u64::MAX, |n| now.saturating_add(n.as_millis() as u64));
            (busy, nap)
        };
        if busy > 0 {
            // Task completions are worth saving; the saver debounces.
            app.generation.fetch_add(1, Ordering::Relaxed);
            app.changed.notify_one();
        }
        // A timer earlier than `planned_wake` (a task just submitted) wakes us through `wake`.
        let wait = async {
            match nap {
                Some(nap) => tokio::time::sleep(nap.max(Duration::from_millis(1))).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = wait => {}
            _ = wake.notified() => {}
            _ = stop.changed() => return,
        }
    }
}
