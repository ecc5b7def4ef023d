/**
 * One Selectel region's Nova servers, Cinder volumes and Neutron ports → InventoryResources: the shared
 * OpenStack mapping with Selectel's service names and its reference volume prices (used by the engine
 * only for volumes billing has no line for). Pure.
 */
import {
  mapRegionInventory as mapOpenStackRegion,
  type OpenStackMapOptions,
  type RegionInventoryRaw,
} from '../openstack/inventory-mapper.js';
import type { InventoryResource } from '../types.js';
import { volumeMonthlyPrice } from './prices.js';

export type { RegionInventoryRaw } from '../openstack/inventory-mapper.js';

const SELECTEL_MAPPING: OpenStackMapOptions = {
  serviceNames: { server: 'Cloud Servers', volume: 'Block Storage' },
  volumePrice: (sizeGb, volumeType) => {
    const amount = volumeMonthlyPrice(sizeGb, volumeType);
    return amount === undefined ? undefined : { amount, period: 'monthly', currency: 'RUB' };
  },
};

/** Volumes first: a server's storage is the sum of the volumes attached to it. */
export function mapRegionInventory(raw: RegionInventoryRaw): InventoryResource[] {
  return mapOpenStackRegion(raw, SELECTEL_MAPPING);
}
