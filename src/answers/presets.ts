import type { AnswersInput } from './schema.js';

// Presets are partial answers: a starting point that answers files, --set and prompts refine.

export const PRESETS = {
  starter: {
    description:
      'Cost-optimised: dev and prod without a hub, spot pool and evening stop in dev, OS patching with Kured; the public API server admits only the ranges you give in cluster.authorizedIpRanges.',
    answers: {
      network: {
        hub: { mode: 'none' },
        egress: 'loadBalancer',
        plugin: 'azure-cni-overlay',
        dataplane: 'cilium',
        networkPolicy: 'cilium',
      },
      cluster: { privateCluster: false, defender: false },
      environments: [
        {
          name: 'dev',
          addressSpace: '10.1.0.0/16',
          systemPool: { vmSize: 'Standard_D2ds_v5', minCount: 1, maxCount: 2, zones: [] },
          userPool: { vmSize: 'Standard_D4ds_v5', minCount: 0, maxCount: 3, zones: [] },
          spotPool: { enabled: true, vmSize: 'Standard_D4ds_v5', minCount: 0, maxCount: 5 },
          stopStart: { enabled: true },
        },
        {
          name: 'prod',
          production: true,
          addressSpace: '10.2.0.0/16',
          systemPool: { vmSize: 'Standard_D2ds_v5', minCount: 2, maxCount: 3 },
          userPool: { vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 5 },
        },
      ],
      identity: { authorization: 'azure-rbac', podIdentity: 'workload-identity' },
      teams: [{ name: 'team-a', keyVaultSecrets: ['app-config'], useSpot: true }],
      upgrades: { autoUpgradeChannel: 'patch', nodeOsUpgradeChannel: 'Unmanaged', kured: { enabled: true } },
      observability: { stack: 'azure-monitor', managedPrometheus: false, managedGrafana: false },
    },
  },
  enterprise: {
    description:
      'Hub-spoke landing zone: private cluster, hub firewall egress, workload identity with Key Vault, Azure RBAC, staged updates through Fleet Manager in maintenance windows, Azure Monitor.',
    answers: {
      network: {
        hub: { mode: 'create', addressSpace: '10.0.0.0/22' },
        egress: 'firewall',
        plugin: 'azure-cni-overlay',
        dataplane: 'cilium',
        networkPolicy: 'cilium',
      },
      cluster: { privateCluster: true, apiServerVnetIntegration: false, defender: true, azurePolicy: true },
      environments: [
        {
          name: 'dev',
          addressSpace: '10.1.0.0/16',
          systemPool: { minCount: 2, maxCount: 3 },
          userPool: { minCount: 2, maxCount: 4 },
          stopStart: { enabled: true },
        },
        {
          name: 'prod',
          production: true,
          addressSpace: '10.2.0.0/16',
          systemPool: { minCount: 3, maxCount: 5 },
          userPool: { minCount: 3, maxCount: 10 },
        },
      ],
      identity: {
        kubeletIdentity: 'user-assigned',
        podIdentity: 'workload-identity',
        entraId: true,
        authorization: 'azure-rbac',
        disableLocalAccounts: true,
      },
      secrets: { keyVaultCsi: true },
      upgrades: {
        autoUpgradeChannel: 'patch',
        nodeOsUpgradeChannel: 'NodeImage',
        maintenanceWindow: { dayOfWeek: 'Tuesday', startTime: '09:00', durationHours: 4 },
      },
      observability: { stack: 'azure-monitor', managedPrometheus: true, managedGrafana: true },
      fleet: { enabled: true },
    },
  },
  multicloud: {
    description:
      'Portable choices: Prometheus and Grafana deployed by Flux, diagnostic logs streamed through Event Hubs to the Elasticsearch and Kibana you run (observability.elasticsearchUrl; Filebeat is deployed, Elasticsearch and Kibana are not), Kubernetes RBAC bound to Entra groups.',
    answers: {
      network: {
        hub: { mode: 'none' },
        egress: 'loadBalancer',
        plugin: 'azure-cni-overlay',
        dataplane: 'cilium',
        networkPolicy: 'cilium',
      },
      cluster: { privateCluster: true },
      identity: { podIdentity: 'workload-identity', entraId: true, authorization: 'kubernetes-rbac' },
      upgrades: { autoUpgradeChannel: 'patch', nodeOsUpgradeChannel: 'NodeImage' },
      observability: { stack: 'oss', managedPrometheus: false, managedGrafana: false, eventHubsStreaming: true },
    },
  },
} as const satisfies Record<string, { description: string; answers: AnswersInput }>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
