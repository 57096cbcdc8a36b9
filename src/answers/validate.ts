import { ARM_TEMPLATE_LIMITS, MAX_TEAMS, PLATFORM_RESOURCES } from '../azure/arm-limits.js';
import { AGC_NETWORK_PLUGINS, AGC_SUBNET } from '../azure/application-gateway-for-containers.js';
import type * as z from 'zod';
import { answersSchema, type Answers } from './schema.js';
import { deleteAtPath, getAtPath, isObject, setAtPath, type JsonObject } from './merge.js';
import {
  AZURE_RESERVED_SUBNET_ADDRESSES,
  deriveHubSubnets,
  maxPodsPerNode,
  nodeSubnetAddresses,
  spokeSubnetsInUse,
  subnetPrefixes,
} from './network.js';
import { ephemeralCapacityGiB, planOsDisk } from '../azure/vm-sizes.js';
import {
  expectedZoneName,
  PRIVATE_DNS_ZONE_ID,
  type PrivateDnsZoneKey,
  zoneNameMatches,
} from '../azure/private-dns-zones.js';
import { checkName, environmentNames, fleetNames, hubNames, NAME_RULES, type DerivedName } from './names.js';
import { defaultFleetStages } from './fleet.js';
import { RESTRICTED_VOLUME_TYPES } from '../azure/policy-definitions.js';
import {
  dailyWindowMeetsRunningHours,
  dailyWindowOpens,
  suggestDailyWindow,
  suggestWindow,
  windowInsideRunningHours,
  type Weekday,
} from './maintenance-window.js';
import { kuredDeployed, maintenanceWindowUsed } from './upgrades.js';
import { applyClusterSku, clusterSkuProblems } from './cluster-sku.js';
import {
  contains,
  containsAddress,
  nonPrivateReason,
  nthAddress,
  overlaps,
  parseCidr,
  type Range,
} from '../util/cidr.js';

/** One thing wrong with the answers: where, what was given, why it is wrong and how to fix it. */
export interface Problem {
  path: string;
  value: unknown;
  message: string;
  fix: string;
  severity: 'error' | 'warning';
}

export type ValidationResult = { ok: true; answers: Answers; problems: Problem[] } | { ok: false; problems: Problem[] };

/** An IANA zone name the runtime knows (Intl lists canonical names only, so UTC and links are tried instead). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `use one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_type':
      return issue.expected === 'string'
        ? 'give text (in YAML, quote values such as "1.30" that would read as numbers)'
        : `give a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `give at least ${String(issue.minimum)} item(s)`
        : `use a value of at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `give at most ${String(issue.maximum)} item(s)`
        : `use a value of at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.message.replace(/^must be /, 'use ');
    case 'custom':
      return (issue.params as { fix?: string } | undefined)?.fix ?? 'see `aks-platform schema` for the expected shape';
    default:
      return 'see `aks-platform schema` for the expected shape';
  }
}

/** One issue per field: zod reports the unknown keys of an object together, people fix them one by one. */
interface FieldIssue {
  issue: z.core.$ZodIssue;
  path: PropertyKey[];
  key?: string;
}

function splitIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ issue, path: [...issue.path, key], key }))
      : [{ issue, path: issue.path }],
  );
}

function fromZod(input: unknown, error: z.ZodError): Problem[] {
  return splitIssues(error).map(({ issue, path, key }) => {
    const message =
      issue.code === 'invalid_format'
        ? 'has the wrong format'
        : issue.code === 'invalid_value'
          ? 'is not one of the allowed values'
          : issue.code === 'unrecognized_keys'
            ? 'is not a known answer'
            : issue.message.replace(/^Invalid input: /, '');
    return {
      path: pathText(path),
      value: getAtPath(input, path as (string | number)[]),
      message,
      fix:
        key === undefined
          ? fixFor(issue)
          : `remove ${key === '__proto__' ? 'the key' : key} or check its spelling against \`aks-platform schema\``,
      severity: 'error' as const,
    };
  });
}

/** Collects problems; rules read like sentences: `problems.error(path, value, message, fix)`. */
class Problems {
  readonly list: Problem[] = [];
  error(path: string, value: unknown, message: string, fix: string): void {
    this.list.push({ path, value, message, fix, severity: 'error' });
  }
  warning(path: string, value: unknown, message: string, fix: string): void {
    this.list.push({ path, value, message, fix, severity: 'warning' });
  }
}

function checkCidr(problems: Problems, path: string, value: string): Range | undefined {
  const parsed = parseCidr(value);
  if ('error' in parsed) {
    problems.error(path, value, parsed.error, parsed.fix);
    return undefined;
  }
  return parsed;
}

/** The pools' maxPods for a sizing message: "system 50, user 50". */
function poolMaxPods(env: Answers['environments'][number], plugin: Answers['network']['plugin']): string {
  const pools = [
    ['system', env.systemPool.maxPods],
    ['user', env.userPool.maxPods],
    ...(env.spotPool.enabled ? [['spot', env.spotPool.maxPods] as const] : []),
  ] as const;
  return pools.map(([name, maxPods]) => `${name} ${maxPods ?? maxPodsPerNode(plugin)}`).join(', ');
}

/**
 * An explicit Ephemeral OS disk must fit the VM size's cache or temp disk (AKS refuses the pool otherwise); under
 * `auto` a size that cannot hold it gets a managed disk, said as a warning. Contract: src/azure/vm-sizes.ts.
 */
