//! Router reconciliation: the database decides, the router enforces.
//!
//! A cycle ([`cycle::reconcile_router`]) reads each menu once into a
//! [`Snapshot`], charges the usage it shows in one transaction, builds the
//! desired state of every user ([`DesiredUser`]), turns the differences into
//! [`Change`]s and writes only those, pipelined over one session. The targeted
//! reaction ([`enforce_user`]) does the same for one person when the database
//! announces a change. Both decide what happens to live sessions through one
//! rule ([`plan::plan_sessions`]).
//!
//! Users are matched by name; gerbang's objects carry `gerbang:uid=<uuid>`
//! and nothing else is ever touched. See `docs/architecture.md` (the worker)
//! and `docs/routeros.md` (what the router is relied on to do).

mod apply;
mod cycle;
mod desired;
mod diff;
pub mod plan;
mod purge;
mod snapshot;
mod targeted;

pub use apply::apply;
pub use cycle::{reconcile_router, CycleStats};
pub use desired::{all_lists, desired_for, fup_queue_name, list_for, DesiredUser};
pub use diff::{binding_changes, entry_changes, queue_changes, user_changes, Change};
pub use purge::{end_logins, purge_staff, purge_user};
pub use snapshot::{counted, snapshot, text_of, Index, Snapshot, USER_PROPS};
pub use targeted::{enforce_user, reconcile_user};
