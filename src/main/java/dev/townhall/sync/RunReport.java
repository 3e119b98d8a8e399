package dev.townhall.sync;

/** One {@link SyncAgent#runOnce} against one peer: what was pulled from it and pushed to it. */
public record RunReport(String peer, FlowReport pulled, FlowReport pushed) {
}
