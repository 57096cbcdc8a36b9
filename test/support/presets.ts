// Answers a preset leaves to the team because only the team knows them. Tests give documentation values
// (203.0.113.0/24 is TEST-NET-3, RFC 5737) so every preset generates; the answers tests show each is required.

export const STARTER_RANGES = 'cluster.authorizedIpRanges=[203.0.113.0/24]';

const TEAM_ANSWERS: Readonly<Record<string, readonly string[]>> = {
  // A public API server in production admits only the ranges the team names.
  starter: [STARTER_RANGES],
};

/** The --set answers a preset needs from the team, followed by a test's own. */
export function completeSets(preset: string | undefined, sets: readonly string[] = []): string[] {
  return [...(TEAM_ANSWERS[preset ?? ''] ?? []), ...sets];
}

/** Two Arc-enabled clusters: a k3s edge cluster in dev (it federates workload identity) and an EKS cluster in prod. */
export const ARC_CLUSTERS: readonly string[] = [
  'arc.clusters.0.name=edge-a',
  'arc.clusters.0.resourceGroup=rg-edge',
  'arc.clusters.0.environment=dev',
  'arc.clusters.0.distribution=k3s',
  'arc.clusters.1.name=eks-b',
  'arc.clusters.1.resourceGroup=rg-aws',
  'arc.clusters.1.environment=prod',
  'arc.clusters.1.distribution=eks',
];

/**
 * AKS Automatic in a private spoke behind a hub firewall: the managed system nodes' subnet needs the egress route as
 * well as the node subnet. Used by the golden, infra and validate tests.
 */
export const AUTOMATIC_SETS: readonly string[] = [
  'cluster.sku=automatic',
  'network.hub.mode=create',
  'network.egress=firewall',
  'delivery.github.owner=contoso',
];
