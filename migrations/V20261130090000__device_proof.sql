-- A session opened from the hotspot remembers the MAC the router placed at the
-- caller's address. It becomes the session's device (devices row, device_id)
-- only once the router shows this account logged in from that MAC: the device
-- itself posted the login form (docs/architecture.md, "Binding a device").
alter table sessions
    add column pending_mac text
        check (pending_mac is null or pending_mac ~ '^[0-9A-F]{2}(:[0-9A-F]{2}){5}$');

-- Bypass mode: a device proves itself by logging in through the hotspot
-- before its binding replaces that login, so a bypass user's usage is the
-- account's counters (that login) plus the bypassed hosts'. Host counters never
-- move into the account's, so they are kept apart from live sessions.
alter table usage_baselines add column hosts jsonb not null default '{}'::jsonb;
-- Baselines written in bypass mode before this kept the hosts in `sessions`;
-- nobody logged in with those accounts then, so their `committed` stays as it is.
update usage_baselines b
   set hosts = b.sessions, sessions = '{}'::jsonb
  from routers r
 where r.id = b.router_id and r.login_mode = 'bypass';
