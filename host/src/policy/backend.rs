//! What a sandbox implements. Rhai, Wasm and native policies are backends behind
//! [`Policy`](super::Policy), so a new one changes no caller.

use crate::case::Case;
use crate::decision::PolicyOutput;

use super::{Context, DecideError};

/// Given a case and this decision's [`Context`], return the policy's output (the host
/// then checks it). Every call starts from the policy's initial state: nothing a call
/// leaves behind may reach the next one.
pub(crate) trait Backend: Send + Sync {
    fn decide(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError>;
}