function checkOsDisks(problems: Problems, base: string, env: Answers['environments'][number]): void {
  for (const key of ['systemPool', 'userPool'] as const) {
    const pool = env[key];
    const capacity = ephemeralCapacityGiB(pool.vmSize);
    const disk = planOsDisk(pool.vmSize, pool.osDiskType, pool.osDiskSizeGB);
    if (pool.osDiskType === 'Ephemeral' && capacity !== undefined && disk.sizeGB > capacity) {
      const field = capacity === 0 || pool.osDiskSizeGB === undefined ? 'vmSize' : 'osDiskSizeGB';
      problems.error(
        `${base}.${key}.${field}`,
        field === 'vmSize' ? pool.vmSize : pool.osDiskSizeGB,
        capacity === 0
          ? 'has no cache or temp disk, so it cannot hold an ephemeral OS disk'
          : `cannot hold a ${disk.sizeGB} GiB ephemeral OS disk: its cache or temp disk holds ${capacity} GiB`,
        capacity === 0
          ? `choose a size with a local temp disk (a "d" size such as Standard_D4ds_v5), or set ${key}.osDiskType=Managed`
          : `set ${key}.osDiskSizeGB to ${capacity} or less, choose a larger size, or set ${key}.osDiskType=Managed`,
      );
    }
    if (disk.fallback) {
      problems.warning(
        `${base}.${key}.osDiskType`,
        pool.osDiskType,
        `gives this pool a managed OS disk: ${disk.fallback}`,
        `choose a size whose cache or temp disk holds the OS disk (e.g. Standard_D4ds_v5), lower ${key}.osDiskSizeGB, or set ${key}.osDiskType=Managed to accept it`,
      );
    }
  }
}

function checkNetwork(answers: Answers, problems: Problems): void {
  const { network, environments } = answers;
  const named: { path: string; range: Range }[] = [];

  if (network.hub.mode === 'create') {
    const hub = checkCidr(problems, 'network.hub.addressSpace', network.hub.addressSpace);
    if (hub) {
      named.push({ path: 'network.hub.addressSpace', range: hub });
      if (deriveHubSubnets(network.hub.addressSpace).some((s) => !s.range)) {
        problems.error(
          'network.hub.addressSpace',
          network.hub.addressSpace,
          'is too small for the firewall, Bastion and gateway subnets',
          'use a /24 or larger, e.g. 10.0.0.0/22',
        );
      }
    }
  }

  const prefixes = subnetPrefixes(network.plugin);
  environments.forEach((env, i) => {
    const base = `environments.${i}`;
    const space = checkCidr(problems, `${base}.addressSpace`, env.addressSpace);
    for (const [role, cidr] of Object.entries(env.subnets)) {
      if (cidr === undefined) continue;
      const range = checkCidr(problems, `${base}.subnets.${role}`, cidr);
      if (range && space && !contains(space, range)) {
        problems.error(
          `${base}.subnets.${role}`,
          cidr,
          `is not inside the environment address space ${env.addressSpace}`,
          `choose a range within ${env.addressSpace}, or omit it to have it derived`,
        );
      }
    }
    if (env.systemPool.minCount < 1) {
      problems.error(
        `${base}.systemPool.minCount`,
        env.systemPool.minCount,
        'is 0, but a system pool cannot scale to zero',
        'use 1 or more (2 or more in production)',
      );
    }
    for (const pool of ['systemPool', 'userPool', 'spotPool'] as const) {
      if (env[pool].minCount > env[pool].maxCount) {
        problems.error(
          `${base}.${pool}.minCount`,
          env[pool].minCount,
          `is greater than ${pool}.maxCount (${env[pool].maxCount})`,
          `make minCount at most ${env[pool].maxCount}, or raise maxCount`,
        );
      }
    }
    if (env.production && env.systemPool.minCount < 2) {
      problems.warning(
        `${base}.systemPool.minCount`,
        env.systemPool.minCount,
        'leaves a production cluster with a single system node',
        'use 2 or more so CoreDNS and Flux survive a node reboot',
      );
    }
    if (space) {
      for (const other of named) {
        if (overlaps(other.range, space)) {
          problems.error(
            `${base}.addressSpace`,
            env.addressSpace,
            `overlaps ${other.path} (${other.range.cidr}); peered networks need distinct ranges`,
            'give each environment and the hub its own range, e.g. 10.1.0.0/16, 10.2.0.0/16',
          );
        }
      }
      named.push({ path: `${base}.addressSpace`, range: space });

      const subnets = spokeSubnetsInUse(env, answers);
      const unallocated = subnets.filter((s) => !s.range && s.given === undefined);
      if (unallocated.length > 0) {
        problems.error(
          `${base}.addressSpace`,
          env.addressSpace,
          `has no room left for the ${unallocated.map((s) => `${s.role} (/${prefixes[s.role]})`).join(', ')} subnet(s)`,
          'use a larger address space (a /16 fits everything) or give those subnets explicitly',
        );
      }
      const placed = subnets.filter((s): s is typeof s & { range: Range } => s.range !== undefined);
      placed.forEach((a, ai) =>
        placed.slice(ai + 1).forEach((b) => {
          if (overlaps(a.range, b.range)) {
            problems.error(
              `${base}.subnets.${b.role}`,
              b.range.cidr,
              `overlaps the ${a.role} subnet ${a.range.cidr}`,
              'give every subnet its own range inside the address space',
            );
          }
        }),
      );
      const apiServer = placed.find((s) => s.role === 'apiServer');
      if (apiServer && apiServer.range.prefix > 28) {
        problems.error(
          `${base}.subnets.apiServer`,
          apiServer.range.cidr,
          'is smaller than the /28 API server VNet integration needs',
          'use a /28 or larger',
        );
      }
      const nodes = placed.find((s) => s.role === 'nodes');
      if (nodes) {
        const demand = nodeSubnetAddresses(env, network.plugin, answers.upgrades.maxSurge);
        const usable = 2 ** (32 - nodes.range.prefix) - AZURE_RESERVED_SUBNET_ADDRESSES;
        if (demand.addresses > usable) {
          problems.error(
            `${base}.subnets.nodes`,
            nodes.range.cidr,
            network.plugin === 'azure-cni'
              ? `has ${usable} usable addresses, but flat Azure CNI needs ${demand.addresses}: ${demand.nodes} nodes at the pools' maximum and upgrade surge, each reserving itself and its maxPods (${poolMaxPods(env, network.plugin)})`
              : `has ${usable} usable addresses, but the pools need ${demand.addresses}: one per node at the pools' maximum and upgrade surge`,
            network.plugin === 'azure-cni'
              ? "give a larger node subnet (or address space), lower the pools' maxCount or maxPods, or use network.plugin=azure-cni-overlay, whose pods take no subnet addresses"
              : "give a larger node subnet (or address space), or lower the pools' maxCount",
          );
        }
      }
    }
    checkOsDisks(problems, base, env);
    if (env.stopStart.enabled) {
      if (!isTimeZone(env.stopStart.timeZone)) {
        problems.error(
          `${base}.stopStart.timeZone`,
          env.stopStart.timeZone,
          'is not an IANA time zone',
          'use a name such as Europe/Amsterdam or America/New_York',
        );
      }
      if (env.stopStart.startTime === env.stopStart.stopTime) {
        problems.error(
          `${base}.stopStart.stopTime`,
          env.stopStart.stopTime,
          'equals the start time',
          'stop the cluster at a different time than it starts',
        );
      }
      if (env.production) {
        problems.warning(
          `${base}.stopStart.enabled`,
          true,
          'stops a production environment on a schedule',
          'stop only dev/test environments, or mark this environment production: false',
        );
      }
    }
  });

  const seen = new Map<string, number>();
  environments.forEach((env, i) => {
    const earlier = seen.get(env.name);
    if (earlier !== undefined)
      problems.error(
        `environments.${i}.name`,
        env.name,
        `repeats environments.${earlier}.name`,
        'give every environment a distinct name',
      );
    seen.set(env.name, i);
  });

  const pod = checkCidr(problems, 'network.podCidr', network.podCidr);
  const service = checkCidr(problems, 'network.serviceCidr', network.serviceCidr);
  for (const [path, range] of [
    ['network.serviceCidr', service],
    ['network.podCidr', network.plugin === 'azure-cni' ? undefined : pod],
  ] as const) {
    if (!range) continue;
    for (const other of named) {
      if (overlaps(other.range, range)) {
        problems.error(
          path,
          range.cidr,
          `overlaps ${other.path} (${other.range.cidr})`,
          'use a range outside every VNet, e.g. 172.16.0.0/16 for services and 192.168.0.0/16 for pods',
        );
      }
    }
  }
  if (pod && service && network.plugin !== 'azure-cni' && overlaps(pod, service)) {
    problems.error(
      'network.serviceCidr',
      network.serviceCidr,
      `overlaps network.podCidr (${network.podCidr})`,
      'use distinct pod and service ranges',
    );
  }
  if (service && !containsAddress(service, network.dnsServiceIp)) {
    problems.error(
      'network.dnsServiceIp',
      network.dnsServiceIp,
      `is outside network.serviceCidr (${network.serviceCidr})`,
      `use an address inside ${network.serviceCidr}, e.g. its .10`,
    );
  } else if (service && network.dnsServiceIp === nthAddress(service, 0)) {
    problems.error(
      'network.dnsServiceIp',
      network.dnsServiceIp,
      'is the network address of the service CIDR',
      'use an address such as the .10 of the range',
    );
  } else if (service && network.dnsServiceIp === nthAddress(service, 1)) {
    problems.error(
      'network.dnsServiceIp',
      network.dnsServiceIp,
      'is the first address of the service CIDR, which the kubernetes API service takes',
      'use an address such as the .10 of the range',
    );
  } else if (service && network.dnsServiceIp === nthAddress(service, service.last - service.first)) {
    problems.error(
      'network.dnsServiceIp',
      network.dnsServiceIp,
      'is the broadcast (last) address of the service CIDR',
      'use an address such as the .10 of the range',
    );
  }
  const servicePlace = service && nonPrivateReason(service);
  if (servicePlace) {
    problems.error(
      'network.serviceCidr',
      network.serviceCidr,
      servicePlace,
      'use a private range outside every VNet, e.g. 172.16.0.0/16',
    );
  }
}

