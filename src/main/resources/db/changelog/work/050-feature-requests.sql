--liquibase formatted sql

--changeset townhall:work-050-feature-requests
--comment: product ideas and requests from users, with votes (Aurora's feature_requests; product feedback lands here too)
CREATE TABLE work.feature_requests (
    id          uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id     uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility  core.visibility NOT NULL DEFAULT 'private',
    shared_with uuid[]          NOT NULL DEFAULT '{}',
    user_id     uuid,
    title       text            NOT NULL,
    description text,
    category    text,
    status      text            NOT NULL DEFAULT 'open',
    priority    text            NOT NULL DEFAULT 'medium',
    votes       integer         NOT NULL DEFAULT 0,
    tags        text[]          NOT NULL DEFAULT '{}',
    created_at  timestamptz     NOT NULL DEFAULT now(),
    updated_at  timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT feature_requests_pkey PRIMARY KEY (id),
    CONSTRAINT feature_requests_town_id_key UNIQUE (town_id, id),
    CONSTRAINT feature_requests_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT feature_requests_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT feature_requests_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT feature_requests_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT feature_requests_status_check CHECK (status IN ('open', 'planned', 'in_progress', 'done', 'declined')),
    CONSTRAINT feature_requests_priority_check CHECK (priority IN ('low', 'medium', 'high')),
    CONSTRAINT feature_requests_votes_check CHECK (votes >= 0)
);
CREATE INDEX feature_requests_org_town_idx ON work.feature_requests (org_id, town_id);
CREATE INDEX feature_requests_town_status_idx ON work.feature_requests (town_id, status);
CREATE INDEX feature_requests_user_idx ON work.feature_requests (user_id);
CREATE INDEX feature_requests_tags_idx ON work.feature_requests USING gin (tags);
CREATE TRIGGER feature_requests_touch_updated_at BEFORE UPDATE ON work.feature_requests
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('work.feature_requests');
--rollback DROP TABLE work.feature_requests;
