//! The HTTP API: one handler per route of DESIGN.md's table.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pacto::{Case, Registry, Served};
use serde::Serialize;

use super::error::ApiError;
use super::metrics::{DecisionLabels, ErrorLabels, Metrics, PolicyLabel};
use crate::corpus;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub registry: Registry,
    pub metrics: Metrics,
    /// Batches decided at once (one per server thread): more would only share the cores
    /// and stretch every decision's wall time towards its `timeout_ms`.
    pub batches: Arc<tokio::sync::Semaphore>,
}

/// The OpenAPI description of this API, kept beside the handlers it describes.
pub const OPENAPI: &str = include_str!("openapi.json");

/// A body that could not be read: too large (413), or cut off.
fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                status,
                "body_too_large",
                format!("{} (`--max-body`)", e.body_text()),
            )
        } else {
            ApiError::new(status, "input", e.body_text())
        }
    })
}

impl AppState {
    fn served(&self, name: &str) -> Result<Arc<Served>, ApiError> {
        self.registry.get(name).ok_or_else(|| {
            self.metrics.unknown_policy.inc();
            let known: Vec<String> = self
                .registry
                .policies()
                .iter()
                .map(|s| s.info().name.clone())
                .collect();
            ApiError::registry(&pacto::RegistryError::UnknownPolicy {
                name: name.to_owned(),
                known,
            })
        })
    }

    /// Decides one case, counting it.
    fn decide(
        &self,
        served: &Served,
        case: &Case,
        now: Timestamp,
    ) -> Result<pacto::Decision, pacto::DecideError> {
        self.counted(served, || served.decide(case, now))
    }

    /// The decision `decide` makes with `served`, counted in the metrics: its latency,
    /// and the decision under the policy that made it or the error under its kind.
    fn counted(
        &self,
        served: &Served,
        decide: impl FnOnce() -> Result<pacto::Decision, pacto::DecideError>,
    ) -> Result<pacto::Decision, pacto::DecideError> {
        let name = &served.info().name;
        let started = Instant::now();
        let result = decide();
        self.metrics
            .latency
            .get_or_create(&PolicyLabel {
                policy: name.clone(),
            })
            .observe(started.elapsed().as_secs_f64());
        match &result {
            // counted under the policy that decided: a fallback's own name and version
            Ok(d) => self
                .metrics
                .decisions
                .get_or_create(&DecisionLabels {
                    policy: d.policy.name.clone(),
                    version: d.policy.version.clone(),
                })
                .inc(),
            Err(e) => self
                .metrics
                .errors
                .get_or_create(&ErrorLabels {
                    policy: name.clone(),
                    kind: e.kind().into(),
                })
                .inc(),
        };
        result
    }

    fn bad_input(&self, name: &str) {
        self.metrics
            .errors
            .get_or_create(&ErrorLabels {
                policy: name.to_owned(),
                kind: "input".into(),
            })
            .inc();
    }
}

/// The request body of `decide`: `{"case": …, "now": …}`, read as a corpus line.
fn request(body: &[u8]) -> Result<(Case, Timestamp), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::input(format!("the body is not UTF-8: {e}")))?;
    corpus::parse(text).map_err(ApiError::input)
}

/// `POST /v1/policies/{name}/decide`
pub async fn decide(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::input(e.body_text()))?;
    let raw = body(raw)?;
    let served = state.served(&name)?;
    let (case, now) = request(&raw).inspect_err(|_| state.bad_input(&name))?;
    match state.decide(&served, &case, now) {
        Ok(decision) => Ok(Json(decision).into_response()),
        Err(e) => Err(ApiError::decide(&e)),
    }
}

/// What `explain` answers in, chosen from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Picture {
    Html,
    Svg,
    Text,
}

impl Picture {
    const ALL: [(Picture, &'static str); 3] = [
        (Picture::Html, "text/html"),
        (Picture::Svg, "image/svg+xml"),
        (Picture::Text, "text/plain"),
    ];

    fn content_type(self) -> &'static str {
        match self {
            Picture::Html => "text/html; charset=utf-8",
            Picture::Svg => "image/svg+xml",
            Picture::Text => "text/plain; charset=utf-8",
        }
    }

    fn format(self) -> crate::explain::Format {
        match self {
            Picture::Html => crate::explain::Format::Html,
            Picture::Svg => crate::explain::Format::Svg,
            Picture::Text => crate::explain::Format::Text,
        }
    }
}

