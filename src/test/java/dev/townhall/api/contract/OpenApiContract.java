package dev.townhall.api.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI 3.1 contract as a checker of real exchanges: finds an operation's documented response for a status
 * code and validates the response (media type, documented headers, body against the schema, JSON Schema 2020-12 with
 * formats asserted) and request bodies against the operation's request schema. {@code $ref}s resolve within the one
 * document, which is registered under {@link #BASE}. A status the operation does not document is a violation too.
 */
public final class OpenApiContract {
    /** The IRI the document is known by to the validator; never fetched. */
    static final String BASE = "https://townhall.invalid/openapi.json";
    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document, String documentText) {
        this.document = document;
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemas(Map.of(BASE, documentText))
                // 2020-12 only annotates formats unless asked: a uuid, date or date-time that is not one must fail
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The contract in {@code documentText} (the JSON served at {@code /openapi.json}). */
    public static OpenApiContract of(String documentText) {
        try {
            return new OpenApiContract(MAPPER.readTree(documentText), documentText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the contract is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /**
     * What is wrong with {@code response} as the answer of {@code method} on the path template {@code path}
     * ({@code /api/v1/companies/{id}}); empty when it is exactly as documented.
     */
    public List<String> violations(String method, String path, HttpResponse<String> response) {
        return violations(method, path, response.statusCode(), response.headers(), response.body());
    }

    /** As {@link #violations(String, String, HttpResponse)}, for a response given by its parts. */
    public List<String> violations(String method, String path, int statusCode, HttpHeaders headers, String body) {
        String where = method + " " + path + " -> " + statusCode;
        List<String> problems = new ArrayList<>();
        JsonNode operation = operation(method, path);
        if (operation.isMissingNode()) {
            return List.of(where + ": the contract has no such operation");
        }
        String status = Integer.toString(statusCode);
        if (!operation.path("responses").has(status)) {
            return List.of(where + ": status " + status + " is not documented for this operation (documented: "
                    + fieldNames(operation.path("responses")) + "); body " + abbreviated(body));
        }
        String pointer = resolve(pointer("paths", path, method.toLowerCase(Locale.ROOT), "responses", status));
        JsonNode documented = at(pointer);
        documented.path("headers").fieldNames().forEachRemaining(header -> {
            if (headers.firstValue(header).isEmpty()) {
                problems.add(where + ": the documented header " + header + " is missing");
            }
        });
        JsonNode content = documented.path("content");
        String mediaType = headers.firstValue("Content-Type").map(t -> t.split(";")[0].strip()).orElse("");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!body.isEmpty()) {
                problems.add(where + ": no body is documented, got " + abbreviated(body));
            }
            return problems;
        }
        if (!content.has(mediaType)) {
            problems.add(where + ": Content-Type '" + mediaType + "' is not documented (documented: "
                    + fieldNames(content) + ")");
            return problems;
        }
        if (mediaType.equals(JSON)) {
            problems.addAll(schemaViolations(where, pointer + "/content/" + escape(JSON) + "/schema", body));
        }
        return problems;
    }

    /** What is wrong with {@code body} as the JSON request body of {@code method} on {@code path}. */
    public List<String> requestViolations(String method, String path, String body) {
        String where = method + " " + path + " request body";
        JsonNode operation = operation(method, path);
        if (!operation.path("requestBody").path("content").has(JSON)) {
            return List.of(where + ": the contract documents no JSON request body");
        }
        return schemaViolations(where, resolve(pointer("paths", path, method.toLowerCase(Locale.ROOT), "requestBody"))
                + "/content/" + escape(JSON) + "/schema", body);
    }

    private List<String> schemaViolations(String where, String schemaPointer, String body) {
        Schema schema = schemas.computeIfAbsent(schemaPointer,
                p -> registry.getSchema(SchemaLocation.of(BASE + "#" + p)));
        List<Error> errors;
        try {
            errors = schema.validate(body, InputFormat.JSON);
        } catch (RuntimeException notJson) {
            return List.of(where + ": the body is not JSON: " + abbreviated(body));
        }
        return errors.stream().map(e -> {
            String at = e.getInstanceLocation().toString();
            return where + ": " + (at.isEmpty() ? "the body" : at) + " " + e.getMessage() + " (schema "
                    + e.getSchemaLocation() + ")";
        }).toList();
    }

    private JsonNode operation(String method, String path) {
        return document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
    }

    /** Follows the {@code $ref} of the object at {@code pointer} (a response or request body), if it has one. */
    private String resolve(String pointer) {
        JsonNode node = at(pointer);
        String ref = node.path("$ref").asText("");
        if (ref.isEmpty()) {
            return pointer;
        }
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException(pointer + ": only references within the document are supported, got "
                    + ref);
        }
        return resolve(ref.substring(1));
    }

    private JsonNode at(String pointer) {
        return document.at(pointer);
    }

    private static String pointer(String... tokens) {
        StringBuilder pointer = new StringBuilder();
        for (String token : tokens) {
            pointer.append('/').append(escape(token));
        }
        return pointer.toString();
    }

    /** A JSON Pointer reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