function checkNames(answers: Answers, problems: Problems): void {
  const check = (path: string, value: unknown, name: DerivedName, fix: string) => {
    const reason = checkName(name);
    if (reason) problems.error(path, value, `derives a ${reason}`, fix);
  };
  answers.environments.forEach((env, i) => {
    const names = environmentNames(answers.platform, answers.organisation, env.name, answers.location);
    for (const name of Object.values(names)) {
      check(`environments.${i}.name`, env.name, name, 'shorten the organisation, platform or environment name');
    }
  });
  if (answers.fleet.enabled) {
    for (const name of Object.values(fleetNames(answers.platform, answers.location))) {
      check('platform', answers.platform, name, 'shorten the platform name');
    }
  }
  if (answers.network.hub.mode === 'create') {
    for (const name of Object.values(hubNames(answers.platform, answers.location))) {
      check('platform', answers.platform, name, 'shorten the platform name');
    }
  }
}

function checkTeams(answers: Answers, problems: Problems): void {
  const seen = new Map<string, number>();
  const reserved = new Set([
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
    'flux-system',
    'gatekeeper-system',
    'monitoring',
    'kured',
    'logging',
    'aad-pod-identity',
  ]);
  if (answers.teams.length > MAX_TEAMS)
    problems.error(
      'teams',
      `${answers.teams.length} teams`,
      `are more than one deployment can hold: each team is one resource of main.bicep, and ARM allows ${ARM_TEMPLATE_LIMITS.resources.value} ${ARM_TEMPLATE_LIMITS.resources.what} (${ARM_TEMPLATE_LIMITS.resources.source}), ${PLATFORM_RESOURCES} of them kept for the platform`,
      `keep at most ${MAX_TEAMS} teams in one platform repository; split the organisation over two platforms (each with its own clusters)`,
    );
  answers.teams.forEach((team, i) => {
    const earlier = seen.get(team.name);
    if (earlier !== undefined)
      problems.error(`teams.${i}.name`, team.name, `repeats teams.${earlier}.name`, 'give every team a distinct name');
    seen.set(team.name, i);
    if (reserved.has(team.name))
      problems.error(
        `teams.${i}.name`,
        team.name,
        'is a namespace the platform itself uses',
        'choose another team name',
      );
    if (team.entraGroupObjectId && !answers.identity.entraId) {
      problems.error(
        `teams.${i}.entraGroupObjectId`,
        team.entraGroupObjectId,
        'grants an Entra group access, but Entra ID integration is off',
        'set identity.entraId to true, or remove the group',
      );
    }
    if (team.keyVaultSecrets.length > 0 && !answers.secrets.keyVaultCsi) {
      problems.error(
        `teams.${i}.keyVaultSecrets`,
        team.keyVaultSecrets,
        'lists Key Vault secrets, but the Secrets Store CSI driver is off',
        'set secrets.keyVaultCsi to true, or remove the secrets',
      );
    }
    if (team.keyVaultSecrets.length > 0 && answers.identity.podIdentity === 'none') {
      problems.error(
        `teams.${i}.keyVaultSecrets`,
        team.keyVaultSecrets,
        'needs a pod identity to read Key Vault, but identity.podIdentity is none',
        'set identity.podIdentity to workload-identity',
      );
    }
    if (team.useSpot && !answers.environments.some((env) => env.spotPool.enabled)) {
      problems.warning(
        `teams.${i}.useSpot`,
        true,
        'asks for spot nodes, but no environment has a spot pool',
        'enable environments.<n>.spotPool.enabled, or the workloads stay pending on spot-only scheduling',
      );
    }
  });
}

