--liquibase formatted sql

--changeset townhall:comms-020-emails
--comment: email messages (Gmail sync or sent by TownHall): the content; the CRM timeline entry for the same touch is crm.activities (activity_id)
CREATE TABLE comms.emails (
    id               uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id           uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id          uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility       core.visibility NOT NULL DEFAULT 'private',
    shared_with      uuid[]          NOT NULL DEFAULT '{}',
    -- the thread (session_type = 'email')
    conversation_id  uuid,
    contact_id       uuid,
    activity_id      uuid,
    user_id          uuid,
    direction        text            NOT NULL,
    from_address     citext          NOT NULL,
    to_addresses     citext[]        NOT NULL DEFAULT '{}',
    cc_addresses     citext[]        NOT NULL DEFAULT '{}',
    subject          text,
    body_text        text,
    sent_at          timestamptz     NOT NULL,
    gmail_message_id text,
    gmail_thread_id  text,
    labels           text[]          NOT NULL DEFAULT '{}',
    search           tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('english', coalesce(subject, '')), 'A')
                         || setweight(to_tsvector('english', left(coalesce(body_text, ''), 100000)), 'B')
                     ) STORED,
    created_at       timestamptz     NOT NULL DEFAULT now(),
    updated_at       timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT emails_pkey PRIMARY KEY (id),
    CONSTRAINT emails_town_id_key UNIQUE (town_id, id),
    CONSTRAINT emails_town_gmail_message_key UNIQUE (town_id, gmail_message_id),
    CONSTRAINT emails_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT emails_town_conversation_fkey FOREIGN KEY (town_id, conversation_id) REFERENCES comms.conversations (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (conversation_id),
    CONSTRAINT emails_town_contact_fkey FOREIGN KEY (town_id, contact_id) REFERENCES crm.contacts (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (contact_id),
    CONSTRAINT emails_town_activity_fkey FOREIGN KEY (town_id, activity_id) REFERENCES crm.activities (town_id, id)
        ON UPDATE CASCADE ON DELETE SET NULL (activity_id),
    CONSTRAINT emails_user_fkey FOREIGN KEY (user_id) REFERENCES core.users (id) ON DELETE SET NULL,
    CONSTRAINT emails_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT emails_direction_check CHECK (direction IN ('inbound', 'outbound'))
);
CREATE INDEX emails_org_town_idx ON comms.emails (org_id, town_id);
CREATE INDEX emails_town_sent_idx ON comms.emails (town_id, sent_at DESC);
CREATE INDEX emails_town_conversation_idx ON comms.emails (town_id, conversation_id);
CREATE INDEX emails_town_contact_idx ON comms.emails (town_id, contact_id);
CREATE INDEX emails_town_activity_idx ON comms.emails (town_id, activity_id);
CREATE INDEX emails_user_idx ON comms.emails (user_id);
CREATE INDEX emails_town_gmail_thread_idx ON comms.emails (town_id, gmail_thread_id);
CREATE INDEX emails_to_addresses_idx ON comms.emails USING gin (to_addresses);
CREATE INDEX emails_cc_addresses_idx ON comms.emails USING gin (cc_addresses);
CREATE INDEX emails_labels_idx ON comms.emails USING gin (labels);
CREATE INDEX emails_search_idx ON comms.emails USING gin (search);
CREATE TRIGGER emails_touch_updated_at BEFORE UPDATE ON comms.emails
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('comms.emails');
--rollback DROP TABLE comms.emails;

--changeset townhall:comms-021-email-tracking
--comment: delivery and engagement events of outbound emails (sent, opened, clicked, replied, bounced ...)
CREATE TABLE comms.email_tracking (
    id          uuid            NOT NULL DEFAULT gen_random_uuid(),
    org_id      uuid            NOT NULL DEFAULT core.acting_org_id(),
    town_id     uuid            NOT NULL DEFAULT core.acting_town_id(),
    visibility  core.visibility NOT NULL DEFAULT 'private',
    shared_with uuid[]          NOT NULL DEFAULT '{}',
    email_id    uuid            NOT NULL,
    event_type  text            NOT NULL,
    occurred_at timestamptz     NOT NULL DEFAULT now(),
    -- the link of a click
    url         text,
    user_agent  text,
    created_at  timestamptz     NOT NULL DEFAULT now(),
    updated_at  timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT email_tracking_pkey PRIMARY KEY (id),
    CONSTRAINT email_tracking_town_id_key UNIQUE (town_id, id),
    CONSTRAINT email_tracking_org_town_fkey FOREIGN KEY (org_id, town_id) REFERENCES core.towns (org_id, id),
    CONSTRAINT email_tracking_town_email_fkey FOREIGN KEY (town_id, email_id) REFERENCES comms.emails (town_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT email_tracking_shared_with_check CHECK (visibility = 'shared' OR shared_with = '{}'),
    CONSTRAINT email_tracking_event_type_check CHECK (event_type IN ('sent', 'delivered', 'opened', 'clicked', 'replied', 'bounced', 'unsubscribed', 'complained')),
    CONSTRAINT email_tracking_url_check CHECK (event_type = 'clicked' OR url IS NULL)
);
CREATE INDEX email_tracking_org_town_idx ON comms.email_tracking (org_id, town_id);
CREATE INDEX email_tracking_town_email_idx ON comms.email_tracking (town_id, email_id, occurred_at);
CREATE TRIGGER email_tracking_touch_updated_at BEFORE UPDATE ON comms.email_tracking
    FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();
SELECT core.enable_tenancy('comms.email_tracking');
--rollback DROP TABLE comms.email_tracking;
