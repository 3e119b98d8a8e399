package dev.townhall.mcp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.townhall.api.Caller;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code core.audit_log} row per tool call: action {@code mcp.<tool>}, the acting user and town, actor
 * {@code mcp}, and in {@code after_data} the key's prefix, the arguments (anything named like a secret masked) and the
 * outcome ({@code ok}, or {@code error} with its code).
 *
 * <p>The row is written as the caller's user in the caller's town, where the table's insert policy lets any context
 * append rows for itself, in a transaction of its own: after the call, so a failed call is audited too. It uses the
 * user's context without the key's role cap because a viewer-capped context runs read-only and could not append its
 * own audit row; the cap still governs everything the tool itself does, and this statement writes nothing else.
 */
public final class ToolAudit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_NAME = Pattern.compile(".*(secret|password|passwd|token|api_?key|credential|authorization).*");
    private static final String MASK = "***";

    private final TownContext auditContext;
    private final String keyPrefix;

    public ToolAudit(Towns towns, Caller caller) {
        this.auditContext = towns.as(caller.userId(), caller.townId());
        this.keyPrefix = caller.keyPrefix();
    }

    /** Records that {@code tool} was called with {@code arguments} and ended with {@code errorCode} (null: ok). */
    public void record(String tool, Map<String, Object> arguments, String errorCode) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("key_prefix", keyPrefix);
        data.put("arguments", masked(arguments == null ? Map.of() : arguments));
        data.put("outcome", errorCode == null ? "ok" : "error");
        if (errorCode != null) {
            data.put("error", errorCode);
        }
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool arguments that are not JSON", e);
        }
        auditContext.inTransaction(h -> h.createUpdate("""
                        INSERT INTO core.audit_log (org_id, town_id, user_id, actor, action, after_data)
                        VALUES (core.acting_org_id(), core.acting_town_id(), core.acting_user_id(), 'mcp', :action,
                                CAST(:data AS jsonb))""")
                .bind("action", "mcp." + tool)
                .bind("data", json)
                .execute());
    }

    static Object masked(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), SECRET_NAME.matcher(String.valueOf(k)
                    .toLowerCase(Locale.ROOT)).matches() ? MASK : masked(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ToolAudit::masked).toList();
        }
        return value;
    }
}
