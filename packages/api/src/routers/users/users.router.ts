import { adminProcedure, router } from "../../trpc.ts";
import { createUserHandler } from "./create-user.handler.ts";
import { createUserInput } from "./create-user.schema.ts";
import { listUsersHandler } from "./list-users.handler.ts";
import { removeUserHandler } from "./remove-user.handler.ts";
import { removeUserInput } from "./remove-user.schema.ts";
import { setUserDisabledHandler } from "./set-user-disabled.handler.ts";
import { setUserDisabledInput } from "./set-user-disabled.schema.ts";
import { setUserPasswordHandler } from "./set-user-password.handler.ts";
import { setUserPasswordInput } from "./set-user-password.schema.ts";
import { setUserRoleHandler } from "./set-user-role.handler.ts";
import { setUserRoleInput } from "./set-user-role.schema.ts";

export const usersRouter = router({
  list: adminProcedure.query(listUsersHandler),
  create: adminProcedure.input(createUserInput).mutation(createUserHandler),
  setRole: adminProcedure.input(setUserRoleInput).mutation(setUserRoleHandler),
  setDisabled: adminProcedure.input(setUserDisabledInput).mutation(setUserDisabledHandler),
  setPassword: adminProcedure.input(setUserPasswordInput).mutation(setUserPasswordHandler),
  remove: adminProcedure.input(removeUserInput).mutation(removeUserHandler),
});
