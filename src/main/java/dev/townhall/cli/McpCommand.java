package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.Caller;
import dev.townhall.api.ServerSettings;
import dev.townhall.mcp.McpServices;
import dev.townhall.mcp.McpStdioServer;
import dev.townhall.records.Records;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.Search;
import dev.townhall.towns.Towns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./townhall mcp --key KEY}: the MCP tools over stdio for one API key, until the assistant closes stdin.
 * stdout carries protocol messages only: the command takes the process's stdout for the protocol and points
 * {@code System.out} at stderr, so no banner or stray print can corrupt the stream.
 */
@Command(name = "mcp", description = {"Serve the MCP tools (search_memory, get_record, list_recent_activity, remember,"
        + " log_activity, create_task, update_task, get_active_prompt, record_mood, code_memory_search, save_code_block,"
        + " sql) and resources over stdio for an AI assistant, as the key's user in the key's town; every call audited.",
        "Register it with an assistant as the command ./townhall mcp --key th_…; stdout carries only protocol messages.",
        "Each call runs in one transaction with the API's statement timeout (api.statement_timeout_ms)."})
final class McpCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions options;

    @Option(names = "--key", paramLabel = "KEY", defaultValue = "${env:TOWNHALL_MCP_KEY}",
            description = "The API key to act as (th_…; default: $TOWNHALL_MCP_KEY). Make one with ./townhall keys create.")
    String key;

    @Override
    public Integer call() throws InterruptedException {
        if (key == null || key.isBlank()) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "give the API key to act as: --key th_… or TOWNHALL_MCP_KEY");
        }
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        PrintStream previousOut = System.out;
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        InputStream protocolIn = new FileInputStream(FileDescriptor.in);
        try (Towns towns = TownsCommand.open(options)) {
            Caller caller = ApiKeys.on(towns).authenticate(key.strip(), Optional.empty());
            Records records = Records.load(towns);
            try (EmbeddingProvider provider = EmbeddingProviders.fromConfig();
                 McpStdioServer server = McpStdioServer.start(caller, new McpServices(towns, records,
                         Search.with(provider), ServerSettings.resolve(Map.of()).statementTimeout()), protocolIn, protocolOut)) {
                System.err.println("townhall: MCP tools for " + caller.townSlug() + " over stdio; close stdin to stop.");
                server.awaitClientClosed();
            }
        } finally {
            System.setOut(previousOut);
        }
        return 0;
    }
}
