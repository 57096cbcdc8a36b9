import { describe, expect, it } from 'vitest';
import { composeAnswers, parseAnswersDocument } from '../src/answers/load.js';
import { getAtPath, parseSetOverride } from '../src/answers/merge.js';
import { PRESET_NAMES } from '../src/answers/presets.js';
import { promptForMissing } from '../src/answers/questions.js';
import { validateAnswers, type Problem } from '../src/answers/validate.js';
import { UserError } from '../src/errors.js';
import { planOsDisk } from '../src/azure/vm-sizes.js';
import { completeSets } from './support/presets.js';

function problems(sets: string[], preset?: string): Problem[] {
  const result = validateAnswers(composeAnswers({ preset, sets: completeSets(preset, sets) }));
  return result.problems;
}

function errorsAt(sets: string[], preset?: string): string[] {
  return problems(sets, preset)
    .filter((p) => p.severity === 'error')
    .map((p) => p.path);
}

describe('defaults and presets', () => {
  it('the defaults alone are valid and complete', () => {
    const result = validateAnswers({});
    expect(result.ok).toBe(true);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it.each(PRESET_NAMES)('preset %s is valid without warnings', (preset) => {
    expect(problems([], preset)).toEqual([]);
  });

  it('an unknown preset is refused with the list of presets', () => {
    expect(() => composeAnswers({ preset: 'nope' })).toThrow(/starter, enterprise, multicloud/);
  });
});

describe('precedence: preset < answers file < --set', () => {
  it('the answers file overrides the preset and --set overrides the file', () => {
    const file = { cluster: { privateCluster: false, kubernetesVersion: '1.34' } };
    const merged = composeAnswers({ preset: 'enterprise', file, sets: ['cluster.kubernetesVersion=1.35.1'] });
    expect(merged.cluster).toMatchObject({ privateCluster: false, kubernetesVersion: '1.35.1' });
    expect((merged.network as { egress: string }).egress).toBe('firewall');
  });

  it('--set into a list nobody gave edits the default list', () => {
    const merged = composeAnswers({ sets: ['environments.1.spotPool.enabled=true'] });
    const envs = merged.environments as { name: string; spotPool?: { enabled: boolean } }[];
    expect(envs.map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(envs[1]!.spotPool?.enabled).toBe(true);
  });

  it('--set values keep their YAML types', () => {
    expect(parseSetOverride('a.b=true')).toEqual({ path: ['a', 'b'], value: true });
    expect(parseSetOverride('a=3')).toEqual({ path: ['a'], value: 3 });
    expect(parseSetOverride('a=[x, y]')).toEqual({ path: ['a'], value: ['x', 'y'] });
    expect(parseSetOverride('a=1.35')).toEqual({ path: ['a'], value: 1.35 });
    expect(composeAnswers({ sets: ['cluster.kubernetesVersion=1.30'] }).cluster).toEqual({ kubernetesVersion: '1.30' });
    expect(composeAnswers({ sets: ['network.hub.mode=none', 'platform=123'] })).toMatchObject({
      platform: '123',
      network: { hub: { mode: 'none' } },
    });
    expect(parseSetOverride('novalue')).toHaveProperty('error');
    expect(parseSetOverride('__proto__.x=1')).toHaveProperty('error');
  });

  it('a bad --set is a user error naming the expression', () => {
    expect(() => composeAnswers({ sets: ['oops'] })).toThrow(UserError);
    expect(() => composeAnswers({ sets: ['oops'] })).toThrow(/--set "oops"/);
  });

  it('reads bare answers, the generator block and a whole .yo-rc.json', () => {
    const bare = parseAnswersDocument('platform: ops\n', 'a.yaml');
    const block = parseAnswersDocument('{"version":"0.1.0","preset":"starter","answers":{"platform":"ops"}}', 'b.json');
    const yoRc = parseAnswersDocument(
      '{"generator-aks-platform":{"version":"0.1.0","answers":{"platform":"ops"}}}',
      '.yo-rc.json',
    );
    expect(bare.answers).toEqual({ platform: 'ops' });
    expect(block).toEqual({ answers: { platform: 'ops' }, preset: 'starter', stored: true, version: '0.1.0' });
    expect(yoRc.answers).toEqual({ platform: 'ops' });
    expect(() => parseAnswersDocument('a: [', 'bad.yaml')).toThrow(/bad.yaml is not valid YAML/);
    expect(() => parseAnswersDocument('- a', 'list.yaml')).toThrow(/does not hold a mapping/);
  });
});

describe('field validation names the path, the value and the fix', () => {
  it.each([
    ['environments.0.addressSpace=10.1.0.0/33', 'environments.0.addressSpace'],
    ['environments.0.addressSpace=banana', 'environments.0.addressSpace'],
    ['network.plugin=flannel', 'network.plugin'],
    ['identity.adminGroupObjectIds=[not-a-guid]', 'identity.adminGroupObjectIds.0'],
    ['teams.0.entraGroupObjectId=1234', 'teams.0.entraGroupObjectId'],
    ['cluster.kubernetesVersion=v1.35', 'cluster.kubernetesVersion'],
    ['cluster.kubernetesVersion=1.35.x', 'cluster.kubernetesVersion'],
    ['environments.0.stopStart.stopTime=25:00', 'environments.0.stopStart.stopTime'],
    ['upgrades.maintenanceWindow.startTime=7pm', 'upgrades.maintenanceWindow.startTime'],
    ['upgrades.maxSurge=lots', 'upgrades.maxSurge'],
    ['organisation=Contoso', 'organisation'],
    ['cluster.privateClustr=true', 'cluster.privateClustr'],
    ['teams.0.name=Team_A', 'teams.0.name'],
  ])('%s', (set, path) => {
    const found = problems([set]);
    const problem = found.find((p) => p.path === path);
    expect(problem, JSON.stringify(found)).toBeDefined();
    expect(problem!.severity).toBe('error');
    expect(problem!.fix.length).toBeGreaterThan(5);
    expect(problem!.value).toBeDefined();
  });

  it('a valid value of the same field passes', () => {
    expect(
      errorsAt([
        'cluster.kubernetesVersion=1.35.2',
        'upgrades.maxSurge=1',
        'teams.0.entraGroupObjectId=5b1d1b3c-8f4e-4a47-9a55-0c1c36f0a7a1',
      ]),
    ).toEqual([]);
  });
});

describe('semantic rules', () => {
  it('a CIDR with host bits set proposes the network address', () => {
    const p = problems(['environments.0.addressSpace=10.1.0.5/16']).find(
      (x) => x.path === 'environments.0.addressSpace',
    );
    expect(p?.message).toMatch(/host bits/);
    expect(p?.fix).toMatch(/10\.1\.0\.0\/16/);
  });

  it('spokes must not overlap each other or the hub', () => {
    expect(errorsAt(['environments.1.addressSpace=10.1.128.0/17'])).toContain('environments.1.addressSpace');
    expect(errorsAt(['network.hub.mode=create', 'network.hub.addressSpace=10.1.0.0/22'])).toContain(
      'environments.0.addressSpace',
    );
    expect(errorsAt(['network.hub.mode=create'])).toEqual([]);
  });

  it('given subnets must lie inside the spoke and not overlap each other', () => {
    expect(errorsAt(['environments.0.subnets.ingress=10.9.0.0/24'])).toContain('environments.0.subnets.ingress');
    expect(errorsAt(['environments.0.subnets.ingress=10.1.0.0/24'])).toEqual([]);
    expect(
      errorsAt(['environments.0.subnets.ingress=10.1.0.0/24', 'environments.0.subnets.nodes=10.1.0.0/22']),
    ).toContain('environments.0.subnets.ingress');
  });

  it('a spoke too small for its subnets says which ones do not fit', () => {
    const p = problems(['environments.0.addressSpace=10.1.0.0/24']).find(
      (x) => x.path === 'environments.0.addressSpace',
    );
    expect(p?.message).toMatch(/no room left for the nodes/);
    expect(errorsAt(['environments.0.addressSpace=10.1.0.0/20'])).toEqual([]);
  });

  it('flat Azure CNI needs a larger node subnet than overlay', () => {
    expect(errorsAt(['environments.0.addressSpace=10.1.0.0/21', 'environments.1.addressSpace=10.2.0.0/21'])).toEqual(
      [],
    );
    expect(
      errorsAt([
        'network.plugin=azure-cni',
        'network.dataplane=azure',
        'network.networkPolicy=azure',
        'environments.0.addressSpace=10.1.0.0/21',
      ]),
    ).toContain('environments.0.addressSpace');
  });

  it('service and pod ranges must stay clear of the VNets, and DNS inside the service range', () => {
    expect(errorsAt(['network.serviceCidr=10.1.0.0/16'])).toContain('network.serviceCidr');
    expect(errorsAt(['network.podCidr=10.2.0.0/16'])).toContain('network.podCidr');
    expect(errorsAt(['network.dnsServiceIp=10.0.0.10'])).toContain('network.dnsServiceIp');
  });

  it('pool minimum may not exceed the maximum, and the system pool never scales to zero', () => {
    expect(errorsAt(['environments.0.userPool.minCount=5', 'environments.0.userPool.maxCount=2'])).toContain(
      'environments.0.userPool.minCount',
    );
    expect(errorsAt(['environments.0.systemPool.minCount=0'])).toContain('environments.0.systemPool.minCount');
    expect(errorsAt(['environments.0.userPool.minCount=2', 'environments.0.userPool.maxCount=2'])).toEqual([]);
  });

  it('derived names that break Azure rules are refused at the answer that made them', () => {
    const p = problems(['platform=platformname', 'environments.0.name=develop1']).find(
      (x) => x.path === 'environments.0.name',
    );
    expect(p?.message).toMatch(/Key Vault name/);
    expect(errorsAt(['platform=ops', 'environments.0.name=develop1'])).toEqual([]);
  });

  it('a maintenance window outside the hours a stop/start environment runs is refused, with a window that fits', () => {
    const sunday = ['upgrades.maintenanceWindow.dayOfWeek=Sunday', 'upgrades.maintenanceWindow.startTime=02:00'];
    const found = problems(sunday).filter((p) => p.path === 'upgrades.maintenanceWindow');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', value: 'Sunday 02:00 UTC+00:00 for 4 hours' });
    expect(found[0]!.message).toMatch(/environments\.0 \(dev\) runs \(Monday, .* 07:00-19:00 Europe\/Amsterdam\)/);
    // The fix's window passes.
    const fix = [...found[0]!.fix.matchAll(/--set ([^\s,]+)/g)].map((m) => m[1]!);
    expect(fix).toHaveLength(2);
    expect(errorsAt(fix)).toEqual([]);
    // A weekday window at night is as bad as the weekend; an hour past the stop time too, in summer or winter.
    expect(errorsAt(['upgrades.maintenanceWindow.startTime=02:00'])).toContain('upgrades.maintenanceWindow');
    expect(errorsAt(['upgrades.maintenanceWindow.startTime=15:00'])).toContain('upgrades.maintenanceWindow');
    expect(errorsAt(['upgrades.maintenanceWindow.startTime=13:00'])).toEqual([]);
    // Adding the window's day and hours to the schedule, or using no window at all, is fine.
    expect(
      errorsAt([
        ...sunday,
        'environments.0.stopStart.days=[Sunday]',
        'environments.0.stopStart.startTime=01:00',
        'environments.0.stopStart.stopTime=23:00',
      ]),
    ).toEqual([]);
    expect(
      errorsAt([...sunday, 'upgrades.autoUpgradeChannel=none', 'upgrades.nodeOsUpgradeChannel=Unmanaged']),
    ).toEqual([]);
    expect(errorsAt([...sunday, 'environments.0.stopStart.enabled=false'])).toEqual([]);
  });

  it('a Kured window outside the hours a stop/start environment runs is refused, with a window that fits', () => {
    const unmanaged = ['upgrades.nodeOsUpgradeChannel=Unmanaged'];
    // The defaults fit the default stop/start schedule (working days 07:00-19:00 Europe/Amsterdam).
    expect(errorsAt(unmanaged)).toEqual([]);
    // The old default, every night 01:00-05:00 UTC: dev is always stopped then, so its nodes never reboot.
    const night = [...unmanaged, 'upgrades.kured.startTime=01:00', 'upgrades.kured.endTime=05:00'];
    const found = problems(night).filter((p) => p.path === 'upgrades.kured');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      value: 'Monday, Tuesday, Wednesday, Thursday, Friday 01:00-05:00 UTC',
    });
    expect(found[0]!.message).toMatch(/environments\.0 \(dev\) runs \(Monday, .* 07:00-19:00 Europe\/Amsterdam\)/);
    const fix = [...found[0]!.fix.matchAll(/--set ([^\s,]+)/g)].map((m) => m[1]!);
    expect(fix).toEqual(['upgrades.kured.startTime=06:00', 'upgrades.kured.endTime=10:00']);
    expect(errorsAt([...night, ...fix])).toEqual([]);
    // Days the cluster is stopped are unused, not wrong: one whole window a week while it runs is enough.
    expect(errorsAt([...unmanaged, 'upgrades.kured.rebootDays=[Saturday,Sunday]'])).toContain('upgrades.kured');
    expect(errorsAt([...unmanaged, 'upgrades.kured.rebootDays=[Saturday,Sunday,Wednesday]'])).toEqual([]);
    // Past the stop time in summer (19:00 CEST is 17:00 UTC), though not in winter (18:00 UTC).
    expect(errorsAt([...unmanaged, 'upgrades.kured.startTime=14:00', 'upgrades.kured.endTime=18:00'])).toContain(
      'upgrades.kured',
    );
    // In the schedule's own zone both clocks move together: exactly the running hours fit.
    expect(
      errorsAt([
        ...unmanaged,
        'upgrades.kured.timeZone=Europe/Amsterdam',
        'upgrades.kured.startTime=07:00',
        'upgrades.kured.endTime=19:00',
      ]),
    ).toEqual([]);
    // Without Kured or without a stop/start environment there is nothing to check.
    expect(errorsAt([...night.slice(1), 'upgrades.nodeOsUpgradeChannel=NodeImage'])).toEqual([]);
    expect(errorsAt([...night, 'environments.0.stopStart.enabled=false'])).toEqual([]);
    // Kured's window ends on the day it starts: one that ends before it starts never opens.
    expect(errorsAt([...unmanaged, 'upgrades.kured.startTime=22:00', 'upgrades.kured.endTime=06:00'])).toEqual([
      'upgrades.kured.endTime',
    ]);
  });

  it('time zones must be IANA names', () => {
    expect(errorsAt(['environments.0.stopStart.timeZone=Mars/Olympus'])).toContain('environments.0.stopStart.timeZone');
    // Working hours in New York start after the default window (09:00 UTC), so the window moves with them.
    expect(
      errorsAt([
        'environments.0.stopStart.timeZone=America/New_York',
        'upgrades.kured.timeZone=UTC',
        'upgrades.maintenanceWindow.startTime=14:00',
      ]),
    ).toEqual([]);
  });

  it.each([
    [
      [
        'identity.podIdentity=aad-pod-identity',
        'network.plugin=kubenet',
        'network.dataplane=azure',
        'network.networkPolicy=calico',
      ],
      'identity.podIdentity',
    ],
    [['identity.entraId=false', 'identity.disableLocalAccounts=false'], 'identity.authorization'],
    [['identity.entraId=false', 'identity.authorization=kubernetes-rbac'], 'identity.disableLocalAccounts'],
    [['network.plugin=kubenet'], 'network.dataplane'],
    [['network.plugin=kubenet', 'network.dataplane=azure', 'network.networkPolicy=azure'], 'network.networkPolicy'],
    [['network.dataplane=cilium', 'network.networkPolicy=calico'], 'network.networkPolicy'],
    [['network.egress=firewall'], 'network.egress'],
    [['network.hub.mode=existing'], 'network.hub.vnetResourceId'],
    [
      [
        'network.hub.mode=existing',
        'network.hub.vnetResourceId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub',
        'network.egress=firewall',
      ],
      'network.hub.firewallPrivateIp',
    ],
    [['observability.stack=oss'], 'observability.managedPrometheus'],
    [
      ['upgrades.autoUpgradeChannel=node-image', 'upgrades.nodeOsUpgradeChannel=SecurityPatch'],
      'upgrades.nodeOsUpgradeChannel',
    ],
    [['secrets.keyVaultCsi=false'], 'teams.0.keyVaultSecrets'],
  ])('incompatible combination %j is refused at %s', (sets, path) => {
    expect(errorsAt(sets)).toContain(path);
  });

  it('the compatible variants of those combinations pass', () => {
    expect(errorsAt(['identity.podIdentity=aad-pod-identity'])).toEqual([]);
    expect(errorsAt(['network.plugin=kubenet', 'network.dataplane=azure', 'network.networkPolicy=calico'])).toEqual([]);
    expect(errorsAt(['network.hub.mode=create', 'network.egress=firewall'])).toEqual([]);
    expect(
      errorsAt([
        'observability.stack=oss',
        'observability.managedPrometheus=false',
        'observability.managedGrafana=false',
      ]),
    ).toEqual([]);
  });

  it('deprecated and risky choices are warnings, not errors', () => {
    const found = problems(['identity.podIdentity=aad-pod-identity', 'environments.1.stopStart.enabled=true']);
    expect(found.filter((p) => p.severity === 'warning').map((p) => p.path)).toEqual(
      expect.arrayContaining(['identity.podIdentity', 'environments.1.stopStart.enabled']),
    );
    expect(found.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('reports every problem at once', () => {
    const found = errorsAt([
      'network.plugin=flannel',
      'cluster.privateClustr=true',
      'environments.0.userPool.minCount=9',
      'network.dnsServiceIp=10.0.0.10',
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        'network.plugin',
        'cluster.privateClustr',
        'environments.0.userPool.minCount',
        'network.dnsServiceIp',
      ]),
    );
  });
});

describe('a public API server and the pods per node (PSRule for Azure)', () => {
  const raw = (sets: string[], preset?: string) => validateAnswers(composeAnswers({ preset, sets })).problems;

  it('the starter preset refuses to expose a production API server without authorized ranges, naming the answer', () => {
    const [problem, ...rest] = raw([], 'starter');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ path: 'cluster.authorizedIpRanges', severity: 'error', value: [] });
    expect(problem!.message).toContain('production environment(s) prod');
    expect(problem!.fix).toContain('cluster.authorizedIpRanges');
    expect(raw(['cluster.authorizedIpRanges=[203.0.113.0/24]'], 'starter')).toEqual([]);
  });

  it('without production, missing ranges are a warning; with a private API server, ranges are refused', () => {
    const warned = raw(['cluster.privateCluster=false', 'environments.1.production=false']);
    expect(warned.map((p) => [p.path, p.severity])).toEqual([['cluster.authorizedIpRanges', 'warning']]);
    expect(errorsAt(['cluster.authorizedIpRanges=[203.0.113.0/24]'])).toEqual(['cluster.authorizedIpRanges']);
  });

  it('flat Azure CNI: the node subnet must hold every node at its maximum and surge, 51 addresses each', () => {
    const flat = ['network.plugin=azure-cni', 'network.dataplane=azure', 'network.networkPolicy=azure'];
    expect(errorsAt(flat)).toEqual([]);
    // A /24 has 251 usable addresses; prod's 3 system + 6 user nodes plus 1 + 2 surge need 12 x 51 = 612.
    const small = [...flat, 'environments.1.subnets.nodes=10.2.0.0/24'];
    const problem = problems(small).find((p) => p.path === 'environments.1.subnets.nodes')!;
    expect(problem.severity).toBe('error');
    expect(problem.message).toContain('has 251 usable addresses, but flat Azure CNI needs 612');
    // Overlay pods take no subnet addresses, so the same /24 is enough.
    expect(errorsAt(['environments.1.subnets.nodes=10.2.0.0/24'])).toEqual([]);
  });
});

describe('node pools: OS disks and pods per node', () => {
  const at = (sets: string[], path: string) => problems(sets).filter((p) => p.path === path);

  it('the plan gives each VM size the OS disk its cache or temp disk holds (src/azure/vm-sizes.ts)', () => {
    expect(planOsDisk('Standard_D4ds_v5', 'auto', undefined)).toMatchObject({ type: 'Ephemeral', sizeGB: 128 });
    // 75 GiB temp disk: the 128 GiB default does not fit, aks-baseline's 64 GiB does.
    expect(planOsDisk('Standard_D2ds_v5', 'auto', undefined)).toMatchObject({ type: 'Ephemeral', sizeGB: 64 });
    // DS2_v2 holds it in its 86 GiB cache.
    expect(planOsDisk('Standard_DS2_v2', 'auto', undefined)).toMatchObject({ type: 'Ephemeral', sizeGB: 64 });
    expect(planOsDisk('Standard_D4s_v5', 'auto', undefined)).toMatchObject({ type: 'Managed', sizeGB: 128 });
    expect(planOsDisk('Standard_D4ds_v5', 'auto', 200).type).toBe('Managed');
    expect(planOsDisk('Standard_X9_v9', 'auto', undefined).fallback).toContain('does not know');
    expect(planOsDisk('Standard_X9_v9', 'Ephemeral', 64)).toMatchObject({ type: 'Ephemeral', sizeGB: 64 });
    expect(planOsDisk('Standard_D4ds_v5', 'Managed', undefined).type).toBe('Managed');
  });

  it('an explicit Ephemeral OS disk that the size cannot hold is refused, naming the field, the value and the fix', () => {
    const [noDisk] = at(
      ['environments.0.userPool.vmSize=Standard_D4s_v5', 'environments.0.userPool.osDiskType=Ephemeral'],
      'environments.0.userPool.vmSize',
    );
    expect(noDisk).toMatchObject({ severity: 'error', value: 'Standard_D4s_v5' });
    expect(noDisk!.fix).toContain('osDiskType=Managed');
    const [tooBig] = at(
      ['environments.0.userPool.osDiskType=Ephemeral', 'environments.0.userPool.osDiskSizeGB=200'],
      'environments.0.userPool.osDiskSizeGB',
    );
    expect(tooBig).toMatchObject({ severity: 'error', value: 200 });
    expect(tooBig!.message).toContain('holds 150 GiB');
    expect(
      errorsAt(['environments.0.userPool.osDiskType=Ephemeral', 'environments.0.userPool.osDiskSizeGB=150']),
    ).toEqual([]);
  });

  it('auto falls back to a managed OS disk with a warning where the size cannot hold it', () => {
    const [warning, ...rest] = at(
      ['environments.1.systemPool.vmSize=Standard_D4s_v5'],
      'environments.1.systemPool.osDiskType',
    );
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ severity: 'warning', value: 'auto' });
    expect(warning!.message).toContain('managed OS disk');
    expect(at([], 'environments.1.systemPool.osDiskType')).toEqual([]);
  });

  it("flat Azure CNI sizes the node subnet with each pool's own maxPods", () => {
    const flat = ['network.plugin=azure-cni', 'network.dataplane=azure', 'network.networkPolicy=azure'];
    // A /24 holds 251; prod: (3 + 1 surge) system nodes x 51 + (6 + 2) user nodes x (30 + 1) = 204 + 248 = 452.
    const small = [...flat, 'environments.1.subnets.nodes=10.2.0.0/24', 'environments.1.userPool.maxPods=30'];
    const [problem] = at(small, 'environments.1.subnets.nodes');
    expect(problem!.message).toContain('flat Azure CNI needs 452');
    expect(problem!.message).toContain('system 50, user 30');
    // At 10 pods per node the same 12 nodes need 12 x 11 = 132 addresses: the /24 holds them.
    expect(
      errorsAt([
        ...flat,
        'environments.1.subnets.nodes=10.2.0.0/24',
        'environments.1.systemPool.maxPods=10',
        'environments.1.userPool.maxPods=10',
      ]),
    ).toEqual([]);
  });

  it('overlay: the node subnet must still hold one address per node at the maximum and surge', () => {
    // A /28 has 11 usable addresses; prod needs 3 + 1 + 6 + 2 = 12 nodes.
    const [problem] = at(['environments.1.subnets.nodes=10.2.200.0/28'], 'environments.1.subnets.nodes');
    expect(problem).toMatchObject({ severity: 'error', value: '10.2.200.0/28' });
    expect(problem!.message).toContain('has 11 usable addresses, but the pools need 12');
    expect(errorsAt(['environments.1.subnets.nodes=10.2.200.0/27'])).toEqual([]);
  });
});

