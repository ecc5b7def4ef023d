import { useSyncExternalStore } from 'react';

/**
 * Support access (issue 6): a Grafana server admin reads another tenant's data, read-only. While it is
 * on, every GET carries `X-Infrazen-Support-Tenant` (the collector checks the server-admin flag in
 * X-Grafana-Context, refuses writes and audits the access in both tenants). Kept in sessionStorage so it
 * survives page changes but not the browser tab.
 */
export interface SupportTenant {
  id: string;
  name: string;
}

const KEY = 'infrazen.supportTenant';
const listeners = new Set<() => void>();
let current: SupportTenant | null = read();

function read(): SupportTenant | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<SupportTenant>) : null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.name === 'string'
      ? { id: parsed.id, name: parsed.name }
      : null;
  } catch {
    return null;
  }
}

export function getSupportTenant(): SupportTenant | null {
  return current;
}

export function setSupportTenant(tenant: SupportTenant | null): void {
  current = tenant;
  try {
    if (tenant) {
      window.sessionStorage.setItem(KEY, JSON.stringify(tenant));
    } else {
      window.sessionStorage.removeItem(KEY);
    }
  } catch {
    // Storage may be disabled; the in-memory state still applies to this page.
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSupportTenant(): SupportTenant | null {
  return useSyncExternalStore(subscribe, getSupportTenant, getSupportTenant);
}
