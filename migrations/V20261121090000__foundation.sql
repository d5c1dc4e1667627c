-- Foundation: runtime settings, the append-only audit log, and SPA error reports.

-- Settings an admin changes at run time (OTP limits, FUP threshold, time zone, ...).
-- File/environment settings are the defaults; a row here overrides one key.
create table settings (
    key         text primary key check (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    value       jsonb not null,
    updated_at  timestamptz not null default now(),
    updated_by  uuid
);

-- Who did what to whom. Rows are never updated; retention deletes old rows only.
create table audit_log (
    id           uuid primary key,
    at           timestamptz not null default now(),
    actor_id     uuid,
    actor_kind   text not null check (actor_kind in ('user', 'admin', 'system', 'worker', 'cli')),
    action       text not null check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
    target_kind  text,
    target_id    text,
    ip           inet,
    request_id   text,
    details      jsonb not null default '{}'::jsonb
);
create index audit_log_at_idx on audit_log (at);
create index audit_log_target_idx on audit_log (target_kind, target_id, at);
create index audit_log_actor_idx on audit_log (actor_id, at) where actor_id is not null;

create function audit_log_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_log rows cannot be updated' using errcode = 'restrict_violation';
end;
$$;
create trigger audit_log_no_update
    before update on audit_log
    for each row execute function audit_log_is_append_only();

-- What broke in residents' browsers, reported by the SPA (rate limited per IP).
create table client_errors (
    id          uuid primary key,
    at          timestamptz not null default now(),
    page        text not null check (char_length(page) between 1 and 300),
    message     text not null check (char_length(message) between 1 and 2000),
    build       text not null default '' check (char_length(build) <= 64),
    ip          inet not null,
    user_agent  text,
    request_id  text not null
);
create index client_errors_at_idx on client_errors (at);