describe('hub-owned private DNS zones', () => {
  const ZONES =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones';

  it('takes the zone each service registers in, and an AKS subzone', () => {
    expect(
      errorsAt([
        `network.privateDnsZones.keyVault=${ZONES}/privatelink.vaultcore.azure.net`,
        `network.privateDnsZones.aksApiServer=${ZONES}/contoso.privatelink.westeurope.azmk8s.io`,
        `network.privateDnsZones.eventHubs=${ZONES}/privatelink.servicebus.windows.net`,
      ]),
    ).toEqual([]);
  });

  it('refuses a zone of another service or region, and a value that is no zone resource ID, naming field, value and fix', () => {
    const wrong = `${ZONES}/privatelink.azurecr.io`;
    const [problem, ...rest] = problems([`network.privateDnsZones.keyVault=${wrong}`]);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ path: 'network.privateDnsZones.keyVault', value: wrong, severity: 'error' });
    expect(problem!.message).toContain('registers in privatelink.vaultcore.azure.net');
    expect(problem!.fix).toContain('leave network.privateDnsZones.keyVault out');
    expect(errorsAt([`network.privateDnsZones.aksApiServer=${ZONES}/privatelink.northeurope.azmk8s.io`])).toEqual([
      'network.privateDnsZones.aksApiServer',
    ]);
    const [format] = problems(['network.privateDnsZones.eventHubs=privatelink.servicebus.windows.net']);
    expect(format).toMatchObject({ path: 'network.privateDnsZones.eventHubs', severity: 'error' });
    expect(format!.fix).toContain('use a private DNS zone resource ID: /subscriptions/<guid>');
  });
});

