-- Smoke writes for ./townhall verify: one block per domain, run as the owner inside a transaction that is
-- always rolled back. A block passes when its last statement returns a row. Town: aurora of testpilot.

-- domain: core
INSERT INTO core.users (org_id, email, handle)
VALUES ('00000000-0000-4000-8000-000000000001', 'smoke@verify.invalid', 'verify-smoke');
SELECT id FROM core.users WHERE handle = 'verify-smoke';

-- domain: crm
INSERT INTO crm.companies (org_id, town_id, name, domain)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', 'Verify Smoke Inc', 'verify-smoke.invalid');
INSERT INTO crm.contacts (org_id, town_id, first_name, last_name, company_id)
SELECT org_id, town_id, 'Verify', 'Smoke', id FROM crm.companies WHERE domain = 'verify-smoke.invalid';
SELECT full_name FROM crm.contacts WHERE full_name = 'Verify Smoke';

-- domain: work
INSERT INTO work.tasks (org_id, town_id, title, status)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', 'verify smoke task', 'todo');
SELECT id FROM work.tasks WHERE title = 'verify smoke task';

-- domain: comms
INSERT INTO comms.conversations (org_id, town_id, title)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', 'verify smoke conversation');
INSERT INTO comms.messages (org_id, town_id, conversation_id, role, content)
SELECT org_id, town_id, id, 'user', 'hello from verify' FROM comms.conversations WHERE title = 'verify smoke conversation';
SELECT m.id FROM comms.messages m JOIN comms.conversations c ON c.id = m.conversation_id
WHERE c.title = 'verify smoke conversation';

-- domain: memory
INSERT INTO memory.knowledge_base (org_id, town_id, title, content)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', 'verify smoke', 'smoke content');
INSERT INTO memory.embeddings (org_id, town_id, entity_type, entity_id, model, dimensions, content_hash, embedding)
SELECT org_id, town_id, 'knowledge', id, 'all-minilm-l6-v2', 384, encode(sha256(convert_to(content, 'UTF8')), 'hex'),
       array_fill(0.5::real, ARRAY[384])::vector
FROM memory.knowledge_base WHERE title = 'verify smoke';
SELECT e.entity_id FROM memory.embeddings e JOIN memory.knowledge_base k ON k.id = e.entity_id
WHERE k.title = 'verify smoke'
ORDER BY embedding::vector(384) <=> array_fill(0.5::real, ARRAY[384])::vector(384) LIMIT 1;

-- domain: ai
SELECT id FROM ai.personalities LIMIT 1;
SELECT count(*) FROM ai.moods HAVING count(*) = 6;

-- domain: code
INSERT INTO code.conversations (org_id, town_id, title)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', 'verify smoke code');
INSERT INTO code.messages (org_id, town_id, conversation_id, role, content)
SELECT org_id, town_id, id, 'user', 'print(1)' FROM code.conversations WHERE title = 'verify smoke code';
SELECT id FROM code.messages WHERE content = 'print(1)';

-- domain: intel
SELECT 1 FROM intel.revenue_metrics LIMIT 1;
SELECT count(*) FROM intel.team_workload;

-- domain: sync
INSERT INTO sync.pending_sync (org_id, town_id, table_name, row_id, operation, payload, hlc)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', 'crm.contacts',
        gen_random_uuid(), 'insert', '{}', '0000000000001-0000-smoke');
SELECT id FROM sync.pending_sync WHERE hlc = '0000000000001-0000-smoke';

-- domain: legacy
INSERT INTO legacy.import_runs (org_id, town_id, sources, mode)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', ARRAY['verify-smoke'], 'full');
SELECT id FROM legacy.import_runs WHERE sources = ARRAY['verify-smoke'];

-- domain: ops
INSERT INTO ops.backups (kind, file, bytes, manifest, started_at)
VALUES ('full', '/verify-smoke.dump', 0, '{}', now());
SELECT id FROM ops.backups WHERE file = '/verify-smoke.dump';
