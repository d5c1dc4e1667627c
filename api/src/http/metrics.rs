//! Prometheus metrics: request counts and latency histograms by operation.

use std::time::Instant;

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use poem_openapi::OperationId;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

/// The registry and the HTTP collectors. One per app, so tests do not share counters.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("gerbang".into()), None)
            .expect("static registry prefix is valid");
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by operation, method and status",
            ),
            &["operation", "method", "status"],
        )
        .expect("static metric definition is valid");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by operation",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["operation"],
        )
        .expect("static metric definition is valid");
        registry
            .register(Box::new(requests.clone()))
            .expect("registered once");
        registry
            .register(Box::new(latency.clone()))
            .expect("registered once");
        Self {
            registry,
            requests,
            latency,
        }
    }

    /// The registry, for other subsystems (worker, router pool) to add collectors.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// All metrics in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding into a Vec cannot fail");
        String::from_utf8(buf).expect("prometheus text is UTF-8")
    }
}

/// Routes outside the OpenAPI service get a fixed label; anything else that
/// matched no operation is `unmatched`, so label cardinality stays bounded.
fn operation_label(path: &str, resp: &Response) -> &'static str {
    if let Some(op) = resp.data::<OperationId>() {
        return op.0;
    }
    match path {
        "/healthz" => "healthz",
        "/readyz" => "readyz",
        "/metrics" => "metrics",
        "/api/openapi.json" => "openapi_spec",
        p if p.starts_with("/api/docs") => "api_docs",
        p if p.starts_with("/api/") || p == "/api" => "unmatched",
        _ => "spa",
    }
}

pub struct MetricsMiddleware(pub Metrics);

impl<E: Endpoint> Middleware<E> for MetricsMiddleware {
    type Output = MetricsEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        MetricsEndpoint {
            inner: ep,
            metrics: self.0.clone(),
        }
    }
}

pub struct MetricsEndpoint<E> {
    inner: E,
    metrics: Metrics,
}

impl<E: Endpoint> Endpoint for MetricsEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let start = Instant::now();
        let method = req.method().as_str().to_owned();
        let path = req.uri().path().to_owned();
        let resp = match self.inner.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) => e.into_response(),
        };
        let op = operation_label(&path, &resp);
        self.metrics
            .requests
            .with_label_values(&[op, method.as_str(), resp.status().as_str()])
            .inc();
        self.metrics
            .latency
            .with_label_values(&[op])
            .observe(start.elapsed().as_secs_f64());
        Ok(resp)
    }
}

/// A Prometheus label value: backslash, quote and newline escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Gauges and counters of each router's last reconcile cycle.
pub fn router_cycles(cycles: &[crate::db::cycles::LastCycle]) -> String {
    type Value = fn(&crate::db::cycles::LastCycle) -> f64;
    let series: [(&str, &str, &str, Value); 7] = [
        (
            "router_cycle_duration_seconds",
            "gauge",
            "Wall time of the router's last reconcile cycle",
            |c| f64::from(c.duration_ms) / 1000.0,
        ),
        (
            "router_cycle_reads",
            "gauge",
            "Router menus read by the last cycle",
            |c| f64::from(c.reads),
        ),
        (
            "router_cycle_writes",
            "gauge",
            "Router writes of the last cycle: the drift it found and corrected",
            |c| f64::from(c.writes),
        ),
        (
            "router_cycle_users",
            "gauge",
            "Users reconciled by the last cycle",
            |c| f64::from(c.users),
        ),
        (
            "router_cycle_up",
            "gauge",
            "1 when the last cycle succeeded",
            |c| if c.ok { 1.0 } else { 0.0 },
        ),
        (
            "router_cycle_failures_total",
            "counter",
            "Failed reconcile cycles",
            |c| c.failures_total as f64,
        ),
        (
            "router_cycle_last_timestamp_seconds",
            "gauge",
            "When the last cycle ended (Unix time)",
            |c| c.at.unix_timestamp() as f64,
        ),
    ];
    let mut out = String::new();
    for (name, kind, help, value) in series {
        out.push_str(&format!(
            "# HELP gerbang_{name} {help}\n# TYPE gerbang_{name} {kind}\n"
        ));
        for c in cycles {
            out.push_str(&format!(
                "gerbang_{name}{{router=\"{}\"}} {}\n",
                label(&c.router_name),
                value(c)
            ));
        }
    }
    out
}
