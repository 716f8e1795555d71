import { endpointSchema } from "@corral/core/schemas";
import type { z } from "zod";

export const probeHostKeyInput = endpointSchema;
export type ProbeHostKeyInput = z.infer<typeof probeHostKeyInput>;
