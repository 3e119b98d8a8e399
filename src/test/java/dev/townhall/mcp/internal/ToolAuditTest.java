package dev.townhall.mcp.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What an audit row keeps of a tool's arguments: everything but values named like secrets, at any depth. */
class ToolAuditTest {
    @Test
    void argumentsNamedLikeSecretsAreMaskedAtAnyDepth() {
        Map<String, Object> arguments = Map.of(
                "query", "pricing",
                "api_key", "th_abc_def",
                "options", Map.of("Password", "hunter2", "limit", 5),
                "items", List.of(Map.of("access_token", "t0k3n", "name", "x")));
        assertThat(ToolAudit.masked(arguments)).isEqualTo(Map.of(
                "query", "pricing",
                "api_key", "***",
                "options", Map.of("Password", "***", "limit", 5),
                "items", List.of(Map.of("access_token", "***", "name", "x"))));
    }
}
