--liquibase formatted sql

-- code_memory_search (dev.townhall.code.CodeMemory) finds the extension's code memory by its words. code.messages
-- already has a search column; blocks and learned patterns get theirs here. Code is indexed with the 'simple'
-- configuration (identifiers are not English words to stem), prose (titles, patterns) with English stemming. Code
-- and paths are indexed twice: as written, and split at punctuation and camelCase humps, because the parser reads
-- 'queue.drain()' as one host name and 'InvoiceParser' as one word: so 'drain', 'invoice' and 'InvoiceParser' all
-- find src/main/InvoiceParser.java's 'queue.drain()'. Queries are matched in both configurations, as search's
-- KeywordQuery does.

--changeset townhall:code-100-fn-split-identifiers
--comment: code's words as the text-search parser can read them: camelCase humps and punctuation become spaces
CREATE FUNCTION code.split_identifiers(source text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN regexp_replace(regexp_replace(source, '([[:lower:][:digit:]])([[:upper:]])', '\1 \2', 'g'),
                      '[^[:alnum:]]+', ' ', 'g');
--rollback DROP FUNCTION code.split_identifiers(text);

--changeset townhall:code-100-blocks-search
--comment: keyword search over code blocks: the title and file path weigh most, then the code
ALTER TABLE code.blocks ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(file_path, '') || ' '
                                       || code.split_identifiers(coalesce(file_path, ''))), 'A')
    || setweight(to_tsvector('simple', left(content, 100000) || ' '
                                       || code.split_identifiers(left(content, 100000))), 'B')) STORED;
CREATE INDEX blocks_search_idx ON code.blocks USING gin (search);
--rollback DROP INDEX code.blocks_search_idx;
--rollback ALTER TABLE code.blocks DROP COLUMN search;

--changeset townhall:code-100-learned-patterns-search
--comment: keyword search over learned patterns: the pattern (prose) weighs more than its example (code)
ALTER TABLE code.learned_patterns ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', pattern), 'A')
    || setweight(to_tsvector('simple', coalesce(left(example, 100000) || ' '
                                                || code.split_identifiers(left(example, 100000)), '')), 'B')) STORED;
CREATE INDEX learned_patterns_search_idx ON code.learned_patterns USING gin (search);
--rollback DROP INDEX code.learned_patterns_search_idx;
--rollback ALTER TABLE code.learned_patterns DROP COLUMN search;
