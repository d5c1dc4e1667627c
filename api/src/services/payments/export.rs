//! The transactions CSV for spreadsheets: UTF-8 with a BOM (Excel reads the
//! accents), comma-separated, CRLF line ends, RFC 4180 quoting, and text
//! that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) made
//! inert with a leading apostrophe. Rows are streamed from the database in
//! batches, so memory stays flat however many there are.

use futures_util::{Stream, StreamExt};

use crate::{db, services::payments::PaymentError, state::AppState};

/// Rows written per chunk of the response.
const BATCH: usize = 500;

/// One CSV line, CRLF included.
pub fn csv_line(cells: &[Option<String>]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let text = cell.as_deref().unwrap_or("");
        let inert = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        if inert.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&inert.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&inert);
        }
    }
    out.push_str("\r\n");
    out
}

/// The CSV of every transaction matching `filter`, as response chunks.
pub async fn transactions_csv(
    state: &AppState,
    filter: &db::payments::Filter,
) -> Result<impl Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static, PaymentError> {
    let conn = state.db.get().await?;
    let rows = db::payments_export::rows(conn, filter, &state.settings.worker.time_zone).await?;
    let header: Vec<Option<String>> = db::payments_export::HEADER
        .iter()
        .map(|h| Some((*h).to_owned()))
        .collect();
    let head = format!("\u{feff}{}", csv_line(&header)).into_bytes();
    let body = rows.ready_chunks(BATCH).map(|batch| {
        let mut chunk = String::with_capacity(batch.len() * 160);
        for row in batch {
            let row = row.map_err(|e| {
                tracing::error!(error = %e, "transactions CSV cut short");
                std::io::Error::other("database error")
            })?;
            chunk.push_str(&csv_line(&row));
        }
        Ok(chunk.into_bytes())
    });
    Ok(futures_util::stream::once(async move { Ok(head) }).chain(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_made_inert() {
        let line = csv_line(&[
            Some("GB-1".into()),
            Some("Budi, \"si\" Santoso".into()),
            None,
            Some("=HYPERLINK(\"x\")".into()),
            Some("+6281234".into()),
            Some("5000".into()),
        ]);
        assert_eq!(
            line,
            "GB-1,\"Budi, \"\"si\"\" Santoso\",,\"'=HYPERLINK(\"\"x\"\")\",'+6281234,5000\r\n"
        );
    }
}
