--liquibase formatted sql

--changeset townhall:core-030-context-function-grants
--comment: the context functions are the only door to membership facts: callable by the two application roles, not by PUBLIC
REVOKE ALL ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(), core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(), core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(), core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(), core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin() TO townhall_app, townhall_analytics;
--rollback REVOKE EXECUTE ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(), core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(), core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin() FROM townhall_app, townhall_analytics;
--rollback GRANT EXECUTE ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(), core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(), core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin() TO PUBLIC;