describe('questions follow the answers given so far', () => {
  const askedFor = async (input: Record<string, unknown>) => {
    const asked: string[] = [];
    await promptForMissing(composeAnswers({ base: input as never }), {
      ask: async (q) => {
        asked.push(q.path);
        return q.default ?? (q.type === 'input' ? '' : undefined);
      },
    });
    return asked;
  };

  it('asks for the hub-owned private DNS zones only with an existing hub, and an empty answer leaves the zone to the environment', async () => {
    const existing = await askedFor({ network: { hub: { mode: 'existing' } } });
    for (const zone of ['aksApiServer', 'keyVault', 'containerRegistry', 'eventHubs', 'blob'])
      expect(existing).toContain(`network.privateDnsZones.${zone}`);
    expect((await askedFor({})).filter((path) => path.includes('privateDnsZones'))).toEqual([]);
    const answered = await promptForMissing(
      composeAnswers({ base: { network: { hub: { mode: 'existing' } } } as never }),
      {
        ask: async (q) => q.default ?? (q.type === 'input' ? '' : undefined),
      },
    );
    expect(getAtPath(answered, ['network', 'privateDnsZones'])).toBeUndefined();
  });

  it("asks for Alertmanager's mail server only with the oss stack, someone to notify and no hub firewall", async () => {
    const smtp = (asked: string[]) => asked.filter((path) => path.startsWith('observability.smtp.'));
    const oss = { observability: { stack: 'oss', alertEmails: ['oncall@contoso.com'] } };
    expect(smtp(await askedFor(oss))).toEqual([
      'observability.smtp.smarthost',
      'observability.smtp.from',
      'observability.smtp.username',
    ]);
    expect(smtp(await askedFor({ observability: { stack: 'oss' } }))).toEqual([]);
    expect(smtp(await askedFor({ observability: { alertEmails: ['oncall@contoso.com'] } }))).toEqual([]);
    expect(smtp(await askedFor({ ...oss, network: { egress: 'firewall' } }))).toEqual([]);
  });

  it('asks whether the repository is private only once it has an owner', async () => {
    expect(await askedFor({ delivery: { github: { owner: 'contoso' } } })).toContain('delivery.github.private');
    expect(await askedFor({})).not.toContain('delivery.github.private');
  });
});

