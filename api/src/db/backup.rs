//! `gerbang backup` / `gerbang restore`: PostgreSQL holds everything that
//! matters (see docs/operations.md), so a backup is a `pg_dump` of it in the
//! custom format, and a restore is `pg_restore` into an empty database.
//! The password travels in `PGPASSWORD`, never on a command line others can
//! read in `ps`.

use std::{path::Path, process::Command};

use anyhow::{bail, Context};

use crate::settings::DatabaseSettings;

/// The database URL without its password, and the password.
fn split_secret(settings: &DatabaseSettings) -> anyhow::Result<(String, Option<String>)> {
    let mut url = url::Url::parse(settings.url.expose()).context("database.url is not a URL")?;
    let password = url.password().map(str::to_owned);
    let _ = url.set_password(None);
    Ok((url.to_string(), password))
}

fn run(mut cmd: Command, password: Option<String>, what: &str) -> anyhow::Result<()> {
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd
        .output()
        .with_context(|| format!("{what} could not start (is the PostgreSQL client installed?)"))?;
    if !out.status.success() {
        bail!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Writes a custom-format dump of the configured database to `out`.
pub fn dump(settings: &DatabaseSettings, out: &Path) -> anyhow::Result<()> {
    let (url, password) = split_secret(settings)?;
    let mut cmd = Command::new("pg_dump");
    cmd.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(out)
        .arg(format!("--dbname={url}"));
    run(cmd, password, "pg_dump")
}

/// Restores a dump made by [`dump`] into the configured database, which must
/// be empty (a restore never overwrites a running facility by accident).
pub async fn restore(settings: &DatabaseSettings, from: &Path) -> anyhow::Result<()> {
    let pool = super::pool(settings)?;
    let db = pool
        .get()
        .await
        .context("connecting to the target database")?;
    let tables: i64 = db
        .query_one(
            "select count(*) from information_schema.tables where table_schema = 'public'",
            &[],
        )
        .await?
        .get(0);
    if tables > 0 {
        bail!("the target database is not empty ({tables} tables): restore into a new database");
    }
    drop(db);
    let (url, password) = split_secret(settings)?;
    let mut cmd = Command::new("pg_restore");
    cmd.args(["--no-owner", "--no-privileges", "--exit-on-error"])
        .arg(format!("--dbname={url}"))
        .arg(from);
    run(cmd, password, "pg_restore")
}
