//! The fault soak, long form (issue 15): residents with traffic on a
//! simulated router while random faults come and go, in both login modes;
//! prints what happened and whether the books match the router. The short
//! form runs in the test command (`soak::`); this is the same scenario,
//! longer (`api/tests/api/soak/scenario.rs`).
//!
//! `cargo bench -p api --bench soak` (`SOAK_RESIDENTS`, `SOAK_STEPS`,
//! `SOAK_SEED` override 50 residents, 400 steps, seed 15). Exits non-zero
//! when the books disagree with the router.

mod common;
#[path = "../tests/api/soak/scenario.rs"]
mod scenario;

use std::time::Instant;

use common::{add_router, size, state};
use scenario::{run, SoakConfig};
use shared_types::LoginMode;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cfg = SoakConfig {
        seed: size("SOAK_SEED", 15) as u64,
        residents: size("SOAK_RESIDENTS", 50),
        steps: size("SOAK_STEPS", 400),
    };
    let mut failed = false;
    for (i, mode) in [LoginMode::HotspotLogin, LoginMode::Bypass]
        .into_iter()
        .enumerate()
    {
        let state = state(&format!("gerbang_bench_soak_{i}")).await?;
        let (id, sim) = add_router(&state, "soak", mode).await?;
        let started = Instant::now();
        let report = run(&state, &sim.router, id, &cfg).await;
        println!("{report:#?}");
        println!(
            "{}: {} residents × {} steps in {:.1} s, seed {}",
            report.mode,
            cfg.residents,
            report.steps,
            started.elapsed().as_secs_f64(),
            cfg.seed
        );
        failed |= !report.mismatches.is_empty();
        sim.shutdown().await;
    }
    if failed {
        anyhow::bail!("the books disagree with the router (see mismatches above)");
    }
    Ok(())
}
