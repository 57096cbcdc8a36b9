import type { Plan } from './index.js';

// Deploy-time contracts of the open-source monitoring stack (kube-prometheus-stack) on AKS: where its state lives, so
// a restart or a node upgrade loses no metrics, silences or dashboards, and which control-plane targets it must not
// scrape, because AKS runs them out of the cluster's reach and their "down" alerts would fire forever.

/**
 * The disk class of the monitoring volumes. AKS's built-in managed-csi-premium is Premium SSD LRS, bound to the zone
 * of its first pod; where the pools span availability zones, a Premium_ZRS class of the same driver lets a Prometheus
 * that a zone outage reschedules mount its volume in another zone.
 * https://learn.microsoft.com/azure/aks/azure-csi-disk-storage-provision#built-in-storage-classes
 * https://learn.microsoft.com/azure/virtual-machines/disks-redundancy#zone-redundant-storage-for-managed-disks
 */
export interface MonitoringStorageClass {
  name: string;
  /** Whether the platform creates it (a built-in class exists already). */
  create: boolean;
  skuName: 'Premium_LRS' | 'Premium_ZRS';
}

export function monitoringStorageClass(plan: Plan): MonitoringStorageClass {
  const zonal = plan.environments.some((env) => env.pools.some((pool) => pool.zones.length > 0));
  return zonal
    ? { name: 'managed-csi-premium-zrs', create: true, skuName: 'Premium_ZRS' }
    : { name: 'managed-csi-premium', create: false, skuName: 'Premium_LRS' };
}

/** The persistent volume of each stateful part, and what it keeps across restarts. */
export const MONITORING_VOLUMES = {
  prometheus: { size: '50Gi', keeps: 'the metrics of the retention period (15 days, capped at 45 GB)' },
  alertmanager: { size: '5Gi', keeps: 'silences and the notification log' },
  grafana: { size: '10Gi', keeps: 'dashboards, users and settings made in the UI' },
} as const;

/** Prometheus stops keeping data past this size, below its volume, so a full disk never stops ingestion. */
export const PROMETHEUS_RETENTION_SIZE = '45GB';

/**
 * Control-plane scrape targets of kube-prometheus-stack and whether they are reachable on AKS. The API server is
 * scraped through its service; controller manager, scheduler and etcd run in the managed control plane, which the
 * nodes cannot reach, so their targets and rules are turned off. kube-proxy runs on the nodes unless Cilium replaces
 * it (Azure CNI powered by Cilium runs without kube-proxy).
 * https://learn.microsoft.com/azure/aks/core-aks-concepts#control-plane
 * https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium#limitations
 */
export interface ControlPlaneScrape {
  /** The chart's top-level values key. */
  component: 'kubeControllerManager' | 'kubeScheduler' | 'kubeEtcd' | 'kubeProxy';
  /** The defaultRules.rules keys of its alerts and recording rules. */
  rules: string[];
  enabled: (plan: Plan) => boolean;
  why: string;
}

export const CONTROL_PLANE_SCRAPES: readonly ControlPlaneScrape[] = [
  {
    component: 'kubeControllerManager',
    rules: ['kubeControllerManager'],
    enabled: () => false,
    why: 'runs in the AKS-managed control plane',
  },
  {
    component: 'kubeScheduler',
    rules: ['kubeSchedulerAlerting', 'kubeSchedulerRecording'],
    enabled: () => false,
    why: 'runs in the AKS-managed control plane',
  },
  { component: 'kubeEtcd', rules: ['etcd'], enabled: () => false, why: 'runs in the AKS-managed control plane' },
  {
    component: 'kubeProxy',
    rules: ['kubeProxy'],
    enabled: (plan) => plan.network.kubeProxy,
    why: 'replaced by Cilium',
  },
];
