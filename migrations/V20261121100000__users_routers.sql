-- Routers gerbang manages, and the people who use the hotspot.

create table routers (
    id                   uuid primary key,
    name                 text not null unique check (char_length(name) between 1 and 64),
    host                 text not null,
    port                 integer not null default 8728 check (port between 1 and 65535),
    tls                  boolean not null default false,
    tls_fingerprint      text check (tls_fingerprint is null or tls_fingerprint ~ '^[0-9A-F]{64}$'),
    api_username         text not null,
    -- AEAD-sealed (v1.<kid>.<nonce>.<ciphertext>), never plain text.
    api_password_sealed  text not null,
    login_mode           text not null default 'hotspot_login' check (login_mode in ('hotspot_login', 'bypass')),
    hotspot_server       text not null default 'hotspot1',
    login_url            text not null,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);

create table users (
    id                       uuid primary key,
    -- E.164 Indonesian mobile number; residents and officers log in with it.
    phone                    text unique check (phone is null or phone ~ '^\+628[1-35-9][0-9]{7,10}$'),
    -- Staff and admins log in with a username and an argon2id password hash.
    username                 text unique check (username is null or username ~ '^[a-z0-9][a-z0-9._-]{2,31}$'),
    password_hash            text,
    name                     text not null check (char_length(name) between 1 and 100),
    role                     text not null check (role in ('resident', 'komandan', 'staff', 'admin', 'super_admin')),
    blok                     text check (blok is null or char_length(blok) between 1 and 32),
    kamar                    text check (kamar is null or char_length(kamar) between 1 and 32),
    tamping_type             text check (tamping_type is null or char_length(tamping_type) between 1 and 64),
    approval                 text not null default 'pending' check (approval in ('pending', 'approved', 'rejected')),
    active                   boolean not null default true,
    blocked                  boolean not null default false,
    blocked_reason           text,
    router_id                uuid references routers (id),
    -- Random per-user hotspot password, AEAD-sealed with the row id as associated data.
    hotspot_password_sealed  text,
    quota_bytes              bigint not null default 0 check (quota_bytes >= 0),
    used_bytes               bigint not null default 0 check (used_bytes >= 0),
    unlimited                boolean not null default false,
    valid_until              timestamptz,
    session_version          integer not null default 1,
    created_at               timestamptz not null default now(),
    updated_at               timestamptz not null default now(),
    -- A resident has blok + kamar, or is tamping with a type and neither; nobody else has any.
    constraint users_hierarchy check (
        (role = 'resident' and (
            (tamping_type is null and blok is not null and kamar is not null)
            or (tamping_type is not null and blok is null and kamar is null)))
        or (role <> 'resident' and blok is null and kamar is null and tamping_type is null)
    ),
    constraint users_phone_login check (role not in ('resident', 'komandan') or phone is not null),
    constraint users_password_login check (role not in ('staff', 'admin', 'super_admin') or (username is not null and password_hash is not null)),
    constraint users_block_reason check (not blocked or blocked_reason is not null)
);
create index users_approval_idx on users (approval) where approval = 'pending';
create index users_router_idx on users (router_id);
