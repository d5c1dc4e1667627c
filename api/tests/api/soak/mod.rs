//! The fault soak, short form (the long one is `cargo bench -p api --bench soak`).

mod scenario;

use scenario::{run, SoakConfig};

use crate::helpers::*;

#[tokio::test]
async fn fifty_residents_through_random_router_faults_keep_exact_books() {
    let w = World::start(|_| {}).await;
    let cfg = SoakConfig {
        seed: 15,
        residents: 50,
        steps: 40,
    };
    let report = run(&w.app.state, &w.sb.router().router, w.router_id, &cfg).await;
    eprintln!("{report:#?}");
    assert!(report.mismatches.is_empty(), "{:#?}", report.mismatches);
    assert_eq!((report.mode, report.steps), ("hotspot_login", 40));
    // The run exercised what it claims to.
    assert!(
        report.cycles_failed > 0 && report.cycles_ok > 0,
        "{report:?}"
    );
    assert!(report.faults.contains_key("reboot"), "{report:?}");
    assert!(report.exhausted > 0, "some quotas ran out: {report:?}");
    assert!(report.delivered > 0);
    w.stop().await;
}
