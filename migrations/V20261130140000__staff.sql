-- Staff and teachers: the operator key (NIP, employee code) that is the
-- comment of their hotspot account on the router, and a sealed copy of the
-- web password (XChaCha20-Poly1305, key id prefix, the row id as associated
-- data) that an admin may reveal after confirming their own password. The
-- argon2id hash in password_hash stays what logs them in.
alter table users
    add column operator_key text unique
        check (operator_key is null or operator_key ~ '^[A-Za-z0-9._-]{1,64}$'),
    add column web_password_sealed text,
    add column password_set_at timestamptz;
