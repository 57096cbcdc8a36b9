import { PIPELINE_SECRETS, pipelineSecretNames, planDeployments } from '../../plan/contracts.js';
import type { Plan } from '../../plan/index.js';
import {
  FLEET_OPERATOR_ROLE,
  JOB_SCOPES,
  planJobRoles,
  upgradesThroughFleet,
  deploymentEnvironment,
  identityFor,
  pipelineIdentities,
  pipelineResourceGroup,
} from '../../plan/pipeline-identities.js';
import { joinWords } from '../../util/words.js';
import { BOOTSTRAP_TEMPLATE } from './bootstrap.js';
import { nodeImageCron } from './github.js';
import { stopStartCrons } from './scripts.js';

// docs/pipelines.md: what runs when, and the one-time setup a person does before the first run.

function code(lines: string[], lang = 'bash'): string[] {
  return ['```' + lang, ...lines, '```'];
}

export function pipelinesGuide(plan: Plan): string {
  const { githubActions, azureDevOps } = plan.components;
  const repo = plan.gitRepository;
  const deployments = planDeployments(plan);
  const stopStartEnvs = plan.environments.filter((e) => e.stopStart);
  const production = plan.environments.filter((e) => e.production).map((e) => e.name);
  const nodeImage = plan.components.nodeImagePipeline;
  const branch = plan.delivery.branch;
  const out: string[] = ['# Pipelines', ''];

  out.push('## What runs when', '');
  out.push('| Pipeline | Runs | Does |', '|---|---|---|');
  const folder = (file: string) =>
    [githubActions ? `\`.github/workflows/${file}\`` : '', azureDevOps ? `\`.azure-pipelines/${file}\`` : '']
      .filter(Boolean)
      .join(', ');
  out.push(
    `| ${folder('infra.yml')} | pull request; push to \`${branch}\` | Bicep build + lint, the resource plan against \`${branch}\` (\`aks-platform plan\`, offline, no sign-in) and a what-if per deployment on pull requests; on \`${branch}\`, deploys ${deployments.map((d) => `\`${d.parameters}\``).join(', then ')}. |`,
  );
  out.push(
    `| ${folder('validate.yml')} | pull request | Builds every kustomization and validates it with kubeconform against the Kubernetes and Flux schemas, then runs \`aks-platform validate\` (the generator that made this repository) over Bicep, schemas, workflows and the cross-file rules, and PSRule for Azure over the Bicep with the baseline and suppressions of \`ps-rule.yaml\` (no Azure sign-in). |`,
  );
  if (stopStartEnvs.length > 0)
    out.push(
      `| ${folder('stop-start.yml')} | schedule; manual | Stops and starts ${stopStartEnvs.map((e) => e.name).join(', ')} outside working hours. |`,
    );
  const fleet = upgradesThroughFleet(plan) ? plan.fleet : undefined;
  const stages = fleet ? fleet.stages.map((s) => s.name).join(' → ') : '';
  if (nodeImage)
    out.push(
      fleet
        ? `| ${folder('node-image-upgrade.yml')} | weekly (\`${nodeImageCron(plan)}\` UTC); manual | Runs a NodeImageOnly fleet update run through ${fleet.pipelineStrategy} (${stages}), one job per stage. |`
        : `| ${folder('node-image-upgrade.yml')} | weekly (\`${nodeImageCron(plan)}\` UTC); manual | Rolls the latest node image to each pool, one at a time, non-production first. |`,
    );
  out.push(
    fleet
      ? `| ${folder('kubernetes-upgrade.yml')} | manual | Runs a Full fleet update run to the version given through ${fleet.pipelineStrategy} (${stages}), one job per stage. |`
      : `| ${folder('kubernetes-upgrade.yml')} | manual | Lists the available Kubernetes versions; with a version, upgrades the control plane, then each pool with max surge ${plan.upgrades.maxSurge}, then verifies. |`,
  );
  out.push('');

  const identities = pipelineIdentities(plan);
  const githubEnvironments = [...new Set(deployments.map(deploymentEnvironment))];
  out.push('## Identities and roles', '');
  out.push(
    'Each kind of job signs in as its own user-assigned managed identity, through a federated credential (no client secret anywhere), and holds only the role its job needs:',
    '',
  );
  out.push('| Job | Identity | Started by | Role | Scope | Source |', '|---|---|---|---|---|---|');
  for (const row of planJobRoles(plan)) {
    const identity =
      row.identity === 'plan'
        ? `\`${identityFor(plan, 'plan', 'plan').name}\``
        : row.identity === 'deploy'
          ? `\`id-${plan.platform}-deploy-<deployment>\``
          : row.identity === 'fleet'
            ? `\`${identityFor(plan, 'fleet', 'fleet').name}\``
            : `\`id-${plan.platform}-operator-<environment>\``;
    const role =
      row.identity === 'plan'
        ? 'Reader and a custom what-if role (deployments/whatIf and validate actions)'
        : row.identity === 'deploy'
          ? 'Contributor and Role Based Access Control Administrator, conditioned to exclude the privileged roles'
          : row.builtInRole
            ? row.identity === 'fleet'
              ? `${row.builtInRole.name} (built-in; the narrowest that runs update runs and approves gates)`
              : `${row.builtInRole.name} (built-in): ${row.actions.map((a) => `\`${a.replace('Microsoft.ContainerRegistry/registries/', '')}\``).join(', ')}`
            : `custom cluster operator role: ${row.actions.map((a) => `\`${a.replace('Microsoft.ContainerService/managedClusters/', '')}\``).join(', ')}`;
    const started =
      row.trigger === 'pull_request'
        ? 'a pull request'
        : row.trigger === 'branch'
          ? `\`${branch}\` (schedule or manual run)`
          : 'its environment';
    out.push(`| ${row.job} | ${identity} | ${started} | ${role} | ${JOB_SCOPES[row.scope]} | [docs](${row.source}) |`);
  }
  out.push('');
  out.push(
    'A pull request can edit any workflow, so whatever its jobs can sign in as, anyone who can open one can use. That is why the only identity trusting pull requests is the plan identity, which can read and preview but change nothing: what-if runs with `--validation-level ProviderNoRbac`, which checks read instead of write permissions. The deploy identities trust only their environment; the operators act on their own cluster only.',
    '',
  );
  out.push('## One-time setup', '');
  out.push(`### 1. Deploy the pipeline identities`, '');
  out.push(`Someone with Owner (or User Access Administrator and Contributor) on the subscription runs, once:`, '');
  out.push(
    ...code([
      `az deployment sub create --name pipeline-identity --location ${plan.location} --template-file ${BOOTSTRAP_TEMPLATE}`,
      'az deployment sub show --name pipeline-identity --query properties.outputs.clientIds.value --output table',
    ]),
  );
  out.push('');
  out.push(`It creates these identities in \`${pipelineResourceGroup(plan)}\`:`, '');
  for (const i of identities)
    out.push(
      `- \`${i.name}\`: ${i.grants.length > 0 ? i.grants.map((g) => `${g.role} on the subscription (${g.why.replace(/\.$/, '').toLowerCase()})`).join('; ') : i.kind === 'fleet' ? `${FLEET_OPERATOR_ROLE.name} on the fleet, granted by the fleet deployment` : `the cluster operator role on the ${i.key} cluster, granted by that environment's deployment`}.`,
    );
  out.push('');
  out.push(
    'The deploy identities hold their roles at subscription scope because the deployments create their resource groups. The Role Based Access Control Administrator assignment carries a condition that excludes Owner, User Access Administrator and Role Based Access Control Administrator, so no deployment can grant itself or anyone else a privileged role.',
    '',
  );
  if (githubActions) {
    const withSubjects = identities.filter((i) => i.githubSubjects.length > 0);
    if (withSubjects.length > 0 && repo) {
      out.push('Their federated credentials accept GitHub tokens of exactly these subjects:', '');
      for (const i of withSubjects)
        out.push(`- \`${i.name}\`: ${i.githubSubjects.map((s) => `\`${s.subject}\``).join(', ')}`);
      out.push('');
      if (stopStartEnvs.length > 0)
        out.push(
          `Scheduled workflows run on the default branch, so \`${branch}\` must be the default branch of ${repo.owner}/${repo.repo}.`,
          '',
        );
    } else {
      out.push(
        '**No GitHub federated credentials are included**: no GitHub owner was given, so the token subjects (`repo:<owner>/<repo>:...`) are unknown. Set it with `--set delivery.github.owner=<owner>` and regenerate; until then the workflows cannot sign in.',
        '',
      );
    }
  }
  if (githubActions) {
    out.push('### 2. GitHub: repository variables and environments', '');
    out.push('The IDs are not secrets; they are repository variables, one client ID per identity:', '');
    out.push(
      ...code([
        'gh variable set AZURE_TENANT_ID --body <tenantId output>',
        'gh variable set AZURE_SUBSCRIPTION_ID --body <subscriptionId output>',
        ...identities.map((i) => `gh variable set ${i.clientIdVariable} --body <clientId of ${i.name}>`),
      ]),
    );
    out.push('');
    out.push(
      `Create the environments ${githubEnvironments.map((e) => `\`${e}\``).join(', ')} (Settings → Environments) and limit each to the \`${branch}\` branch (Deployment branches and tags → Selected branches). That limit is what keeps a pull request from claiming an environment, and with it a deploy identity.`,
    );
    if (production.length > 0)
      out.push(
        `Add required reviewers to ${production.map((p) => `\`${p}\``).join(', ')}${plan.hub.mode === 'create' ? ' and `hub`' : ''}: that is the approval production deployments and upgrades wait for.`,
      );
    out.push('');
  }
  if (azureDevOps) {
    out.push(`### ${githubActions ? 3 : 2}. Azure DevOps: service connections, environments and pipelines`, '');
    out.push(
      '1. Create one Azure Resource Manager service connection per identity, with workload identity federation (manual), for its client ID and the tenant and subscription above:',
    );
    out.push('');
    for (const i of identities) out.push(`   - \`${i.serviceConnection}\` → \`${i.name}\``);
    out.push('');
    out.push('2. Add the organization, its issuer and the project to the identities:');
    out.push('');
    out.push(
      ...code([
        `az deployment sub create --name pipeline-identity --location ${plan.location} --template-file ${BOOTSTRAP_TEMPLATE} \\`,
        "  --parameters azureDevOpsIssuer='<issuer>' azureDevOpsOrganization='<organization>' azureDevOpsProject='<project>'",
      ]),
    );
    out.push('');
    out.push(
      `3. On every service connection except \`${identityFor(plan, 'plan', 'plan').serviceConnection}\`, add a **Branch control** check allowing only \`refs/heads/${branch}\`: pull request builds can then use the plan connection only, whatever the YAML in the pull request says.`,
    );
    out.push(
      `4. Create the environments ${githubEnvironments.map((e) => `\`${e}\``).join(', ')} (Pipelines → Environments)${production.length > 0 ? ` and add an Approvals check to ${production.map((p) => `\`${p}\``).join(', ')}` : ''}.`,
    );
    out.push(
      '5. Create one pipeline per file in `.azure-pipelines/`. With Azure Repos, add `validate.yml` and `infra.yml` as build validation in the branch policy (Azure Repos ignores `pr:` triggers).',
    );
    out.push('');
  }

  const secrets = pipelineSecretNames(plan);
  if (secrets.length > 0) {
    out.push('### Pipeline secrets', '');
    out.push(
      `${secrets.length === 1 ? 'One credential' : 'Credentials'} only you can create reach${secrets.length === 1 ? 'es' : ''} Azure through the deploy step\'s environment (\`readEnvironmentVariable\` in the \`.bicepparam\` files); nothing secret is ever written to the repository.`,
      '',
    );
    for (const secret of secrets) out.push(`- \`${secret}\`: ${PIPELINE_SECRETS[secret]?.what ?? ''}`);
    out.push('');
    if (githubActions)
      out.push(
        ...code(secrets.flatMap((secret) => plan.environments.map((e) => `gh secret set ${secret} --env ${e.name}`))),
        '',
      );
    if (azureDevOps)
      out.push(
        `In Azure DevOps, add ${secrets.map((secret) => `\`${secret}\``).join(' and ')} as secret variables of the \`infra.yml\` pipeline (or of a variable group it uses).`,
        '',
      );
  }
  if (stopStartEnvs.length > 0) {
    out.push('## Stop and start schedule', '');
    out.push(
      'Schedulers run cron in UTC, so the local times are converted. In a time zone with daylight saving each local time gets one cron per UTC offset, and a step checks which offset applies today, so the cluster starts and stops at the same local time all year.',
      '',
    );
    out.push(
      '| Environment | Action | Local time | Days | UTC cron | Applies at offset |',
      '|---|---|---|---|---|---|',
    );
    for (const env of stopStartEnvs) {
      for (const c of stopStartCrons(env))
        out.push(
          `| ${env.name} | ${c.action} | ${c.localTime} ${c.timeZone} | ${env.stopStart!.days.join(', ')} | \`${c.cron}\` | UTC${c.offset} |`,
        );
    }
    out.push('');
    out.push(
      'A cluster already running (or stopped) is left alone, so a manual run or a late schedule never fails. GitHub disables schedules in a repository without activity for 60 days.',
      '',
      'AKS changes only running clusters. A deployment to an environment that its schedule has stopped starts the cluster first and, when the schedule has it off at that hour, stops it again afterwards; so a stopped environment never fails a deployment or holds up the ones after it.',
      '',
    );
  }

  out.push('## Upgrades', '');
  out.push(
    nodeImage
      ? `The node OS upgrade channel is ${plan.upgrades.nodeOsUpgradeChannel}, so the node image upgrade pipeline rolls out new node images weekly${production.length > 0 ? `; its ${production.join(', ')} job waits for the environment approval like a deployment` : ''}.`
      : `The node OS upgrade channel is ${plan.upgrades.nodeOsUpgradeChannel}: AKS rolls out node updates itself in the maintenance window, so there is no node image pipeline.`,
  );
  out.push('');
  if (fleet)
    out.push(
      `The fleet ${fleet.name} updates the clusters: each upgrade pipeline creates one update run with the strategy ${fleet.pipelineStrategy} and starts it. ${fleet.stages.length > 1 ? `Fleet updates ${fleet.stages[0]!.name} first and then holds the run at an approval gate before each later stage. The job of that stage runs in its environment (${joinWords(fleet.stages.slice(1).map((s) => `\`${s.approvalEnvironment}\` for ${s.name}`))}), so the environment's reviewers release it, and approves the gate (\`az fleet gate approve\`). ` : ''}Fleet honours each cluster's maintenance window. A run that fails or is stopped fails its job; \`az fleet updaterun show\` says where it stopped.`,
      '',
    );
  out.push(
    (fleet
      ? 'For a Kubernetes upgrade, run the upgrade pipeline with the target version (`az aks get-upgrades` on a member cluster lists the ones it can reach).'
      : 'For a Kubernetes upgrade, run the upgrade pipeline for an environment without a version to see the available ones, then again with the version. Upgrade non-production first.') +
      ' The version in the `.bicepparam` files is the one new clusters start with and a floor: a deployment reads the version a cluster runs and keeps it when it is newer (after this pipeline or an auto-upgrade), because AKS refuses downgrades, and says so in the run. Set `cluster.kubernetesVersion` to the new version and regenerate when every environment has it.',
    '',
  );
  return `${out.join('\n')}\n`;
}
