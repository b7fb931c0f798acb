-- Tenants (associations), their branches, staff, devices and sessions.
-- Every row that belongs to an association carries association_id, so the data can later shard by it.

CREATE TABLE associations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9-]{1,31}$'),
  name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE branches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  association_id uuid NOT NULL REFERENCES associations (id),
  code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (association_id, code),
  -- lets users reference (branch, association) together, so a user's branch is always in their association
  UNIQUE (id, association_id)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  association_id uuid NOT NULL REFERENCES associations (id),
  branch_id uuid,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  role text NOT NULL CHECK (role IN ('representative', 'researcher', 'committee', 'supervisor', 'admin')),
  password_hash text NOT NULL,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (branch_id, association_id) REFERENCES branches (id, association_id),
  -- everyone but supervisors and admins works in exactly one branch
  CHECK (role IN ('supervisor', 'admin') OR branch_id IS NOT NULL)
);
CREATE INDEX users_association_idx ON users (association_id);

-- A device is an installation of the app (one browser profile on a tablet or phone), possibly shared by staff.
CREATE TABLE devices (
  association_id uuid NOT NULL REFERENCES associations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  last_user_id uuid REFERENCES users (id),
  revoked_at timestamptz,
  revoked_reason text,
  PRIMARY KEY (association_id, id)
);

-- A session is one login of one user on one device: the family of its rotated refresh tokens.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  association_id uuid NOT NULL,
  device_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_reason text,
  FOREIGN KEY (association_id, device_id) REFERENCES devices (association_id, id)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_device_idx ON sessions (association_id, device_id);

-- Refresh tokens are stored only as SHA-256 hashes; a used one stays, so its reuse can be detected.
CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- Login attempts per username, for throttling guessing; the username need not exist.
CREATE TABLE login_attempts (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  at timestamptz NOT NULL,
  success boolean NOT NULL
);
CREATE INDEX login_attempts_username_at_idx ON login_attempts (username, at);

-- Server-wide settings, e.g. the generated token-signing secret when WASEL_SECRET is not set.
CREATE TABLE server_settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
