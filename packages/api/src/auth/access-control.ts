import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";

// better-auth's admin plugin checks these for its own endpoints: only admins manage users.
export const accessControl = createAccessControl(defaultStatements);
export const authRoles = {
  viewer: accessControl.newRole({ user: [], session: [] }),
  operator: accessControl.newRole({ user: [], session: [] }),
  admin: adminAc,
};
