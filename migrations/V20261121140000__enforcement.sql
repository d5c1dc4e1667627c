-- Enforcement beyond the hotspot account: the profile a user in FUP is moved
-- to (hotspot-login mode); device pruning looks devices up by last_seen.

alter table routers
    add column fup_profile text not null default 'gerbang-fup'
        check (char_length(fup_profile) between 1 and 64);

create index devices_last_seen_idx on devices (last_seen);

-- The last reconcile cycle per router, written by the worker that owns it
-- (drift report and /metrics read it; the API process does not run cycles).
create table router_cycles (
    router_id             uuid primary key references routers (id) on delete cascade,
    at                    timestamptz not null,
    ok                    boolean not null,
    duration_ms           integer not null check (duration_ms >= 0),
    users                 integer not null default 0,
    reads                 integer not null default 0,
    writes                integer not null default 0,
    -- What went wrong (router error text, never secrets); null when ok.
    error                 text,
    consecutive_failures  integer not null default 0,
    failures_total        bigint not null default 0,
    last_ok_at            timestamptz
);

-- Deleting a user checks and cascades these foreign keys: without an index
-- each deleted row scanned the whole table (20,000 deletions took minutes).
create index users_reviewed_by_idx on users (reviewed_by) where reviewed_by is not null;
create index sessions_user_all_idx on sessions (user_id);
create index sessions_device_idx on sessions (device_id) where device_id is not null;
create index refresh_tokens_parent_idx on refresh_tokens (parent_id) where parent_id is not null;
