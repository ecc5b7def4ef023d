/** Grafana's toasts: from the backend service and from plugins publishing alert events on appEvents. */
import { AppEvents, EventBusSrv } from '@grafana/data';
import { setAppEvents } from '@grafana/runtime';
import { Alert } from '@grafana/ui';
import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  severity: 'success' | 'error' | 'warning' | 'info';
  text: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

export function notify(severity: Toast['severity'], text: string): void {
  toasts = [...toasts.slice(-4), { id: nextId++, severity, text }];
  listeners.forEach((l) => l());
}

function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  listeners.forEach((l) => l());
}

function payloadText(payload: unknown): string {
  return Array.isArray(payload) ? payload.filter((p) => typeof p === 'string').join(': ') : String(payload ?? '');
}

export function installAppEvents(): void {
  const bus = new EventBusSrv();
  bus.on(AppEvents.alertSuccess, (payload) => notify('success', payloadText(payload)));
  bus.on(AppEvents.alertWarning, (payload) => notify('warning', payloadText(payload)));
  bus.on(AppEvents.alertError, (payload) => notify('error', payloadText(payload)));
  setAppEvents(bus);
}

export function Toasts() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toasts
  );
  return (
    <div style={{ position: 'fixed', top: 56, right: 16, width: 420, zIndex: 2000 }}>
      {list.map((t) => (
        <div key={t.id} data-testid="host-toast" data-severity={t.severity}>
          <Alert title={t.text} severity={t.severity} onRemove={() => dismiss(t.id)} />
        </div>
      ))}
    </div>
  );
}
