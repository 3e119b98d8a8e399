package dev.townhall.search;

import java.util.Arrays;
import java.util.Optional;

/**
 * What {@code memory.embeddings.entity_type} can name, and the table holding that entity. Embeddings point at
 * their entity by type and id rather than by foreign key (one store for every kind), so code that moves or
 * deletes entities uses this map to keep the embeddings with them. A test keeps it equal to the database's
 * {@code embeddings_entity_type_check}.
 */
public enum EmbeddedEntity {
    COMPANY("company", "crm.companies"),
    CONTACT("contact", "crm.contacts"),
    DEAL("deal", "crm.deals"),
    ACTIVITY("activity", "crm.activities"),
    ENRICHMENT("enrichment", "crm.enrichments"),
    TASK("task", "work.tasks"),
    MEETING("meeting", "work.meetings"),
    TRANSCRIPT("transcript", "work.meeting_transcripts"),
    TRANSCRIPT_CHUNK("transcript_chunk", "work.transcript_chunks"),
    MESSAGE("message", "comms.messages"),
    EMAIL("email", "comms.emails"),
    SLACK_MESSAGE("slack_message", "comms.slack_messages"),
    KNOWLEDGE("knowledge", "memory.knowledge_base"),
    STICKY_NOTE("sticky_note", "memory.sticky_notes"),
    AI_MEMORY("ai_memory", "memory.ai_memories"),
    DOCUMENT_CHUNK("document_chunk", "memory.document_chunks"),
    CODE_MESSAGE("code_message", "code.messages"),
    CODE_BLOCK("code_block", "code.blocks"),
    LEARNED_PATTERN("learned_pattern", "code.learned_patterns"),
    INSIGHT("insight", "intel.insights"),
    MARKET_INTELLIGENCE("market_intelligence", "intel.market_intelligence");

    private final String type;
    private final String table;

    EmbeddedEntity(String type, String table) {
        this.type = type;
        this.table = table;
    }

    /** The value stored in {@code memory.embeddings.entity_type}. */
    public String type() {
        return type;
    }

    /** The schema-qualified table of such entities. */
    public String table() {
        return table;
    }

    public static Optional<EmbeddedEntity> ofType(String type) {
        return Arrays.stream(values()).filter(e -> e.type.equals(type)).findFirst();
    }
}
