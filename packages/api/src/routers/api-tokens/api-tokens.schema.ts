import { z } from "zod";

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1, "Say what the token is for").max(80),
});

export const revokeApiTokenInput = z.object({ id: z.string().min(1).max(100) });
