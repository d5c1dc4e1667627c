-- Settings super admins change at run time (facility name, contact, FUP,
-- devices per user, WhatsApp code caps, the payment walled garden). Only
-- the values that differ from the configuration file are stored, as one
-- JSON object; the file and environment stay the defaults and the fallback.
create table facility_settings (
    id boolean primary key default true check (id),
    overrides jsonb not null default '{}'::jsonb check (jsonb_typeof(overrides) = 'object'),
    updated_at timestamptz not null default now(),
    updated_by uuid references users (id) on delete set null
);

-- Recent reconcile cycles of each router (the routers screen's chart); the
-- worker keeps about six hours of them.
create table router_cycle_history (
    router_id uuid not null references routers (id) on delete cascade,
    at timestamptz not null default now(),
    ok boolean not null,
    duration_ms integer not null,
    users integer not null,
    online integer,
    reads integer not null,
    writes integer not null,
    error text,
    primary key (router_id, at)
);

-- Sessions the last cycle saw on the router (the overview's "online now").
alter table router_cycles add column online integer;

-- Daily traffic per router (facility time zone), kept beside each user's
-- daily rollup in the same charge, so the overview sums a few rows per day
-- instead of every user's. Only one cycle of a router runs at a time, so
-- the row is never contended. Earlier days are filled in from the users'
-- rollups, under the router each person belongs to now.
create table usage_router_daily (
    router_id uuid not null references routers (id) on delete cascade,
    day date not null,
    bytes bigint not null default 0 check (bytes >= 0),
    primary key (router_id, day)
);

insert into usage_router_daily (router_id, day, bytes)
select u.router_id, d.day, sum(d.bytes)
from usage_daily d join users u on u.id = d.user_id
where u.router_id is not null
group by u.router_id, d.day;

-- Revenue per day for the overview.
create index purchases_paid_idx on purchases (paid_at) include (amount_idr) where status = 'paid';

-- WhatsApp messages per day (facility time zone), sent and failed: the
-- overview compares today's with the daily budget.
create table whatsapp_daily (
    day date primary key,
    sent integer not null default 0,
    failed integer not null default 0
);
