// Deploy-time contract: the local storage of the VM sizes the generator offers, which decides whether a node pool can
// have an ephemeral OS disk. AKS places an ephemeral OS disk in the VM cache when it fits and in the temp (resource)
// disk otherwise; either must hold the whole OS disk, or AKS refuses an explicit Ephemeral request (and, left to
// itself, silently falls back to a managed disk).
// https://learn.microsoft.com/azure/aks/concepts-storage#ephemeral-os-disk
// https://learn.microsoft.com/azure/virtual-machines/ephemeral-os-disks#size-requirements

export interface VmSizeStorage {
  vcpus: number;
  /** Cache size in GiB (0: the size has no cache usable for the OS disk). */
  cacheGiB: number;
  /** Temp (resource) disk in GiB (0: a size without local temp disk, the ones without a "d"). */
  tempGiB: number;
  source: string;
}

const DDSV5 = 'https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/ddsv5-series';
const DADSV5 = 'https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dadsv5-series';
const DSV5 = 'https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv5-series';
const EDSV5 = 'https://learn.microsoft.com/azure/virtual-machines/sizes/memory-optimized/edsv5-series';
const DSV3 = 'https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv3-series';
const DSV2 = 'https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv2-series';

/** The sizes the presets use and their usual neighbours; a size outside the table is taken on the user's word. */
export const VM_SIZES: Readonly<Record<string, VmSizeStorage>> = {
  Standard_D2ds_v5: { vcpus: 2, cacheGiB: 0, tempGiB: 75, source: DDSV5 },
  Standard_D4ds_v5: { vcpus: 4, cacheGiB: 0, tempGiB: 150, source: DDSV5 },
  Standard_D8ds_v5: { vcpus: 8, cacheGiB: 0, tempGiB: 300, source: DDSV5 },
  Standard_D16ds_v5: { vcpus: 16, cacheGiB: 0, tempGiB: 600, source: DDSV5 },
  Standard_D32ds_v5: { vcpus: 32, cacheGiB: 0, tempGiB: 1200, source: DDSV5 },
  Standard_D2ads_v5: { vcpus: 2, cacheGiB: 0, tempGiB: 75, source: DADSV5 },
  Standard_D4ads_v5: { vcpus: 4, cacheGiB: 0, tempGiB: 150, source: DADSV5 },
  Standard_D8ads_v5: { vcpus: 8, cacheGiB: 0, tempGiB: 300, source: DADSV5 },
  Standard_D16ads_v5: { vcpus: 16, cacheGiB: 0, tempGiB: 600, source: DADSV5 },
  Standard_E2ds_v5: { vcpus: 2, cacheGiB: 0, tempGiB: 75, source: EDSV5 },
  Standard_E4ds_v5: { vcpus: 4, cacheGiB: 0, tempGiB: 150, source: EDSV5 },
  Standard_E8ds_v5: { vcpus: 8, cacheGiB: 0, tempGiB: 300, source: EDSV5 },
  Standard_E16ds_v5: { vcpus: 16, cacheGiB: 0, tempGiB: 600, source: EDSV5 },
  Standard_D2s_v5: { vcpus: 2, cacheGiB: 0, tempGiB: 0, source: DSV5 },
  Standard_D4s_v5: { vcpus: 4, cacheGiB: 0, tempGiB: 0, source: DSV5 },
  Standard_D8s_v5: { vcpus: 8, cacheGiB: 0, tempGiB: 0, source: DSV5 },
  Standard_D16s_v5: { vcpus: 16, cacheGiB: 0, tempGiB: 0, source: DSV5 },
  Standard_D2s_v3: { vcpus: 2, cacheGiB: 50, tempGiB: 16, source: DSV3 },
  Standard_D4s_v3: { vcpus: 4, cacheGiB: 100, tempGiB: 32, source: DSV3 },
  Standard_D8s_v3: { vcpus: 8, cacheGiB: 200, tempGiB: 64, source: DSV3 },
  Standard_D16s_v3: { vcpus: 16, cacheGiB: 400, tempGiB: 128, source: DSV3 },
  Standard_DS2_v2: { vcpus: 2, cacheGiB: 86, tempGiB: 14, source: DSV2 },
  Standard_DS3_v2: { vcpus: 4, cacheGiB: 172, tempGiB: 28, source: DSV2 },
};

/** The largest OS disk an ephemeral placement holds on this size: cache or temp disk; undefined for an unknown size. */
export function ephemeralCapacityGiB(vmSize: string): number | undefined {
  const size = VM_SIZES[vmSize];
  return size === undefined ? undefined : Math.max(size.cacheGiB, size.tempGiB);
}

/**
 * OS disk sizes the plan picks when the answers give none: AKS's own 128 GiB where the local disk holds it, else the
 * 64 GiB aks-baseline gives its system pool (room for the node image and the platform's images), else 128 GiB on a
 * managed disk. https://github.com/mspnp/aks-baseline/blob/main/workload-team/cluster-stamp.bicep
 */
export const OS_DISK_SIZES_GIB = [128, 64] as const;

export type OsDiskAnswer = 'auto' | 'Ephemeral' | 'Managed';

export interface OsDisk {
  type: 'Ephemeral' | 'Managed';
  sizeGB: number;
  /** Why an `auto` pool got a managed disk; undefined when it got what it asked for. */
  fallback: string | undefined;
}

/**
 * The OS disk of one pool. An ephemeral disk lives on the VM's cache or temp disk and must fit it whole; a size the
 * table does not know is trusted when Ephemeral is asked for explicitly and given a managed disk under `auto`.
 */
export function planOsDisk(vmSize: string, answer: OsDiskAnswer, sizeGB: number | undefined): OsDisk {
  const capacity = ephemeralCapacityGiB(vmSize);
  const size = sizeGB ?? OS_DISK_SIZES_GIB.find((s) => capacity !== undefined && s <= capacity) ?? OS_DISK_SIZES_GIB[0];
  if (answer === 'Managed') return { type: 'Managed', sizeGB: size, fallback: undefined };
  if (answer === 'Ephemeral') return { type: 'Ephemeral', sizeGB: size, fallback: undefined };
  if (capacity === undefined)
    return {
      type: 'Managed',
      sizeGB: size,
      fallback: `the generator does not know the cache and temp disk sizes of ${vmSize}`,
    };
  if (capacity === 0)
    return { type: 'Managed', sizeGB: size, fallback: `${vmSize} has no cache or temp disk to hold an OS disk` };
  if (size > capacity)
    return {
      type: 'Managed',
      sizeGB: size,
      fallback: `a ${size} GiB OS disk does not fit the ${capacity} GiB cache or temp disk of ${vmSize}`,
    };
  return { type: 'Ephemeral', sizeGB: size, fallback: undefined };
}
