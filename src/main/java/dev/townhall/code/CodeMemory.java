package dev.townhall.code;

import dev.townhall.code.internal.BlockInsert;
import dev.townhall.code.internal.KeywordSearch;
import dev.townhall.towns.TownContext;

import java.util.List;
import java.util.UUID;

/**
 * The VS Code extension's code memory as one user in one town sees it: search its messages, code blocks and learned
 * patterns by words, and save code blocks. Each call is one {@link TownContext} transaction as the application
 * role, so row-level security decides what it reads and where it may write; a viewer-capped context writes nothing
 * ({@code FORBIDDEN}). The MCP tools call it, and the REST API can call the same methods.
 */
public final class CodeMemory {
    /** The hits of {@code query} the user of {@code context} may read, best first. */
    public List<CodeHit> search(TownContext context, CodeQuery query) {
        return context.inTransaction(handle -> KeywordSearch.run(handle, query));
    }

    /**
     * Saves {@code block} in the town of {@code context}, as its user (private to them, as every new row), and answers
     * its id. A conversation or message id the town does not hold is {@code NOT_FOUND} naming the field.
     */
    public UUID saveBlock(TownContext context, NewBlock block) {
        return context.inTransaction(handle -> BlockInsert.run(handle, context.userId(), block));
    }
}