/// The client's most preferred of HTML, SVG and text (`q` weights, then its order; a
/// wildcard means HTML); none when its `Accept` allows none of them.
fn negotiate(accept: Option<&str>) -> Option<Picture> {
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return Some(Picture::Html);
    };
    let mut best: Option<(f32, Picture)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let picked = match media.as_str() {
            "*/*" | "text/*" => Some(Picture::Html),
            "image/*" => Some(Picture::Svg),
            m => Picture::ALL.iter().find(|(_, t)| *t == m).map(|(p, _)| *p),
        };
        if let Some(p) = picked
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, p));
        }
    }
    best.map(|(_, p)| p)
}

/// `POST /v1/policies/{name}/explain`: the case's SLA timeline as an HTML page, an SVG
/// picture or text (by `Accept`), from a traced decision of the version serving now.
/// No fallback answers: the picture explains this policy or fails as it does.
pub async fn explain(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    headers: axum::http::HeaderMap,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::input(e.body_text()))?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let picture = negotiate(accept).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            format!(
                "`Accept: {}` allows none of what explain answers in: text/html, image/svg+xml, text/plain",
                accept.unwrap_or_default()
            ),
        )
    })?;
    let raw = body(raw)?;
    let served = state.served(&name)?;
    let (case, now) = request(&raw).inspect_err(|_| state.bad_input(&name))?;
    let policy = served.policy();
    let decision = state
        .counted(&served, || policy.decide_traced(&case, now))
        .map_err(|e| ApiError::decide(&e))?;
    let Some(trace) = decision.trace.as_deref() else {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "a traced decision came without its trace",
        ));
    };
    let page = crate::explain::render(
        &crate::explain::Explained {
            case: &case,
            decision: &decision,
            trace,
            policy,
        },
        picture.format(),
    );
    Ok(([(header::CONTENT_TYPE, picture.content_type())], page).into_response())
}

/// `POST /v1/policies/{name}/decide-batch`: JSON Lines in, one line out per line in (blank
/// lines skipped), in order, every line decided by the same version.
pub async fn decide_batch(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::input(e.body_text()))?;
    let raw = body(raw)?;
    let served = state.served(&name)?;
    let text = String::from_utf8(Vec::from(raw))
        .map_err(|e| ApiError::input(format!("the body is not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        state.bad_input(&name);
        return Err(ApiError::input(
            "the body holds no case; send JSON Lines, one case (or {\"case\": …, \"now\": …}) per line",
        ));
    }
    // a batch can be long: it is decided off the threads that serve requests, and waits
    // its turn behind the batches already running
    let turn = Arc::clone(&state.batches)
        .acquire_owned()
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let out = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let mut out = String::with_capacity(text.len());
        for (number, line) in corpus::numbered(&text) {
            let decide = |case: &Case, now| state.decide(&served, case, now);
            let (answer, outcome) = corpus::answer_with(decide, "batch", number, line);
            if outcome == corpus::Outcome::BadLine {
                state.bad_input(&name);
            }
            out.push_str(&answer);
            out.push('\n');
        }
        out
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the batch failed: {e}"),
        )
    })?;
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response())
}

/// One entry of `GET /v1/policies`.
#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    version: &'a str,
    digest: &'a str,
    engine: &'static str,
    loaded_at: String,
}

/// `GET /v1/policies`
pub async fn policies(State(state): State<AppState>) -> Response {
    let served = state.registry.policies();
    let listed: Vec<Listed<'_>> = served
        .iter()
        .map(|s| Listed {
            name: &s.info().name,
            version: &s.info().version,
            digest: &s.info().digest,
            engine: s.engine().as_str(),
            loaded_at: s.loaded_at().to_string(),
        })
        .collect();
    Json(listed).into_response()
}

/// `GET /healthz`
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /metrics`
pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

/// `GET /openapi.json`
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// A route asked with a method it does not take.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method; see GET /openapi.json",
    )
}

/// Any other path.
pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route; see GET /openapi.json",
    )
}

#[cfg(test)]
mod tests {
    use super::{Picture, negotiate};

    #[test]
    fn explain_answers_in_what_the_client_prefers() {
        assert_eq!(negotiate(None), Some(Picture::Html));
        assert_eq!(negotiate(Some("*/*")), Some(Picture::Html));
        assert_eq!(negotiate(Some("image/svg+xml")), Some(Picture::Svg));
        assert_eq!(negotiate(Some("text/plain")), Some(Picture::Text));
        assert_eq!(
            negotiate(Some("text/html;q=0.5, image/svg+xml")),
            Some(Picture::Svg)
        );
        assert_eq!(
            negotiate(Some("image/svg+xml;q=0.2, text/html;q=0.9")),
            Some(Picture::Html)
        );
        assert_eq!(
            negotiate(Some("application/json, image/*;q=0.1")),
            Some(Picture::Svg)
        );
        assert_eq!(negotiate(Some("application/json")), None);
        assert_eq!(negotiate(Some("text/html;q=0")), None);
    }
}
