import { environmentInfraNames, hubInfraNames } from './infra.js';
import type { EnvironmentPlan, Plan } from './index.js';
import { wafMode, wafPolicyName } from './ingress.js';

// PSRule for Azure (Microsoft's well-architected rules) runs on every pull request with the Azure.Default baseline.
// Where the platform fails a rule on purpose, the plan says so here: which rule, which resources, why, and which
// decision record made the choice. ps-rule.yaml and the baseline decision record are both rendered from this list, so
// a suppression appears and disappears with the answer that causes it.

/** The baseline the generated pipelines hold the platform to (every GA rule Microsoft recommends by default). */
export const PSRULE_BASELINE = 'Azure.Default';

/** Slugs of the decision records a suppression can point to (render/docs/decisions.ts). */
export type DecisionSlug =
  | 'landing-zone'
  | 'private-cluster-and-egress'
  | 'network-plugin'
  | 'entra-id-and-rbac'
  | 'log-streaming'
  | 'upgrades-and-patching'
  | 'multi-cluster-updates'
  | 'cost-controls'
  | 'observability'
  | 'ingress'
  | 'well-architected-baseline'
  | 'cluster-sku';

export interface Suppression {
  rule: string;
  /** Target names as PSRule reports them: the resource names after the parameter files are expanded. */
  targets: string[];
  reason: string;
  decision: DecisionSlug;
}

/** A rule left out for every resource, when the names it would fail on are only known at deployment. */
export interface Exclusion {
  rule: string;
  reason: string;
  decision: DecisionSlug;
}

function clusters(envs: EnvironmentPlan[]): string[] {
  return envs.map((env) => env.names.cluster.value);
}

/**
 * One suppression per rule and reason. Conditions mirror the rule's own test on the values the plan emits, so a
 * suppression exists only while the output would fail the rule.
 */
