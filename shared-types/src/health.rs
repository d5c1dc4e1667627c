//! Readiness of the service and its dependencies.

use serde::{Deserialize, Serialize};

/// State of one dependency check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum CheckStatus {
    /// The dependency answered in time.
    Ok,
    /// The dependency did not answer, or answered with an error.
    Down,
}

/// The result of checking one dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct DependencyCheck {
    /// Dependency name: `postgres` or `redis`.
    pub name: String,
    /// Whether it answered.
    pub status: CheckStatus,
    /// How long the check took, in milliseconds.
    pub latency_ms: u64,
}

/// Whether the service can serve requests right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Readiness {
    /// `ok` when every dependency is up, otherwise `down`.
    pub status: CheckStatus,
    /// Names of the dependencies that are down (empty when ready).
    pub failed: Vec<String>,
    /// One entry per dependency.
    pub checks: Vec<DependencyCheck>,
    /// The server's version (the `api` crate version).
    pub version: String,
}

impl Readiness {
    /// Builds the summary from individual checks.
    pub fn from_checks(checks: Vec<DependencyCheck>, version: impl Into<String>) -> Self {
        let failed: Vec<String> = checks
            .iter()
            .filter(|c| c.status != CheckStatus::Ok)
            .map(|c| c.name.clone())
            .collect();
        let status = if failed.is_empty() {
            CheckStatus::Ok
        } else {
            CheckStatus::Down
        };
        Self {
            status,
            failed,
            checks,
            version: version.into(),
        }
    }

    /// True when every dependency is up.
    pub fn is_ready(&self) -> bool {
        self.status == CheckStatus::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, status: CheckStatus) -> DependencyCheck {
        DependencyCheck {
            name: name.into(),
            status,
            latency_ms: 1,
        }
    }

    #[test]
    fn one_failed_dependency_makes_the_service_unready_and_is_named() {
        let r = Readiness::from_checks(
            vec![
                check("postgres", CheckStatus::Ok),
                check("redis", CheckStatus::Down),
            ],
            "0.1.0",
        );
        assert!(!r.is_ready());
        assert_eq!(r.failed, vec!["redis".to_string()]);
    }

    #[test]
    fn all_up_is_ready() {
        let r = Readiness::from_checks(
            vec![
                check("postgres", CheckStatus::Ok),
                check("redis", CheckStatus::Ok),
            ],
            "0.1.0",
        );
        assert!(r.is_ready());
        assert!(r.failed.is_empty());
    }
}