function checkHybrid(answers: Answers, problems: Problems): void {
  const environments = answers.environments.map((env) => env.name);
  const known = `one of: ${environments.join(', ')}`;
  const seen = new Map<string, string>(environments.map((name, i) => [name, `environments.${i}.name`]));
  answers.arc.clusters.forEach((arc, i) => {
    const base = `arc.clusters.${i}`;
    const earlier = seen.get(arc.name);
    if (earlier !== undefined)
      problems.error(
        `${base}.name`,
        arc.name,
        `repeats ${earlier}; both would own the GitOps entry point clusters/${arc.name}`,
        'give every Arc cluster a name no environment or other Arc cluster has',
      );
    seen.set(arc.name, `${base}.name`);
    const rule = NAME_RULES.resourceGroup;
    if (!rule.pattern.test(arc.resourceGroup))
      problems.error(
        `${base}.resourceGroup`,
        arc.resourceGroup,
        `breaks the Azure rule: ${rule.rule}`,
        'give the resource group the cluster is connected into',
      );
    if (!environments.includes(arc.environment))
      problems.error(`${base}.environment`, arc.environment, 'names no environment', `use ${known}`);
  });
  if (!answers.fleet.enabled) {
    if (answers.fleet.stages)
      problems.warning(
        'fleet.stages',
        answers.fleet.stages.map((s) => s.name),
        'are ignored while the fleet is off',
        'set fleet.enabled to true, or remove the stages',
      );
    return;
  }
  const stages = answers.fleet.stages ?? defaultFleetStages(answers.environments);
  const covered = new Map<string, string>();
  const stageNames = new Map<string, number>();
  stages.forEach((stage, i) => {
    const earlierStage = stageNames.get(stage.name);
    if (earlierStage !== undefined)
      problems.error(
        `fleet.stages.${i}.name`,
        stage.name,
        `repeats fleet.stages.${earlierStage}.name`,
        'give every stage a distinct name',
      );
    stageNames.set(stage.name, i);
    stage.environments.forEach((env, j) => {
      const path = `fleet.stages.${i}.environments.${j}`;
      if (!environments.includes(env)) problems.error(path, env, 'names no environment', `use ${known}`);
      else if (covered.has(env))
        problems.error(
          path,
          env,
          `is already updated by ${covered.get(env)}`,
          'put every environment in exactly one stage',
        );
      else covered.set(env, path);
    });
  });
  for (const env of environments.filter((name) => !covered.has(name)))
    problems.error(
      'fleet.stages',
      stages.map((s) => s.name),
      `leave environment ${env} out, so its cluster would never be updated`,
      `add ${env} to one stage`,
    );
}

/**
 * A public API server is reachable from the internet unless it names the ranges that may reach it. The ranges are the
 * team's to give (offices, self-hosted runners), so a production environment refuses to go without them and the
 * others are warned. https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
 */
function checkAuthorizedIpRanges(answers: Answers, problems: Problems): void {
  const { cluster, network, environments } = answers;
  const ranges = cluster.authorizedIpRanges;
  if (cluster.privateCluster) {
    if (ranges.length > 0) {
      problems.error(
        'cluster.authorizedIpRanges',
        ranges,
        'is set, but a private API server has no public endpoint to restrict (AKS rejects the combination)',
        'remove cluster.authorizedIpRanges, or set cluster.privateCluster: false',
      );
    }
    return;
  }
  if (ranges.length === 0) {
    const production = environments.filter((env) => env.production).map((env) => env.name);
    const fix =
      'give the public CIDRs that may reach the API server, e.g. --set \'cluster.authorizedIpRanges=["203.0.113.0/24"]\' with your own ranges, or set cluster.privateCluster: true';
    if (production.length > 0) {
      problems.error(
        'cluster.authorizedIpRanges',
        ranges,
        `is empty, so the public API server of production environment(s) ${production.join(', ')} would accept connections from any address`,
        fix,
      );
    } else {
      problems.warning(
        'cluster.authorizedIpRanges',
        ranges,
        'is empty, so the public API server accepts connections from any address (Entra ID sign-in still applies)',
        fix,
      );
    }
    return;
  }
  if (network.egress === 'firewall' && network.hub.mode === 'existing') {
    problems.warning(
      'cluster.authorizedIpRanges',
      ranges,
      "must include the public egress address of the existing hub firewall: the nodes reach the public API server through it, and only the hub's owners know that address",
      'add the hub firewall public IP as a /32 to cluster.authorizedIpRanges',
    );
  }
}

/**
 * AKS upgrades and patches a cluster only while it runs: a maintenance window outside the hours a stop/start
 * environment runs means that environment is never upgraded or patched.
 */
