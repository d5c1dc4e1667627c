//! Typed verbs: what an admin or a resident does, through the real HTTP API,
//! answered with the shared-types the SPA decodes. A verb asserts the call
//! succeeded; tests that check a refusal use [`admin_call`] or
//! [`super::world::authed`] and look at the status themselves.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use shared_types::{DeviceView, PackageView, Registration, StatusView, UserAccess, UserView};
use uuid::Uuid;

use super::{
    router::logged_in,
    world::{authed, Cookies, World},
};

/// An admin's cookie session.
pub struct Admin<'w> {
    w: &'w World,
    pub cookies: Cookies,
}

/// A resident logged in with a WhatsApp code on a device of the hotspot.
pub struct Resident<'w> {
    w: &'w World,
    pub id: Uuid,
    pub cookies: Cookies,
    /// The verify answer (user, status, handoff, device).
    pub login: Value,
}

/// Creates the super admin `kepala` and signs in with the password.
pub async fn admin(w: &World) -> Cookies {
    w.create_admin(None).await;
    let resp = w.admin_login("kepala", "kata-sandi-panjang").await;
    assert_eq!(resp.status(), 200);
    Cookies::from(&resp)
}

/// One cookie-authenticated JSON call; the status and the body as they came.
pub async fn admin_call(
    w: &World,
    method: Method,
    path: &str,
    cookies: &Cookies,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = authed(&w.app, method, path, cookies);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// A call that must succeed, decoded as `T`.
async fn expect<T: DeserializeOwned>(
    w: &World,
    method: Method,
    path: &str,
    cookies: &Cookies,
    body: Option<Value>,
) -> T {
    let (status, body) = admin_call(w, method, path, cookies, body).await;
    assert!((200..300).contains(&status), "{path}: {status} {body}");
    serde_json::from_value(body).unwrap()
}

impl World {
    /// The super admin `kepala`, created and signed in.
    pub async fn admin(&self) -> Admin<'_> {
        Admin {
            w: self,
            cookies: admin(self).await,
        }
    }

    /// Signs in as `kepala`, who already exists.
    pub async fn admin_session(&self) -> Admin<'_> {
        let resp = self.admin_login("kepala", "kata-sandi-panjang").await;
        assert_eq!(resp.status(), 200);
        Admin {
            w: self,
            cookies: Cookies::from(&resp),
        }
    }

    /// An approved resident with `quota` bytes, logged in from the device
    /// [`super::router::MAC`] on the hotspot.
    pub async fn logged_in_resident(&self, quota: i64) -> Resident<'_> {
        let (id, login, cookies) = logged_in(self, quota).await;
        Resident {
            w: self,
            id,
            cookies,
            login,
        }
    }
}

impl Admin<'_> {
    pub async fn block(&self, id: Uuid, reason: &str) -> UserAccess {
        let path = format!("/api/v1/admin/users/{id}/block");
        expect(
            self.w,
            Method::POST,
            &path,
            &self.cookies,
            Some(json!({ "reason": reason })),
        )
        .await
    }

    pub async fn unblock(&self, id: Uuid) -> UserAccess {
        let path = format!("/api/v1/admin/users/{id}/unblock");
        expect(self.w, Method::POST, &path, &self.cookies, None).await
    }

    pub async fn pending_registrations(&self) -> Vec<Registration> {
        let path = "/api/v1/admin/registrations";
        expect(self.w, Method::GET, path, &self.cookies, None).await
    }

    pub async fn approve(&self, id: &str) -> Registration {
        let path = format!("/api/v1/admin/registrations/{id}/approve");
        expect(self.w, Method::POST, &path, &self.cookies, None).await
    }

    /// A package on sale: `bytes` for 30 days at `price` Rupiah.
    pub async fn create_package(&self, name: &str, price: i64, bytes: i64) -> PackageView {
        let body =
            json!({"name": name, "price_idr": price, "quota_bytes": bytes, "validity_days": 30});
        expect(
            self.w,
            Method::POST,
            "/api/v1/admin/packages",
            &self.cookies,
            Some(body),
        )
        .await
    }
}

impl Resident<'_> {
    pub async fn me(&self) -> UserView {
        expect(self.w, Method::GET, "/api/v1/me", &self.cookies, None).await
    }

    pub async fn status(&self) -> StatusView {
        expect(
            self.w,
            Method::GET,
            "/api/v1/me/status",
            &self.cookies,
            None,
        )
        .await
    }

    /// The resident's phone posts its login form to the router and the portal
    /// confirms it; returns the device the session is now tied to.
    pub async fn go_online(&self) -> DeviceView {
        let resp = self
            .w
            .post_login_form(super::router::MAC, &self.login["hotspot"])
            .await;
        assert_eq!(resp.status(), 302, "{:?}", resp.text().await);
        expect(
            self.w,
            Method::POST,
            "/api/v1/me/devices/current/confirm",
            &self.cookies,
            None,
        )
        .await
    }
}
