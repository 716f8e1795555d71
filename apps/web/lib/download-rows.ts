/**
 * Saves rows as a file the browser downloads: JSON as given, or CSV with papaparse's quoting
 * (loaded only when a CSV is asked for). Each page passes its own rows; values that are not text
 * or numbers are written as JSON text in their cell.
 */
export async function downloadRows(
  basename: string,
  rows: readonly object[],
  format: "csv" | "json",
): Promise<void> {
  let body: string;
  if (format === "json") {
    body = JSON.stringify(rows, null, 2);
  } else {
    const { unparse } = await import("papaparse");
    body = unparse(
      rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([key, value]) => [key, cell(value)])),
      ),
    );
  }
  const url = URL.createObjectURL(
    new Blob([body], { type: format === "json" ? "application/json" : "text/csv" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = `${basename}-${new Date().toISOString().replaceAll(":", "-")}.${format}`;
  link.click();
  URL.revokeObjectURL(url);
}

function cell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  return JSON.stringify(value);
}
