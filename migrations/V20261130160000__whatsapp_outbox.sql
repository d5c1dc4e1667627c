-- WhatsApp notifications (docs/notifications.md). A change that people must
-- hear about writes its message here in the change's own transaction; the
-- worker delivers it. `dedupe_key` names the event and its recipient, so an
-- event announced twice (a retried webhook, two workers) is one message.
create table whatsapp_outbox (
    id              uuid primary key,
    dedupe_key      text not null unique,
    kind            text not null,
    target          text not null check (target ~ '^628[1-35-9][0-9]{7,10}$'),
    recipient_id    uuid references users (id) on delete set null,
    body            text not null check (char_length(body) between 1 and 4000),
    -- Urgent messages answer something the person just did and ignore quiet hours.
    urgent          boolean not null default false,
    status          text not null default 'waiting'
                    check (status in ('waiting', 'sending', 'sent', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- A message nobody could deliver by then is dropped as stale.
    expires_at      timestamptz not null,
    claimed_at      timestamptz,
    sent_at         timestamptz,
    provider_id     bigint,
    error           text,
    created_at      timestamptz not null default now(),
    check ((status = 'sending') = (claimed_at is not null)),
    check ((status = 'sent') = (sent_at is not null))
);

create index whatsapp_outbox_due on whatsapp_outbox (next_attempt_at) where status = 'waiting';
create index whatsapp_outbox_claimed on whatsapp_outbox (claimed_at) where status = 'sending';
create index whatsapp_outbox_sent on whatsapp_outbox (sent_at) where status = 'sent';
create index whatsapp_outbox_created on whatsapp_outbox (created_at desc);

-- Admins hear about every event unless they turned it off here.
create table notification_optouts (
    user_id uuid not null references users (id) on delete cascade,
    event   text not null,
    primary key (user_id, event)
);

-- "Quota at 20 % / 5 % left, once per package": every change of the quota (a
-- purchase, an adjustment, a granted request, an admin's correction) starts a
-- new quota epoch whose base is what was left right after it. Kept by a
-- trigger so no credit path can forget it.
alter table users
    add column quota_epoch integer not null default 0,
    add column quota_base_bytes bigint not null default 0;

create function users_quota_epoch() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        new.quota_base_bytes := greatest(new.quota_bytes - new.used_bytes, 0);
    elsif new.quota_bytes <> old.quota_bytes then
        new.quota_epoch := old.quota_epoch + 1;
        new.quota_base_bytes := greatest(new.quota_bytes - new.used_bytes, 0);
    end if;
    return new;
end $$;

create trigger users_quota_epoch before insert or update of quota_bytes on users
    for each row execute function users_quota_epoch();

update users set quota_base_bytes = greatest(quota_bytes - used_bytes, 0);