function checkMaintenanceWindow(answers: Answers, problems: Problems): void {
  const w = answers.upgrades.maintenanceWindow;
  if (!maintenanceWindowUsed(answers)) return;
  const stopped = answers.environments
    .map((env, i) => ({ env, i }))
    .filter(({ env }) => env.stopStart.enabled && isTimeZone(env.stopStart.timeZone));
  const schedules = stopped.map(({ env }) => ({ ...env.stopStart, days: env.stopStart.days as Weekday[] }));
  const suggestion = suggestWindow(w.durationHours, w.utcOffset, schedules);
  for (const { env, i } of stopped) {
    const s = env.stopStart;
    if (windowInsideRunningHours(w, { ...s, days: s.days as Weekday[] })) continue;
    problems.error(
      'upgrades.maintenanceWindow',
      `${w.dayOfWeek} ${w.startTime} UTC${w.utcOffset} for ${w.durationHours} hours`,
      `falls outside the hours environments.${i} (${env.name}) runs (${s.days.join(', ')} ${s.startTime}-${s.stopTime} ${s.timeZone}), so AKS never upgrades or patches that stopped cluster`,
      suggestion
        ? `move the window into those hours, e.g. --set upgrades.maintenanceWindow.dayOfWeek=${suggestion.dayOfWeek} --set upgrades.maintenanceWindow.startTime=${suggestion.startTime}, or widen environments.${i}.stopStart`
        : `widen environments.${i}.stopStart (days or hours) so a ${w.durationHours}-hour window fits, or turn it off`,
    );
  }
}

/**
 * Kured reboots a node only inside its window and only while the cluster runs: a stop/start environment needs at
 * least one whole reboot window a week in its running hours, or the OS patches that need a reboot never take effect.
 */
function checkKuredWindow(answers: Answers, problems: Problems): void {
  const k = answers.upgrades.kured;
  if (!kuredDeployed(answers) || !dailyWindowOpens(k) || !isTimeZone(k.timeZone)) return;
  const window = { ...k, days: k.rebootDays as Weekday[] };
  const stopped = answers.environments
    .map((env, i) => ({ env, i }))
    .filter(({ env }) => env.stopStart.enabled && isTimeZone(env.stopStart.timeZone));
  const schedules = stopped.map(({ env }) => ({ ...env.stopStart, days: env.stopStart.days as Weekday[] }));
  const suggestion = suggestDailyWindow(window, schedules);
  for (const { env, i } of stopped) {
    const s = env.stopStart;
    if (dailyWindowMeetsRunningHours(window, { ...s, days: s.days as Weekday[] })) continue;
    problems.error(
      'upgrades.kured',
      `${k.rebootDays.join(', ')} ${k.startTime}-${k.endTime} ${k.timeZone}`,
      `has no whole reboot window inside the hours environments.${i} (${env.name}) runs (${s.days.join(', ')} ${s.startTime}-${s.stopTime} ${s.timeZone}), so Kured never reboots that stopped cluster's nodes and the OS patches that need a reboot never take effect`,
      suggestion
        ? `move the window into those hours, e.g. --set upgrades.kured.startTime=${suggestion.startTime} --set upgrades.kured.endTime=${suggestion.endTime}, or widen environments.${i}.stopStart`
        : `add a day ${env.name} runs to upgrades.kured.rebootDays, or widen environments.${i}.stopStart so the window fits`,
    );
  }
}

/** The pod security initiative and the allowed registries only exist with the Azure Policy add-on. */
function checkPolicy(answers: Answers, problems: Problems): void {
  const { cluster, secrets, teams } = answers;
  if (!cluster.azurePolicy) {
    if (cluster.podSecurityStandard === 'restricted')
      problems.warning(
        'cluster.podSecurityStandard',
        cluster.podSecurityStandard,
        'has no effect: the Azure Policy add-on (cluster.azurePolicy) is off, so no policy is assigned',
        'set cluster.azurePolicy to true, or leave cluster.podSecurityStandard at its default',
      );
    if (cluster.allowedRegistries.length > 0)
      problems.warning(
        'cluster.allowedRegistries',
        cluster.allowedRegistries,
        'has no effect: the Azure Policy add-on (cluster.azurePolicy) is off, so no registry is enforced',
        'set cluster.azurePolicy to true, or remove cluster.allowedRegistries',
      );
    return;
  }
  const mounting = secrets.keyVaultCsi ? teams.filter((team) => team.keyVaultSecrets.length > 0) : [];
  if (cluster.podSecurityStandard === 'restricted' && mounting.length > 0) {
    problems.error(
      'cluster.podSecurityStandard',
      cluster.podSecurityStandard,
      `refuses CSI volumes (the restricted initiative allows ${RESTRICTED_VOLUME_TYPES.join(', ')} only), yet ${mounting.map((t) => t.name).join(', ')} mount Key Vault secrets through the Secrets Store CSI driver: their pods would be refused in production`,
      'use baseline, or give those teams no keyVaultSecrets (teams.<n>.keyVaultSecrets=[])',
    );
  }
}

