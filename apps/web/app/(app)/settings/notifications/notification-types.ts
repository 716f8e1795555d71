import type { AppRouter } from "@corral/api";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>["notifications"];
export type Channel = Outputs["channels"][number];
export type Rule = Outputs["rules"][number];
export type Delivery = Outputs["deliveries"][number];
