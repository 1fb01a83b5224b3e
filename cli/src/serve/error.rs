//! The answer to a request that cannot be decided: a status and a JSON body
//! `{"error": {"kind": …, "message": …}}`, the message as the command line gives it.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pacto::{DecideError, RegistryError};
use serde_json::json;

/// A request the server answers with an error.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }

    /// The body, or the case in it, is not what the contract says.
    pub fn input(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "input", message)
    }

    /// 400 when the case is at fault, 422 when the policy failed on a good case.
    pub fn decide(e: &DecideError) -> ApiError {
        let status = match e {
            DecideError::Input(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, e.kind(), e.to_string())
    }

    pub fn registry(e: &RegistryError) -> ApiError {
        match e {
            RegistryError::UnknownPolicy { .. } => {
                ApiError::new(StatusCode::NOT_FOUND, "unknown_policy", e.to_string())
            }
            RegistryError::Decide { error, .. } => ApiError::decide(error),
            // the folder went unreadable under us, or the watch failed: not the client's
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
        }
    }

    /// Too many requests in flight; come back in a second.
    pub fn saturated() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "saturated",
            "the server has as many requests in flight as it takes (`--max-in-flight`); retry after the time in `Retry-After`",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"kind": self.kind, "message": self.message}});
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