function checkCombinations(answers: Answers, problems: Problems): void {
  const { network, identity, cluster, observability, upgrades, delivery } = answers;
  if (identity.podIdentity === 'aad-pod-identity' && network.plugin === 'kubenet') {
    problems.error(
      'identity.podIdentity',
      identity.podIdentity,
      'does not work with kubenet (its NMI pods can be impersonated through ARP spoofing and AKS blocks it)',
      'use workload-identity, or an Azure CNI network plugin',
    );
  }
  if (identity.podIdentity === 'aad-pod-identity') {
    problems.warning(
      'identity.podIdentity',
      identity.podIdentity,
      'is deprecated and archived since 2023; it gets no security fixes',
      'use workload-identity for new platforms',
    );
  }
  if (identity.authorization === 'azure-rbac' && !identity.entraId) {
    problems.error(
      'identity.authorization',
      identity.authorization,
      'needs Entra ID integration, which is off',
      'set identity.entraId to true, or use kubernetes-rbac',
    );
  }
  if (identity.disableLocalAccounts && !identity.entraId) {
    problems.error(
      'identity.disableLocalAccounts',
      true,
      'would leave no way to sign in, because Entra ID integration is off',
      'set identity.entraId to true, or keep local accounts',
    );
  }
  if (identity.adminGroupObjectIds.length > 0 && !identity.entraId) {
    problems.error(
      'identity.adminGroupObjectIds',
      identity.adminGroupObjectIds,
      'names admin groups, but Entra ID integration is off',
      'set identity.entraId to true',
    );
  }
  if (network.plugin === 'kubenet') {
    if (network.dataplane === 'cilium')
      problems.error(
        'network.dataplane',
        'cilium',
        'needs Azure CNI or Azure CNI Overlay, not kubenet',
        'use the azure dataplane with kubenet, or switch to azure-cni-overlay',
      );
    if (network.networkPolicy === 'azure' || network.networkPolicy === 'cilium') {
      problems.error(
        'network.networkPolicy',
        network.networkPolicy,
        'is not supported with kubenet',
        'use calico or none with kubenet, or switch to azure-cni-overlay',
      );
    }
    problems.warning(
      'network.plugin',
      'kubenet',
      'retires in March 2028',
      'use azure-cni-overlay: it saves VNet addresses the same way',
    );
  }
  if (network.dataplane === 'cilium' && network.networkPolicy !== 'cilium') {
    problems.error(
      'network.networkPolicy',
      network.networkPolicy,
      'must be cilium with the cilium dataplane (the dataplane enforces policy itself)',
      'set network.networkPolicy to cilium, or use the azure dataplane',
    );
  }
  if (network.dataplane === 'azure' && network.networkPolicy === 'cilium') {
    problems.error('network.networkPolicy', 'cilium', 'needs the cilium dataplane', 'set network.dataplane to cilium');
  }
  if (network.plugin === 'azure-cni-overlay' && network.networkPolicy === 'azure') {
    problems.warning(
      'network.networkPolicy',
      'azure',
      'uses Azure Network Policy Manager, which is being retired and lacks FQDN and layer-7 policy',
      'use the cilium dataplane and policy with CNI Overlay',
    );
  }
  if (network.egress === 'firewall' && network.hub.mode === 'none') {
    problems.error(
      'network.egress',
      'firewall',
      'routes traffic to a hub firewall, but there is no hub (network.hub.mode is none)',
      'set network.hub.mode to create or existing, or use loadBalancer egress',
    );
  }
  if (network.hub.mode === 'existing') {
    if (!network.hub.vnetResourceId) {
      problems.error(
        'network.hub.vnetResourceId',
        undefined,
        'is required to peer with an existing hub',
        'give the hub VNet resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>',
      );
    }
    if (network.egress === 'firewall' && !network.hub.firewallPrivateIp) {
      problems.error(
        'network.hub.firewallPrivateIp',
        undefined,
        'is required to route egress through an existing hub firewall',
        'give the private IP of the hub firewall',
      );
    }
  }
  checkAuthorizedIpRanges(answers, problems);
  // Automatic integrates every API server into the VNet; with a public one that is its design, not a slip.
  if (cluster.apiServerVnetIntegration && !cluster.privateCluster && cluster.sku === 'standard') {
    problems.warning(
      'cluster.apiServerVnetIntegration',
      true,
      'projects a public API server into the VNet; the access is still public',
      'combine it with cluster.privateCluster: true',
    );
  }
  if (observability.stack === 'oss' && (observability.managedPrometheus || observability.managedGrafana)) {
    problems.error(
      observability.managedPrometheus ? 'observability.managedPrometheus' : 'observability.managedGrafana',
      true,
      'belongs to the azure-monitor stack, but the oss stack deploys Prometheus and Grafana itself',
      'set it to false, or choose observability.stack azure-monitor',
    );
  }
  if (observability.elasticsearchUrl && observability.stack !== 'oss') {
    problems.warning(
      'observability.elasticsearchUrl',
      observability.elasticsearchUrl,
      'is used only by the oss stack',
      'remove it, or choose observability.stack oss',
    );
  }
  checkSmtp(answers, problems);
  if (upgrades.kured.enabled === true && upgrades.nodeOsUpgradeChannel !== 'Unmanaged') {
    problems.warning(
      'upgrades.kured.enabled',
      true,
      `runs next to the ${upgrades.nodeOsUpgradeChannel} node OS channel, which already replaces or reboots nodes`,
      'leave Kured off unless the node OS channel is Unmanaged',
    );
  }
  if (upgrades.autoUpgradeChannel === 'node-image' && upgrades.nodeOsUpgradeChannel !== 'NodeImage') {
    problems.error(
      'upgrades.nodeOsUpgradeChannel',
      upgrades.nodeOsUpgradeChannel,
      'must be NodeImage when the auto-upgrade channel is node-image',
      'set upgrades.nodeOsUpgradeChannel to NodeImage, or prefer autoUpgradeChannel patch',
    );
  }
  if (!dailyWindowOpens(upgrades.kured)) {
    problems.error(
      'upgrades.kured.endTime',
      upgrades.kured.endTime,
      `is not after the start of the reboot window (${upgrades.kured.startTime}): Kured's window ends on the day it starts, so it would never open`,
      'give the window a length within one day, e.g. --set upgrades.kured.startTime=09:00 --set upgrades.kured.endTime=15:00',
    );
  }
  if (!isTimeZone(upgrades.kured.timeZone)) {
    problems.error(
      'upgrades.kured.timeZone',
      upgrades.kured.timeZone,
      'is not an IANA time zone',
      'use a name such as UTC or Europe/Amsterdam',
    );
  }
  if (!delivery.githubActions && !delivery.azureDevOps) {
    problems.warning(
      'delivery.githubActions',
      false,
      'leaves the platform without deployment pipelines',
      'enable delivery.githubActions or delivery.azureDevOps',
    );
  }
}

// Answers are parsed once or twice a run: zod's default fast path compiles a parser per object schema with
// new Function first, which costs a cold `aks-platform new` more than it saves. The interpreted path gives the
// same result and the same issues.
const PARSE = { jitless: true } as const;

/**
 * The longest text any answer can be (a VNet resource ID is about 200 characters). Longer values are refused
 * before the schema's patterns run over them, so a pasted file costs nothing.
 */
export const MAX_ANSWER_CHARACTERS = 1024;

