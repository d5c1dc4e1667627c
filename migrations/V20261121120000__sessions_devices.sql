-- Devices, login sessions with rotating refresh tokens, and router fields the handoff needs.

alter table routers
    add column hotspot_profile      text not null default 'default' check (char_length(hotspot_profile) between 1 and 64),
    add column address_list_prefix  text not null default 'gerbang-' check (char_length(address_list_prefix) between 1 and 32),
    add column is_default           boolean not null default false;
-- Self-registrations go to the default router until an admin moves them.
create unique index routers_one_default_idx on routers (is_default) where is_default;

-- The FUP threshold of the user's last package (set by purchases); null = the global default.
alter table users add column fup_threshold_bytes bigint check (fup_threshold_bytes is null or fup_threshold_bytes >= 0);
-- Who approved or rejected a registration, and why it was rejected.
alter table users
    add column reviewed_by   uuid references users (id),
    add column reviewed_at   timestamptz,
    add column reject_reason text check (reject_reason is null or char_length(reject_reason) <= 300);

create table devices (
    id           uuid primary key,
    user_id      uuid not null references users (id) on delete cascade,
    router_id    uuid references routers (id) on delete set null,
    -- Upper-case colon form, as RouterOS prints it. A MAC belongs to one user at a time.
    mac          text not null unique check (mac ~ '^[0-9A-F]{2}(:[0-9A-F]{2}){5}$'),
    last_ip      inet,
    label        text check (label is null or char_length(label) between 1 and 40),
    -- Locally administered (randomised "private") MAC: it may change, the portal warns.
    randomized   boolean not null,
    authorized   boolean not null default true,
    first_seen   timestamptz not null default now(),
    last_seen    timestamptz not null default now()
);
create index devices_user_idx on devices (user_id, last_seen);
create index devices_last_ip_idx on devices (last_ip);

-- One row per login (a refresh-token family). The access token is opaque and short-lived.
create table sessions (
    id                 uuid primary key,
    user_id            uuid not null references users (id) on delete cascade,
    device_id          uuid references devices (id) on delete set null,
    kind               text not null check (kind in ('otp', 'password', 'handoff')),
    -- users.session_version when the session began; a bump revokes every session.
    session_version    integer not null,
    access_hash        bytea unique,
    access_expires_at  timestamptz,
    ip                 inet,
    user_agent         text check (user_agent is null or char_length(user_agent) <= 300),
    created_at         timestamptz not null default now(),
    expires_at         timestamptz not null,
    last_used_at       timestamptz not null default now(),
    revoked_at         timestamptz,
    revoked_reason     text
);
create index sessions_user_idx on sessions (user_id) where revoked_at is null;

create table refresh_tokens (
    id          uuid primary key,
    session_id  uuid not null references sessions (id) on delete cascade,
    parent_id   uuid references refresh_tokens (id) on delete cascade,
    token_hash  bytea not null unique,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);
