-- API tokens (issue #13). A token is 32 random bytes shown once; only its SHA-256 is kept. Every
-- /api/v1 call names one (Authorization: Bearer), which gives the call its owner and role.
CREATE TABLE api_tokens (
    -- The public handle of a token (tok_<hex>), for listing and revoking; not a secret.
    id           TEXT        PRIMARY KEY,
    -- Lower-case hex SHA-256 of the token's text.
    token_hash   TEXT        NOT NULL UNIQUE,
    owner        TEXT        NOT NULL,
    role         TEXT        NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    created_at   TIMESTAMPTZ NOT NULL,
    -- Updated at most once a minute per token.
    last_used_at TIMESTAMPTZ,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