describe('guardrails: policy and alerting answers', () => {
  it('the restricted standard is refused while a team mounts Key Vault through CSI, naming the field, value and fix', () => {
    const refused = problems(['cluster.podSecurityStandard=restricted']);
    expect(refused).toEqual([
      expect.objectContaining({
        path: 'cluster.podSecurityStandard',
        value: 'restricted',
        severity: 'error',
        message: expect.stringContaining('team-a mount Key Vault secrets through the Secrets Store CSI driver'),
        fix: expect.stringContaining('use baseline'),
      }),
    ]);
    expect(errorsAt(['cluster.podSecurityStandard=restricted', 'teams.0.keyVaultSecrets=[]'])).toEqual([]);
    // Without the CSI driver nothing is mounted: the existing keyVaultSecrets error says so, not this one.
    expect(errorsAt(['cluster.podSecurityStandard=restricted', 'secrets.keyVaultCsi=false'])).not.toContain(
      'cluster.podSecurityStandard',
    );
  });

  it('policy answers without the Azure Policy add-on are warned about, not silently ignored', () => {
    const warned = problems([
      'cluster.azurePolicy=false',
      'cluster.podSecurityStandard=restricted',
      'cluster.allowedRegistries=[ghcr.io/contoso]',
    ]);
    expect(warned.map((p) => [p.path, p.severity])).toEqual([
      ['cluster.podSecurityStandard', 'warning'],
      ['cluster.allowedRegistries', 'warning'],
    ]);
  });

  it("Alertmanager's mail server: complete, reachable without the hub firewall, its password from Key Vault", () => {
    const mail = [
      'observability.alertEmails=[oncall@contoso.com]',
      'observability.smtp.smarthost=smtp.contoso.com:587',
      'observability.smtp.from=aks-alerts@contoso.com',
    ];
    expect(problems(mail, 'multicloud')).toEqual([]);
    expect(problems([...mail, 'observability.smtp.username=aks-alerts@contoso.com'], 'multicloud')).toEqual([]);
    expect(errorsAt(['observability.smtp.smarthost=smtp.contoso.com'], 'multicloud')).toEqual([
      'observability.smtp.smarthost',
    ]);
    expect(errorsAt([mail[0]!, mail[2]!], 'multicloud')).toEqual(['observability.smtp.smarthost']);
    expect(errorsAt([mail[0]!, mail[1]!], 'multicloud')).toEqual(['observability.smtp.from']);
    expect(problems([...mail, 'network.egress=firewall', 'network.hub.mode=create'], 'multicloud')).toEqual([
      expect.objectContaining({
        path: 'observability.smtp.smarthost',
        value: 'smtp.contoso.com:587',
        severity: 'error',
        message: expect.stringContaining('application rules carry HTTP, HTTPS and SQL only'),
        fix: expect.stringContaining('choose network.egress loadBalancer or natGateway'),
      }),
    ]);
    expect(
      problems(
        [...mail, 'observability.smtp.username=aks', 'identity.podIdentity=aad-pod-identity'],
        'multicloud',
      ).filter((p) => p.severity === 'error'),
    ).toEqual([
      expect.objectContaining({
        path: 'observability.smtp.username',
        severity: 'error',
        fix: expect.stringContaining('identity.podIdentity=workload-identity'),
      }),
    ]);
    // Answers the stack does not use are warned about, not silently dropped.
    expect(problems(mail).map((p) => [p.path, p.severity])).toEqual([['observability.smtp.smarthost', 'warning']]);
  });

  it('alert addresses and registries are checked one by one', () => {
    expect(errorsAt(['observability.alertEmails=[oncall@contoso.com, not-an-address]'])).toEqual([
      'observability.alertEmails.1',
    ]);
    expect(errorsAt(['cluster.allowedRegistries=[ghcr.io/contoso, https://ghcr.io]'])).toEqual([
      'cluster.allowedRegistries.1',
    ]);
  });
});
