/**
 * Yandex Monitoring `data/read` for `cpu_utilization{service="compute", resource_id="…"}`: one
 * timeseries on the requested grid (default 1 min), timestamps as int64 strings, values a deterministic
 * wave around the VM's baseline. Stopped VMs have no points after they stopped; a VM outside the
 * requested folder has no metrics at all. Anything but `cpu_utilization` is unknown (there is no
 * hypervisor memory metric).
 */
import { grpcError, type GrpcError } from './iam.js';
import { dayStartMs, type Instance, type YandexAccount } from './model.js';

const MAX_POINTS = 10_000;
type Json = Record<string, unknown>;

export function readMetrics(
  account: YandexAccount,
  folderId: string | undefined,
  body: unknown,
  now: Date
): { status: number; body: Json } | GrpcError {
  if (!folderId) return grpcError(3, 'folderId is required');
  const o = typeof body === 'object' && body !== null ? (body as Json) : {};
  const query = typeof o.query === 'string' ? o.query : '';
  const match = /^cpu_utilization\{service="compute",\s*resource_id="([^"]+)"\}$/.exec(query.trim());
  if (!match) return grpcError(3, `unsupported query: ${query.slice(0, 80)}`);
  const from = Date.parse(String(o.fromTime));
  const to = Date.parse(String(o.toTime));
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from)
    return grpcError(3, 'fromTime and toTime must be ISO timestamps, fromTime < toTime');
  const down = typeof o.downsampling === 'object' && o.downsampling !== null ? (o.downsampling as Json) : {};
  const grid = Math.max(60_000, Number(down.gridInterval) || 60_000);
  if ((to - from) / grid > MAX_POINTS) return grpcError(3, 'too many points; use a larger gridInterval');
  const instance = account.instances.find((i) => i.id === match[1] && i.folderId === folderId);
  if (!instance) return { status: 200, body: { metrics: [] } };
  const timestamps: string[] = [];
  const values: number[] = [];
  const end = Math.min(to, now.getTime(), instance.stoppedDay ? dayStartMs(instance.stoppedDay) : Infinity);
  for (let t = Math.ceil(from / grid) * grid; t < end; t += grid) {
    timestamps.push(String(t));
    values.push(cpuAt(instance, t));
  }
  return {
    status: 200,
    body: {
      metrics: [
        {
          name: 'cpu_utilization',
          labels: { resource_id: instance.id, resource_type: 'vm', service: 'compute' },
          type: 'DGAUGE',
          timeseries: { timestamps, doubleValues: values },
        },
      ],
    },
  };
}

/** CPU % at an instant: baseline + a daily wave, within [0, 100]. */
export function cpuAt(instance: Instance, t: number): number {
  const wave = Math.sin((t / 86_400_000) * 2 * Math.PI) * 10 + Math.sin(t / 3_600_000) * 3;
  return Math.round(Math.min(100, Math.max(0, instance.cpuBase + wave)) * 100) / 100;
}
