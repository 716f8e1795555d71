"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client.ts";

/**
 * Sign-in with the one generic message for a wrong email or password (the server gives no more
 * away either); only throttling and a disabled account say something else.
 */
const GENERIC_SIGN_IN_ERROR = "Wrong email or password.";

export function useSignIn() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signIn(email: string, password: string) {
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({ email, password });
    if (!failure) {
      router.replace("/clusters");
      router.refresh();
      return;
    }
    setPending(false);
    if (failure.status === 429) setError("Too many sign-in attempts. Wait a minute and try again.");
    else if (failure.status === 403 && failure.message) setError(failure.message);
    else setError(GENERIC_SIGN_IN_ERROR);
  }

  return { signIn, error, pending };
}
