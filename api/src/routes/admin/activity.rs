//! `/admin/online` and `/admin/audit`: who is online right now, and who did
//! what.

use poem::web::Data;
use poem_openapi::{param::Query, payload::Json, OpenApi};
use shared_types::{AuditPage, ErrorCode, OnlineNow, OnlineRouter};
use uuid::Uuid;

use crate::{
    db::audit::Filter,
    error::{ApiError, ApiResult},
    http::auth::AdminAuth,
    routes::{admin::transactions::day_in_range, ApiTags},
    services::{live, user_detail},
    state::AppState,
};

/// Live sessions and the audit log.
pub struct AdminActivityApi;

#[OpenApi(
    prefix_path = "/admin",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminActivity"
)]
impl AdminActivityApi {
    /// Everyone with a live session, router by router (user, device, IP/MAC,
    /// uptime, bytes, limit left). Each router is read at most once per
    /// `refresh_seconds`, however many admins watch; poll no faster.
    #[oai(path = "/online", method = "get", operation_id = "online_now")]
    async fn online(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        /// Only this router.
        router_id: Query<Option<Uuid>>,
    ) -> ApiResult<Json<OnlineNow>> {
        let routers = live::everywhere(&state, router_id.0).await?;
        if router_id.0.is_some() && routers.is_empty() {
            return Err(ApiError::new(ErrorCode::NotFound, "no router with this id"));
        }
        Ok(Json(OnlineNow {
            routers: routers
                .into_iter()
                .map(|(router, live)| OnlineRouter {
                    router_id: router.id.to_string().into(),
                    router_name: router.name,
                    live: (*live).clone(),
                })
                .collect(),
            refresh_seconds: state.settings.routers.live_read_seconds,
        }))
    }

    /// The audit log, newest first: every admin, person, system and worker
    /// change. Filters: actor, target person, action (`user.block`, or a
    /// family such as `user`), days (inclusive, facility time zone).
    #[oai(path = "/audit", method = "get", operation_id = "list_audit")]
    #[allow(clippy::too_many_arguments)]
    async fn audit(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        actor_id: Query<Option<Uuid>>,
        /// Entries about this person.
        user_id: Query<Option<Uuid>>,
        /// `user.block`, or `user` for every `user.…` action.
        #[oai(validator(max_length = 64, pattern = r"^[a-z._]*$"))]
        action: Query<Option<String>>,
        /// First day, `YYYY-MM-DD`.
        from: Query<Option<time::Date>>,
        /// Last day, `YYYY-MM-DD`.
        to: Query<Option<time::Date>>,
        /// 1 … 200, default 50.
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<i64>>,
        /// The `next` of the previous page.
        after: Query<Option<Uuid>>,
    ) -> ApiResult<Json<AuditPage>> {
        let limit = limit.0.unwrap_or(50);
        let filter = Filter {
            actor_id: actor_id.0,
            user_id: user_id.0,
            action: action.0.filter(|a| !a.is_empty()),
            from: day_in_range("from", from.0)?,
            to: day_in_range("to", to.0)?,
        };
        Ok(Json(
            user_detail::audit_page(&state, &filter, after.0, limit).await?,
        ))
    }
}
