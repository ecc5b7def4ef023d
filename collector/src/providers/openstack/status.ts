/**
 * OpenStack statuses onto the product's five (reference §14.3): ACTIVE → RUNNING, SHUTOFF → STOPPED, the
 * way Beget reports them, so one dashboard reads every provider. Shared by the OpenStack clouds
 * (Selectel, VK Cloud). Pure.
 */
import type { ResourceStatus } from '../types.js';

/** Nova states of a machine that exists and is up, if only in transition (reboot, resize, migrate …). */
const SERVER_RUNNING = new Set([
  'ACTIVE',
  'RUNNING',
  'REBOOT',
  'HARD_REBOOT',
  'RESIZE',
  'VERIFY_RESIZE',
  'REVERT_RESIZE',
  'MIGRATING',
  'REBUILD',
  'PASSWORD',
  'RESCUE',
]);
/** Nova states where the machine exists but does not run (its disks are still billed). */
const SERVER_STOPPED = new Set(['SHUTOFF', 'STOPPED', 'PAUSED', 'SUSPENDED', 'SHELVED', 'SHELVED_OFFLOADED']);
const SERVER_ERROR = new Set(['ERROR', 'FAILED']);
const SERVER_DELETED = new Set(['DELETED', 'SOFT_DELETED']);

export function normalizeServerStatus(raw: unknown): ResourceStatus {
  const status = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if (SERVER_RUNNING.has(status)) return 'RUNNING';
  if (SERVER_STOPPED.has(status)) return 'STOPPED';
  if (SERVER_ERROR.has(status)) return 'ERROR';
  if (SERVER_DELETED.has(status)) return 'DELETED';
  // BUILD, UNKNOWN and anything Nova adds later: we cannot tell whether it runs.
  return 'UNKNOWN';
}

/**
 * Cinder statuses. A volume that exists (attached or not) is RUNNING: it is billed either way, and
 * "orphan" is the engine's call from the attachments, not a status.
 */
const VOLUME_RUNNING = new Set([
  'in-use',
  'available',
  'reserved',
  'attaching',
  'detaching',
  'backing-up',
  'restoring-backup',
  'extending',
  'uploading',
  'downloading',
  'retyping',
  'maintenance',
  'awaiting-transfer',
]);

export function normalizeVolumeStatus(raw: unknown): ResourceStatus {
  const status = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (VOLUME_RUNNING.has(status)) return 'RUNNING';
  if (status === 'error' || status.startsWith('error_') || status.startsWith('error-')) return 'ERROR';
  if (status === 'deleting' || status === 'deleted') return 'DELETED';
  return 'UNKNOWN';
}
