package dev.townhall.api.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.ServerSettings;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JSON in and out, with one mapper for the whole server: request bodies are read only when they are JSON
 * ({@code 415} otherwise), at most {@link ServerSettings#MAX_BODY_BYTES} ({@code 413}), and must be one object
 * ({@code 400}: malformed, trailing text, a duplicate property, an array or a scalar). Timestamps are written as
 * ISO-8601 text, large decimals exactly.
 */
public final class Json {
    public static final String CONTENT_TYPE = "application/json";
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // record components (executedAt) read like the rest of the API (next_cursor); map keys stay as they are
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // amounts and scores keep every digit the client sent
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Writes {@code value} as the JSON response with {@code status}. */
    public static void respond(Context ctx, int status, Object value) {
        ctx.status(status).contentType(CONTENT_TYPE).result(bytes(value));
    }

    /** {@code value} as UTF-8 JSON. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot write a response as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON document read from text the server owns (the OpenAPI contract). */
    public static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request's body as one JSON object, or the 413, 415 or 400 that says why it is not one. */
    public static Map<String, Object> objectBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > ServerSettings.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        requireJsonType(ctx.contentType());
        byte[] body = readAtMost(ctx, ServerSettings.MAX_BODY_BYTES);
        if (body.length == 0) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "the request body is empty; send one JSON object");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "the request body is not valid JSON: "
                    + e.getOriginalMessage() + where(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || !tree.isObject()) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "the request body must be one JSON object, got "
                    + (tree == null ? "nothing" : "a JSON " + tree.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return MAPPER.convertValue(tree, OBJECT);
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    /** {@code application/json} or {@code application/…+json}, in UTF-8 when a charset is named. */
    private static void requireJsonType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new TownHallException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "a request body needs Content-Type: application/json");
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String media = parts[0].strip();
        boolean json = media.equals(CONTENT_TYPE) || (media.startsWith("application/") && media.endsWith("+json"));
        for (int i = 1; json && i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                json = charset.equals("utf-8") || charset.equals("utf8");
            }
        }
        if (!json) {
            throw new TownHallException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "request bodies are JSON (Content-Type:"
                    + " application/json, UTF-8), got '" + contentType + "'");
        }
    }

    /** The body, refusing it as soon as it passes {@code limit} bytes (a chunked body declares no length). */
    private static byte[] readAtMost(Context ctx, int limit) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "the request body could not be read: " + e.getMessage(), e);
        }
    }

    private static TownHallException tooLarge() {
        return new TownHallException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the limit of "
                + ServerSettings.MAX_BODY_BYTES / 1024 / 1024 + " MiB");
    }
}
