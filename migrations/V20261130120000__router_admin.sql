-- Routers are added and edited by super admins (screen, API, CLI) and can be
-- disabled: the worker and the live views leave a disabled router alone,
-- and new registrations never go to it.
alter table routers add column disabled boolean not null default false;
