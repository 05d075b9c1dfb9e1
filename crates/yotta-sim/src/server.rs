//! [`Simulator`]: a running simulator, its router and its background tasks.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

use crate::api::{self, ops};
use crate::app::{App, Shared};
use crate::background::{driver, persist, webhook};
use crate::config::SimConfig;
use crate::faults::{ActiveFault, FaultSpec};
use crate::http::envelope::json_response;
use crate::http::listener::{ConnKill, SimListener};
use crate::http::origin::{self, OriginPolicy};
use crate::http::reqlog::RecordedRequest;
use crate::http::{admin, inject, middleware, proxy};

/// A simulator serving in the background. Dropping it signals a stop without waiting for it;
/// [`Simulator::shutdown`] waits for in-flight requests and the final state save.
pub struct Simulator {
    addr: SocketAddr,
    app: App,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

impl Simulator {
    pub(crate) async fn start(cfg: SimConfig) -> anyhow::Result<Self> {
        // Before binding: a refused configuration never listens, not even briefly.
        for warning in cfg.validate()? {
            tracing::warn!("{warning}");
        }
        let allowed = cfg.parsed_allowed_origins()?;
        let state_file = cfg.state_file.clone();
        let snapshot = match &state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let listener = TcpListener::bind(cfg.addr)
            .await
            .with_context(|| format!("binding {}", cfg.addr))?;
        let addr = listener.local_addr()?;
        let origin = OriginPolicy::new(cfg.injects_key(), addr, allowed);
        let app: App = Arc::new(Shared::new(cfg, origin)?);
        let (jobs_tx, jobs_rx) = mpsc::unbounded_channel();
        {
            let mut st = app.lock();
            st.set_delivery_sender(jobs_tx);
            if let Some(snap) = snapshot {
                app.clock.set_offset_ms(snap.clock_offset_ms);
                st.restore(snap, app.clock.now_ms());
            }
        }
        let (stop, stop_rx) = watch::channel(false);
        let mut tasks = vec![
            tokio::spawn(driver::run(app.clone(), stop_rx.clone())),
            tokio::spawn(webhook::run(app.clone(), jobs_rx, stop_rx.clone())),
        ];
        if let Some(path) = state_file {
            tasks.push(tokio::spawn(persist::run_saver(app.clone(), path, stop_rx.clone())));
        }
        let mut shutdown = stop_rx;
        let service = router(app.clone()).into_make_service_with_connect_info::<ConnKill>();
        let server = tokio::spawn(async move {
            axum::serve(SimListener(listener), service)
                .with_graceful_shutdown(async move {
                    let _ = shutdown.wait_for(|stopped| *stopped).await;
                })
                .await
        });
        Ok(Self {
            addr,
            app,
            stop,
            tasks,
            server: Some(server),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting requests, lets in-flight ones finish (up to 5 s) and writes the state file.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            match tokio::time::timeout(Duration::from_secs(5), server).await {
                Ok(joined) => joined??,
                Err(_) => tracing::warn!("connections still open after 5 s; closing them"),
            }
        }
        for task in self.tasks.drain(..) {
            // Background loops exit on the stop signal; bound the wait anyway.
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
        if let Some(path) = &self.app.cfg.state_file {
            persist::save(&self.app, path).await?;
        }
        Ok(())
    }

    /// Forgets all endpoints, faults, recorded requests and clock offset (`POST /_sim/reset`).
    pub fn reset(&self) {
        self.app.lock().reset();
        self.app.faults().clear();
        self.app.requests().clear();
        self.app.limiter().clear();
        self.app.clock.reset();
        self.app.touch();
    }

    /// Adds a fault rule at run time (`POST /_sim/faults`).
    pub fn add_fault(&self, spec: FaultSpec) -> ActiveFault {
        self.app.faults().add(spec)
    }

    pub fn clear_faults(&self) {
        self.app.faults().clear();
    }

    /// Moves the simulated clock forward (`POST /_sim/clock/advance`).
    pub fn advance_clock(&self, by: Duration) {
        self.app.clock.advance(by);
        self.app.touch();
    }

    /// The most recent API requests, oldest first (`GET /_sim/requests`).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app.requests().recent(usize::MAX, 0, None)
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// CORS grants. A plain simulator mirrors any origin: it holds no secret, and dashboards under
/// development call it from their own dev servers. A key-injecting one (proxy, `--inject-key`)
/// grants only the `--allow-origin` origins; its own pages are same-origin and need no grant, and
/// every other origin is refused by the guard before CORS is consulted.
fn cors(app: &App) -> CorsLayer {
    let origins = if app.cfg.injects_key() {
        let granted: Vec<HeaderValue> = app
            .origin
            .allowed_origins()
            .filter_map(|o| HeaderValue::from_str(&o).ok())
            .collect();
        AllowOrigin::list(granted)
    } else {
        AllowOrigin::mirror_request()
    };
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            HeaderName::from_static("x-api-key"),
            // The v1 task API names its endpoint in a header.
            HeaderName::from_static("x-endpoint-id"),
            header::CONTENT_TYPE,
            header::ACCEPT,
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

fn router(app: App) -> Router {
    let upstream = app.cfg.upstream.is_some();
    let mut api = if upstream { proxy::router() } else { api::simulated() };
    if !upstream {
        // In proxy mode the upstream checks keys; the browser deliberately sends none.
        api = api.route_layer(from_fn_with_state(app.clone(), middleware::require_key));
    }
    let api = api
        .route_layer(from_fn_with_state(app.clone(), inject::inject))
        .layer(from_fn_with_state(app.clone(), middleware::record))
        .method_not_allowed_fallback(method_not_allowed);
    let admin = admin::router().layer(axum::middleware::from_fn(origin::admin_writes_json));
    Router::new()
        .merge(api)
        .nest("/_sim", admin)
        .fallback(fallback)
        .layer(cors(&app))
        // Outermost: a refused request (a foreign preflight included) meets nothing else.
        .layer(from_fn_with_state(app.clone(), origin::guard))
        .with_state(app)
}

async fn method_not_allowed(req: Request) -> Response {
    let message = format!("Request method '{}' is not supported", req.method());
    json_response(
        StatusCode::METHOD_NOT_ALLOWED,
        &serde_json::json!({ "code": 405, "message": message, "data": null }),
    )
}

/// Unknown API paths get a JSON 404; everything else is the static directory, if any.
async fn fallback(State(app): State<App>, req: Request) -> Response {
    let not_found = |path: &str| {
        let message = format!("No endpoint {path}");
        json_response(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "code": 404, "message": message, "data": null }),
        )
    };
    let path = req.uri().path().to_owned();
    match &app.cfg.static_dir {
        Some(dir) if !ops::is_api_path(&path) && !path.starts_with("/_sim") => {
            match ServeDir::new(dir)
                .append_index_html_on_directories(true)
                .oneshot(req)
                .await
            {
                Ok(resp) => resp.into_response(),
                Err(never) => match never {},
            }
        }
        _ => not_found(&path),
    }
}
