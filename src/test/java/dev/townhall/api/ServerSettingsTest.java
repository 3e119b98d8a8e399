package dev.townhall.api;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSettingsTest {
    @Test
    void aFlagBeatsTheEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve(TownHallConfig.CONFIG_FILE);
        Files.writeString(conf, "api.port=7001\napi.rate_burst=50\napi.threads=12\n");
        ServerSettings settings = ServerSettings.resolve(Map.of("api.port", "7003"),
                Map.of("TOWNHALL_API_PORT", "7002", "TOWNHALL_API_RATE_BURST", "60"), conf);
        assertThat(settings.port()).isEqualTo(7003);
        assertThat(settings.rateBurst()).isEqualTo(60);
        assertThat(settings.threads()).isEqualTo(12);
        assertThat(settings.statementTimeout()).isEqualTo(Duration.ofMillis(ServerSettings.DEFAULT_STATEMENT_TIMEOUT_MS));
    }

    @Test
    void aValueOutOfRangeOrNotANumberNamesItsSettingAndTheRange() {
        assertThatThrownBy(() -> ServerSettings.of(Map.of("api.port", "70000")))
                .isInstanceOfSatisfying(TownHallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("api.port must be a whole number from 0 to 65535, got '70000'");
        assertThatThrownBy(() -> ServerSettings.of(Map.of("api.statement_timeout_ms", "soon")))
                .hasMessage("api.statement_timeout_ms must be a whole number from 1 to 3600000, got 'soon'");
    }

    @Test
    void mcpAllowListsDefaultToTheLoopbackNamesAtTheServedPortPlusASingleBindAddress() {
        assertThat(ServerSettings.defaults().mcpAllowedHosts(7070))
                .containsExactly("localhost:7070", "127.0.0.1:7070", "[::1]:7070");
        assertThat(ServerSettings.defaults().mcpAllowedOrigins(41000))
                .containsExactly("http://localhost:41000", "http://127.0.0.1:41000", "http://[::1]:41000");
        assertThat(ServerSettings.defaults().withBind("10.0.0.5").mcpAllowedHosts(80)).contains("10.0.0.5:80");
        assertThat(ServerSettings.defaults().withBind("fd00::5").mcpAllowedHosts(80)).contains("[fd00::5]:80");
        assertThat(ServerSettings.defaults().withBind("0.0.0.0").mcpAllowedHosts(80)).hasSize(3);
    }

    @Test
    void mcpAllowListsAreCommaListsThatReplaceTheDefaults() {
        ServerSettings settings = ServerSettings.of(Map.of("api.mcp_allowed_hosts", " townhall.example:* , ,localhost:7070",
                "api.mcp_allowed_origins", "https://townhall.example"));
        assertThat(settings.mcpAllowedHosts(7070)).containsExactly("townhall.example:*", "localhost:7070");
        assertThat(settings.mcpAllowedOrigins(7070)).containsExactly("https://townhall.example");
        assertThat(settings.withPort(0).withBind("0.0.0.0").mcpAllowedHosts(1)).isEqualTo(settings.mcpAllowedHosts(2));
    }
}
