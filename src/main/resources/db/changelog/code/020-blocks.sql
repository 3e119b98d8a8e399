--liquibase formatted sql

--changeset townhall:code-020-blocks
--comment: code snippets, diffs and commands (the "RobbieBlocks"), from a message or saved on their own, and whether they were applied
CREATE TABLE code.blocks (
    id              uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id          uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id         uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility      core.visibility NOT NULL DEFAULT 'private',
    shared_with     uuid[]          NOT NULL DEFAULT '{}',
    conversation_id uuid,
    message_id      uuid,
    user_id         uuid,
    title           text,
    block_type      text            NOT NULL DEFAULT 'snippet',
    language        text,
    file_path       text,
    content         text            NOT NULL,
    start_line      integer,
    end_line        integer,
    is_applied      boolean         NOT NULL DEFAULT false,
    applied_at      timestamptz,
    tags            text[]          NOT NULL DEFAULT '{}',
    created_at      timestamptz     NOT NULL DEFAULT now(),
    updated_at      timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT blocks_pkey PRIMARY KEY (id),
    CONSTRAINT blocks_town_id_key UNIQUE (town_id, id),
    CONSTRAINT blocks_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT blocks_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES code.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (conversation_id),
    CONSTRAINT blocks_town_message_fkey FOREIGN KEY (town_id, message_id) REFERENCES code.messages (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (message_id),
    CONSTRAINT blocks_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT blocks_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT blocks_block_type_check CHECK (block_type IN ('snippet', 'diff', 'command', 'file', 'test')),
    CONSTRAINT blocks_content_check CHECK (content <> ''),
    CONSTRAINT blocks_lines_check CHECK (start_line >= 1 AND end_line >= start_line),
    CONSTRAINT blocks_applied_check CHECK (is_applied OR applied_at IS NULL)
);
CREATE INDEX blocks_org_town_idx ON code.blocks (org_id, town_id);
CREATE INDEX blocks_town_conversation_idx ON code.blocks (town_id, conversation_id);
CREATE INDEX blocks_town_message_idx ON code.blocks (town_id, message_id);
CREATE INDEX blocks_user_idx ON code.blocks (user_id);
CREATE INDEX blocks_tags_idx ON code.blocks USING gin (tags);
CREATE TRIGGER blocks_touch_updated_at BEFORE UPDATE ON code.blocks
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('code.blocks');
--rollback DROP TABLE code.blocks;
