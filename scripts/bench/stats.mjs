// Small helpers shared by the benchmark parts: percentiles, durations and tables.

/** Nearest-rank percentile of an unsorted list; NaN for an empty one. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(values) {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : NaN,
  };
}

export function ms(value) {
  if (!Number.isFinite(value)) return '-';
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function ratio(ours, peer) {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return '-';
  return `${(ours / peer).toFixed(2)}×`;
}

export function mib(bytes) {
  if (!Number.isFinite(bytes)) return '-';
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function kib(bytes) {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** Left-aligned first column, right-aligned others. */
export function table(header, rows) {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(all[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function now() {
  return performance.now();
}
