/**
 * Flavor catalogues for rightsizing: which smaller configurations a provider offers. Selectel's fixed
 * configurations are named `SL1.<vCPU>-<RAM MB>` (Standard line, the list the sandbox account uses)
 * and VK Cloud's `<family>-<vCPU>-<RAM GB>` (e.g. STD2-2-4, from the connection's price list); flavors
 * seen in the tenant's own inventory are offered too, since they exist. Providers without a catalogue
 * here get the halved configuration (the usual next step down), priced by estimate.
 */
export interface Flavor {
  name: string;
  vcpus: number;
  ramMb: number;
}

/** Selectel Standard line fixed configurations (as the sandbox account generates them). */
export const SELECTEL_FLAVORS: Flavor[] = [
  { name: 'SL1.1-2048', vcpus: 1, ramMb: 2048 },
  { name: 'SL1.2-4096', vcpus: 2, ramMb: 4096 },
  { name: 'SL1.2-8192', vcpus: 2, ramMb: 8192 },
  { name: 'SL1.4-16384', vcpus: 4, ramMb: 16384 },
  { name: 'SL1.8-32768', vcpus: 8, ramMb: 32768 },
];

/** `SL1.2-4096` → 2 vCPU, 4096 MB; `STD2-2-4` → 2 vCPU, 4 GB. Undefined for other names. */
export function parseFlavorName(name: string): Flavor | undefined {
  const selectel = /^[A-Z]+\d*\.(\d+)-(\d+)$/i.exec(name);
  if (selectel) return { name, vcpus: Number(selectel[1]), ramMb: Number(selectel[2]) };
  const vk = /^[A-Z]+\d*-(\d+)-(\d+)$/i.exec(name);
  if (vk) return { name, vcpus: Number(vk[1]), ramMb: Number(vk[2]) * 1024 };
  return undefined;
}

/**
 * The next smaller flavor that still fits the load: at most `maxCpu` % projected CPU p95 and `maxMem` %
 * projected memory p95 (utilization scales with the inverse of capacity). "Next" is the largest of the
 * smaller flavors: one step down, the least disruptive change.
 */
export function nextSmallerFlavor(
  current: Flavor,
  catalogue: Flavor[],
  load: { cpuP95: number; memP95: number | null },
  limits = { maxCpu: 70, maxMem: 80 }
): Flavor | undefined {
  // Without a memory figure (Yandex reports none) only the vCPU count may shrink.
  const fits = (f: Flavor) =>
    (load.cpuP95 * current.vcpus) / f.vcpus <= limits.maxCpu &&
    (load.memP95 === null ? f.ramMb === current.ramMb : (load.memP95 * current.ramMb) / f.ramMb <= limits.maxMem);
  return catalogue
    .filter(
      (f) =>
        f.vcpus <= current.vcpus &&
        f.ramMb <= current.ramMb &&
        (f.vcpus < current.vcpus || f.ramMb < current.ramMb) &&
        fits(f)
    )
    .sort((a, b) => b.vcpus - a.vcpus || b.ramMb - a.ramMb)[0];
}

/** The halved configuration (at least 1 vCPU and 1 GB), for providers without a catalogue here. */
export function halved(current: Flavor, keepRam = false): Flavor | undefined {
  const vcpus = Math.max(1, Math.floor(current.vcpus / 2));
  const ramMb = keepRam ? current.ramMb : Math.max(1024, Math.floor(current.ramMb / 2 / 1024) * 1024);
  if (vcpus === current.vcpus && ramMb === current.ramMb) return undefined;
  return { name: `${vcpus} vCPU / ${ramMb / 1024} GB`, vcpus, ramMb };
}

/** Catalogue entries plus flavors in use, by name, without duplicates. */
export function mergeCatalogue(...lists: Flavor[][]): Flavor[] {
  const byName = new Map<string, Flavor>();
  for (const list of lists)
    for (const f of list) if (!byName.has(f.name.toLowerCase())) byName.set(f.name.toLowerCase(), f);
  return [...byName.values()];
}
