//! The server's metrics, in the OpenMetrics text format Prometheus scrapes
//! (`prometheus-client`): decisions and errors by policy and kind, decision latency,
//! swaps and refused swaps, requests turned away.

use std::sync::Arc;

use pacto::RegistryEvent;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PolicyLabel {
    pub policy: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DecisionLabels {
    pub policy: String,
    pub version: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ErrorLabels {
    pub policy: String,
    pub kind: String,
}

/// Every metric the server keeps; cheap to clone (the families are shared).
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    pub decisions: Family<DecisionLabels, Counter>,
    pub errors: Family<ErrorLabels, Counter>,
    pub fallbacks: Family<PolicyLabel, Counter>,
    pub latency: Family<PolicyLabel, Histogram>,
    pub swaps: Family<PolicyLabel, Counter>,
    pub failed_swaps: Family<PolicyLabel, Counter>,
    pub saturated: Counter,
    pub unknown_policy: Counter,
}

impl Metrics {
    pub fn new() -> Metrics {
        let decisions = Family::<DecisionLabels, Counter>::default();
        let errors = Family::<ErrorLabels, Counter>::default();
        let fallbacks = Family::<PolicyLabel, Counter>::default();
        // 5 µs to about 2.6 s: a native decision to a Rhai one at its time cap
        let latency = Family::<PolicyLabel, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(5e-6, 2.0, 20))
        });
        let swaps = Family::<PolicyLabel, Counter>::default();
        let failed_swaps = Family::<PolicyLabel, Counter>::default();
        let saturated = Counter::default();
        let unknown_policy = Counter::default();

        let mut registry = Registry::with_prefix("pacto");
        registry.register(
            "decisions",
            "Decisions made, by the policy and version that made them (a fallback's under its own name)",
            decisions.clone(),
        );
        registry.register(
            "decision_errors",
            "Cases a policy could not decide, by policy and error kind (input, limit, policy, invalid_decision, time)",
            errors.clone(),
        );
        registry.register(
            "fallbacks",
            "Decisions a fallback made because the policy failed, by the policy that failed",
            fallbacks.clone(),
        );
        registry.register(
            "decision_duration_seconds",
            "Time to decide one case, by policy",
            latency.clone(),
        );
        registry.register(
            "swaps",
            "Versions that started serving (a first load included), by policy",
            swaps.clone(),
        );
        registry.register(
            "swap_failures",
            "Versions refused by their checks, by policy (or bundle folder when the name is unknown)",
            failed_swaps.clone(),
        );
        registry.register(
            "requests_shed",
            "Requests answered 503 because the server was saturated",
            saturated.clone(),
        );
        // not by name: the name is whatever a client put in the URL
        registry.register(
            "unknown_policy_requests",
            "Decide requests naming no policy that serves (answered 404)",
            unknown_policy.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            decisions,
            errors,
            fallbacks,
            latency,
            swaps,
            failed_swaps,
            saturated,
            unknown_policy,
        }
    }

    /// Counts a registry event.
    pub fn observe(&self, event: &RegistryEvent) {
        let label = |policy: &str| PolicyLabel {
            policy: policy.to_owned(),
        };
        match event {
            RegistryEvent::Loaded { policy, .. } => {
                self.swaps.get_or_create(&label(&policy.name)).inc();
            }
            RegistryEvent::Swapped { to, .. } => {
                self.swaps.get_or_create(&label(&to.name)).inc();
            }
            RegistryEvent::Refused { dir, serving, .. } => {
                let name = match serving {
                    Some(p) => p.name.clone(),
                    None => dir
                        .file_name()
                        .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into()),
                };
                self.failed_swaps.get_or_create(&label(&name)).inc();
            }
            RegistryEvent::FellBack { failed, .. } => {
                self.fallbacks.get_or_create(&label(&failed.name)).inc();
            }
            _ => {}
        }
    }

    /// The text a scrape gets.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // writing to a String cannot fail
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}
