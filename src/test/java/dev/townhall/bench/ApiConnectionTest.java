package dev.townhall.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark's HTTP/1.1 client against the JDK's own server: both body framings, keep-alive, the key sent. */
class ApiConnectionTest {
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            peers.add(exchange.getRemoteAddress());
            String path = exchange.getRequestURI().toString();
            byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
            int status = path.startsWith("/missing") ? 404 : 200;
            // length 0 makes the JDK's server send the body chunked; a positive one sends Content-Length
            exchange.sendResponseHeaders(status, path.contains("chunked") ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsBothBodyFramingsOnOneKeptAliveConnection() throws IOException {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (ApiConnection c = new ApiConnection(base, "th_abc_secret")) {
            assertThat(c.getOk("/api/v1/contacts?limit=50").text()).isEqualTo("{\"path\":\"/api/v1/contacts?limit=50\"}");
            assertThat(c.getOk("/chunked/one").text()).isEqualTo("{\"path\":\"/chunked/one\"}");
            assertThat(c.getOk("/again").text()).isEqualTo("{\"path\":\"/again\"}");
        }
        assertThat(authorizations).containsOnly("Bearer th_abc_secret").hasSize(3);
        assertThat(peers).as("one connection for all three requests").hasSize(3).containsOnly(peers.get(0));
    }

    @Test
    void anAnswerOtherThan200IsAnErrorNamingItsStatus() throws IOException {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (ApiConnection c = new ApiConnection(base, "th_abc_secret")) {
            assertThat(c.get("/missing").status()).isEqualTo(404);
            assertThatThrownBy(() -> c.getOk("/missing/row")).isInstanceOf(IOException.class)
                    .hasMessageContaining("HTTP 404 for /missing/row");
            assertThat(c.getOk("/still-usable").status()).isEqualTo(200);
        }
    }
}