export function planSuppressions(plan: Plan): Suppression[] {
  const { environments: envs, components: c } = plan;
  const out: Suppression[] = [];
  const add = (s: Suppression) => {
    if (s.targets.length > 0) out.push(s);
  };

  if (plan.network.networkPolicy === 'cilium') {
    add({
      rule: 'Azure.AKS.NetworkPolicy',
      targets: clusters(envs),
      reason:
        'Network policy is enforced by Cilium (Azure CNI powered by Cilium), the engine Microsoft now recommends; the rule only knows azure and calico.',
      decision: 'network-plugin',
    });
  }
  if (!c.privateCluster && !c.authorizedIpRanges) {
    add({
      rule: 'Azure.AKS.AuthorizedIPs',
      targets: clusters(envs),
      reason:
        'No cluster.authorizedIpRanges were given and the generator never guesses them, so these non-production public API servers accept any address (Entra ID sign-in still applies). Set the answer to restrict them.',
      decision: 'private-cluster-and-egress',
    });
  }
  if (c.entraId && !c.azureRbac) {
    add({
      rule: 'Azure.AKS.AzureRBAC',
      targets: clusters(envs),
      reason:
        'Kubernetes authorization is Kubernetes RBAC with RoleBindings to Entra groups kept in Git (the portable choice); Entra ID sign-in still applies.',
      decision: 'entra-id-and-rbac',
    });
  }
  if (!c.containerInsights) {
    add({
      rule: 'Azure.AKS.ContainerInsights',
      targets: clusters(envs),
      reason:
        'Container logs and metrics go to the Prometheus, Grafana and ELK stack that Flux deploys (the oss observability stack) instead of Container Insights.',
      decision: 'observability',
    });
  }
  add({
    rule: 'Azure.AKS.UptimeSLA',
    targets: clusters(envs.filter((env) => env.skuTier === 'Free')),
    reason:
      'Non-production runs the Free control-plane tier, without the uptime SLA, to save its cost; production runs Standard.',
    decision: 'cost-controls',
  });
  // AKS.MinNodeCount counts system pool nodes and AKS.MinUserPoolNodes each regular user pool's; both want 3.
  const minimum = (rule: string, pool: 'system' | 'user', answer: 'systemPool' | 'userPool') => {
    const small = envs.filter((env) => (env.pools.find((p) => p.name === pool)?.minCount ?? 0) < 3);
    const production = small.filter((env) => env.production);
    const others = small.filter((env) => !env.production);
    const reasons = [
      ...(others.length > 0
        ? [
            `Non-production (${others.map((env) => env.name).join(', ')}) keeps fewer than 3 ${pool} pool nodes to save cost.`,
          ]
        : []),
      ...(production.length > 0
        ? [
            `The answers keep production below 3 ${pool} pool nodes; raise ${production
              .map((env) => `environments.${envs.indexOf(env)}.${answer}.minCount`)
              .join(
                ' and ',
              )} to 3 so two nodes remain through a zone outage or an upgrade, and this suppression goes away.`,
          ]
        : []),
    ];
    add({
      rule,
      targets: clusters(small),
      reason: reasons.join(' '),
      decision: production.length > 0 ? 'well-architected-baseline' : 'cost-controls',
    });
  };
  if (c.automatic) {
    // The pool rules read agentPoolProfiles, which an Automatic cluster does not declare (src/azure/aks-automatic.ts).
    for (const rule of [
      'Azure.AKS.MinNodeCount',
      'Azure.AKS.EphemeralOSDisk',
      'Azure.AKS.NodeMinPods',
      'Azure.AKS.PoolScaleSet',
      'Azure.AKS.PoolVersion',
    ])
      add({
        rule,
        targets: clusters(envs),
        reason:
          'AKS Automatic runs the system nodes itself (managed system node pools, outside the subscription) and creates user nodes with node auto-provisioning, so the cluster declares no agent pools for the rule to check; AKS sizes, patches and upgrades those nodes.',
        decision: 'cluster-sku',
      });
  } else {
    minimum('Azure.AKS.MinNodeCount', 'system', 'systemPool');
    minimum('Azure.AKS.MinUserPoolNodes', 'user', 'userPool');
  }
  const unzoned = envs.filter((env) => env.pools.some((pool) => pool.zones.length === 0));
  add({
    rule: 'Azure.AKS.AvailabilityZone',
    targets: clusters(unzoned),
    reason: `The answers pin no availability zones for some pools of ${unzoned.map((env) => env.name).join(', ')} (environments.<n>.systemPool/userPool.zones is empty), so their nodes may share one datacenter; list zones 1, 2 and 3 to spread them.`,
    decision: unzoned.some((env) => env.production) ? 'well-architected-baseline' : 'cost-controls',
  });
  if (!c.defender) {
    add({
      rule: 'Azure.AKS.DefenderProfile',
      targets: clusters(envs),
      reason:
        'Microsoft Defender for Containers is off (cluster.defender: false): it is billed per vCore, and the answers leave runtime threat detection out. Set cluster.defender: true to turn it on.',
      decision: 'well-architected-baseline',
    });
  }
  // The channel the clusters carry, which the fleet may have taken over (answers/upgrades.ts decides it once).
  const channel = plan.upgradeChannels.nodeOsUpgradeChannel;
  const byFleet = plan.upgrades.nodeImagesByFleet;
  if (channel !== 'NodeImage' && channel !== 'SecurityPatch') {
    add({
      rule: 'Azure.AKS.NodeAutoUpgrade',
      targets: clusters(envs),
      reason: byFleet
        ? "Fleet Manager's node image auto-upgrade profile rolls new node images environment by environment; the clusters' own channel stays off, or production would update in the same window as dev."
        : channel === 'Unmanaged'
          ? 'The node OS channel is Unmanaged: the OS patches itself nightly and Kured reboots nodes one at a time, and a weekly pipeline rolls new node images (the approach the answers chose).'
          : 'The node OS channel is None: no automatic OS updates; the weekly node-image pipeline is the only patching.',
      decision: byFleet ? 'multi-cluster-updates' : 'upgrades-and-patching',
    });
  }
  if (c.managedGrafana) {
    add({
      rule: 'Azure.Grafana.AvailabilityZone',
      targets: envs.filter((env) => !env.zoneRedundant).map((env) => environmentInfraNames(plan, env).grafana),
      reason:
        'Zone redundancy of Managed Grafana is billed extra, so only production pays for it; dashboards are code and can be redeployed.',
      decision: 'cost-controls',
    });
  }
  add({
    rule: 'Azure.Log.Replication',
    targets: [
      ...envs.map((env) => environmentInfraNames(plan, env).logAnalytics),
      ...(plan.hub.mode === 'create' ? [hubInfraNames(plan).logAnalytics] : []),
    ],
    reason:
      'The platform runs in one region (the answers name no second one), so there is no region to replicate the workspaces to.',
    decision: 'well-architected-baseline',
  });
  if (plan.hub.mode === 'create' && plan.hub.names) {
    add({
      rule: 'Azure.NSG.LateralTraversal',
      targets: [`nsg-${plan.hub.names.virtualNetwork.value}-bastion`],
      reason:
        "Bastion's job is SSH and RDP into the network: Microsoft requires the AllowSshRdpOutbound rule on its subnet (https://learn.microsoft.com/azure/bastion/bastion-nsg).",
      decision: 'landing-zone',
    });
  }
  const alb = plan.ingress?.alb;
  if (alb) {
    add({
      rule: 'Azure.AppGwWAF.PreventionMode',
      targets: envs.filter((env) => wafMode(env) === 'Detection').map((env) => wafPolicyName(alb, env.name)),
      reason:
        'Outside production the Application Gateway for Containers WAF policy runs in Detection mode: it logs what it would block, so rules are tuned on real traffic before production enforces them in Prevention mode.',
      decision: 'ingress',
    });
  }

  return out;
}