/** Every text value longer than any answer can be, by path. */
function overlongValues(value: unknown, path: string[] = []): { path: string[]; length: number }[] {
  if (typeof value === 'string') return value.length > MAX_ANSWER_CHARACTERS ? [{ path, length: value.length }] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => overlongValues((value as Record<string, unknown>)[key], [...path, key]));
}

/** Validates answers in full: every problem at once, errors and warnings, each with its field path and fix. */
export function validateAnswers(input: unknown): ValidationResult {
  const overlong = overlongValues(input);
  if (overlong.length > 0) {
    const problems: Problem[] = overlong.map(({ path, length }) => ({
      path: pathText(path),
      value: getAtPath(input, path),
      message: `is ${length} characters long; no answer is longer than ${MAX_ANSWER_CHARACTERS}`,
      fix: 'check that the right value was given (not a whole file), and shorten it',
      severity: 'error',
    }));
    if (!isObject(input)) return { ok: false, problems };
    // The rest is checked with each overlong value emptied (null: a list entry cannot be deleted without shifting
    // the others); what the check then says about those paths is already said above.
    const emptied = overlong.reduce((acc, { path }) => setAtPath(acc, path, null, () => undefined), input);
    const shown = new Set(problems.map((p) => p.path));
    const rest = validateAnswers(emptied).problems.filter((p) => !shown.has(p.path));
    return { ok: false, problems: [...problems, ...rest] };
  }
  const parsed = answersSchema.safeParse(input, PARSE);
  if (!parsed.success) {
    const shape = fromZod(input, parsed.error);
    return { ok: false, problems: [...shape, ...checksDespite(input, parsed.error, shape)] };
  }
  // The Automatic SKU fixes some answers (src/answers/cluster-sku.ts): the rules see the answers it leaves.
  const answers = applyClusterSku(parsed.data);
  const problems = [...clusterSkuProblems(input, parsed.data), ...checkSemantics(answers)];
  const ok = !problems.some((p) => p.severity === 'error');
  return ok ? { ok, answers, problems } : { ok, problems };
}

/**
 * Shape errors would hide the cross-field rules; to report every problem at once, drop the malformed answers (their
 * defaults stand in), and when the rest then parses, add what the rules find elsewhere.
 */
function checksDespite(input: unknown, error: z.ZodError, reported: Problem[]): Problem[] {
  if (!isObject(input)) return [];
  let repaired: JsonObject = input;
  for (const { path } of splitIssues(error)) repaired = deleteAtPath(repaired, path.map(String));
  const again = answersSchema.safeParse(repaired, PARSE);
  if (!again.success) return [];
  const seen = new Set(reported.map((p) => p.path));
  return [...clusterSkuProblems(repaired, again.data), ...checkSemantics(applyClusterSku(again.data))].filter(
    (p) => !seen.has(p.path) && ![...seen].some((path) => p.message.includes(path)),
  );
}

/** Alertmanager's mail server (oss stack): complete, reachable, and with a way to hand it the password. */
function checkSmtp(answers: Answers, problems: Problems): void {
  const { observability, network, secrets, identity } = answers;
  const { smtp } = observability;
  const given = (['smarthost', 'from', 'username'] as const).find((field) => smtp[field] !== undefined);
  if (given === undefined) return;
  if (observability.stack !== 'oss') {
    problems.warning(
      `observability.smtp.${given}`,
      smtp[given],
      'is used only by the oss stack (the azure-monitor stack notifies through the action group)',
      'remove observability.smtp, or choose observability.stack oss',
    );
    return;
  }
  if (smtp.smarthost === undefined) {
    problems.error(
      'observability.smtp.smarthost',
      undefined,
      `is missing, but observability.smtp.${given} is given`,
      '--set observability.smtp.smarthost=<host:port>, or remove observability.smtp',
    );
    return;
  }
  if (smtp.from === undefined) {
    problems.error(
      'observability.smtp.from',
      undefined,
      'is missing: Alertmanager sends no email without a sender address',
      '--set observability.smtp.from=<sender address>',
    );
  }
  if (network.egress === 'firewall') {
    // https://learn.microsoft.com/azure/firewall/features#application-fqdn-filtering-rules (HTTP, HTTPS, MSSQL)
    // https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules (FQDNs in network rules need DNS proxy)
    problems.error(
      'observability.smtp.smarthost',
      smtp.smarthost,
      "cannot be reached through the hub firewall: its application rules carry HTTP, HTTPS and SQL only, and a network rule by name needs the firewall's DNS proxy, which the platform does not turn on",
      'remove observability.smtp (Alertmanager then notifies nobody, and the README says so), or choose network.egress loadBalancer or natGateway',
    );
  }
  if (smtp.username !== undefined && !(secrets.keyVaultCsi && identity.podIdentity === 'workload-identity')) {
    problems.error(
      'observability.smtp.username',
      smtp.username,
      'needs the SMTP password from Key Vault, which reaches Alertmanager through the Secrets Store CSI driver with workload identity',
      '--set secrets.keyVaultCsi=true --set identity.podIdentity=workload-identity, or remove observability.smtp.username for a relay that needs no sign-in',
    );
  }
  if (observability.alertEmails.length === 0) {
    problems.warning(
      'observability.smtp.smarthost',
      smtp.smarthost,
      'has nobody to send to',
      '--set \'observability.alertEmails=["<on-call address>"]\'',
    );
  }
}

