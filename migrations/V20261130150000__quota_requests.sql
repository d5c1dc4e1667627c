-- Officers (komandan) ask for quota or unlimited access for some days; an
-- admin approves (in full or partly) or rejects. An approval is one
-- credit-ledger row whose idempotency key is `quota-request:<id>`.
create table quota_requests (
    id              uuid primary key,
    requester_id    uuid not null references users (id) on delete cascade,
    unlimited       boolean not null,
    quota_bytes     bigint check (quota_bytes > 0),
    days            integer not null check (days between 1 and 90),
    note            text not null,
    status          text not null default 'pending'
                    check (status in ('pending', 'approved', 'rejected')),
    granted_bytes   bigint check (granted_bytes > 0),
    granted_days    integer check (granted_days between 1 and 90),
    partly          boolean not null default false,
    reason          text,
    decided_by      uuid references users (id) on delete set null,
    decided_at      timestamptz,
    created_at      timestamptz not null default now(),
    check (unlimited = (quota_bytes is null)),
    check ((status = 'pending') = (decided_at is null)),
    check (status <> 'approved' or granted_days is not null),
    check (status <> 'rejected' or reason is not null)
);

create index quota_requests_pending on quota_requests (created_at) where status = 'pending';
create index quota_requests_of_requester on quota_requests (requester_id, created_at desc);
