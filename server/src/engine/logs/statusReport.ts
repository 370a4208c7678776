/**
 * The status the agent writes (`<N>.status`, the status blob, and the copies it logs after
 * "file status report message:"), read as agent-logs.md §5.2 says: the code is the truth, the
 * top-level status word is forced to "success", the nested report holds the health code.
 */
export interface StatusReport {
  code: number | null;
  /** Top-level `status`, which reads "success" for failed ARM-VM backups. */
  outerStatus: string | null;
  /** The nested report's own status word, when there is one. */
  innerStatus: string | null;
  taskId: string | null;
  healthCode: number | null;
  extErrorCode: string | null;
  snapshotConsistency: number | null;
  /** `isSuccessful` per disk, when the report lists them. */
  disks: boolean[] | null;
}

const MAX_STATUS_CHARS = 8 * 1024 * 1024;

type Json = Record<string, unknown>;

function parse(text: string): unknown {
  if (text.length > MAX_STATUS_CHARS) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function statusOf(value: unknown): Json | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return object(object(first)?.status);
}

function integer(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function telemetry(status: Json | undefined, key: string): string | null {
  const data = status?.telemetryData;
  if (!Array.isArray(data)) return null;
  for (const item of data) {
    const entry = object(item);
    if (entry && entry.Key === key) return text(entry.Value);
  }
  return null;
}

/** Reads a status document; undefined when the text is not one. */
export function readStatusReport(source: string): StatusReport | undefined {
  const outer = statusOf(parse(source.trim()));
  if (!outer || (outer.code === undefined && outer.status === undefined)) return undefined;
  const substatus = Array.isArray(outer.substatus) ? object(outer.substatus[0]) : undefined;
  const nestedText = text(substatus?.name);
  // The file form nests the complete report as a JSON string; the blob form is that report.
  const inner = (nestedText ? statusOf(parse(nestedText)) : undefined) ?? (outer.vmHealthInfo || outer.telemetryData || outer.snapshotInfo ? outer : undefined);
  const health = object(inner?.vmHealthInfo);
  const message = object(outer.formattedMessage)?.message ?? object(inner?.formattedMessage)?.message;
  const formatted = object(typeof message === 'string' ? parse(message) : undefined);
  const snapshotInfo = inner?.snapshotInfo;
  const disks = Array.isArray(snapshotInfo)
    ? snapshotInfo.map((disk) => {
        const value = object(disk)?.isSuccessful;
        return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
      })
    : null;
  return {
    code: integer(outer.code) ?? integer(inner?.code),
    outerStatus: text(outer.status),
    innerStatus: inner && inner !== outer ? text(inner.status) : null,
    taskId: text(outer.taskId) ?? text(inner?.taskId),
    healthCode: integer(health?.vmHealthStatusCode),
    extErrorCode: telemetry(inner, 'extErrorCode'),
    snapshotConsistency: integer(formatted?.snapshotConsistency),
    disks: disks && disks.length > 0 ? disks : null,
  };
}
