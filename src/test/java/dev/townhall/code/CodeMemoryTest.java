package dev.townhall.code;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.towns.Role;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Code memory on real PostgreSQL: a saved block is found by its words, title matches outrank passing mentions, the
 * kinds, language and repository filters hold, fluenti never sees aurora's private code memory nor can point a block
 * at it, bad blocks are refused naming the field, and a viewer may search but not save.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeMemoryTest {
    private final Database db;
    private final CodeMemory memory = new CodeMemory();
    private Towns towns;
    private TownContext kristina;
    private TownContext allan;
    private UUID auroraConversation;
    private UUID auroraMessage;
    private UUID auroraBlock;
    private UUID auroraPattern;
    private UUID fluentiConversation;
    private UUID fluentiMessage;

    CodeMemoryTest(Database db) {
        this.db = db;
    }

    @BeforeAll
    void codeMemoryInAuroraAndFluenti() {
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        kristina = towns.as("kristina@fluenti");
        allan = towns.as("allan@aurora");
        auroraConversation = conversation(allan, "aurora/billing");
        auroraMessage = message(allan, auroraConversation, "How should the quokkaledger reconcile refunds?");
        auroraBlock = memory.saveBlock(allan, new NewBlock("def quokkaledger_refunds(rows):\n    return sum(rows)",
                Optional.of("python"), Optional.of("billing/ledger.py"), Optional.of("quokkaledger refunds"), "snippet",
                Optional.of(auroraConversation), Optional.of(auroraMessage), List.of("billing"), Optional.of(10),
                Optional.of(11)));
        auroraPattern = pattern(allan, auroraMessage, "Name quokkaledger helpers after the ledger they touch",
                "quokkaledger_totals()");
        fluentiConversation = conversation(kristina, "fluenti/lessons");
        fluentiMessage = message(kristina, fluentiConversation, "Why does the lesson scheduler skip Mondays?");
    }

    @AfterAll
    void close() {
        towns.close();
    }

    @Test
    void aSavedBlockIsFoundByItsWordsAndIsTheSaversOwn() {
        UUID id = memory.saveBlock(kristina, new NewBlock("public final class LessonScheduler {\n  void plan() {}\n}",
                Optional.of("java"), Optional.of("src/main/java/dev/fluenti/LessonScheduler.java"), Optional.empty(), "file",
                Optional.of(fluentiConversation), Optional.of(fluentiMessage), List.of("scheduler", "core"), Optional.of(1),
                Optional.of(3)));

        List<CodeHit> byName = memory.search(kristina, CodeQuery.of("LessonScheduler"));
        assertThat(byName).extracting(CodeHit::id).contains(id);
        CodeHit hit = byName.stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow();
        assertThat(hit.kind()).isEqualTo(CodeKind.BLOCKS);
        assertThat(hit.title()).isEqualTo("src/main/java/dev/fluenti/LessonScheduler.java");
        assertThat(hit.language()).contains("java");
        assertThat(hit.filePath()).contains("src/main/java/dev/fluenti/LessonScheduler.java");
        assertThat(hit.conversationId()).contains(fluentiConversation);
        assertThat(hit.snippet()).contains("«LessonScheduler»");
        assertThat(hit.score()).isPositive();
        // the code is also indexed split at camelCase humps and punctuation
        assertThat(memory.search(kristina, CodeQuery.of("scheduler plan"))).extracting(CodeHit::id).containsExactly(id);

        Map<String, Object> row = towns.ownerJdbi().withHandle(h -> h.createQuery("""
                        SELECT b.user_id, b.town_id, b.visibility::text AS visibility, b.block_type, b.tags, b.start_line
                        FROM code.blocks b WHERE b.id = :id""").bind("id", id).mapToMap().one());
        assertThat(row).containsEntry("user_id", kristina.userId()).containsEntry("town_id", kristina.townId())
                .containsEntry("visibility", "private").containsEntry("block_type", "file").containsEntry("start_line", 1);
        assertThat(memory.saveBlock(kristina, NewBlock.of("echo plainblock"))).isNotEqualTo(id);
        assertThat(memory.search(kristina, CodeQuery.of("plainblock"))).singleElement()
                .satisfies(plain -> assertThat(plain.title()).isEqualTo("echo plainblock"));
    }

    @Test
    void aTitleMatchOutranksAPassingMentionInTheCode() {
        UUID passing = memory.saveBlock(kristina, new NewBlock("// see the wombatcache notes\nint unrelated = 1;",
                Optional.empty(), Optional.empty(), Optional.of("counter"), "snippet", Optional.empty(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty()));
        UUID titled = memory.saveBlock(kristina, new NewBlock("cache.put(key, value);", Optional.empty(), Optional.empty(),
                Optional.of("wombatcache writer"), "snippet", Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty()));
        assertThat(memory.search(kristina, CodeQuery.of("wombatcache"))).extracting(CodeHit::id)
                .containsExactly(titled, passing);
    }

    @Test
    void kindsLanguageAndRepositoryNarrowTheSearch() {
        UUID message = message(kristina, fluentiConversation, "the gerbilqueue drops lessons");
        UUID block = memory.saveBlock(kristina, new NewBlock("gerbilqueue.drain()", Optional.of("Kotlin"), Optional.empty(),
                Optional.empty(), "command", Optional.of(fluentiConversation), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty()));
        UUID pattern = pattern(kristina, message, "Drain the gerbilqueue before a release", null);

        assertThat(search(kristina, "gerbilqueue", EnumSet.allOf(CodeKind.class), null, null))
                .containsExactlyInAnyOrder(message, block, pattern);
        assertThat(search(kristina, "gerbilqueue", EnumSet.of(CodeKind.PATTERNS), null, null)).containsExactly(pattern);
        List<CodeHit> mentions = memory.search(kristina, new CodeQuery("gerbilqueue", EnumSet.of(CodeKind.MESSAGES,
                CodeKind.BLOCKS), Optional.empty(), Optional.empty(), 5));
        // one mention in a message's text weighs as much as one in a block's code
        assertThat(mentions).extracting(CodeHit::kind).containsExactlyInAnyOrder(CodeKind.MESSAGES, CodeKind.BLOCKS);
        assertThat(mentions.get(0).score()).isPositive().isEqualTo(mentions.get(1).score());
        assertThat(search(kristina, "gerbilqueue", EnumSet.of(CodeKind.MESSAGES, CodeKind.BLOCKS), null, null))
                .containsExactlyInAnyOrder(message, block);
        assertThat(search(kristina, "gerbilqueue", EnumSet.allOf(CodeKind.class), "kotlin", null)).containsExactly(block);
        // the pattern belongs to the repository of the message it was learned from
        assertThat(search(kristina, "gerbilqueue", EnumSet.allOf(CodeKind.class), null, "fluenti/lessons"))
                .containsExactlyInAnyOrder(message, block, pattern);
        assertThat(search(kristina, "gerbilqueue", EnumSet.allOf(CodeKind.class), null, "aurora/billing")).isEmpty();
    }

    @Test
    void fluentiNeverFindsAurorasPrivateCodeMemory() {
        assertThat(search(allan, "quokkaledger", EnumSet.allOf(CodeKind.class), null, null))
                .containsExactlyInAnyOrder(auroraMessage, auroraBlock, auroraPattern);
        assertThat(memory.search(kristina, CodeQuery.of("quokkaledger"))).isEmpty();
        assertThat(memory.search(kristina, CodeQuery.of("quokkaledger refunds or reconcile or ledger"))).isEmpty();
        assertThat(search(kristina, "quokkaledger", EnumSet.allOf(CodeKind.class), null, "aurora/billing")).isEmpty();
    }

    @Test
    void aBlockCannotPointAtAnotherTownsConversationOrMessage() {
        UUID random = UUID.randomUUID();
        TownHallException foreignConversation = saveRefused(blockIn(Optional.of(auroraConversation), Optional.empty()));
        TownHallException unknownConversation = saveRefused(blockIn(Optional.of(random), Optional.empty()));
        assertThat(foreignConversation.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(foreignConversation.field()).contains("conversation_id");
        assertThat(foreignConversation.getMessage().replace(auroraConversation.toString(), "ID"))
                .isEqualTo(unknownConversation.getMessage().replace(random.toString(), "ID"))
                .isEqualTo("conversation_id names no code conversation of this town: ID");

        TownHallException foreignMessage = saveRefused(blockIn(Optional.of(fluentiConversation), Optional.of(auroraMessage)));
        assertThat(foreignMessage.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(foreignMessage.field()).contains("message_id");
        assertThat(foreignMessage.getMessage()).isEqualTo("message_id names no code message of this town: " + auroraMessage);
        assertThat(search(allan, "pointedblock", EnumSet.allOf(CodeKind.class), null, null)).isEmpty();
    }

    @Test
    void badBlocksAreRefusedNamingTheFieldBeforeAnySql() {
        assertInvalid("content", () -> NewBlock.of("  \n "));
        assertInvalid("content", () -> NewBlock.of(null));
        assertInvalid("block_type", () -> new NewBlock("x", null, null, null, "poem", null, null, null, null, null));
        assertInvalid("start_line", () -> new NewBlock("x", null, null, null, null, null, null, null, Optional.of(0), null));
        assertInvalid("end_line", () -> new NewBlock("x", null, null, null, null, null, null, null, Optional.of(5),
                Optional.of(4)));
        assertInvalid("end_line", () -> new NewBlock("x", null, null, null, null, null, null, null, null, Optional.of(4)));
        assertInvalid("tags", () -> new NewBlock("x", null, null, null, null, null, null, List.of("ok", " "), null, null));
        assertInvalid("query", () -> CodeQuery.of(" "));
        assertInvalid("limit", () -> new CodeQuery("x", EnumSet.allOf(CodeKind.class), null, null, 0));
        assertInvalid("kinds", () -> new CodeQuery("x", Set.of(), null, null, 5));
        assertInvalid("kinds", () -> CodeKind.parse("kinds", "poems"));

        NewBlock defaults = new NewBlock("x", null, Optional.of(" "), null, null, null, null, null, Optional.of(2), null);
        assertThat(defaults.blockType()).isEqualTo("snippet");
        assertThat(defaults.filePath()).isEmpty();
        assertThat(defaults.tags()).isEmpty();
    }

    @Test
    void aViewerMaySearchButNotSave() {
        TownContext viewer = kristina.limitedTo(Role.VIEWER);
        assertThat(search(viewer, "scheduler", EnumSet.of(CodeKind.MESSAGES), null, null)).containsExactly(fluentiMessage);
        assertThatThrownBy(() -> memory.saveBlock(viewer, NewBlock.of("echo viewerblock")))
                .isInstanceOfSatisfying(TownHallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessageContaining("may only read");
        assertThat(memory.search(kristina, CodeQuery.of("viewerblock"))).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private List<UUID> search(TownContext context, String words, Set<CodeKind> kinds, String language, String repository) {
        return memory.search(context, new CodeQuery(words, kinds, Optional.ofNullable(language),
                Optional.ofNullable(repository), CodeQuery.MAX_LIMIT)).stream().map(CodeHit::id).toList();
    }

    private static NewBlock blockIn(Optional<UUID> conversation, Optional<UUID> message) {
        return new NewBlock("pointedblock()", null, null, null, null, conversation, message, null, null, null);
    }

    private TownHallException saveRefused(NewBlock block) {
        return catchThrowableOfType(() -> memory.saveBlock(kristina, block), TownHallException.class);
    }

    private static void assertInvalid(String field, Executable construction) {
        assertThatThrownBy(construction::execute).isInstanceOfSatisfying(TownHallException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.field()).contains(field);
            assertThat(e.getMessage()).startsWith(field);
        });
    }

    private static UUID conversation(TownContext context, String repository) {
        return context.inTransaction(h -> h.createQuery("""
                        INSERT INTO code.conversations (user_id, title, repository) VALUES (:user, 'chat', :repository)
                        RETURNING id""")
                .bind("user", context.userId()).bind("repository", repository).mapTo(UUID.class).one());
    }

    private static UUID message(TownContext context, UUID conversation, String content) {
        return context.inTransaction(h -> h.createQuery("""
                        INSERT INTO code.messages (conversation_id, user_id, role, content, language)
                        VALUES (:conversation, :user, 'user', :content, 'python') RETURNING id""")
                .bind("conversation", conversation).bind("user", context.userId()).bind("content", content)
                .mapTo(UUID.class).one());
    }

    private static UUID pattern(TownContext context, UUID sourceMessage, String pattern, String example) {
        return context.inTransaction(h -> h.createQuery("""
                        INSERT INTO code.learned_patterns (user_id, pattern_type, pattern, example, source_message_id)
                        VALUES (:user, 'convention', :pattern, :example, :message) RETURNING id""")
                .bind("user", context.userId()).bind("pattern", pattern).bind("example", example)
                .bind("message", sourceMessage).mapTo(UUID.class).one());
    }
}
