/** Outbox Lens's own schema in the pipeline's database: the audit log and its helpers (server/outbox/migrations.ts). */
export const OWN_SCHEMA = "outbox_lens";
