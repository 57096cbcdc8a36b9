import { HELM_CHARTS } from '../versions.js';
import type { EnvironmentPlan, Plan } from './index.js';

// Facts the Bicep output needs that follow from the plan: resource names the plan does not carry, built-in role
// definitions, the service accounts of platform identities and the FQDNs the hub firewall must allow.

/** Built-in Azure role definition IDs (the same GUID in every tenant). */
export const BUILT_IN_ROLES = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  privateDnsZoneContributor: 'b12aa53e-6015-4669-85d0-8515ebb3ae7f',
  managedIdentityOperator: 'f1a07417-d97a-45cb-824c-7a7467783830',
  virtualMachineContributor: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  aksRbacWriter: 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb',
  aksClusterUser: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
  monitoringDataReader: 'b0d8363b-8ddd-447d-831f-62ca05bff136',
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
  grafanaAdmin: '22926164-76b3-42b3-bc55-97df8dab3e41',
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
} as const;

/**
 * Kubernetes service accounts of the platform's own workload identities; the GitOps manifests annotate these
 * service accounts with the matching client ID variables.
 */
export const PLATFORM_SERVICE_ACCOUNTS = {
  grafana: { namespace: 'monitoring', serviceAccount: 'grafana' },
  filebeat: { namespace: 'logging', serviceAccount: 'filebeat' },
} as const;

export interface HubInfraNames {
  firewall: string;
  firewallPolicy: string;
  firewallPublicIp: string;
  bastion: string;
  bastionPublicIp: string;
}

export function hubInfraNames(plan: Plan): HubInfraNames {
  const base = `${plan.platform}-hub-${plan.location}`;
  return {
    firewall: `afw-${base}`,
    firewallPolicy: `afwp-${base}`,
    firewallPublicIp: `pip-afw-${base}`,
    bastion: `bas-${base}`,
    bastionPublicIp: `pip-bas-${base}`,
  };
}

export interface EnvironmentInfraNames {
  clusterIdentity: string;
  kubeletIdentity: string;
  logAnalytics: string;
  monitorWorkspace: string;
  grafana: string;
  eventHubsPrefix: string;
  routeTable: string;
  natGateway: string;
}

export function environmentInfraNames(plan: Plan, env: EnvironmentPlan): EnvironmentInfraNames {
  const base = `${plan.platform}-${env.name}-${plan.location}`;
  return {
    clusterIdentity: `id-aks-${base}`,
    kubeletIdentity: `id-kubelet-${base}`,
    logAnalytics: `log-${base}`,
    monitorWorkspace: `amw-${base}`,
    // Grafana names are 2-23 characters and globally unique within the region.
    grafana: `amg-${plan.platform}-${env.name}`.slice(0, 23),
    // Event Hubs namespaces are globally unique: the deployment appends the 6-character suffix.
    eventHubsPrefix: `evhns-${plan.platform}-${env.name}-`,
    routeTable: `rt-${base}`,
    natGateway: `ng-${base}`,
  };
}

export interface FirewallApplicationRule {
  name: string;
  description: string;
  /** FQDNs; `{storage}` and `{keyvault}` stand for the cloud's DNS suffixes (core.windows.net, .vault.azure.net in public Azure). */
  fqdns: string[];
}

/**
 * What the hub firewall lets the clusters reach besides the AzureKubernetesService FQDN tag: one rule per selected
 * add-on, each with the FQDNs Microsoft documents for it.
 */
export function firewallApplicationRules(plan: Plan): FirewallApplicationRule[] {
  const c = plan.components;
  const { answers, location } = plan;
  const rules: FirewallApplicationRule[] = [];
  if (c.containerInsights || c.managedPrometheus || answers.cluster.defender) {
    rules.push({
      name: 'azure-monitor',
      description: 'Container Insights, managed Prometheus and Defender send data to Azure Monitor',
      fqdns: [
        'dc.services.visualstudio.com',
        '*.ods.opinsights.azure.com',
        '*.oms.opinsights.azure.com',
        '*.monitoring.azure.com',
        'global.handler.control.monitor.azure.com',
        `${location}.handler.control.monitor.azure.com`,
        '*.ingest.monitor.azure.com',
        '*.metrics.ingest.monitor.azure.com',
      ],
    });
  }
  if (answers.cluster.defender) {
    rules.push({ name: 'defender', description: 'Microsoft Defender for Containers sensor', fqdns: ['*.cloud.defender.microsoft.com'] });
  }
  if (answers.cluster.azurePolicy) {
    rules.push({ name: 'azure-policy', description: 'Azure Policy add-on fetches and reports policy', fqdns: ['data.policy.{storage}', 'store.policy.{storage}'] });
  }
  if (c.keyVaultCsi) {
    rules.push({ name: 'key-vault', description: 'Secrets Store CSI driver reads Key Vault (private endpoint first, this rule as a fallback)', fqdns: ['*{keyvault}'] });
  }
  rules.push({ name: 'container-registry', description: 'Nodes pull images from the environment registry', fqdns: ['*.azurecr.io', `*.${location}.data.azurecr.io`] });
  if (c.fluxConfiguration) {
    const helmHosts = Object.values(HELM_CHARTS as Record<string, { repository: string }>)
      .map((chart) => hostOf(chart.repository))
      .filter((host): host is string => host !== undefined);
    rules.push({
      name: 'gitops',
      description: 'The Flux extension and its controllers pull this repository and the Helm charts it installs',
      fqdns: [...new Set(['github.com', 'arcmktplaceprod.azurecr.io', `arcmktplaceprod.${location}.data.azurecr.io`, '*.ingestion.msftcloudes.com', '*.microsoftmetrics.com', 'marketplaceapi.microsoft.com', ...helmHosts])].sort(),
    });
  }
  return rules;
}

function hostOf(url: string): string | undefined {
  const match = /^(?:https?|oci):\/\/([^/:]+)/.exec(url);
  return match?.[1];
}
