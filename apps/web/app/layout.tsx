import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { themeScript } from "@/lib/theme.ts";
import { TRPCReactProvider } from "@/lib/trpc.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Corral", template: "%s · Corral" },
  description: "Pacemaker clusters and their VirtualDomain VMs",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets the class before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a fixed script, no input */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
