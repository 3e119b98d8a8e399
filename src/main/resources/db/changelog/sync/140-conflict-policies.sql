--liquibase formatted sql

-- The third layer of issue 12: conflict policies per synced table (decision 43). A conflict is a remote change made
-- without seeing the row's local version (its base_hlc is older); the policy ranks both versions, a tie goes to the
-- later (hlc, origin node). Both nodes rank with the same data, so they reach the same answer.

--changeset townhall:sync-140-conflict-policy-names
--comment: sync.conflicts speaks the policy names of sync.synced_tables; 'decided' marks a policy's decision, open to a manual override
-- resolved now means resolved by hand (sync conflicts --resolve); both need the winner.
ALTER TABLE sync.conflicts
    DROP CONSTRAINT conflicts_policy_check,
    DROP CONSTRAINT conflicts_status_check,
    ALTER COLUMN status SET DEFAULT 'decided',
    ADD CONSTRAINT conflicts_policy_check CHECK (policy IN ('town_precedence', 'capital_wins', 'last_write_wins')),
    ADD CONSTRAINT conflicts_status_check CHECK (status IN ('decided', 'resolved', 'needs_review', 'dismissed')),
    ADD CONSTRAINT conflicts_decided_check CHECK (status <> 'decided' OR winner IS NOT NULL);
--rollback ALTER TABLE sync.conflicts
--rollback     DROP CONSTRAINT conflicts_decided_check,
--rollback     DROP CONSTRAINT conflicts_status_check,
--rollback     DROP CONSTRAINT conflicts_policy_check,
--rollback     ALTER COLUMN status SET DEFAULT 'resolved',
--rollback     ADD CONSTRAINT conflicts_policy_check CHECK (policy IN ('town_owner_wins', 'last_write_wins', 'manual')),
--rollback     ADD CONSTRAINT conflicts_status_check CHECK (status IN ('resolved', 'needs_review', 'dismissed'));

--changeset townhall:sync-141-town-order
--comment: the town order of town_precedence for shared rows: position 1 wins over 2; unlisted towns rank below all
-- Owner only and not synced: every node must hold the same order (like the migrations), or nodes decide differently.
CREATE TABLE sync.town_order (
    -- not town_id: this is not a tenant table (no row belongs to a town), it ranks towns
    town       uuid        NOT NULL,
    position   integer     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT town_order_pkey PRIMARY KEY (town),
    CONSTRAINT town_order_position_key UNIQUE (position),
    CONSTRAINT town_order_town_fkey FOREIGN KEY (town) REFERENCES core.towns (id) ON DELETE CASCADE,
    CONSTRAINT town_order_position_check CHECK (position > 0)
);
REVOKE ALL ON sync.town_order FROM townhall_app, townhall_analytics, PUBLIC;
COMMENT ON TABLE sync.town_order IS 'global: owner only; precedence of towns for conflicts on shared rows under town_precedence';
--rollback DROP TABLE sync.town_order;

--changeset townhall:sync-142-fn-conflict-rank splitStatements:false
--comment: a version's standing under a policy; the higher rank wins a conflict, equal ranks go to the later (hlc, origin)
-- town_precedence: a private row's own town (the writer acted in the row's town) ranks 1, any other writer 0;
-- a shared row ranks by sync.town_order. capital_wins: a writer acting in its organisation's capital ranks 1.
-- last_write_wins: all 0. A writer without a town (owner, import) ranks as an outsider.
CREATE FUNCTION sync.conflict_rank(p_policy text, p_writer_town uuid, p_row_town uuid, p_visibility core.visibility)
    RETURNS integer
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, sync, core
AS $$
    SELECT CASE p_policy
        WHEN 'last_write_wins' THEN 0
        WHEN 'capital_wins' THEN
            CASE WHEN EXISTS (SELECT 1 FROM core.towns t WHERE t.id = p_writer_town AND t.is_capital) THEN 1 ELSE 0 END
        WHEN 'town_precedence' THEN
            CASE WHEN p_visibility = 'private' THEN CASE WHEN p_writer_town = p_row_town THEN 1 ELSE 0 END
                 ELSE coalesce((SELECT -o.position FROM sync.town_order o WHERE o.town = p_writer_town), -2147483647)
            END
    END
$$;
COMMENT ON FUNCTION sync.conflict_rank(text, uuid, uuid, core.visibility) IS 'standing of a row version under a conflict policy; higher wins, ties by (hlc, origin)';
REVOKE ALL ON FUNCTION sync.conflict_rank(text, uuid, uuid, core.visibility) FROM PUBLIC;
--rollback DROP FUNCTION sync.conflict_rank(text, uuid, uuid, core.visibility);
