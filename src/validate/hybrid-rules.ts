import { field, readParameters, stringsOf, type Located, type Node } from './bicep-values.js';
import type { Files, Finding } from './finding.js';

// Rules over the clusters the platform does not create (Arc-enabled, declared per environment in its parameter
// file) and the fleet that updates the ones it does (infra/fleet.bicepparam).

interface EnvironmentParams {
  file: string;
  environment: string;
  params: Map<string, Node>;
}

/** The environment deployments: parameter files of main.bicep. */
export function environmentParameterFiles(files: Files): EnvironmentParams[] {
  return [...files]
    .filter(([path]) => /^infra\/[^/]+\.bicepparam$/.test(path))
    .flatMap(([file, text]) => {
      const parsed = readParameters(text);
      if (parsed?.using !== 'main.bicep') return [];
      return [{ file, environment: file.slice('infra/'.length, -'.bicepparam'.length), params: parsed.params }];
    });
}

/** Every Arc-enabled cluster the environments declare, with the file and line that declares it. */
export function arcClusters(files: Files): { name: Located<string>; file: string; environment: string }[] {
  return environmentParameterFiles(files).flatMap((env) =>
    stringsOf(env.params.get('arcClusters'), 'name').map((name) => ({
      name,
      file: env.file,
      environment: env.environment,
    })),
  );
}

function lineOfText(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index).split('\n').length : undefined;
}

/** Every Arc cluster has a GitOps entry point and, when the AKS clusters get one, a Flux configuration. */
function arcEntryPoints(files: Files): Finding[] {
  const findings: Finding[] = [];
  const clusters = arcClusters(files);
  if (clusters.length === 0) return findings;
  for (const { name, file } of clusters) {
    if (!files.has(`clusters/${name.value}/kustomization.yaml`)) {
      findings.push({
        rule: 'arc-entry-point',
        severity: 'error',
        file,
        line: name.line,
        message: `Arc cluster ${name.value} has no entry point clusters/${name.value}/kustomization.yaml, so its Flux configuration has nothing to apply`,
        fix: `add clusters/${name.value}/ (the entry points of its environment), or remove the cluster from arcClusters`,
      });
    }
  }
  // The AKS clusters reconcile this repository: the Arc clusters must too, each at its own entry point.
  if (!files.has('infra/modules/flux.bicep')) return findings;
  const main = files.get('infra/main.bicep') ?? '';
  const module = files.get('infra/modules/arc-cluster.bicep') ?? '';
  const call = lineOfText(main, /^module \w+ 'modules\/arc-cluster\.bicep'/m);
  const configured =
    /'Microsoft\.KubernetesConfiguration\/fluxConfigurations@/.test(module) &&
    /^\s*path:\s*clusterPath\s*$/m.test(module) &&
    /clusterPath:\s*'\.\/clusters\/\$\{arc\.name\}'/.test(main);
  if (!configured) {
    findings.push({
      rule: 'arc-entry-point',
      severity: 'error',
      file: call === undefined ? 'infra/main.bicep' : 'infra/main.bicep',
      line: call ?? 1,
      message: `the Arc clusters ${clusters.map((c) => c.name.value).join(', ')} get no Flux configuration pointing at ./clusters/<name>, so nothing reconciles them`,
      fix: "deploy modules/arc-cluster.bicep for each of arcClusters with clusterPath './clusters/${arc.name}' and its fluxConfiguration (regenerate to restore it)",
    });
  }
  return findings;
}

/** With a fleet, every AKS cluster of the environments is a member, and every member group in exactly one stage. */
function fleet(files: Files): Finding[] {
  const file = 'infra/fleet.bicepparam';
  const text = files.get(file);
  if (text === undefined) return [];
  const parsed = readParameters(text);
  if (!parsed) return [];
  const findings: Finding[] = [];
  const membersNode = parsed.params.get('members');
  const members = stringsOf(membersNode, 'clusterName');
  const memberLine = lineOfText(text, /^param members\b/m) ?? 1;
  for (const env of environmentParameterFiles(files)) {
    const cluster = field(env.params.get('names'), 'cluster');
    if (cluster?.kind !== 'scalar' || typeof cluster.value !== 'string') continue;
    if (!members.some((m) => m.value === cluster.value)) {
      findings.push({
        rule: 'fleet-members',
        severity: 'error',
        file,
        line: memberLine,
        message: `the AKS cluster ${cluster.value} of ${env.environment} (${env.file}:${cluster.line}) is not a fleet member, so fleet update runs would never upgrade it`,
        fix: `add { name: '${env.environment}', group: '${env.environment}', resourceGroup: ..., clusterName: '${cluster.value}' } to param members`,
      });
    }
  }
  const groups = stringsOf(membersNode, 'group');
  const stagesNode = parsed.params.get('stages');
  const stageLine = lineOfText(text, /^param stages\b/m) ?? 1;
  const staged = new Map<string, Located<string>>();
  if (stagesNode?.kind === 'array') {
    for (const stage of stagesNode.items) {
      for (const group of stringsOf(field(stage, 'groups'), 'name')) {
        const earlier = staged.get(group.value);
        if (earlier) {
          findings.push({
            rule: 'fleet-stages',
            severity: 'error',
            file,
            line: group.line,
            message: `update group ${group.value} is in two stages (also line ${earlier.line}), so its clusters would update twice per run`,
            fix: `keep ${group.value} in one stage only`,
          });
        } else staged.set(group.value, group);
        if (!groups.some((g) => g.value === group.value)) {
          findings.push({
            rule: 'fleet-stages',
            severity: 'error',
            file,
            line: group.line,
            message: `update group ${group.value} has no member, so the stage would update nothing`,
            fix: `remove ${group.value} from the stage, or give a member that group`,
          });
        }
      }
    }
  }
  for (const group of groups) {
    if (!staged.has(group.value)) {
      findings.push({
        rule: 'fleet-stages',
        severity: 'error',
        file,
        line: stageLine,
        message: `update group ${group.value} (line ${group.line}) is in no stage, so a staged update run would never update its clusters`,
        fix: `add { name: '${group.value}' } to the groups of one stage`,
      });
    }
  }
  return findings;
}

export function checkHybridConsistency(files: Files): Finding[] {
  return [...arcEntryPoints(files), ...fleet(files)];
}
