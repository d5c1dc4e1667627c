-- Admins adjust quota and validity through the credit ledger (source
-- 'adjustment'), and read the audit log by action and by target user.

alter table credit_ledger drop constraint credit_ledger_source_check;
alter table credit_ledger
    add constraint credit_ledger_source_check check (source in ('purchase', 'adjustment')),
    -- Who adjusted and why (adjustments only).
    add column actor_id uuid references users (id) on delete set null,
    add column reason text check (reason is null or char_length(reason) between 1 and 300),
    -- "Unlimited until" before and after an adjustment that set or cleared it.
    add column unlimited_until_before timestamptz,
    add column unlimited_until_after timestamptz,
    add column unlimited_changed boolean not null default false,
    -- What was asked, so a reused key with a different request is refused.
    add column request jsonb;

-- An adjustment may leave validity unset; a purchase always sets it.
alter table credit_ledger alter column valid_until_after drop not null;
alter table credit_ledger
    add constraint credit_ledger_purchase_shape check (
        (source = 'purchase' and purchase_id is not null and valid_until_after is not null)
        or (source = 'adjustment' and purchase_id is null and reason is not null and request is not null)
    );

create index audit_log_action_idx on audit_log (action, at);
create index audit_log_at_id_idx on audit_log (at desc, id desc);
