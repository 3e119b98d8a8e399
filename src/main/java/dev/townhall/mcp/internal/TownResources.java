package dev.townhall.mcp.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.Caller;
import dev.townhall.schema.VisibleSchema;
import dev.townhall.towns.Profile;
import dev.townhall.towns.Towns;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.townhall.mcp.internal.Arguments.orderedMap;

/**
 * The resources: {@code townhall://towns} (who the key acts as, and the towns its user belongs to) and
 * {@code townhall://schema} (the tables and views the user may query, for the {@code sql} tool). Each is read as the
 * caller, like a tool call, and audited as {@code mcp.read_resource} with its URI.
 */
public final class TownResources {
    private static final Logger LOG = LoggerFactory.getLogger(TownResources.class);
    static final String TOWNS = "townhall://towns";
    static final String SCHEMA = "townhall://schema";

    private final ToolRunner runner;
    private final Towns towns;

    public TownResources(ToolRunner runner, Towns towns) {
        this.runner = runner;
        this.towns = towns;
    }

    public List<SyncResourceSpecification> specifications() {
        return List.of(
                resource(TOWNS, "towns", "The town this key acts in, its user and role, and every town the user"
                        + " belongs to (a key acts in one town; another town needs a key made there).",
                        "application/json", caller -> ToolRunner.json(towns(caller))),
                resource(SCHEMA, "schema", "The tables and views you may query with the sql tool, with their columns"
                        + " and types; rows are filtered to what you may see.",
                        "text/plain", caller -> VisibleSchema.read(caller.context()).without(SqlTool::refuses).asText()));
    }

    private static Map<String, Object> towns(Caller caller) {
        Profile profile = Profile.read(caller.context(), caller.userId());
        Map<String, Object> acting = new LinkedHashMap<>();
        acting.put("user", profile.user());
        acting.put("town", profile.town(caller.townId()));
        acting.put("role", caller.role().sqlName());
        acting.put("key_prefix", caller.keyPrefix());
        return orderedMap("acting_as", acting, "member_of", profile.towns());
    }

    private SyncResourceSpecification resource(String uri, String name, String description, String mimeType,
                                               Function<Caller, String> read) {
        McpSchema.Resource resource = McpSchema.Resource.builder().uri(uri).name(name).description(description)
                .mimeType(mimeType).build();
        return new SyncResourceSpecification(resource, (exchange, request) -> {
            Caller caller = runner.caller(exchange);
            String errorCode = null;
            try {
                return new ReadResourceResult(List.of(new TextResourceContents(uri, mimeType, read.apply(caller))));
            } catch (TownHallException e) {
                errorCode = e.code().name();
                throw e;
            } catch (RuntimeException e) {
                errorCode = ErrorCode.INTERNAL.name();
                LOG.error("resource {} failed", uri, e);
                throw new IllegalStateException("internal error reading " + uri + "; the server's log has the details");
            } finally {
                new ToolAudit(towns, caller).record("read_resource", Map.of("uri", uri), errorCode);
            }
        });
    }
}
