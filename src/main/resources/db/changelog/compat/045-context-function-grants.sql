--liquibase formatted sql

--changeset townhall:compat-045-context-functions
--comment: townhall_compat may call the context functions the tenant policies and column defaults use (never the auth lookups)
-- Merge note: the bound-logins work (./townhall logins) grants the same; keep one of the two changesets.
GRANT EXECUTE ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(),
    core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(),
    core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin(),
    core.acting_can_admin_user(uuid), core.role_rank(core.member_role),
    core.lesser_role(core.member_role, core.member_role), core.role_cap() TO townhall_compat;
--rollback REVOKE EXECUTE ON FUNCTION core.acting_user_id(), core.requested_town_id(), core.acting_membership(), core.acting_town_id(), core.acting_org_id(), core.acting_role(), core.acting_can_write(), core.readable_town_ids(), core.acting_can_admin(uuid), core.acting_is_capital_admin(), core.acting_can_admin_user(uuid), core.role_rank(core.member_role), core.lesser_role(core.member_role, core.member_role), core.role_cap() FROM townhall_compat;
