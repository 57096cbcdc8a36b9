// Node pool settings the plan applies to every cluster: the cluster autoscaler profile. (The OS disk of each pool
// follows from its VM size: src/azure/vm-sizes.ts.)

/**
 * The cluster autoscaler profile, as aks-baseline sets it: scale down after 10 unneeded minutes, wait 10 minutes after
 * a scale-up, give pods 10 minutes to terminate, and never remove a node that runs kube-system pods or local storage.
 * Each value is a string, as the API takes them.
 * https://github.com/mspnp/aks-baseline/blob/main/workload-team/cluster-stamp.bicep (autoScalerProfile)
 * https://learn.microsoft.com/azure/aks/cluster-autoscaler#cluster-autoscaler-profile-settings
 */
export const AUTOSCALER_PROFILE = {
  'balance-similar-node-groups': 'false',
  expander: 'random',
  'max-empty-bulk-delete': '10',
  'max-graceful-termination-sec': '600',
  'max-node-provision-time': '15m',
  'max-total-unready-percentage': '45',
  'new-pod-scale-up-delay': '0s',
  'ok-total-unready-count': '3',
  'scale-down-delay-after-add': '10m',
  'scale-down-delay-after-delete': '20s',
  'scale-down-delay-after-failure': '3m',
  'scale-down-unneeded-time': '10m',
  'scale-down-unready-time': '20m',
  'scale-down-utilization-threshold': '0.5',
  'scan-interval': '10s',
  'skip-nodes-with-local-storage': 'true',
  'skip-nodes-with-system-pods': 'true',
} as const satisfies Record<string, string>;
