import { z } from "zod";

/** POST /api/connector/restart: nothing but whether to restart only the failed tasks (the default). */
export const connectorRestartRequestSchema = z.strictObject({
  onlyFailed: z.boolean().optional(),
});
export type ConnectorRestartRequest = z.infer<typeof connectorRestartRequestSchema>;

export const connectorRestartResponseSchema = z.object({
  connector: z.string(),
  onlyFailed: z.boolean(),
  requestedAt: z.number(),
});
export type ConnectorRestartResponse = z.infer<typeof connectorRestartResponseSchema>;
