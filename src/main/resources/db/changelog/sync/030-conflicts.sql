--liquibase formatted sql

--changeset townhall:sync-030-conflicts
--comment: every sync conflict, with both versions kept, the policy that decided it and the winner
CREATE TABLE sync.conflicts (
    id             uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id         uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id        uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility     core.visibility NOT NULL DEFAULT 'private',
    shared_with    uuid[]          NOT NULL DEFAULT '{}',
    table_name     text            NOT NULL,
    row_id         uuid            NOT NULL,
    local_peer_id  uuid,
    remote_peer_id uuid,
    local_hlc      text,
    remote_hlc     text,
    -- both versions of the row, kept whole; opaque, so not indexed
    local_version  jsonb           NOT NULL,
    remote_version jsonb           NOT NULL,
    policy         text            NOT NULL,
    winner         text,
    status         text            NOT NULL DEFAULT 'resolved',
    resolved_by    uuid,
    resolved_at    timestamptz,
    detected_at    timestamptz     NOT NULL DEFAULT now(),
    created_at     timestamptz     NOT NULL DEFAULT now(),
    updated_at     timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT conflicts_pkey PRIMARY KEY (id),
    CONSTRAINT conflicts_town_id_key UNIQUE (town_id, id),
    CONSTRAINT conflicts_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT conflicts_local_peer_fkey FOREIGN KEY (local_peer_id) REFERENCES sync.peers (id) ON DELETE SET NULL,
    CONSTRAINT conflicts_remote_peer_fkey FOREIGN KEY (remote_peer_id) REFERENCES sync.peers (id) ON DELETE SET NULL,
    CONSTRAINT conflicts_resolved_by_fkey FOREIGN KEY (resolved_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT conflicts_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT conflicts_table_name_check CHECK (table_name ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT conflicts_policy_check CHECK (policy IN ('town_owner_wins', 'last_write_wins', 'manual')),
    CONSTRAINT conflicts_winner_check CHECK (winner IN ('local', 'remote', 'merged')),
    CONSTRAINT conflicts_status_check CHECK (status IN ('resolved', 'needs_review', 'dismissed')),
    CONSTRAINT conflicts_resolution_check CHECK (status <> 'resolved' OR (winner IS NOT NULL AND resolved_at IS NOT NULL))
);
CREATE INDEX conflicts_org_town_idx ON sync.conflicts (org_id, town_id);
CREATE INDEX conflicts_town_status_idx ON sync.conflicts (town_id, status, detected_at DESC);
CREATE INDEX conflicts_row_idx ON sync.conflicts (table_name, row_id);
CREATE INDEX conflicts_local_peer_idx ON sync.conflicts (local_peer_id);
CREATE INDEX conflicts_remote_peer_idx ON sync.conflicts (remote_peer_id);
CREATE INDEX conflicts_resolved_by_idx ON sync.conflicts (resolved_by);
CREATE TRIGGER conflicts_touch_updated_at BEFORE UPDATE ON sync.conflicts
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('sync.conflicts');
--rollback DROP TABLE sync.conflicts;
