//! Texts every area shares: loading, empty and error states, confirmations.

super::texts! {
    CANCEL = ("Batal", "Cancel"),
    LOADING = ("Memuat…", "Loading…"),
    REASON_RECORDED = ("Alasan (dicatat)", "Reason (recorded)"),
    TRY_AGAIN = ("Coba lagi", "Try again"),
}
