import { z } from "zod";

export const userId = z.string().min(1).max(100);
