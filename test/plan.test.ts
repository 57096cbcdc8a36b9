import { describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { validateAnswers } from '../src/answers/validate.js';
import { buildPlan } from '../src/plan/index.js';
import { checkName, UNIQUE_SUFFIX_LENGTH } from '../src/answers/names.js';
import { allocate, parseCidr } from '../src/util/cidr.js';

function plan(sets: string[] = [], preset?: string) {
  const result = validateAnswers(composeAnswers({ preset, sets }));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return buildPlan(result.answers, preset);
}

describe('address plan', () => {
  it('carves aligned, non-overlapping subnets from each spoke', () => {
    const p = plan();
    expect(p.environments[0]!.subnets.map((s) => [s.role, s.cidr])).toEqual([
      ['nodes', '10.1.0.0/22'],
      ['ingress', '10.1.4.0/24'],
      ['privateEndpoints', '10.1.5.0/24'],
      ['access', '10.1.6.0/24'],
    ]);
    expect(p.environments[1]!.subnets[0]!.cidr).toBe('10.2.0.0/22');
  });

  it('adds the /28 API server subnet only with VNet integration', () => {
    expect(plan().environments[0]!.subnets.some((s) => s.role === 'apiServer')).toBe(false);
    expect(
      plan(['cluster.apiServerVnetIntegration=true']).environments[0]!.subnets.find((s) => s.role === 'apiServer')
        ?.cidr,
    ).toBe('10.1.7.0/28');
  });

  it('flat Azure CNI gets a /20 node subnet', () => {
    const p = plan(['network.plugin=azure-cni', 'network.dataplane=azure', 'network.networkPolicy=azure']);
    expect(p.environments[0]!.subnets[0]!.cidr).toBe('10.1.0.0/20');
  });

  it('keeps a given subnet and carves the others around it', () => {
    const p = plan(['environments.0.subnets.nodes=10.1.8.0/22']);
    const cidrs = Object.fromEntries(p.environments[0]!.subnets.map((s) => [s.role, s.cidr]));
    expect(cidrs.nodes).toBe('10.1.8.0/22');
    expect(cidrs.ingress).toBe('10.1.0.0/24');
  });

  it('a created hub gets firewall, Bastion and gateway subnets', () => {
    const p = plan([], 'enterprise');
    expect(p.hub.subnets).toEqual([
      { name: 'AzureFirewallSubnet', cidr: '10.0.0.0/26' },
      { name: 'AzureBastionSubnet', cidr: '10.0.0.64/26' },
      { name: 'GatewaySubnet', cidr: '10.0.0.128/27' },
    ]);
    expect(plan().hub.subnets).toEqual([]);
  });

  it('allocate returns undefined for what does not fit', () => {
    const space = parseCidr('10.0.0.0/24');
    if ('error' in space) throw new Error('bad test range');
    expect(allocate(space, [25, 25, 25], []).map((r) => r?.cidr)).toEqual(['10.0.0.0/25', '10.0.0.128/25', undefined]);
  });
});

describe('names', () => {
  it('follow the CAF pattern per environment', () => {
    const env = plan().environments[0]!;
    expect(env.names.cluster.value).toBe('aks-core-dev-westeurope');
    expect(env.names.resourceGroup.value).toBe('rg-core-dev-westeurope');
    expect(env.names.keyVault).toEqual({ kind: 'keyVault', value: 'kv-core-dev-', uniqueSuffix: true });
  });

  it('check lengths including the deploy-time suffix', () => {
    expect(checkName({ kind: 'keyVault', value: 'kv-core-dev-', uniqueSuffix: true })).toBeUndefined();
    const long = 'kv-' + 'a'.repeat(24 - 3 - UNIQUE_SUFFIX_LENGTH + 1);
    expect(checkName({ kind: 'keyVault', value: long, uniqueSuffix: true })).toMatch(/3-24/);
    expect(checkName({ kind: 'containerRegistry', value: 'cr-has-hyphens', uniqueSuffix: true })).toMatch(
      /letters or digits/,
    );
  });
});

describe('components and pools', () => {
  it('kured follows the node OS channel unless asked explicitly', () => {
    expect(plan(['upgrades.nodeOsUpgradeChannel=Unmanaged']).components.kured).toBe(true);
    expect(plan(['upgrades.nodeOsUpgradeChannel=NodeImage']).components.kured).toBe(false);
    expect(plan(['upgrades.nodeOsUpgradeChannel=NodeImage', 'upgrades.kured.enabled=true']).components.kured).toBe(
      true,
    );
  });

  it('a spot pool carries the spot taint (AKS sets its label); the system pool is reserved for critical add-ons', () => {
    const pools = plan(['environments.0.spotPool.enabled=true']).environments[0]!.pools;
    const spot = pools.find((p) => p.spot)!;
    expect(spot.taints).toEqual(['kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
    expect(spot.labels).toEqual({});
    expect(pools.find((p) => p.mode === 'System')!.taints).toEqual(['CriticalAddonsOnly=true:NoSchedule']);
    expect(plan().environments[0]!.pools.some((p) => p.spot)).toBe(false);
  });

  it('exactly one of Azure RBAC and Kubernetes RBAC bindings', () => {
    const azure = plan().components;
    const k8s = plan(['identity.authorization=kubernetes-rbac']).components;
    expect([azure.azureRbac, azure.kubernetesRbacBindings]).toEqual([true, false]);
    expect([k8s.azureRbac, k8s.kubernetesRbacBindings]).toEqual([false, true]);
  });

  it('production gets the Standard tier and no default stop schedule', () => {
    const [dev, prod] = plan().environments;
    expect([dev!.skuTier, prod!.skuTier]).toEqual(['Free', 'Standard']);
    expect(dev!.stopStart).toBeDefined();
    expect(prod!.stopStart).toBeUndefined();
  });
});

describe('omissions: missing answers are left out and said', () => {
  it('no GitHub owner: no Flux configuration, and the omission says how to add it', () => {
    const p = plan();
    expect(p.components.fluxConfiguration).toBe(false);
    expect(p.gitRepository).toBeUndefined();
    expect(p.omissions.map((o) => o.fix)).toContain('--set delivery.github.owner=<owner>');
  });

  it('with an owner the repository URL is derived and nothing is omitted for it', () => {
    const p = plan([
      'delivery.github.owner=contoso-platform',
      'identity.adminGroupObjectIds=[5b1d1b3c-8f4e-4a47-9a55-0c1c36f0a7a1]',
      'teams.0.entraGroupObjectId=6b1d1b3c-8f4e-4a47-9a55-0c1c36f0a7a1',
      'observability.alertEmails=[platform-oncall@contoso.com]',
    ]);
    expect(p.gitRepository).toEqual({
      owner: 'contoso-platform',
      repo: 'contoso-core-platform',
      url: 'https://github.com/contoso-platform/contoso-core-platform',
      branch: 'main',
      private: true,
    });
    expect(p.omissions).toEqual([]);
  });

  it('oss streaming deploys Filebeat once an Elasticsearch URL is known, and otherwise says why not', () => {
    const p = plan([], 'multicloud');
    expect(p.components.filebeat).toBe(false);
    expect(p.omissions.find((o) => o.what.startsWith('Filebeat'))?.because).toMatch(/no Elasticsearch URL/);
    const withUrl = plan(['observability.elasticsearchUrl=https://logs.example.org:9243'], 'multicloud');
    expect(withUrl.components.filebeat).toBe(true);
    expect(withUrl.omissions.some((o) => o.what.startsWith('Filebeat'))).toBe(false);
    // Filebeat reads its credentials through the CSI driver with workload identity; without them it is left out.
    for (const off of ['secrets.keyVaultCsi=false', 'identity.podIdentity=aad-pod-identity']) {
      const blocked = plan(
        ['observability.elasticsearchUrl=https://logs.example.org:9243', off, 'teams.0.keyVaultSecrets=[]'],
        'multicloud',
      );
      expect(blocked.components.filebeat, off).toBe(false);
      expect(blocked.omissions.find((o) => o.what.startsWith('Filebeat'))?.fix, off).toMatch(
        /secrets\.keyVaultCsi=true --set identity\.podIdentity=workload-identity/,
      );
    }
    // Without streaming, or with Azure Monitor, there is nothing for Filebeat to do and nothing to say.
    expect(
      plan(
        ['observability.elasticsearchUrl=https://logs.example.org:9243', 'observability.eventHubsStreaming=false'],
        'multicloud',
      ).components.filebeat,
    ).toBe(false);
    expect(plan([], 'enterprise').omissions.some((o) => o.what.startsWith('Filebeat'))).toBe(false);
  });
});
