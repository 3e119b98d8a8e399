--liquibase formatted sql

-- Fixed, documented ids (docs/schema.md) so the Java side and tests can name them.

--changeset townhall:core-090-org-testpilot context:reference
--comment: the organisation every legacy record belongs to (the seeds' owner_id = 'testpilot')
INSERT INTO core.organizations (id, slug, name, org_type, status)
VALUES ('00000000-0000-4000-8000-000000000001', 'testpilot', 'TestPilot Simulations', 'corporate', 'active');
--rollback DELETE FROM core.organizations WHERE id = '00000000-0000-4000-8000-000000000001';

--changeset townhall:core-091-towns-testpilot context:reference
--comment: the three towns of the seeds: aurora (capital; all legacy data), fluenti (US operations), collaboration (development/testing)
INSERT INTO core.towns (id, org_id, slug, name, description, is_capital) VALUES
    ('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-000000000001', 'aurora', 'Aurora',
     'Capital: primary business data; reads every town for cross-town analytics', true),
    ('00000000-0000-4000-8000-00000000000f', '00000000-0000-4000-8000-000000000001', 'fluenti', 'Fluenti',
     'US operations', false),
    ('00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-000000000001', 'collaboration', 'Collaboration',
     'Development and testing', false);
--rollback DELETE FROM core.towns WHERE id IN ('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000f', '00000000-0000-4000-8000-00000000000c');
