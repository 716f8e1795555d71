import { definePrismaConfig } from "./define-prisma-config.ts";

export default definePrismaConfig("postgres");
