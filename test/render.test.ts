import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRESET_NAMES } from '../src/answers/presets.js';
import { answersJsonSchema } from '../src/answers/schema.js';
import { packageRoot } from '../src/paths.js';
import { renderPlatform, type OutputArea } from '../src/render/index.js';
import { render } from './support/generate.js';
import { hardeningRows, unprovenRows } from '../src/plan/hardening.js';
import { HUB_ZONE_SETS, pairwiseScenarios } from './support/bicep.js';

describe('render', () => {
  it.each([undefined, ...PRESET_NAMES])('is deterministic for %s', (preset) => {
    const a = render(preset).files;
    const b = render(preset).files;
    expect([...a.entries()]).toEqual([...b.entries()]);
  });

  it('re-rendering from the stored .yo-rc.json reproduces every file byte for byte', () => {
    const first = render('enterprise', ['delivery.github.owner=contoso']).files;
    const stored = JSON.parse(first.get('.yo-rc.json')!)['generator-aks-platform'];
    expect(stored.preset).toBe('enterprise');
    const again = render(stored.preset, [], stored.answers).files;
    expect([...again.entries()]).toEqual([...first.entries()]);
  });

  it('emits no timestamps, random IDs or placeholders', () => {
    for (const preset of [undefined, ...PRESET_NAMES]) {
      for (const [path, content] of render(preset).files) {
        expect(content, path).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:/);
        expect(content, path).not.toMatch(/TODO|FIXME|CHANGEME|<your-|xxxxxxxx/i);
      }
    }
  });

  it('writes one decision record per design topic, each naming its choice', () => {
    const files = render('enterprise').files;
    const records = [...files.keys()].filter((p) => p.startsWith('docs/decisions/'));
    expect(records.length).toBeGreaterThanOrEqual(11);
    expect(records).toContain('docs/decisions/0003-network-plugin.md');
    expect(files.get('docs/decisions/0003-network-plugin.md')).toContain('**Azure CNI Overlay.**');
    expect(
      render(undefined, [
        'network.plugin=kubenet',
        'network.dataplane=azure',
        'network.networkPolicy=calico',
      ]).files.get('docs/decisions/0003-network-plugin.md'),
    ).toContain('**Kubenet.**');
    expect(files.get('docs/decisions/0005-workload-identity.md')).toMatch(/### AAD Pod Identity \(deprecated\)/);
  });

  it('the README diagram is derived from the plan', () => {
    const readme = render('enterprise').files.get('README.md')!;
    expect(readme).toContain('```mermaid\nflowchart LR');
    expect(readme).toContain('AzureFirewallSubnet<br/>10.0.0.0/26');
    expect(readme).toContain('snet-nodes<br/>10.2.0.0/22');
    expect(readme).toContain('-.->|0.0.0.0/0| hub_AzureFirewallSubnet');
    const starter = render('starter').files.get('README.md')!;
    expect(starter).not.toContain('peering');
    expect(starter).toContain('spot: Standard_D4ds_v5 0-5 spot');
  });

  it('the README lists what was left out, and nothing when all answers are there', () => {
    expect(render().files.get('README.md')).toContain('## Not configured yet');
    const complete = render(undefined, [
      'delivery.github.owner=contoso',
      'identity.adminGroupObjectIds=[5b1d1b3c-8f4e-4a47-9a55-0c1c36f0a7a1]',
      'observability.alertEmails=[platform-oncall@contoso.com]',
      'teams=[]',
    ]).files.get('README.md')!;
    expect(complete).not.toContain('## Not configured yet');
  });

  it('refuses two areas emitting the same path, or a path outside the repository', () => {
    const plan = render().plan;
    const a: OutputArea = {
      name: 'a',
      *render() {
        yield ['x.md', 'a'];
      },
    };
    const b: OutputArea = {
      name: 'b',
      *render() {
        yield ['x.md', 'b'];
      },
    };
    const escape: OutputArea = {
      name: 'c',
      *render() {
        yield ['../x.md', 'c'];
      },
    };
    expect(() => renderPlatform(plan, [a, b])).toThrow(/both emit x.md/);
    expect(() => renderPlatform(plan, [escape])).toThrow(/outside the repository/);
  });

  it('the shipped JSON Schema file is the one the schema produces', () => {
    const shipped = JSON.parse(readFileSync(join(packageRoot, 'schema/answers.schema.json'), 'utf8'));
    expect(shipped).toEqual(answersJsonSchema());
    expect(shipped.properties.network.properties.plugin.enum).toEqual(['azure-cni-overlay', 'azure-cni', 'kubenet']);
  });
});

describe('docs/hardening.md', () => {
  const scenarios: [string | undefined, string[]][] = [
    ...PRESET_NAMES.map((preset): [string, string[]] => [preset, []]),
    ...pairwiseScenarios().map((s): [string | undefined, string[]] => [s.preset, s.sets]),
  ];

  it('lists each setting with the file that carries it, and that file contains it, for every preset and pairwise scenario', () => {
    for (const [preset, sets] of scenarios) {
      const { plan, files } = render(preset, sets);
      const rows = hardeningRows(plan);
      expect(rows.length, preset).toBeGreaterThan(15);
      const doc = files.get('docs/hardening.md')!;
      for (const row of rows) {
        expect(files.get(row.file), `${preset} ${row.setting}: ${row.file}`).toContain(row.evidence);
        expect(doc, row.setting).toContain(`| ${row.setting} | ${row.value} |`);
        expect(doc).toContain(`[\`${row.file}\`](../${row.file})`);
      }
    }
  });

  it('follows the plan: ephemeral disks, private API server, Event Hubs and hub-owned zones show as they were decided', () => {
    const enterprise = render('enterprise');
    const doc = enterprise.files.get('docs/hardening.md')!;
    expect(doc).toContain('| Private API server | enablePrivateCluster: true |');
    expect(doc).toMatch(
      /\| Ephemeral OS disks \(prod\) \| 2 of 2 pools \(system: Ephemeral 128 GiB, user: Ephemeral 128 GiB\) \|/,
    );
    expect(doc).not.toContain('Event Hubs namespace');
    const multicloud = render('multicloud', [...HUB_ZONE_SETS]);
    expect(multicloud.files.get('docs/hardening.md')).toContain(
      '| Private DNS zones | 4 of 4 owned by the landing zone hub |',
    );
    expect(multicloud.files.get('docs/hardening.md')).toContain('| Event Hubs namespace |');
  });

  it('a row whose file lacks its setting is caught (the renderer refuses it)', () => {
    const { plan, files } = render('enterprise');
    const edited = new Map(files);
    edited.set(
      'infra/modules/cluster.bicep',
      files.get('infra/modules/cluster.bicep')!.replace('disableRunCommand: true', ''),
    );
    expect(unprovenRows(hardeningRows(plan), edited).map((r) => r.setting)).toEqual(['Run command']);
  });
});
