--liquibase formatted sql

--changeset townhall:crm-090-deal-stages context:reference
--comment: the pipeline stages (the seeds' default 'AWARENESS' is the first); legacy CRM stage names map onto these in the importer's mapping file
INSERT INTO crm.deal_stages (slug, name, position, probability, is_closed, is_won, expected_days) VALUES
    ('awareness',   'Awareness',   1,   5, false, false, 14),
    ('interest',    'Interest',    2,  10, false, false, 14),
    ('qualified',   'Qualified',   3,  20, false, false, 21),
    ('evaluation',  'Evaluation',  4,  40, false, false, 21),
    ('proposal',    'Proposal',    5,  60, false, false, 14),
    ('negotiation', 'Negotiation', 6,  80, false, false, 14),
    ('closed_won',  'Closed won',  7, 100, true,  true,  NULL),
    ('closed_lost', 'Closed lost', 8,   0, true,  false, NULL);
--rollback DELETE FROM crm.deal_stages WHERE slug IN ('awareness', 'interest', 'qualified', 'evaluation', 'proposal', 'negotiation', 'closed_won', 'closed_lost');
