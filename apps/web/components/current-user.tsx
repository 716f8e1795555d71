"use client";

import { type Role, roleAtLeast } from "@corral/api/roles";
import { createContext, type ReactNode, useContext } from "react";

export interface CurrentUser {
  id: string;
  name: string;
  email: string;
  role: string;
}

const CurrentUserContext = createContext<CurrentUser | null>(null);

/** The signed-in operator, resolved on the server by the app layout. */
export function CurrentUserProvider({
  user,
  children,
}: {
  user: CurrentUser;
  children: ReactNode;
}) {
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}

function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser outside the signed-in app layout");
  return user;
}

/**
 * Whether to show controls that need `role`. Only presentation: the procedures enforce roles
 * themselves, whatever the page shows.
 */
export function useCan(role: Role): boolean {
  return roleAtLeast(useCurrentUser().role, role);
}
