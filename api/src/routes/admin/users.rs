//! `/admin/users`: finding people and what admins do to their access.

use poem::web::Data;
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    OpenApi,
};
use shared_types::{AccessStatus, Approval, BlockUser, Role, UserAccess, UserPage, UserSort};
use uuid::Uuid;

use crate::{
    db::user_search::UserQuery,
    error::ApiResult,
    http::{
        auth::AdminAuth,
        client_ip::ClientIp,
        valid::{self, Valid},
    },
    routes::ApiTags,
    services::{
        live,
        user_admin::{self, AccessChange},
    },
    state::AppState,
};

/// What admins do to a person's access (`/admin/users/…`).
pub struct AdminUsersApi;

#[OpenApi(
    prefix_path = "/admin/users",
    tag = "ApiTags::Admin",
    tag = "ApiTags::AdminUsers"
)]
impl AdminUsersApi {
    /// Find people: `q` is any part of a number in any form (`0812…`, `62812…`,
    /// `+62812…`, `1234`) or of a name or username; filters narrow it down;
    /// pages follow `next` (keyset, never skipping or repeating anyone) and
    /// `total` counts every match.
    #[oai(path = "/", method = "get", operation_id = "list_users")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        _admin: AdminAuth,
        /// Search text (at most 64 characters).
        #[oai(validator(max_length = 64))]
        q: Query<Option<String>>,
        role: Query<Option<Role>>,
        /// Access right now, by the one status rule.
        status: Query<Option<AccessStatus>>,
        approval: Query<Option<Approval>>,
        router_id: Query<Option<Uuid>>,
        #[oai(validator(max_length = 64))] blok: Query<Option<String>>,
        #[oai(validator(max_length = 64))] kamar: Query<Option<String>>,
        #[oai(validator(max_length = 64))] tamping_type: Query<Option<String>>,
        /// `true`: only people with a live session now (read from the
        /// routers, shared for a few seconds); `false`: only those without.
        online: Query<Option<bool>>,
        /// `name` (default), `newest`, `most_used`.
        sort: Query<Option<UserSort>>,
        /// 1 … 100, default 25.
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<i64>>,
        /// The `next` of the previous page.
        #[oai(validator(max_length = 512))]
        after: Query<Option<String>>,
    ) -> ApiResult<Json<UserPage>> {
        let limit = limit.0.unwrap_or(25);
        for (name, text) in [
            ("q", &q.0),
            ("blok", &blok.0),
            ("kamar", &kamar.0),
            ("tamping_type", &tamping_type.0),
        ] {
            valid::query_text(name, text.as_deref(), 64)?;
        }
        let query = UserQuery {
            q: q.0,
            role: role.0,
            status: status.0,
            approval: approval.0,
            router_id: router_id.0,
            blok: blok.0,
            kamar: kamar.0,
            tamping_type: tamping_type.0,
            sort: sort.0.unwrap_or_default(),
            online: match online.0 {
                Some(wanted) => Some((live::online_user_ids(&state).await?, !wanted)),
                None => None,
            },
        };
        Ok(Json(
            user_admin::list_users(&state, &query, after.0.as_deref(), limit).await?,
        ))
    }

    /// Block a user: the router account is disabled, live sessions kicked,
    /// bindings and MAC cookies removed within a second; API sessions end.
    #[oai(path = "/:id/block", method = "post", operation_id = "block_user")]
    async fn block(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
        body: Valid<BlockUser>,
    ) -> ApiResult<Json<UserAccess>> {
        let change = AccessChange::Block(body.reason.trim());
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, change, client.0).await?,
        ))
    }

    /// Unblock a user; access follows their quota and validity again.
    #[oai(path = "/:id/unblock", method = "post", operation_id = "unblock_user")]
    async fn unblock(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UserAccess>> {
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, AccessChange::Unblock, client.0)
                .await?,
        ))
    }

    /// Deactivate a user (moved out, released): like a block, without a reason shown.
    #[oai(
        path = "/:id/deactivate",
        method = "post",
        operation_id = "deactivate_user"
    )]
    async fn deactivate(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UserAccess>> {
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, AccessChange::Deactivate, client.0)
                .await?,
        ))
    }

    /// Activate a deactivated user again.
    #[oai(
        path = "/:id/activate",
        method = "post",
        operation_id = "activate_user"
    )]
    async fn activate(
        &self,
        state: Data<&AppState>,
        admin: AdminAuth,
        client: ClientIp,
        id: Path<Uuid>,
    ) -> ApiResult<Json<UserAccess>> {
        Ok(Json(
            user_admin::change_access(&state, &admin.0, id.0, AccessChange::Activate, client.0)
                .await?,
        ))
    }
}
