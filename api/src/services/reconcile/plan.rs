//! The one rule for a user's live sessions, used by the cycle and by the
//! targeted reaction alike: without access they are ended; with access in
//! hotspot mode a session whose limit differs from what a login would now get,
//! or whose profile changed, is logged in again (RouterOS fixes both at login).

use routeros::Row;
use shared_types::LoginMode;

use super::{desired::DesiredUser, snapshot::counted};

/// What to do with one user's live sessions.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SessionPlan<'a> {
    /// Sessions to end: the user has no access.
    pub kick: Vec<&'a Row>,
    /// Sessions to end and log in again with the account's current limit and profile.
    pub relogin: Vec<&'a Row>,
    /// The account was cut off on the router (disabled, or its limit used up)
    /// and the user has access again.
    pub was_cut: bool,
}

/// Decides what happens to `sessions`, given the router's account row as it
/// was before this reconcile (`actual`) and what it is being made to say.
pub fn plan_sessions<'a>(
    mode: LoginMode,
    actual: Option<&Row>,
    desired: &DesiredUser,
    sessions: &[&'a Row],
) -> SessionPlan<'a> {
    if desired.disabled {
        return SessionPlan {
            kick: sessions.to_vec(),
            ..SessionPlan::default()
        };
    }
    // Bypassed devices have no hotspot session to refresh; a missing account has none either.
    let (LoginMode::HotspotLogin, Some(actual)) = (mode, actual) else {
        return SessionPlan::default();
    };
    let committed = counted(actual);
    let was_cut = actual.text("disabled").as_deref() == Some("true")
        || actual
            .u64("limit-bytes-total")
            .ok()
            .flatten()
            .is_some_and(|l| committed.max(0) as u64 >= l);
    let profile_changed = actual.text("profile").as_deref() != Some(desired.profile.as_str());
    let relogin = sessions
        .iter()
        .copied()
        .filter(|a| profile_changed || limit_differs(desired.limit_bytes_total, committed, a))
        .collect();
    SessionPlan {
        kick: Vec::new(),
        relogin,
        was_cut,
    }
}

/// Whether a live session's limit differs from what a login would now get
/// (limits are fixed at login). In steady state they are equal to the byte:
/// the account's limit counts the session's bytes already charged. It is
/// higher after a top-up; it is lower when quota was taken away, or after a
/// reboot wiped sessions whose charged bytes the account's limit still
/// counted — a device that logged in again got those bytes a second time,
/// so its session is logged in again with the right limit (docs/routeros.md,
/// "Usage accounting").
fn limit_differs(account_limit: Option<u64>, committed: i64, session: &Row) -> bool {
    let live = session.u64("limit-bytes-total").ok().flatten();
    match (account_limit, live) {
        (None, Some(_)) | (Some(_), None) => true,
        (Some(l), Some(live)) => l.saturating_sub(committed.max(0) as u64) != live,
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::diff::tests::row;
    use super::*;

    const HOTSPOT: LoginMode = LoginMode::HotspotLogin;
    const BYPASS: LoginMode = LoginMode::Bypass;

    fn desired(limit: Option<u64>, disabled: bool, profile: &str) -> DesiredUser {
        DesiredUser {
            name: "0812".into(),
            password: "p".into(),
            profile: profile.into(),
            limit_bytes_total: limit,
            disabled,
            comment: "gerbang:uid=x".into(),
        }
    }

    fn account(limit: &str, used: &str, disabled: &str) -> Row {
        row(&[
            (".id", "*1"),
            ("name", "0812"),
            ("profile", "default"),
            ("limit-bytes-total", limit),
            ("bytes-in", used),
            ("bytes-out", "0"),
            ("disabled", disabled),
        ])
    }

    fn session(limit: &str) -> Row {
        row(&[
            (".id", "*A"),
            ("user", "0812"),
            ("limit-bytes-total", limit),
        ])
    }

    #[test]
    fn without_access_every_session_is_ended_and_none_relogged() {
        let s = session("100");
        let plan = plan_sessions(HOTSPOT, None, &desired(Some(0), true, "default"), &[&s]);
        assert_eq!(plan.kick, vec![&s]);
        assert!(plan.relogin.is_empty());
        // Bypass mode too.
        let plan = plan_sessions(BYPASS, None, &desired(Some(0), true, "default"), &[&s]);
        assert_eq!(plan.kick.len(), 1);
    }

    #[test]
    fn a_changed_limit_or_a_new_profile_logs_the_session_in_again() {
        // 1000 committed before; the account now allows 5000 in all, so a
        // login gets 4000; the session got 500 at its login.
        let acct = account("1000", "1000", "true");
        let s = session("500");
        let plan = plan_sessions(
            HOTSPOT,
            Some(&acct),
            &desired(Some(5000), false, "default"),
            &[&s],
        );
        assert_eq!(plan.relogin, vec![&s]);
        assert!(plan.was_cut);
        assert!(plan.kick.is_empty());

        // The same limit and profile: left alone.
        let acct = account("5000", "1000", "false");
        let s = session("4000");
        let same = plan_sessions(
            HOTSPOT,
            Some(&acct),
            &desired(Some(5000), false, "default"),
            &[&s],
        );
        assert_eq!(same, SessionPlan::default());
        // Only the profile changed (FUP): logged in again.
        let fup = plan_sessions(
            HOTSPOT,
            Some(&acct),
            &desired(Some(5000), false, "gerbang-fup"),
            &[&s],
        );
        assert_eq!(fup.relogin, vec![&s]);
        // Less than the session got (quota taken away, or a reboot wiped
        // sessions the account's limit still counted): logged in again too.
        let lowered = plan_sessions(
            HOTSPOT,
            Some(&acct),
            &desired(Some(4500), false, "default"),
            &[&s],
        );
        assert_eq!(lowered.relogin, vec![&s]);
        // Unlimited now, the session had a limit.
        let unl = plan_sessions(
            HOTSPOT,
            Some(&acct),
            &desired(None, false, "default"),
            &[&s],
        );
        assert_eq!(unl.relogin.len(), 1);
    }

    #[test]
    fn bypass_mode_and_missing_accounts_have_nothing_to_refresh() {
        let acct = account("1000", "1000", "true");
        let s = session("10");
        let d = desired(Some(5000), false, "other");
        assert_eq!(
            plan_sessions(BYPASS, Some(&acct), &d, &[&s]),
            SessionPlan::default()
        );
        assert_eq!(
            plan_sessions(HOTSPOT, None, &d, &[&s]),
            SessionPlan::default()
        );
    }
}
