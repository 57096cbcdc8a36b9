import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from './support/generate.js';
import { GOLDEN_DIR, goldenName, goldenScenarios, readGolden, updatingGolden, writeGolden } from './support/golden.js';
import { ARC_CLUSTERS, AUTOMATIC_SETS } from './support/presets.js';

// The generated repository of each preset and of a few scenarios that combine answers the presets keep apart,
// compared byte for byte with test/golden/<scenario>/. When the output changes on purpose, run
// `npm run snapshots:update` and review the diff of test/golden like any other change. The meaning of the output is
// asserted by the other tests; these only show what changed.

const GROUP_A = '22222222-2222-2222-2222-222222222222';
const GROUP_B = '33333333-3333-3333-3333-333333333333';
const ADMIN_GROUP = '11111111-1111-1111-1111-111111111111';
const HUB =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub';

export const GOLDEN_SCENARIOS: { name: string; preset?: string; sets?: string[] }[] = [
  { name: 'default' },
  { name: 'starter', preset: 'starter' },
  { name: 'enterprise', preset: 'enterprise' },
  { name: 'multicloud', preset: 'multicloud' },
  {
    // Both pipeline systems, a private repository Flux signs in to, two teams with groups and an admin group.
    name: 'enterprise-delivery',
    preset: 'enterprise',
    sets: [
      'delivery.github.owner=contoso',
      'delivery.azureDevOps=true',
      `identity.adminGroupObjectIds=[${ADMIN_GROUP}]`,
      `teams.0.entraGroupObjectId=${GROUP_A}`,
      'teams.1.name=team-b',
      `teams.1.entraGroupObjectId=${GROUP_B}`,
      'teams.1.keyVaultSecrets=[db-password]',
      'teams.1.syncAsKubernetesSecret=true',
    ],
  },
  {
    // The oss stack with AAD pod identity, Event Hubs and Filebeat shipping to Elasticsearch, Kured on Unmanaged.
    name: 'multicloud-aad-pod-identity',
    preset: 'multicloud',
    sets: [
      'identity.podIdentity=aad-pod-identity',
      'observability.elasticsearchUrl=https://logs.example.com:9243',
      'upgrades.nodeOsUpgradeChannel=Unmanaged',
      'delivery.github.owner=contoso',
      'delivery.github.private=false',
    ],
  },
  {
    // Egress through a hub the landing zone already has.
    name: 'existing-hub-firewall',
    preset: 'multicloud',
    sets: [
      'network.hub.mode=existing',
      `network.hub.vnetResourceId=${HUB}`,
      'network.hub.firewallPrivateIp=10.0.0.4',
      'network.egress=firewall',
      'observability.elasticsearchUrl=https://logs.example.com:9243',
      'delivery.github.owner=contoso',
    ],
  },
  {
    // A NAT gateway, Azure CNI with pod addresses in the VNet, spot and stop/start, no pod identity.
    name: 'starter-nat-gateway',
    preset: 'starter',
    sets: [
      'network.egress=natGateway',
      'network.plugin=azure-cni',
      'identity.podIdentity=none',
      'teams.0.keyVaultSecrets=[]',
      'delivery.githubActions=false',
      'delivery.azureDevOps=true',
    ],
  },
  {
    // Application Gateway for Containers behind the hub firewall: WAF, ALB Controller, certificate sync, CNAME records.
    name: 'enterprise-agc',
    preset: 'enterprise',
    sets: [
      'delivery.github.owner=contoso',
      'ingress.implementation=application-gateway-for-containers',
      'ingress.certificateName=wildcard-apps',
      'ingress.dnsZoneResourceId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/apps.contoso.com',
    ],
  },
  {
    // Two Arc-enabled clusters (one federating workload identity, one not) next to the fleet of the AKS clusters.
    name: 'enterprise-hybrid',
    preset: 'enterprise',
    sets: ['delivery.github.owner=contoso', ...ARC_CLUSTERS],
  },
  {
    // AKS Automatic: no pools of ours, node auto-provisioning, managed system nodes on their own subnet.
    name: 'automatic',
    sets: [...AUTOMATIC_SETS],
  },
];

describe('golden output (test/golden; `npm run snapshots:update` rewrites it)', () => {
  it.each(GOLDEN_SCENARIOS)('$name', ({ name, preset, sets }) => {
    const { files } = render(preset, sets);
    if (updatingGolden) writeGolden(name, files);
    const generated = new Map([...files].map(([path, content]) => [goldenName(path), content]));
    const golden = readGolden(name);
    expect([...golden.keys()].sort(), `files of test/golden/${name}`).toEqual([...generated.keys()].sort());
    for (const [path, content] of generated) expect(golden.get(path), `test/golden/${name}/${path}`).toBe(content);
  });

  it('every golden folder belongs to a scenario', () => {
    const names = new Set(GOLDEN_SCENARIOS.map((s) => s.name));
    const stale = goldenScenarios().filter((name) => !names.has(name));
    if (updatingGolden) for (const name of stale) rmSync(join(GOLDEN_DIR, name), { recursive: true, force: true });
    else expect(stale).toEqual([]);
  });
});
