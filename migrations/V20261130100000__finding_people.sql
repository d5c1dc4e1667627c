-- Finding people in the admin dashboard (api/src/db/user_search.rs).

-- Any part of a number ("1234", "62812…") and of a name: trigram indexes.
create extension if not exists pg_trgm;
create index users_phone_trgm_idx on users using gin (phone gin_trgm_ops);
create index users_name_trgm_idx on users using gin (lower(name) gin_trgm_ops);
-- Blok/kamar filters.
create index users_place_idx on users (lower(blok), lower(kamar));
-- Keyset pagination in each order the list offers.
create index users_name_order_idx on users (lower(name), id);
create index users_created_order_idx on users (created_at desc, id desc);
create index users_used_order_idx on users (used_bytes desc, id desc);

-- The access status exactly as shared_types::AccessFacts::status decides it
-- (blocked → inactive → expired → unlimited → exhausted → fup → active), so a
-- list can filter on it; a test checks the two agree on every combination.
create function access_status(u users, at timestamptz) returns text
language sql immutable parallel safe as $$
  select case
    when u.blocked then 'blocked'
    when not u.active or u.approval <> 'approved' then 'inactive'
    when u.valid_until is not null and u.valid_until <= at then 'expired'
    when u.unlimited or (u.unlimited_until is not null and u.unlimited_until > at) then 'unlimited'
    when u.quota_bytes - u.used_bytes <= 0 then 'exhausted'
    when u.fup_threshold_bytes is not null and u.quota_bytes > u.fup_threshold_bytes
         and u.quota_bytes - u.used_bytes <= u.fup_threshold_bytes then 'fup'
    else 'active'
  end
$$;
