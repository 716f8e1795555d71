import type { Metadata } from "next";
import { SignInScreen } from "./sign-in-screen.tsx";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-2xl font-semibold tracking-tight">Corral</p>
        <SignInScreen />
      </div>
    </main>
  );
}
