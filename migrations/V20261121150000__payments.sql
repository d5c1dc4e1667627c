-- Quota packages, Midtrans purchases, their event history and the credit ledger.
-- Money is whole Rupiah (bigint), quota whole bytes (bigint); never floats.

create table packages (
    id              uuid primary key,
    name            text not null check (char_length(name) between 1 and 50),
    price_idr       bigint not null check (price_idr between 1 and 100000000),
    -- null: unlimited for the validity.
    quota_bytes     bigint check (quota_bytes is null or quota_bytes > 0),
    validity_days   integer not null check (validity_days between 1 and 366),
    -- Hotspot user profile on the router (speed tier); null: the router's default.
    router_profile  text check (router_profile is null or router_profile ~ '^[A-Za-z0-9._-]{1,64}$'),
    active          boolean not null default true,
    sort_order      integer not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index packages_listing_idx on packages (sort_order, price_idr) where active;

-- Unlimited packages make a user unlimited until this time (users.unlimited
-- stays the admin's permanent flag); the profile of the last package bought.
alter table users
    add column unlimited_until timestamptz,
    add column hotspot_profile text check (hotspot_profile is null or hotspot_profile ~ '^[A-Za-z0-9._-]{1,64}$');

create table purchases (
    id                  uuid primary key,
    -- Midtrans order id: unique per merchant forever, [A-Za-z0-9-_~.]{1,50}.
    order_id            text not null unique check (order_id ~ '^[A-Za-z0-9_~.-]{1,50}$'),
    -- Kept when the user is deleted: money records outlive accounts.
    user_id             uuid references users (id) on delete set null,
    customer_phone      text,
    package_id          uuid not null references packages (id),
    -- What was sold, as sold (the package may change later).
    package_name        text not null,
    amount_idr          bigint not null check (amount_idr > 0),
    quota_bytes         bigint check (quota_bytes is null or quota_bytes > 0),
    validity_days       integer not null,
    router_profile      text,
    status              text not null default 'pending'
                        check (status in ('pending', 'paid', 'failed', 'expired', 'cancelled')),
    snap_token          text not null,
    redirect_url        text not null,
    expires_at          timestamptz not null,
    paid_at             timestamptz,
    -- Paid after we had closed it locally (expired/failed/cancelled): credited anyway.
    paid_late           boolean not null default false,
    payment_type        text,
    transaction_id      text,
    gateway_status      text,
    -- Status checks: when the next one may run, and how many ran.
    next_check_at       timestamptz not null,
    checks              integer not null default 0,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);
create index purchases_user_idx on purchases (user_id, created_at desc);
create index purchases_package_idx on purchases (package_id);
create index purchases_created_idx on purchases (created_at desc);
create index purchases_pending_idx on purchases (next_check_at) where status = 'pending';

-- Every notification and status check, as received (signature verified).
create table payment_events (
    id                  uuid primary key,
    purchase_id         uuid references purchases (id) on delete cascade,
    order_id            text not null,
    source              text not null check (source in ('notification', 'status_check')),
    transaction_status  text,
    status_code         text,
    -- What it did: applied, duplicate, ignored, amount_mismatch, unknown_order, not_found, …
    outcome             text not null,
    body                jsonb not null,
    received_at         timestamptz not null default now()
);
create index payment_events_purchase_idx on payment_events (purchase_id, received_at);

-- Credits to a user's quota/validity. The key makes each credit happen once.
create table credit_ledger (
    id                  uuid primary key,
    idempotency_key     text not null unique,
    source              text not null check (source in ('purchase')),
    purchase_id         uuid references purchases (id),
    user_id             uuid references users (id) on delete set null,
    amount_idr          bigint not null default 0,
    quota_bytes         bigint not null default 0,
    unlimited           boolean not null default false,
    validity_days       integer not null,
    valid_until_before  timestamptz,
    valid_until_after   timestamptz not null,
    created_at          timestamptz not null default now()
);
create index credit_ledger_user_idx on credit_ledger (user_id, created_at);
