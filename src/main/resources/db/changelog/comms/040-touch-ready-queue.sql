--liquibase formatted sql

--changeset townhall:comms-040-touch-ready-queue
--comment: AI-drafted outreach waiting for a human: approve, send or skip
CREATE TABLE comms.touch_ready_queue (
    id             uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id         uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id        uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility     core.visibility NOT NULL DEFAULT 'private',
    shared_with    uuid[]          NOT NULL DEFAULT '{}',
    contact_id     uuid            NOT NULL,
    deal_id        uuid,
    -- who reviews the draft
    user_id        uuid,
    -- which personality drafted it
    personality_id uuid,
    channel        text            NOT NULL,
    subject        text,
    draft_message  text            NOT NULL,
    rationale      text,
    priority       smallint        NOT NULL DEFAULT 50,
    status         text            NOT NULL DEFAULT 'pending',
    scheduled_for  timestamptz,
    approved_at    timestamptz,
    approved_by    uuid,
    sent_at        timestamptz,
    skipped_reason text,
    created_at     timestamptz     NOT NULL DEFAULT now(),
    updated_at     timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT touch_ready_queue_pkey PRIMARY KEY (id),
    CONSTRAINT touch_ready_queue_town_id_key UNIQUE (town_id, id),
    CONSTRAINT touch_ready_queue_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT touch_ready_queue_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT touch_ready_queue_town_deal_fkey FOREIGN KEY (town_id, deal_id) REFERENCES crm.deals (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (deal_id),
    CONSTRAINT touch_ready_queue_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT touch_ready_queue_personality_fkey FOREIGN KEY (personality_id) REFERENCES ai.personalities (id) ON DELETE SET NULL,
    CONSTRAINT touch_ready_queue_approved_by_fkey FOREIGN KEY (approved_by) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT touch_ready_queue_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT touch_ready_queue_channel_check CHECK (channel IN ('email', 'slack', 'linkedin', 'sms')),
    CONSTRAINT touch_ready_queue_status_check CHECK (status IN ('pending', 'approved', 'sent', 'skipped')),
    CONSTRAINT touch_ready_queue_priority_check CHECK (priority BETWEEN 0 AND 100),
    CONSTRAINT touch_ready_queue_draft_message_check CHECK (btrim(draft_message) <> ''),
    CONSTRAINT touch_ready_queue_sent_check CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);
CREATE INDEX touch_ready_queue_org_town_idx ON comms.touch_ready_queue (org_id, town_id);
CREATE INDEX touch_ready_queue_town_pending_idx ON comms.touch_ready_queue (town_id, priority DESC) WHERE status = 'pending';
CREATE INDEX touch_ready_queue_town_contact_idx ON comms.touch_ready_queue (town_id, contact_id);
CREATE INDEX touch_ready_queue_town_deal_idx ON comms.touch_ready_queue (town_id, deal_id);
CREATE INDEX touch_ready_queue_user_idx ON comms.touch_ready_queue (user_id);
CREATE INDEX touch_ready_queue_personality_idx ON comms.touch_ready_queue (personality_id);
CREATE INDEX touch_ready_queue_approved_by_idx ON comms.touch_ready_queue (approved_by);
CREATE TRIGGER touch_ready_queue_touch_updated_at BEFORE UPDATE ON comms.touch_ready_queue
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('comms.touch_ready_queue');
--rollback DROP TABLE comms.touch_ready_queue;
