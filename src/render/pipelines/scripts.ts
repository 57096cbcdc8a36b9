import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import type { FleetPlan } from '../../plan/hybrid.js';
import {
  KUBERNETES_VERSION_VARIABLE,
  PIPELINE_SECRETS,
  deploymentSecrets,
  type Deployment,
} from '../../plan/contracts.js';
import { hubInfraNames } from '../../plan/infra.js';
import { localTimeToUtcCrons, type UtcCron } from '../../plan/schedule.js';
import { BICEP_CLI, GENERATOR_VERSION, TOOLS, pinnedVersion } from '../../versions.js';

// The shell the pipelines run, shared by GitHub Actions and Azure DevOps so both do exactly the same thing.
// Values from the plan are inserted as single-quoted shell words; runtime inputs arrive through environment variables.

export type CiSystem = 'github' | 'azure-devops';

/** A single-quoted shell word; the plan's names never hold quotes, but quoting keeps that an invariant. */
export function sh(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Appends markdown from a command to the run's summary page. */
function summaryTarget(ci: CiSystem): string {
  return ci === 'github' ? '"$GITHUB_STEP_SUMMARY"' : '"$SUMMARY_FILE"';
}

function summaryPrologue(ci: CiSystem): string[] {
  // Azure DevOps shows a markdown file as a summary tab once it is uploaded with this logging command.
  return ci === 'github'
    ? []
    : [
        'SUMMARY_FILE="$AGENT_TEMPDIRECTORY/summary-$RANDOM.md"',
        'trap \'echo "##vso[task.uploadsummary]$SUMMARY_FILE"\' EXIT',
      ];
}

function notice(ci: CiSystem, message: string): string {
  return ci === 'github' ? `echo "::notice::${message}"` : `echo "##[section]${message}"`;
}

export function installBicep(): string {
  return [
    'set -euo pipefail',
    '# The Bicep version the generator was tested with, not whatever the runner image carries.',
    'az config set bicep.use_binary_from_path=false --only-show-errors',
    `az bicep install --version v${BICEP_CLI} --only-show-errors`,
    'az bicep version',
  ].join('\n');
}

export function buildBicep(deployments: Deployment[]): string {
  const templates = [...new Set(deployments.map((d) => d.template))];
  return [
    'set -euo pipefail',
    ...templates.flatMap((t) => [
      `az bicep build --file ${sh(t)} --stdout > /dev/null`,
      `az bicep lint --file ${sh(t)}`,
    ]),
    ...deployments.map((d) => `az bicep build-params --file ${sh(d.parameters)} --stdout > /dev/null`),
  ].join('\n');
}

export function deploymentCommand(plan: Plan, d: Deployment, verb: 'what-if' | 'create', runId: string): string {
  // What-if checks read instead of write permissions (ProviderNoRbac), so the pull request identity can only read.
  const validation = verb === 'what-if' ? ' --validation-level ProviderNoRbac' : '';
  return `az deployment sub ${verb} --name ${sh(`${plan.platform}-${d.name}-`)}"${runId}" --location ${sh(plan.location)} --template-file ${sh(d.template)} --parameters ${sh(d.parameters)}${validation} --only-show-errors`;
}

/**
 * On a fresh subscription the hub does not exist until its deployment has run, so an environment's what-if cannot read
 * the hub firewall's IP (or deploy its peering into the hub's resource group): skip it with a message instead of
 * failing the pull request. The hub's own what-if shows what creates it.
 */
function hubExistsCheck(plan: Plan, d: Deployment, ci: CiSystem): string[] {
  if (!d.environment || plan.hub.mode !== 'create' || !plan.hub.names) return [];
  const rg = plan.hub.names.resourceGroup.value;
  const [name, type] = plan.components.egressThroughFirewall
    ? [hubInfraNames(plan).firewall, 'Microsoft.Network/azureFirewalls']
    : [plan.hub.names.virtualNetwork.value, 'Microsoft.Network/virtualNetworks'];
  return [
    `if ! az resource show --resource-group ${sh(rg)} --name ${sh(name)} --resource-type ${sh(type)} --query id --output tsv > /dev/null 2>&1; then`,
    `  ${notice(ci, `The hub (${name} in ${rg}) does not exist yet, so the what-if of ${d.name} cannot read it; it runs once the hub is deployed. The hub what-if shows what creates it.`)}`,
    '  exit 0',
    'fi',
  ];
}

/**
 * The Kubernetes version to deploy: the parameter file's, unless the cluster already runs a newer one (after the
 * upgrade pipeline or an auto-upgrade). AKS refuses downgrades, so the deployment keeps the running version and says
 * so; the .bicepparam reads it from the environment (KUBERNETES_VERSION_VARIABLE).
 */
function keepRunningVersion(plan: Plan, d: Deployment, ci: CiSystem): string[] {
  const env = d.environment;
  if (!env) return [];
  const rg = sh(env.names.resourceGroup.value);
  const cluster = sh(env.names.cluster.value);
  const variable = KUBERNETES_VERSION_VARIABLE;
  return [
    `parameters="${ci === 'github' ? '$RUNNER_TEMP' : '$AGENT_TEMPDIRECTORY'}/${d.name}.parameters.json"`,
    `az bicep build-params --file ${sh(d.parameters)} --outfile "$parameters" --only-show-errors`,
    `pinned="$(jq -r '.parameters.kubernetesVersion.value' "$parameters")"`,
    `running="$(az aks show --resource-group ${rg} --name ${cluster} --query currentKubernetesVersion --output tsv 2>/dev/null || true)"`,
    `if [ -n "$running" ] && [ "$running" != "$pinned" ] && [ "$(printf '%s\\n%s\\n' "$pinned" "$running" | sort -V | tail -n 1)" = "$running" ]; then`,
    `  ${notice(ci, `${env.names.cluster.value} runs Kubernetes $running, newer than $pinned in ${d.parameters}: deploying with $running, never a downgrade. Set cluster.kubernetesVersion to $running and regenerate.`)}`,
    `  export ${variable}="$running"`,
    'fi',
  ];
}

export function whatIfScript(plan: Plan, d: Deployment, ci: CiSystem, runId: string): string {
  return [
    'set -euo pipefail',
    ...summaryPrologue(ci),
    ...hubExistsCheck(plan, d, ci),
    ...keepRunningVersion(plan, d, ci),
    `${deploymentCommand(plan, d, 'what-if', runId)} > what-if.txt`,
    '{',
    `  echo "### What-if: ${d.name} (${d.parameters})"`,
    "  echo '```'",
    // The readable output carries ANSI colours on some agents; strip them for markdown.
    "  sed 's/\\x1b\\[[0-9;]*m//g' what-if.txt",
    "  echo '```'",
    `} >> ${summaryTarget(ci)}`,
  ].join('\n');
}

/**
 * A stopped cluster rejects every change ("You can only start or delete a stopped AKS cluster"). An environment on a
 * stop/start schedule is started for the deployment and stopped again when its schedule says it is off now; any other
 * stopped cluster stops the deployment with a message saying how to go on.
 */
function startStoppedCluster(d: Deployment, ci: CiSystem): { before: string[]; after: string[] } {
  const env = d.environment;
  if (!env) return { before: [], after: [] };
  const rg = sh(env.names.resourceGroup.value);
  const cluster = sh(env.names.cluster.value);
  const name = env.names.cluster.value;
  const read = `power="$(az aks show --resource-group ${rg} --name ${cluster} --query powerState.code --output tsv 2>/dev/null || true)"`;
  const s = env.stopStart;
  if (!s) {
    return {
      before: [
        read,
        'if [ "$power" = Stopped ]; then',
        `  echo "${name} is stopped and AKS changes only running clusters: start it (az aks start --resource-group ${env.names.resourceGroup.value} --name ${name}) and run this again." >&2`,
        '  exit 1',
        'fi',
      ],
      after: [],
    };
  }
  const running =
    s.startTime < s.stopTime
      ? `{ [[ ! "$now" < ${sh(s.startTime)} ]] && [[ "$now" < ${sh(s.stopTime)} ]]; }`
      : `{ [[ ! "$now" < ${sh(s.startTime)} ]] || [[ "$now" < ${sh(s.stopTime)} ]]; }`;
  return {
    before: [
      read,
      'started=""',
      'if [ "$power" = Stopped ]; then',
      `  ${notice(ci, `${name} is stopped by its schedule; starting it for the deployment`)}`,
      `  az aks start --resource-group ${rg} --name ${cluster} --only-show-errors`,
      '  started=yes',
      'fi',
    ],
    after: [
      '# Stopped again only if the schedule has it off now; a failed deployment leaves it running, which is safe.',
      'if [ -n "$started" ]; then',
      `  day="$(TZ=${sh(s.timeZone)} date +%A)"`,
      `  now="$(TZ=${sh(s.timeZone)} date +%H:%M)"`,
      `  case ${sh(` ${s.days.join(' ')} `)} in *" $day "*) workday=yes ;; *) workday="" ;; esac`,
      `  if [ -z "$workday" ] || ! ${running}; then`,
      `    ${notice(ci, `${name} is off at this hour by its schedule; stopping it again`)}`,
      `    az aks stop --resource-group ${rg} --name ${cluster} --only-show-errors`,
      '  fi',
      'fi',
    ],
  };
}

/**
 * A required secret that is not set stops the deployment here, with its name, instead of half-way in Azure. Azure
 * DevOps leaves an undefined $(NAME) macro as that literal text, so a value that is still a macro counts as unset.
 */
export function secretGuard(name: string): string {
  return [
    `case "\${${name}:-}" in`,
    `  '' | '$('*')') echo "The pipeline secret ${name} is not set: docs/pipelines.md says how to create it." >&2; exit 1 ;;`,
    'esac',
  ].join('\n');
}

export function deployScript(plan: Plan, d: Deployment, ci: CiSystem, runId: string): string {
  const checks = deploymentSecrets(plan, d)
    .filter((name) => PIPELINE_SECRETS[name]?.required)
    .map(secretGuard);
  const cluster = startStoppedCluster(d, ci);
  return [
    'set -euo pipefail',
    ...checks,
    ...cluster.before,
    ...keepRunningVersion(plan, d, ci),
    deploymentCommand(plan, d, 'create', runId),
    ...cluster.after,
  ].join('\n');
}

/** Every cron of an environment's stop/start schedule with the action and the zone offset it is right for. */
export interface StopStartCron extends UtcCron {
  environment: string;
  action: 'start' | 'stop';
  localTime: string;
  timeZone: string;
}

export function stopStartCrons(env: EnvironmentPlan): StopStartCron[] {
  const s = env.stopStart;
  if (!s) return [];
  const days = s.days as Parameters<typeof localTimeToUtcCrons>[0];
  return (['start', 'stop'] as const).flatMap((action) => {
    const localTime = action === 'start' ? s.startTime : s.stopTime;
    return localTimeToUtcCrons(days, localTime, s.timeZone).map((c) => ({
      ...c,
      environment: env.name,
      action,
      localTime,
      timeZone: s.timeZone,
    }));
  });
}

/**
 * Decides start, stop or nothing for one environment. A zone with daylight saving has one cron per UTC offset; only
 * the one matching the zone's offset today acts, so the cluster starts at the same local time all year.
 */
export function decideScript(env: EnvironmentPlan, ci: CiSystem): string {
  // Azure DevOps exposes the trigger and the firing schedule as predefined variables; GitHub passes them in env.
  const prelude =
    ci === 'github'
      ? []
      : [
          'TRIGGER=manual',
          'if [ "$BUILD_REASON" = Schedule ]; then TRIGGER=schedule; fi',
          'SCHEDULE="${BUILD_CRONSCHEDULE_DISPLAYNAME:-}"',
        ];
  const crons = stopStartCrons(env);
  const timeZone = env.stopStart?.timeZone ?? 'UTC';
  const output =
    ci === 'github'
      ? 'echo "action=$action" >> "$GITHUB_OUTPUT"'
      : 'echo "##vso[task.setvariable variable=action;isOutput=true]$action"';
  return [
    'set -euo pipefail',
    ...prelude,
    'action=""',
    'if [ "$TRIGGER" = manual ]; then',
    '  if [ "$INPUT_ENVIRONMENT" = ' + sh(env.name) + ' ]; then action="$INPUT_ACTION"; fi',
    'else',
    `  offset="$(TZ=${sh(timeZone)} date +%z)"`,
    '  case "$SCHEDULE|$offset" in',
    ...crons.map((c) => `    ${sh(`${c.cron}|${c.offset}`)}) action=${c.action} ;;  # ${c.localTime} ${c.timeZone}`),
    '    *) ;;',
    '  esac',
    'fi',
    `echo "${env.name}: \${action:-nothing to do}"`,
    output,
  ].join('\n');
}

/** Starts or stops a cluster; does nothing when it is already in (or on its way to) the wanted state. */
export function stopStartScript(env: EnvironmentPlan, ci: CiSystem): string {
  const rg = sh(env.names.resourceGroup.value);
  const cluster = sh(env.names.cluster.value);
  return [
    'set -euo pipefail',
    'case "$ACTION" in',
    '  start) wanted=Running; transition=Starting ;;',
    '  stop) wanted=Stopped; transition=Stopping ;;',
    '  *) echo "unknown action $ACTION" >&2; exit 1 ;;',
    'esac',
    `read -r power provisioning < <(az aks show --resource-group ${rg} --name ${cluster} --query '[powerState.code, provisioningState]' --output tsv | tr '\\n' ' ')`,
    'if [ "$power" = "$wanted" ] || [ "$provisioning" = "$transition" ]; then',
    `  ${notice(ci, `${env.names.cluster.value} is already $power ($provisioning); nothing to do`)}`,
    '  exit 0',
    'fi',
    `az aks "$ACTION" --resource-group ${rg} --name ${cluster} --only-show-errors`,
    `az aks show --resource-group ${rg} --name ${cluster} --query '{power: powerState.code, provisioning: provisioningState}' --output table`,
  ].join('\n');
}

/** Node image upgrade, one pool at a time; pools already on the latest image are left alone. */
export function nodeImageUpgradeScript(plan: Plan, env: EnvironmentPlan, ci: CiSystem): string {
  const rg = sh(env.names.resourceGroup.value);
  const cluster = sh(env.names.cluster.value);
  return [
    'set -euo pipefail',
    `power="$(az aks show --resource-group ${rg} --name ${cluster} --query powerState.code --output tsv)"`,
    ...(env.stopStart
      ? [
          // The upgrade window may fall while the schedule keeps the cluster stopped: start it for the upgrade and
          // stop it again afterwards. A failed upgrade leaves it running, which is safe and shows in the cost.
          'if [ "$power" = Stopped ]; then',
          `  ${notice(ci, `${env.names.cluster.value} is stopped; starting it for the node image upgrade`)}`,
          `  az aks start --resource-group ${rg} --name ${cluster} --only-show-errors`,
          'fi',
        ]
      : [
          'if [ "$power" != Running ]; then',
          `  echo "${env.names.cluster.value} is $power; start it and run this again" >&2`,
          '  exit 1',
          'fi',
        ]),
    `for pool in ${env.pools.map((p) => sh(p.name)).join(' ')}; do`,
    `  current="$(az aks nodepool show --resource-group ${rg} --cluster-name ${cluster} --name "$pool" --query nodeImageVersion --output tsv)"`,
    `  latest="$(az aks nodepool get-upgrades --resource-group ${rg} --cluster-name ${cluster} --nodepool-name "$pool" --query latestNodeImageVersion --output tsv)"`,
    '  if [ "$current" = "$latest" ]; then',
    `    ${notice(ci, `$pool already runs $current`)}`,
    '    continue',
    '  fi',
    '  echo "Upgrading $pool from $current to $latest"',
    `  az aks nodepool upgrade --resource-group ${rg} --cluster-name ${cluster} --name "$pool" --node-image-only --max-surge ${sh(plan.upgrades.maxSurge)} --yes --only-show-errors`,
    'done',
    `az aks nodepool list --resource-group ${rg} --cluster-name ${cluster} --query '[].{pool: name, image: nodeImageVersion, state: provisioningState}' --output table`,
    ...(env.stopStart
      ? [
          'if [ "$power" = Stopped ]; then',
          `  az aks stop --resource-group ${rg} --name ${cluster} --only-show-errors`,
          'fi',
        ]
      : []),
  ].join('\n');
}

export function listUpgradesScript(env: EnvironmentPlan, ci: CiSystem): string {
  const rg = sh(env.names.resourceGroup.value);
  const cluster = sh(env.names.cluster.value);
  return [
    'set -euo pipefail',
    ...summaryPrologue(ci),
    '{',
    `  echo "### Kubernetes versions available to ${env.names.cluster.value}"`,
    "  echo '```'",
    `  az aks get-upgrades --resource-group ${rg} --name ${cluster} --output table`,
    "  echo '```'",
    `} >> ${summaryTarget(ci)}`,
    `az aks get-upgrades --resource-group ${rg} --name ${cluster} --output table`,
  ].join('\n');
}

/** Control plane first, then each pool one at a time with the configured surge, then a check that all arrived. */
export function kubernetesUpgradeScript(plan: Plan, env: EnvironmentPlan, ci: CiSystem): string {
  const rg = sh(env.names.resourceGroup.value);
  const cluster = sh(env.names.cluster.value);
  const pools = env.pools.map((p) => sh(p.name)).join(' ');
  return [
    'set -euo pipefail',
    ...summaryPrologue(ci),
    'VERSION="$(printf %s "${VERSION:-}" | tr -d "[:space:]")"',
    'if [ -z "$VERSION" ]; then',
    `  ${notice(ci, 'No version given: the available versions are listed above; run again with one of them')}`,
    '  exit 0',
    'fi',
    `current="$(az aks show --resource-group ${rg} --name ${cluster} --query currentKubernetesVersion --output tsv)"`,
    'if [ "$current" != "$VERSION" ]; then',
    `  if ! az aks get-upgrades --resource-group ${rg} --name ${cluster} --query 'controlPlaneProfile.upgrades[].kubernetesVersion' --output tsv | grep -qxF "$VERSION"; then`,
    '    echo "$VERSION is not an available upgrade from $current" >&2',
    '    exit 1',
    '  fi',
    '  echo "Upgrading the control plane from $current to $VERSION"',
    `  az aks upgrade --resource-group ${rg} --name ${cluster} --kubernetes-version "$VERSION" --control-plane-only --yes --only-show-errors`,
    'fi',
    `for pool in ${pools}; do`,
    `  poolVersion="$(az aks nodepool show --resource-group ${rg} --cluster-name ${cluster} --name "$pool" --query currentOrchestratorVersion --output tsv)"`,
    '  if [ "$poolVersion" = "$VERSION" ]; then',
    `    ${notice(ci, '$pool already runs $VERSION')}`,
    '    continue',
    '  fi',
    '  echo "Upgrading node pool $pool from $poolVersion to $VERSION"',
    `  az aks nodepool upgrade --resource-group ${rg} --cluster-name ${cluster} --name "$pool" --kubernetes-version "$VERSION" --max-surge ${sh(plan.upgrades.maxSurge)} --yes --only-show-errors`,
    'done',
    '# Verify: the control plane and every pool run the target version and finished provisioning.',
    `az aks show --resource-group ${rg} --name ${cluster} --query '{version: currentKubernetesVersion, state: provisioningState, power: powerState.code}' --output table`,
    `az aks nodepool list --resource-group ${rg} --cluster-name ${cluster} --query '[].{pool: name, version: currentOrchestratorVersion, state: provisioningState}' --output table | tee pools.txt`,
    `failed="$(az aks nodepool list --resource-group ${rg} --cluster-name ${cluster} --query "[?currentOrchestratorVersion != '$VERSION' || provisioningState != 'Succeeded'].name" --output tsv)"`,
    `controlPlane="$(az aks show --resource-group ${rg} --name ${cluster} --query "currentKubernetesVersion == '$VERSION' && provisioningState == 'Succeeded'" --output tsv)"`,
    '{',
    `  echo "### ${env.names.cluster.value} upgraded to $VERSION"`,
    "  echo '```'",
    '  cat pools.txt',
    "  echo '```'",
    `} >> ${summaryTarget(ci)}`,
    'if [ "$controlPlane" != true ] || [ -n "$failed" ]; then',
    '  echo "Upgrade incomplete: control plane ok=$controlPlane, pools not on $VERSION or not succeeded: ${failed:-none}" >&2',
    '  exit 1',
    'fi',
  ].join('\n');
}

/** What a fleet update run upgrades: Kubernetes on control plane and nodes, or node images only. */
export type FleetUpdate = 'kubernetes' | 'node-image';

/**
 * One stage of a pipeline-driven fleet update run (az fleet updaterun, az fleet gate): the first stage's job creates
 * the run with the pipelines' strategy and starts it; each later stage's job runs once its environment is approved,
 * approves the gate Fleet holds before that stage, and every job waits until its stage has finished. The run is named
 * after the pipeline run, so a re-run job finds it instead of starting another. Fleet honours each member's
 * maintenance window. Commands: https://learn.microsoft.com/cli/azure/fleet/updaterun and
 * https://learn.microsoft.com/azure/kubernetes-fleet/update-strategies-gates-approvals.
 */
export function fleetStageScript(fleet: FleetPlan, index: number, update: FleetUpdate, ci: CiSystem): string {
  const stage = fleet.stages[index]!;
  const first = index === 0;
  const last = index === fleet.stages.length - 1;
  const runId = ci === 'github' ? '$GITHUB_RUN_ID' : '$BUILD_BUILDID';
  const ofStage = `status.stages[?name=='${stage.name}'] | [0]`;
  const create =
    update === 'kubernetes'
      ? '--upgrade-type Full --kubernetes-version "$VERSION" --node-image-selection Latest'
      : '--upgrade-type NodeImageOnly --node-image-selection Latest';
  return [
    'set -euo pipefail',
    ...summaryPrologue(ci),
    'az extension add --upgrade --name fleet --only-show-errors',
    `fleet=(--resource-group ${sh(fleet.resourceGroup)} --fleet-name ${sh(fleet.name)})`,
    `run="${update}-${runId}"`,
    'show() { az fleet updaterun show "${fleet[@]}" --name "$run" --query "$1" --output tsv; }',
    // A failed or stopped run ends every job with the stages' states, so the log says where it stopped.
    'check_run() {',
    '  case "$(show status.status.state)" in',
    '    Failed | Stopping | Stopped)',
    '      echo "Update run $run is $(show status.status.state):" >&2',
    '      az fleet updaterun show "${fleet[@]}" --name "$run" --query "status.stages[].{stage: name, state: status.state}" --output table >&2',
    '      exit 1',
    '      ;;',
    '  esac',
    '}',
    ...(first
      ? [
          ...(update === 'kubernetes'
            ? [
                'VERSION="$(printf %s "${VERSION:-}" | tr -d "[:space:]")"',
                'if [ -z "$VERSION" ]; then',
                `  echo "Give the target Kubernetes version: az aks get-upgrades on a member cluster lists the ones it can reach." >&2`,
                '  exit 1',
                'fi',
              ]
            : []),
          'if ! az fleet updaterun show "${fleet[@]}" --name "$run" --output none 2> /dev/null; then',
          `  echo "Creating update run $run with strategy ${fleet.pipelineStrategy}"`,
          `  az fleet updaterun create "\${fleet[@]}" --name "$run" ${create} --update-strategy-name ${sh(fleet.pipelineStrategy)} --only-show-errors --output none`,
          'fi',
          'if [ "$(show status.status.state)" = NotStarted ]; then',
          '  az fleet updaterun start "${fleet[@]}" --name "$run" --only-show-errors --output none',
          'fi',
        ]
      : [
          `# Fleet holds the run at the gate "${stage.approvalGate}" once the stage before has finished and soaked; this job`,
          `# runs only after the ${stage.approvalEnvironment} environment's approval, and passes that approval on to Fleet.`,
          'while :; do',
          '  check_run',
          `  gate="$(show "${ofStage}.beforeGates[0].status.state")"`,
          '  case "$gate" in',
          '    Pending)',
          `      gate_id="$(show "${ofStage}.beforeGates[0].gateId")"`,
          `      echo "Approving ${stage.approvalGate} (\${gate_id##*/})"`,
          `      az fleet gate approve "\${fleet[@]}" --gate-name "\${gate_id##*/}" --only-show-errors --output none`,
          '      break',
          '      ;;',
          '    Completed | Skipped) break ;;',
          '  esac',
          `  echo "Waiting for stage ${stage.name} to reach its approval gate (now: \${gate:-not started})"`,
          '  sleep 60',
          'done',
        ]),
    `# Stage ${stage.name} updates ${stage.groups.join(', ')}; the job ends when it has.`,
    'while :; do',
    '  check_run',
    `  state="$(show "${ofStage}.status.state")"`,
    '  case "$state" in',
    '    Completed | Skipped) break ;;',
    `    Failed | Stopped) echo "Stage ${stage.name} of $run is $state" >&2; exit 1 ;;`,
    '  esac',
    `  echo "Stage ${stage.name}: \${state:-not started}"`,
    '  sleep 60',
    'done',
    '{',
    `  echo "### Update run $run after stage ${stage.name}${last ? ' (the last)' : ''}"`,
    "  echo '```'",
    '  az fleet updaterun show "${fleet[@]}" --name "$run" --query "status.stages[].{stage: name, state: status.state}" --output table',
    "  echo '```'",
    `} >> ${summaryTarget(ci)}`,
  ].join('\n');
}

/** The comment heading both systems' fleet-driven upgrade pipelines. */
export function fleetUpgradeHeader(fleet: FleetPlan, update: FleetUpdate): string[] {
  const what = update === 'kubernetes' ? 'Kubernetes upgrade, run by hand' : 'Node image upgrade';
  return [
    `${what}, through the fleet ${fleet.name}: one update run (${update === 'kubernetes' ? 'Full' : 'NodeImageOnly'}) with the strategy`,
    `${fleet.pipelineStrategy}, stages ${fleet.stages.map((s) => s.name).join(' -> ')}. Each stage after the first waits at a Fleet approval`,
    "gate; its job here runs once its environment is approved and approves the gate. Fleet honours the clusters'",
    'maintenance windows.',
  ];
}

/** Builds every kustomization and validates the output against Kubernetes and Flux schemas. */
function tempDir(ci: CiSystem): string {
  return ci === 'github' ? '"$RUNNER_TEMP"' : '"$AGENT_TEMPDIRECTORY"';
}

/** kustomize and kubeconform at pinned versions, checked against their release checksums, and the Flux CRD schemas. */
export function installValidationTools(ci: CiSystem): string {
  const kustomize = pinnedVersion<string>(TOOLS, 'kustomize');
  const kubeconform = pinnedVersion<string>(TOOLS, 'kubeconform');
  const flux = pinnedVersion<string>(TOOLS, 'flux-crd-schemas');
  return [
    'set -euo pipefail',
    `cd ${tempDir(ci)}`,
    'mkdir -p bin flux-crd-schemas',
    `curl -fsSL --retry 3 -o kustomize.tar.gz "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${kustomize}/kustomize_v${kustomize}_linux_amd64.tar.gz"`,
    `echo "${pinnedVersion<string>(TOOLS, 'kustomize-linux-amd64-sha256')}  kustomize.tar.gz" | sha256sum --check`,
    'tar -xzf kustomize.tar.gz -C bin kustomize',
    `curl -fsSL --retry 3 -o kubeconform.tar.gz "https://github.com/yannh/kubeconform/releases/download/v${kubeconform}/kubeconform-linux-amd64.tar.gz"`,
    `echo "${pinnedVersion<string>(TOOLS, 'kubeconform-linux-amd64-sha256')}  kubeconform.tar.gz" | sha256sum --check`,
    'tar -xzf kubeconform.tar.gz -C bin kubeconform',
    `curl -fsSL --retry 3 "https://github.com/fluxcd/flux2/releases/download/v${flux}/crd-schemas.tar.gz" | tar -xzf - -C flux-crd-schemas`,
    ci === 'github' ? 'echo "$PWD/bin" >> "$GITHUB_PATH"' : 'echo "##vso[task.prependpath]$PWD/bin"',
  ].join('\n');
}

export function validateManifestsScript(ci: CiSystem): string {
  return [
    'set -euo pipefail',
    `schemas=${tempDir(ci)}/flux-crd-schemas`,
    '# Secrets are skipped: encrypted ones are not valid until decrypted. Kinds without a schema are reported, not failed.',
    'kubeconform_flags=(-strict -ignore-missing-schemas -skip Secret -summary -schema-location default -schema-location "$schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json")',
    'status=0',
    'while IFS= read -r -d "" file; do',
    '  dir="$(dirname "$file")"',
    '  if grep -qE "^kind: *Component" "$file"; then echo "skipping component $dir (built by the kustomizations that use it)"; continue; fi',
    '  echo "kustomize build $dir"',
    '  if ! kustomize build "$dir" | kubeconform "${kubeconform_flags[@]}"; then status=1; fi',
    'done < <(find clusters infrastructure apps -name kustomization.yaml -print0 2>/dev/null | sort -z)',
    '# Flux entry points in clusters/ that no kustomization.yaml lists are validated file by file.',
    'while IFS= read -r -d "" file; do',
    '  if ! kubeconform "${kubeconform_flags[@]}" "$file"; then status=1; fi',
    'done < <(find clusters -name "*.yaml" ! -name kustomization.yaml -print0 2>/dev/null | sort -z)',
    'exit "$status"',
  ].join('\n');
}

/** The comment heading both systems' Kubernetes upgrade pipeline. */
export function kubernetesUpgradeHeader(plan: Plan): string[] {
  return [
    'Kubernetes upgrade, run by hand: lists the versions available, upgrades the control plane first, then each',
    `node pool one at a time with max surge ${plan.upgrades.maxSurge}, then verifies every pool runs the new version.`,
    'The next infrastructure deployment keeps the version the cluster runs (it never downgrades); set',
    'cluster.kubernetesVersion to the new version and regenerate, so new clusters start there too.',
  ];
}

/**
 * The generator's `plan` against the pull request's target branch, beside the what-if: the Azure resources each
 * deployment would add, remove and replace, predicted offline by `bicep snapshot` from the Bicep the Azure CLI
 * installed (no sign-in, so it runs without any identity). A resource Azure must replace is the line to read twice.
 */
export function resourcePlanScript(ci: CiSystem, baseRef: string): string {
  return [
    'set -euo pipefail',
    ...summaryPrologue(ci),
    'status=0',
    `npx --yes generator-aks-platform@${GENERATOR_VERSION} plan . --base ${baseRef} --bicep "$HOME/.azure/bin/bicep" > resource-plan.txt || status=$?`,
    'cat resource-plan.txt',
    '{',
    '  echo "### Resource plan against the target branch"',
    "  echo '```'",
    '  cat resource-plan.txt',
    "  echo '```'",
    `} >> ${summaryTarget(ci)}`,
    'exit "$status"',
  ].join('\n');
}

/** The generator's own validate command at the version that generated the repository; exit 1 fails the check. */
export function platformValidateScript(): string {
  return `npx --yes generator-aks-platform@${GENERATOR_VERSION} validate . --format text\n`;
}
