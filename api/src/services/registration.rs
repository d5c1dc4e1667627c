//! Self-registration and its review by an admin.

use std::net::IpAddr;

use shared_types::{
    phone::normalize_id_mobile, AdminEvent, RegisterRequest, RegisterRole, Registration, Role,
};
use uuid::Uuid;

use crate::{
    crypto::{aad, new_hotspot_password},
    db::{self, audit::Entry, users::NewPhoneUser, users::User},
    identity::Auth,
    services::{
        otp::OtpError,
        store_errors,
        whatsapp::{
            outbox::{to_admins, to_person, Kind},
            templates,
        },
        StoreError,
    },
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// Blok/kamar/tamping do not fit the role; names the field to fix.
    #[error("{message}")]
    Hierarchy {
        message: &'static str,
        field: &'static str,
    },
    /// The phone number or the Turnstile check failed.
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error("this number is already registered")]
    AlreadyRegistered,
    /// Reviewed already, or no such registration.
    #[error("no pending registration with this id")]
    NotPending,
    #[error(transparent)]
    Store(#[from] StoreError),
}
store_errors!(RegistrationError);

/// An admin's decision on a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    Approve,
    /// Rejected, with the reason given (if any).
    Reject(Option<&'a str>),
}

/// The Turnstile action of the registration form's widget.
pub const TURNSTILE_ACTION: &str = "register";

fn hierarchy_error(message: &'static str, field: &'static str) -> RegistrationError {
    RegistrationError::Hierarchy { message, field }
}

fn clean(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `POST /auth/register`: a pending account; admins are told on WhatsApp.
pub async fn register(
    state: &AppState,
    req: &RegisterRequest,
    ip: IpAddr,
) -> Result<Uuid, RegistrationError> {
    let phone = normalize_id_mobile(&req.phone).map_err(|_| OtpError::InvalidPhone)?;
    let (blok, kamar, tamping) = (
        clean(&req.blok),
        clean(&req.kamar),
        clean(&req.tamping_type),
    );
    let role = match req.role {
        RegisterRole::Resident => {
            match (blok, kamar, tamping) {
                (Some(_), Some(_), None) | (None, None, Some(_)) => {}
                (_, _, Some(_)) => {
                    return Err(hierarchy_error(
                        "a tamping has a tamping_type and no blok or kamar",
                        "tamping_type",
                    ))
                }
                (None, _, None) => return Err(hierarchy_error("blok is required", "blok")),
                (_, None, None) => return Err(hierarchy_error("kamar is required", "kamar")),
            }
            Role::Resident
        }
        RegisterRole::Komandan => {
            if blok.is_some() || kamar.is_some() || tamping.is_some() {
                return Err(hierarchy_error(
                    "officers have no blok, kamar or tamping_type",
                    "blok",
                ));
            }
            Role::Komandan
        }
    };
    // Strangers can call this: the same Turnstile check as the OTP request, for its own action.
    state
        .turnstile
        .verify_action(&req.turnstile_token, ip, TURNSTILE_ACTION)
        .await
        .map_err(OtpError::from)?;

    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let router = db::routers::default_router(&tx).await?;
    let id = db::users::insert_pending(
        &tx,
        &NewPhoneUser {
            phone: &phone,
            name: req.name.trim(),
            role,
            blok,
            kamar,
            tamping_type: tamping,
            router_id: router.map(|r| r.id),
        },
    )
    .await?
    .ok_or(RegistrationError::AlreadyRegistered)?;
    db::audit::record(
        &tx,
        &Entry::user(id, "user.register").target("user", id).ip(ip),
    )
    .await?;
    let place = match role {
        Role::Komandan => "komandan".to_owned(),
        _ => match tamping {
            Some(t) => format!("tamping {t}"),
            None => format!(
                "blok {} kamar {}",
                blok.unwrap_or("-"),
                kamar.unwrap_or("-")
            ),
        },
    };
    let text = templates::admin_new_registration(
        req.name.trim(),
        &shared_types::phone::local_form(&phone),
        &place,
    );
    let key = id.to_string();
    to_admins(
        &tx,
        &state.settings,
        AdminEvent::NewRegistration,
        &key,
        &text,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn registration(u: &User) -> Registration {
    Registration {
        id: u.id.to_string().into(),
        name: u.name.clone(),
        phone: u.phone.clone().unwrap_or_default(),
        role: u.role,
        blok: u.blok.clone(),
        kamar: u.kamar.clone(),
        tamping_type: u.tamping_type.clone(),
        approval: u.approval.as_str().to_owned(),
        created_at: db::users::rfc3339(u.created_at).into(),
    }
}

pub async fn pending(state: &AppState) -> Result<Vec<Registration>, RegistrationError> {
    let db = state.db.get().await?;
    Ok(db::users::pending(&db)
        .await?
        .iter()
        .map(registration)
        .collect())
}

/// Approves or rejects a pending registration (idempotent per state: a second
/// review of the same account answers `conflict`).
pub async fn review(
    state: &AppState,
    admin: &Auth,
    id: Uuid,
    decision: Decision<'_>,
    ip: IpAddr,
) -> Result<Registration, RegistrationError> {
    let (approve, reason) = match decision {
        Decision::Approve => (true, None),
        Decision::Reject(reason) => (false, reason),
    };
    let sealed = approve.then(|| {
        state.sealer.seal(
            &new_hotspot_password(),
            &aad("users", "hotspot_password_sealed", &id),
        )
    });
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let user = db::users::review(&tx, id, approve, admin.user_id, reason, sealed.as_deref())
        .await?
        .ok_or(RegistrationError::NotPending)?;
    let mut entry = Entry::admin(
        admin.user_id,
        if approve {
            "user.approve"
        } else {
            "user.reject"
        },
    )
    .target("user", id)
    .ip(ip);
    if let Some(r) = reason {
        entry = entry.detail("reason", r);
    }
    db::audit::record(&tx, &entry).await?;
    db::users::notify_changed(&tx, id).await?;
    if let Some(phone) = &user.phone {
        let facility = state.facility().await;
        let (kind, text) = if approve {
            let local = shared_types::phone::local_form(phone);
            (
                Kind::RegistrationApproved,
                templates::registration_approved(&facility.facility_name, &local),
            )
        } else {
            (
                Kind::RegistrationRejected,
                templates::registration_rejected(reason, &facility.contact),
            )
        };
        to_person(&tx, &state.settings, kind, "review", id, phone, &text).await?;
    }
    tx.commit().await?;
    Ok(registration(&user))
}
