import parsePrometheusTextFormat, {
  type PrometheusFamily,
  type PrometheusSample,
} from "parse-prometheus-text-format";
import { handleMetricsRequest } from "../http/handle-metrics-request.ts";
import type { CorralServer } from "../server.ts";

interface Scrape {
  status: number;
  families: PrometheusFamily[];
  /**
   * The series named `name` (a histogram's `x_bucket`, `x_sum`, `x_count` each by its own name)
   * whose labels include `labels`.
   */
  samples(name: string, labels?: Record<string, string>): PrometheusSample[];
}

/**
 * GET /metrics through the route's handler, as Prometheus would, parsed by a real parser. The
 * parser folds every series of a histogram into one unlabelled set of buckets, so the series
 * are read from a second parse that declares histograms untyped: each line then stands alone.
 */
export async function scrapeMetrics(server: CorralServer, token?: string): Promise<Scrape> {
  const response = await handleMetricsRequest(
    server,
    new Request(`${server.config.baseUrl}/metrics`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }),
    "127.0.0.1",
  );
  const text = await response.text();
  const families = response.ok ? parsePrometheusTextFormat(text) : [];
  const series = response.ok
    ? parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, "# TYPE $1 untyped"))
    : [];
  return {
    status: response.status,
    families,
    samples: (name, labels = {}) =>
      series
        .filter((family) => family.name === name)
        .flatMap((family) => family.metrics)
        .filter((sample) =>
          Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
        ),
  };
}
