--liquibase formatted sql

--changeset townhall:core-002-visibility-type
--comment: every tenant row is private to its town or shared (optionally with an allow-list of towns)
CREATE TYPE core.visibility AS ENUM ('private', 'shared');
--rollback DROP TYPE core.visibility;

--changeset townhall:core-003-member-role-type
--comment: the role a user holds in one town; service is for machine clients (API keys, workers)
CREATE TYPE core.member_role AS ENUM ('owner', 'admin', 'member', 'viewer', 'service');
--rollback DROP TYPE core.member_role;
