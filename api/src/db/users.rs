//! `users`.

use deadpool_postgres::GenericClient;

/// What decides whether a phone may log in.
pub struct LoginState {
    pub approved: bool,
    pub active: bool,
    pub blocked: bool,
}

pub async fn login_state(
    db: &impl GenericClient,
    phone: &str,
) -> Result<Option<LoginState>, tokio_postgres::Error> {
    let stmt = db
        .prepare_cached("select approval = 'approved', active, blocked from users where phone = $1")
        .await?;
    Ok(db.query_opt(&stmt, &[&phone]).await?.map(|r| LoginState {
        approved: r.get(0),
        active: r.get(1),
        blocked: r.get(2),
    }))
}
