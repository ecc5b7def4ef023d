/** Selectel runs plain OpenStack: its statuses normalize like every OpenStack cloud's. */
export { normalizeServerStatus, normalizeVolumeStatus } from '../openstack/status.js';
