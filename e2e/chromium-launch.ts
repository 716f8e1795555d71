/**
 * How Corral's browser runs start Debian's Chromium (never a downloaded browser): the e2e and
 * the browser benches launch it the same way.
 */
export const chromiumLaunchOptions = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
