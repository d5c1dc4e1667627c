-- Enforcement beyond the hotspot account: the profile a user in FUP is moved
-- to (hotspot-login mode); device pruning looks devices up by last_seen.

alter table routers
    add column fup_profile text not null default 'gerbang-fup'
        check (char_length(fup_profile) between 1 and 64);

create index devices_last_seen_idx on devices (last_seen);
