export type Theme = "light" | "dark";

const THEME_STORAGE_KEY = "corral.theme";

/**
 * Runs in <head> before the first paint: the saved theme, else the system's, so a dark-mode
 * operator never sees a white flash.
 */
export const themeScript = `(() => {
  try {
    const saved = localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});
    const dark = saved ? saved === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
    document.documentElement.classList.toggle("dark", dark);
  } catch {}
})();`;

export function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle("dark", theme === "dark");
  localStorage.setItem(THEME_STORAGE_KEY, theme);
}
