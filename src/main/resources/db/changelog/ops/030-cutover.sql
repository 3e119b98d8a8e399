--liquibase formatted sql

--changeset townhall:ops-030-cutover-freezes
--comment: when the old systems were frozen for the cutover: the final delta import must start after the latest freeze
CREATE TABLE ops.cutover_freezes (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    frozen_at  timestamptz NOT NULL DEFAULT now(),
    note       text,
    CONSTRAINT cutover_freezes_pkey PRIMARY KEY (id),
    CONSTRAINT cutover_freezes_note_check CHECK (note IS NULL OR btrim(note) <> '')
);
CREATE INDEX cutover_freezes_frozen_at_idx ON ops.cutover_freezes (frozen_at DESC);
COMMENT ON TABLE ops.cutover_freezes IS 'global: owner only; the freezes of the old systems recorded by ./townhall cutover freeze';
--rollback DROP TABLE ops.cutover_freezes;
