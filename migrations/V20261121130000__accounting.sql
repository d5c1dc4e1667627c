-- Usage accounting: what each router last reported per user (baselines),
-- the append-only usage ledger (one row per user per cycle) and a daily rollup.

create table usage_baselines (
    user_id     uuid not null references users (id) on delete cascade,
    router_id   uuid not null references routers (id) on delete cascade,
    -- bytes-in + bytes-out of the hotspot user (committed at each logout)
    committed   bigint not null check (committed >= 0),
    -- live sessions last seen: {"<.id>/<mac>": bytes}
    sessions    jsonb not null default '{}'::jsonb,
    updated_at  timestamptz not null default now(),
    primary key (user_id, router_id)
);

create table usage_ledger (
    id         uuid primary key,
    user_id    uuid not null references users (id) on delete cascade,
    router_id  uuid references routers (id) on delete set null,
    -- The accounting cycle that measured it; a cycle counts a user once.
    cycle_id   uuid not null,
    bytes      bigint not null check (bytes > 0),
    at         timestamptz not null default now(),
    unique (cycle_id, user_id)
);
create index usage_ledger_user_idx on usage_ledger (user_id, at);

create table usage_daily (
    user_id  uuid not null references users (id) on delete cascade,
    day      date not null,
    bytes    bigint not null check (bytes >= 0),
    primary key (user_id, day)
);