/** Rules left out for every resource; each is a fact of the whole platform rather than of some resources. */
export function planExclusions(plan: Plan): Exclusion[] {
  const suffixed =
    'Namespace names end in a suffix Azure derives at deployment, so the rule is left out rather than suppressed by name.';
  return [
    ...(plan.components.eventHubsStreaming
      ? [
          {
            rule: 'Azure.EventHub.DisableLocalAuth',
            reason: `Diagnostic settings can only stream to Event Hubs through a namespace authorization rule (SAS), and Filebeat's Event Hubs input signs in with a connection string, so local authentication stays on; the namespace has no public endpoint. ${suffixed}`,
            decision: 'log-streaming' as const,
          },
        ]
      : []),
    ...(plan.components.filebeat
      ? [
          {
            rule: 'Azure.Storage.LocalAuth',
            reason: `Filebeat's Azure Event Hubs input keeps its checkpoints in the storage account with a connection string, so shared keys stay on; the account has no public endpoint and the key lives in Filebeat's own vault. Account names end in a suffix Azure derives at deployment, so the rule is left out rather than suppressed by name.`,
            decision: 'log-streaming' as const,
          },
          {
            rule: 'Azure.Storage.UseReplication',
            reason: `The storage account holds only Filebeat's partition leases and checkpoints: lost with a zone, Filebeat reads the stream again from what Event Hubs retains (some events twice, none lost), so locally redundant storage is enough. Account names end in a suffix Azure derives at deployment, so the rule is left out rather than suppressed by name.`,
            decision: 'log-streaming' as const,
          },
        ]
      : []),
    {
      rule: 'Azure.ACR.GeoReplica',
      reason:
        'The platform runs in one region (the answers name no second one), so the registries have no region to replicate to. Registry names end in a suffix Azure derives at deployment, so the rule is left out rather than suppressed by name.',
      decision: 'well-architected-baseline',
    },
  ];
}
