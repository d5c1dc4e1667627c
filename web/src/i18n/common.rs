//! Texts every area shares: loading, empty and error states, confirmations.

use super::Text;

pub const CANCEL: Text = ("Batal", "Cancel");
pub const LOADING: Text = ("Memuat…", "Loading…");
pub const REASON_RECORDED: Text = ("Alasan (dicatat)", "Reason (recorded)");
pub const TRY_AGAIN: Text = ("Coba lagi", "Try again");

/// Every text of this table (for the translation check).
pub const ALL: [Text; 4] = [CANCEL, LOADING, REASON_RECORDED, TRY_AGAIN];