/** Ingress answers that contradict the network or identity answers (src/plan/ingress.ts has the contract). */
function checkIngress(answers: Answers, problems: Problems): void {
  const { ingress, network, identity, secrets } = answers;
  if (ingress.implementation === 'none') return;
  const agc = ingress.implementation === 'application-gateway-for-containers';
  if (agc) checkApplicationGatewayForContainers(answers, problems);
  // AGC's traffic enters from its own subnet, which has no route to the firewall, so nothing routes asymmetrically.
  if (!agc && ingress.publicLoadBalancer === true && network.egress === 'firewall') {
    problems.error(
      'ingress.publicLoadBalancer',
      true,
      'routes asymmetrically: with egress through the hub firewall, replies to a public Gateway address leave through the firewall, which drops them',
      'set ingress.publicLoadBalancer to false (an internal address on the ingress subnet) and publish it through a firewall DNAT rule or an Application Gateway',
    );
  }
  // The add-on's operator signs in for certificates and DNS; AGC's own identity check is in its function above.
  const needsIdentity = !agc && (ingress.certificateName !== undefined || ingress.dnsZoneResourceId !== undefined);
  if (needsIdentity && identity.podIdentity !== 'workload-identity') {
    const path = ingress.certificateName !== undefined ? 'ingress.certificateName' : 'ingress.dnsZoneResourceId';
    problems.error(
      path,
      ingress.certificateName ?? ingress.dnsZoneResourceId,
      'needs workload identity: the application routing operator reads Key Vault certificates and writes DNS records through a federated service account',
      'set identity.podIdentity to workload-identity, or leave the ingress certificate and DNS zone out',
    );
  }
  if (ingress.certificateName !== undefined && !secrets.keyVaultCsi) {
    problems.error(
      'ingress.certificateName',
      ingress.certificateName,
      'needs the Key Vault Secrets Store CSI driver, which syncs the certificate for the Gateway',
      'set secrets.keyVaultCsi to true, or leave ingress.certificateName out',
    );
  }
  const zone = ingress.dnsZoneResourceId?.split('/')[7]?.toLowerCase();
  const internal =
    !agc && (ingress.publicLoadBalancer === undefined ? network.egress === 'firewall' : !ingress.publicLoadBalancer);
  if (zone === 'privatednszones' && !internal) {
    problems.warning(
      'ingress.dnsZoneResourceId',
      ingress.dnsZoneResourceId,
      'is a private zone, but the Gateway address is public: names resolve only inside linked networks',
      agc
        ? 'use a public Azure DNS zone (Application Gateway for Containers frontends are public)'
        : 'use a public Azure DNS zone, or set ingress.publicLoadBalancer to false',
    );
  }
  if (zone === 'dnszones' && internal) {
    problems.warning(
      'ingress.dnsZoneResourceId',
      ingress.dnsZoneResourceId,
      'is a public zone, but the Gateway address is internal: private addresses would be published in public DNS',
      'use a private DNS zone linked to the networks that reach the Gateway, or set ingress.publicLoadBalancer to true',
    );
  }
}

/**
 * What Application Gateway for Containers needs from the other answers (src/azure/application-gateway-for-containers.ts):
 * a network plugin whose pod addresses it reaches, workload identity for its controller, a public frontend, and an
 * association subnet of at least /24.
 */
function checkApplicationGatewayForContainers(answers: Answers, problems: Problems): void {
  const { ingress, network, identity, environments } = answers;
  const value = ingress.implementation;
  if (!(AGC_NETWORK_PLUGINS as readonly string[]).includes(network.plugin)) {
    problems.error(
      'ingress.implementation',
      value,
      `needs Azure CNI or Azure CNI Overlay: Application Gateway for Containers cannot reach ${network.plugin} pod addresses`,
      `set network.plugin to ${AGC_NETWORK_PLUGINS.join(' or ')}, or choose ingress.implementation app-routing-gateway`,
    );
  }
  if (identity.podIdentity !== 'workload-identity') {
    problems.error(
      'ingress.implementation',
      value,
      'needs workload identity: the ALB Controller programs Application Gateway for Containers through a federated service account',
      'set identity.podIdentity to workload-identity, or choose ingress.implementation app-routing-gateway',
    );
  }
  if (ingress.publicLoadBalancer === false) {
    problems.error(
      'ingress.publicLoadBalancer',
      false,
      'cannot be internal: Application Gateway for Containers frontends are public (private frontend addresses are not supported)',
      'leave ingress.publicLoadBalancer out, or choose ingress.implementation app-routing-gateway for an internal Gateway',
    );
  }
  environments.forEach((env, i) => {
    const cidr = env.subnets.ingress;
    const length = cidr === undefined ? undefined : Number(cidr.split('/')[1]);
    if (length !== undefined && length > AGC_SUBNET.maximumPrefixLength) {
      problems.error(
        `environments.${i}.subnets.ingress`,
        cidr,
        `is too small for the Application Gateway for Containers association, which needs a delegated subnet of /${AGC_SUBNET.maximumPrefixLength} or larger`,
        `use a /${AGC_SUBNET.maximumPrefixLength} or larger, or omit it to have a /${AGC_SUBNET.maximumPrefixLength} derived`,
      );
    }
  });
}

/** A hub-owned zone must be the zone its service registers in (src/azure/private-dns-zones.ts). */
function checkPrivateDnsZones(answers: Answers, problems: Problems): void {
  for (const [key, id] of Object.entries(answers.network.privateDnsZones) as [
    PrivateDnsZoneKey,
    string | undefined,
  ][]) {
    const name = id === undefined ? undefined : PRIVATE_DNS_ZONE_ID.exec(id)?.[3];
    if (id === undefined || name === undefined || zoneNameMatches(key, name, answers.location)) continue;
    problems.error(
      `network.privateDnsZones.${key}`,
      id,
      `names the zone ${name}, but ${key === 'aksApiServer' ? 'a private API server' : 'this service'} registers in ${expectedZoneName(key, answers.location)}${key === 'aksApiServer' ? ' (or a subzone of it)' : ''} in ${answers.location}`,
      `give the resource ID of the hub's ${expectedZoneName(key, answers.location)} zone, or leave network.privateDnsZones.${key} out to create the zone in the environment`,
    );
  }
}

function checkSemantics(answers: Answers): Problem[] {
  const problems = new Problems();
  checkIngress(answers, problems);
  checkNetwork(answers, problems);
  checkNames(answers, problems);
  checkTeams(answers, problems);
  checkHybrid(answers, problems);
  checkCombinations(answers, problems);
  checkPolicy(answers, problems);
  checkMaintenanceWindow(answers, problems);
  checkKuredWindow(answers, problems);
  checkPrivateDnsZones(answers, problems);
  return problems.list;
}
