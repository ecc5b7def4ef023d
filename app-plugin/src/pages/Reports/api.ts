/**
 * The collector's report endpoints through Grafana's plugin proxy (`getBackendSrv().fetch`); files come
 * back as Blobs with their name from Content-Disposition. Shapes mirror the collector's OpenAPI schemas.
 */
import { BackendSrvRequest, FetchResponse, getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { PROXY_BASE, SUPPORT_TENANT_HEADER } from '../../api/client';
import { getSupportTenant } from '../../api/supportAccess';
import type { Destination, DestinationKind, FileFormat, ReportDefinition } from '@infrazen/contract/management';

/** Definition and destination shapes are the management contract's (the collector's report schemas). */
export { LANGUAGES, PERIOD_KINDS, SECTION_KINDS } from '@infrazen/contract/management';
export type {
  Destination,
  DestinationKind,
  FileFormat,
  Language,
  PeriodKind,
  ReportDefinition,
  ReportScopeFilter as ScopeFilter,
  SectionKind,
} from '@infrazen/contract/management';

export interface Schedule {
  cron: string;
  timezone?: string;
  enabled: boolean;
}

export interface Report {
  id: string;
  name: string;
  definition: ReportDefinition;
  schedule: Required<Schedule> | null;
  timezone: string;
  destinationIds: string[];
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastRun: { id: string; status: RunStatus; createdAt: string } | null;
}

export interface ReportInput {
  name: string;
  definition: ReportDefinition;
  schedule: Schedule | null;
  destinationIds: string[];
}

export type RunStatus =
  'pending' | 'rendering' | 'rendered' | 'delivering' | 'delivered' | 'delivery_failed' | 'failed';

export interface Delivery {
  id: string;
  destinationId: string | null;
  destinationName: string;
  kind: 'telegram' | 'email';
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
}

export interface Run {
  id: string;
  reportId: string;
  reportName: string;
  trigger: 'schedule' | 'manual';
  scheduledFor: string | null;
  requestedBy: string | null;
  status: RunStatus;
  periodFrom: string | null;
  periodTo: string | null;
  fileName: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  error: string | null;
  createdAt: string;
  deliveries: Delivery[];
}

export interface DestinationInput {
  name: string;
  kind: DestinationKind;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

const id = encodeURIComponent;

async function request<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  // Reads carry the support-access tenant like the app's shared client does; writes never do.
  const tenant = (options.method ?? 'GET') === 'GET' ? getSupportTenant() : null;
  return lastValueFrom(
    getBackendSrv().fetch<T>({
      showErrorAlert: false,
      showSuccessAlert: false,
      ...options,
      headers: { ...options.headers, ...(tenant ? { [SUPPORT_TENANT_HEADER]: tenant.id } : {}) },
      url: `${PROXY_BASE}${options.url}`,
    })
  );
}

const data = async <T>(options: BackendSrvRequest) => (await request<T>(options)).data;

function fileName(response: FetchResponse<unknown>, fallback: string): string {
  const header = response.headers?.get?.('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(header)?.[1] ?? fallback;
}

async function file(options: BackendSrvRequest, fallback: string): Promise<DownloadedFile> {
  const response = await request<Blob>({ ...options, responseType: 'blob' });
  return { blob: response.data, fileName: fileName(response, fallback) };
}

export const reportsApi = {
  list: () => data<{ items: Report[] }>({ method: 'GET', url: '/reports' }).then((r) => r.items),
  create: (body: ReportInput) => data<Report>({ method: 'POST', url: '/reports', data: body }),
  update: (reportId: string, body: Partial<ReportInput>) =>
    data<Report>({ method: 'PATCH', url: `/reports/${id(reportId)}`, data: body }),
  remove: (reportId: string) => data<void>({ method: 'DELETE', url: `/reports/${id(reportId)}` }),
  runs: (reportId: string, limit = 20) =>
    data<{ items: Run[] }>({ method: 'GET', url: `/reports/${id(reportId)}/runs`, params: { limit } }).then(
      (r) => r.items
    ),
  runNow: (reportId: string) => data<Run>({ method: 'POST', url: `/reports/${id(reportId)}/run`, data: {} }),
  retry: (runId: string) => data<Run>({ method: 'POST', url: `/report-runs/${id(runId)}/retry`, data: {} }),
  render: (report: Report, format: FileFormat) =>
    file({ method: 'POST', url: `/reports/${id(report.id)}/render`, params: { format } }, `${report.name}.${format}`),
  preview: (body: { name: string; definition: ReportDefinition; timezone?: string }, format: FileFormat) =>
    file({ method: 'POST', url: '/reports/preview', params: { format }, data: body }, `${body.name}.${format}`),
  runFile: (run: Run) =>
    file({ method: 'GET', url: `/report-runs/${id(run.id)}/file` }, run.fileName ?? `${run.reportName}.pdf`),

  destinations: () =>
    data<{ items: Destination[] }>({ method: 'GET', url: '/report-destinations' }).then((r) => r.items),
  createDestination: (body: DestinationInput) =>
    data<Destination>({ method: 'POST', url: '/report-destinations', data: body }),
  updateDestination: (destinationId: string, body: Partial<Omit<DestinationInput, 'kind'>>) =>
    data<Destination>({ method: 'PATCH', url: `/report-destinations/${id(destinationId)}`, data: body }),
  removeDestination: (destinationId: string) =>
    data<void>({ method: 'DELETE', url: `/report-destinations/${id(destinationId)}` }),
  testDestination: (destinationId: string) =>
    data<{ ok: boolean; message: string }>({
      method: 'POST',
      url: `/report-destinations/${id(destinationId)}/test`,
      data: {},
    }),
};

/** Hands a file to the browser as a download. */
export function saveFile({ blob, fileName: name }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
