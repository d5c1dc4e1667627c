//! How the admin pages put API values into words: statuses, roles, the rule
//! behind a status, audit actions, durations and what went wrong.

use shared_types::{AccessRule, AccessStatus, Role};

use crate::{
    api::ApiError,
    i18n::{admin, error_text, requests, say, staff, Lang, Text},
};

pub fn status_text(status: AccessStatus) -> Text {
    match status {
        AccessStatus::Active => admin::STATUS_ACTIVE,
        AccessStatus::Unlimited => admin::STATUS_UNLIMITED,
        AccessStatus::Fup => admin::STATUS_FUP,
        AccessStatus::Exhausted => admin::STATUS_EXHAUSTED,
        AccessStatus::Expired => admin::STATUS_EXPIRED,
        AccessStatus::Blocked => admin::STATUS_BLOCKED,
        AccessStatus::Inactive => admin::STATUS_INACTIVE,
    }
}

pub fn role_text(role: Role) -> Text {
    match role {
        Role::Resident => admin::ROLE_RESIDENT,
        Role::Komandan => admin::ROLE_KOMANDAN,
        Role::Staff => admin::ROLE_STAFF,
        Role::Admin => admin::ROLE_ADMIN,
        Role::SuperAdmin => admin::ROLE_SUPER_ADMIN,
    }
}

/// Why a person has their status.
pub fn rule_text(rule: AccessRule) -> Text {
    match rule {
        AccessRule::BlockedByAdmin => admin::RULE_BLOCKED_BY_ADMIN,
        AccessRule::NotApproved => admin::RULE_NOT_APPROVED,
        AccessRule::Deactivated => admin::RULE_DEACTIVATED,
        AccessRule::ValidityEnded => admin::RULE_VALIDITY_ENDED,
        AccessRule::UnlimitedByAdmin => admin::RULE_UNLIMITED_BY_ADMIN,
        AccessRule::UnlimitedUntil => admin::RULE_UNLIMITED_UNTIL,
        AccessRule::QuotaUsedUp => admin::RULE_QUOTA_USED_UP,
        AccessRule::UnderFupThreshold => admin::RULE_UNDER_FUP_THRESHOLD,
        AccessRule::QuotaLeft => admin::RULE_QUOTA_LEFT,
    }
}

/// An audit action as a verb ("memblokir"), or the action itself when it
/// has no wording yet.
pub fn action_text(lang: Lang, action: &str) -> String {
    let text = match action {
        "user.block" => admin::ACTION_USER_BLOCK,
        "user.unblock" => admin::ACTION_USER_UNBLOCK,
        "user.deactivate" => admin::ACTION_USER_DEACTIVATE,
        "user.activate" => admin::ACTION_USER_ACTIVATE,
        "user.edit" => admin::ACTION_USER_EDIT,
        "quota.adjust" => admin::ACTION_QUOTA_ADJUST,
        "user.hotspot_password_reset" => admin::ACTION_PASSWORD_RESET,
        "session.kick" => admin::ACTION_SESSION_KICK,
        "device.forget" => admin::ACTION_DEVICE_FORGET,
        "user.delete" => admin::ACTION_USER_DELETE,
        "user.approve" => admin::ACTION_USER_APPROVE,
        "user.reject" => admin::ACTION_USER_REJECT,
        "user.register" => admin::ACTION_USER_REGISTER,
        "session.login" => admin::ACTION_SESSION_LOGIN,
        "device.proven" => admin::ACTION_DEVICE_PROVEN,
        "device.delete" => admin::ACTION_DEVICE_DELETE,
        "purchase.create" => admin::ACTION_PURCHASE_CREATE,
        "purchase.paid" => admin::ACTION_PURCHASE_PAID,
        "staff.create" => staff::ACTION_STAFF_CREATE,
        "staff.update" => staff::ACTION_STAFF_UPDATE,
        "staff.reveal" => staff::ACTION_STAFF_REVEAL,
        "staff.password_reset" => staff::ACTION_STAFF_PASSWORD_RESET,
        "staff.adopt" => staff::ACTION_STAFF_ADOPT,
        "staff.hotspot_account" => staff::ACTION_STAFF_HOTSPOT_ACCOUNT,
        "staff.hotspot_password" => staff::ACTION_STAFF_HOTSPOT_PASSWORD,
        "staff.web_password" => staff::ACTION_STAFF_WEB_PASSWORD,
        "admin.confirm_failed" => staff::ACTION_ADMIN_CONFIRM_FAILED,
        "quota_request.file" => requests::ACTION_FILE,
        "quota_request.approve" => requests::ACTION_APPROVE,
        "quota_request.reject" => requests::ACTION_REJECT,
        "whatsapp.retry" => crate::i18n::messages::ACTION_RETRY,
        "notifications.subscriptions" => crate::i18n::messages::ACTION_SUBSCRIPTIONS,
        other => return other.to_owned(),
    };
    say(lang, text).to_owned()
}

/// "45 detik", "12 menit", "3 jam 5 menit".
pub fn duration_text(lang: Lang, seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        format!("{s} {}", say(lang, admin::SECONDS))
    } else if s < 3600 {
        format!("{} {}", s / 60, say(lang, admin::MINUTES))
    } else {
        format!(
            "{} {} {} {}",
            s / 3600,
            say(lang, admin::HOURS),
            s % 3600 / 60,
            say(lang, admin::MINUTES)
        )
    }
}

/// What to tell the admin about a failed change: the field's problem when
/// the API named one, else the error code's text.
pub fn problem_text(lang: Lang, e: &ApiError) -> String {
    let fields = e.field_codes();
    let known = fields.iter().find_map(|(field, code)| {
        Some(match (field.as_str(), code.as_str()) {
            (_, "more_than_left") => admin::FIELD_MORE_THAN_LEFT,
            (_, "no_validity") => admin::FIELD_NO_VALIDITY,
            (_, "not_unlimited") => admin::FIELD_NOT_UNLIMITED,
            (_, "nothing_to_change") => admin::FIELD_NOTHING_TO_CHANGE,
            (_, "blok_kamar_or_tamping") => admin::FIELD_BLOK_KAMAR_OR_TAMPING,
            (_, "residents_only") => admin::FIELD_RESIDENTS_ONLY,
            ("phone", "required") => admin::FIELD_PHONE_REQUIRED,
            ("phone", "taken") => admin::FIELD_PHONE_TAKEN,
            (_, "other_login") => admin::FIELD_OTHER_LOGIN,
            (_, "own_role") => admin::FIELD_OWN_ROLE,
            _ => return None,
        })
    });
    match known {
        Some(text) => say(lang, text).to_owned(),
        None => error_text(lang, e.code()).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_minutes_past_a_minute() {
        assert_eq!(duration_text(Lang::Id, 45), "45 detik");
        assert_eq!(duration_text(Lang::Id, 125), "2 menit");
        assert_eq!(duration_text(Lang::En, 3 * 3600 + 300), "3 hours 5 minutes");
    }
}
