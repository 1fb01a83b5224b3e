//! `pacto serve --policies DIR --listen ADDR`: the HTTP sidecar (axum on tokio) for
//! helpdesks in any language. The policies of `DIR` serve from a [`pacto::Registry`],
//! reloaded as files change; see DESIGN.md, "Registry and HTTP API".
//!
//! | module | what it holds |
//! |---|---|
//! | `routes` | one handler per route, and the OpenAPI description |
//! | `error` | the JSON error body and its status |
//! | `metrics` | the Prometheus metrics |

mod error;
mod metrics;
mod routes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use clap::{Args, ValueEnum};
use miette::{Report, miette};
use pacto::{Engine, Fallback, Registry};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use self::error::ApiError;
use self::metrics::Metrics;
use self::routes::AppState;

#[derive(Args)]
pub struct ServeArgs {
    /// The policies: a folder of bundle folders, or one bundle folder.
    #[arg(long, value_name = "DIR")]
    policies: PathBuf,
    /// The address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Threads that serve requests and decide single cases (default: one per core).
    /// A batch is decided on a thread of its own, as many batches at once as this.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Decide requests in flight at once; one more is answered 503 with `Retry-After`.
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_in_flight: usize,
    /// The largest request body, bytes; a larger one is answered 413.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// What answers a case the policy fails on: `previous` (the version it replaced) or
    /// a bundle folder (a conservative policy). Repeat to try several, in order.
    #[arg(long, value_name = "previous|DIR")]
    fallback: Vec<String>,
    /// Do not watch the folder: the policies loaded at start serve until the end.
    #[arg(long)]
    no_watch: bool,
    /// After SIGTERM, how long requests in flight may take to finish before the server
    /// stops anyway, seconds.
    #[arg(long, value_name = "S", default_value_t = 30)]
    shutdown_timeout: u64,
    /// How long the folder must be quiet after a change before it is scanned, ms.
    #[arg(long, value_name = "MS", default_value_t = 200)]
    settle_ms: u64,
    /// Log lines as text or as JSON objects (one per line), on standard error. The
    /// filter is `$PACTO_LOG` (default `info`; e.g. `debug` logs every request).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

fn init_logs(format: LogFormat) -> Result<(), Report> {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    let filter: Targets = std::env::var("PACTO_LOG")
        .unwrap_or_else(|_| "info".into())
        .parse()
        .map_err(|e| {
            miette!("$PACTO_LOG: {e}; expected a filter such as `info` or `pacto=debug,info`")
        })?;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let registry = tracing_subscriber::registry().with(filter);
    let set = match format {
        LogFormat::Text => registry.with(layer).try_init(),
        LogFormat::Json => registry.with(layer.json()).try_init(),
    };
    set.map_err(|e| miette!("cannot set up logging: {e}"))
}

fn fallbacks(engine: &Engine, given: &[String]) -> Result<Vec<Fallback>, Report> {
    given
        .iter()
        .map(|f| match f.as_str() {
            "previous" => Ok(Fallback::Previous),
            dir => engine
                .load(dir)
                .map(|p| Fallback::Policy(Arc::new(p)))
                .map_err(|e| Report::new(e).wrap_err(format!("--fallback {dir}"))),
        })
        .collect()
}

pub fn run(a: ServeArgs) -> Result<ExitCode, Report> {
    init_logs(a.log_format)?;
    // compiled components are cached where the other verbs cache them
    let engine = crate::policy_cmd::engine();
    let fallback_engine = crate::policy_cmd::engine();
    let metrics = Metrics::new();
    let mut builder = Registry::builder(&a.policies).engine(engine);
    for fallback in fallbacks(&fallback_engine, &a.fallback)? {
        builder = builder.fallback(fallback);
    }
    let observer = metrics.clone();
    let registry = builder
        .on_event(move |e| observer.observe(e))
        .open()
        .map_err(Report::new)?;
    let _watch = if a.no_watch {
        None
    } else {
        Some(
            registry
                .watch_debounced(Duration::from_millis(a.settle_ms))
                .map_err(Report::new)?,
        )
    };

    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = a.threads {
        runtime.worker_threads(n.max(1));
    }
    let runtime = runtime
        .enable_all()
        .thread_name("pacto-serve")
        // workers and blocking threads decide Rhai policies without switching stacks
        .thread_stack_size(pacto::DECISION_STACK_SIZE)
        .build()
        .map_err(|e| miette!("cannot start the server's threads: {e}"))?;
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let state = AppState {
        registry,
        metrics,
        batches: Arc::new(tokio::sync::Semaphore::new(threads)),
    };
    let app = router(state, a.max_in_flight, a.max_body);
    runtime.block_on(serve(
        a.listen,
        app,
        Duration::from_secs(a.shutdown_timeout),
    ))?;
    // a batch still deciding after the deadline is not waited for
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(ExitCode::SUCCESS)
}

/// Every route, with the limits: body size and requests in flight on the decide routes.
fn router(state: AppState, max_in_flight: usize, max_body: usize) -> Router {
    let shed = state.metrics.saturated.clone();
    let decide = Router::new()
        .route("/v1/policies/{name}/decide", post(routes::decide))
        .route(
            "/v1/policies/{name}/decide-batch",
            post(routes::decide_batch),
        )
        .route("/v1/policies/{name}/explain", post(routes::explain))
        .route_layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(move |_: tower::BoxError| {
                    let shed = shed.clone();
                    async move {
                        shed.inc();
                        ApiError::saturated()
                    }
                }))
                .load_shed()
                // one limit for the three routes (a plain concurrency limit is per route)
                .layer(GlobalConcurrencyLimitLayer::new(max_in_flight.max(1))),
        )
        .layer(DefaultBodyLimit::max(max_body));
    Router::new()
        .merge(decide)
        .route("/v1/policies", get(routes::policies))
        .route("/healthz", get(routes::healthz))
        .route("/metrics", get(routes::metrics))
        .route("/openapi.json", get(routes::openapi))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(|_| {
            use axum::response::IntoResponse;
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "a bug in pacto serve: the request panicked (the log has it)",
            )
            .into_response()
        }))
        .with_state(state)
}

async fn serve(listen: SocketAddr, app: Router, deadline: Duration) -> Result<(), Report> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| miette!("{listen}: cannot listen: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| miette!("{listen}: {e}"))?;
    // the first line on standard output, for scripts and tests that asked for port 0
    println!("listening on {local}");
    tracing::info!("listening on http://{local}");
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signalled = Arc::clone(&stopping);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown().await;
        signalled.notify_one();
    });
    tokio::select! {
        served = server => {
            served.map_err(|e| miette!("{local}: {e}"))?;
            tracing::info!("stopped: every request in flight was answered");
        }
        () = async {
            stopping.notified().await;
            tokio::time::sleep(deadline).await;
        } => {
            tracing::warn!(
                "stopped after {} s (`--shutdown-timeout`) with requests still in flight",
                deadline.as_secs()
            );
        }
    }
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C; requests in flight then finish, new ones are refused.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
