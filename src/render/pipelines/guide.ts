import { PIPELINE_SECRETS, pipelineSecretNames, planDeployments } from '../../plan/contracts.js';
import type { Plan } from '../../plan/index.js';
import { BOOTSTRAP_TEMPLATE, githubSubjects, pipelineIdentityNames } from './bootstrap.js';
import { nodeImageCron, nodeImageUpgradeNeeded } from './github.js';
import { stopStartCrons } from './scripts.js';

// docs/pipelines.md: what runs when, and the one-time setup a person does before the first run.

function code(lines: string[], lang = 'bash'): string[] {
  return ['```' + lang, ...lines, '```'];
}

export function pipelinesGuide(plan: Plan): string {
  const { githubActions, azureDevOps } = plan.components;
  const repo = plan.gitRepository;
  const names = pipelineIdentityNames(plan);
  const deployments = planDeployments(plan);
  const stopStartEnvs = plan.environments.filter((e) => e.stopStart);
  const production = plan.environments.filter((e) => e.production).map((e) => e.name);
  const nodeImage = nodeImageUpgradeNeeded(plan);
  const branch = plan.answers.delivery.github.branch;
  const out: string[] = ['# Pipelines', ''];

  out.push('## What runs when', '');
  out.push('| Pipeline | Runs | Does |', '|---|---|---|');
  const folder = (file: string) =>
    [githubActions ? `\`.github/workflows/${file}\`` : '', azureDevOps ? `\`.azure-pipelines/${file}\`` : '']
      .filter(Boolean)
      .join(', ');
  out.push(
    `| ${folder('infra.yml')} | pull request; push to \`${branch}\` | Bicep build + lint and a what-if per deployment on pull requests; on \`${branch}\`, deploys ${deployments.map((d) => `\`${d.parameters}\``).join(', then ')}. |`,
  );
  out.push(
    `| ${folder('validate.yml')} | pull request | Builds every kustomization and validates it with kubeconform against the Kubernetes and Flux schemas, then runs \`aks-platform validate\` (the generator that made this repository) over Bicep, schemas, workflows and the cross-file rules, and PSRule for Azure over the Bicep with the baseline and suppressions of \`ps-rule.yaml\` (no Azure sign-in). |`,
  );
  if (stopStartEnvs.length > 0)
    out.push(
      `| ${folder('stop-start.yml')} | schedule; manual | Stops and starts ${stopStartEnvs.map((e) => e.name).join(', ')} outside working hours. |`,
    );
  if (nodeImage)
    out.push(
      `| ${folder('node-image-upgrade.yml')} | weekly (\`${nodeImageCron(plan)}\` UTC); manual | Rolls the latest node image to each pool, one at a time, non-production first. |`,
    );
  out.push(
    `| ${folder('kubernetes-upgrade.yml')} | manual | Lists the available Kubernetes versions; with a version, upgrades the control plane, then each pool with max surge ${plan.answers.upgrades.maxSurge}, then verifies. |`,
  );
  out.push('');
  out.push(
    'Every pipeline signs in to Azure with a federated credential of one user-assigned managed identity: there is no client secret anywhere.',
    '',
  );

  out.push('## One-time setup', '');
  out.push(`### 1. Deploy the pipeline identity`, '');
  out.push(`Someone with Owner (or User Access Administrator and Contributor) on the subscription runs, once:`, '');
  out.push(
    ...code([
      `az deployment sub create --name pipeline-identity --location ${plan.location} --template-file ${BOOTSTRAP_TEMPLATE}`,
      'az deployment sub show --name pipeline-identity --query properties.outputs',
    ]),
  );
  out.push('');
  out.push(
    `It creates \`${names.identity}\` in \`${names.resourceGroup}\` and gives it two roles on the subscription:`,
    '',
  );
  out.push(
    '- **Contributor**: the deployments create resource groups, networks, clusters and their add-ons, and the upgrade and stop/start pipelines act on the clusters.',
  );
  out.push(
    '- **Role Based Access Control Administrator**, with a condition that excludes Owner, User Access Administrator and Role Based Access Control Administrator: the platform assigns roles (registry pull, Key Vault, cluster access), which Contributor cannot do, but the pipeline can never grant itself or anyone else a privileged role.',
  );
  out.push('');
  out.push(
    'Both are at subscription scope because the deployments create their resource groups; narrow them to the resource groups once those exist if your organisation prefers.',
    '',
  );
  if (githubActions) {
    if (githubSubjects(plan).length > 0 && repo) {
      out.push('Its federated credentials accept GitHub tokens of exactly these subjects:', '');
      for (const s of githubSubjects(plan)) out.push(`- \`${s.subject}\``);
      out.push('');
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
    out.push('The IDs are not secrets; they are repository variables:', '');
    out.push(
      ...code([
        'gh variable set AZURE_CLIENT_ID --body <clientId output>',
        'gh variable set AZURE_TENANT_ID --body <tenantId output>',
        'gh variable set AZURE_SUBSCRIPTION_ID --body <subscriptionId output>',
      ]),
    );
    out.push('');
    out.push(
      `Create the environments ${plan.environments.map((e) => `\`${e.name}\``).join(', ')} (Settings → Environments), each limited to the \`${branch}\` branch.`,
    );
    if (production.length > 0)
      out.push(
        `Add required reviewers to ${production.map((p) => `\`${p}\``).join(', ')}: that is the approval production deployments and upgrades wait for.`,
      );
    out.push('');
  }
  if (azureDevOps) {
    out.push(`### ${githubActions ? 3 : 2}. Azure DevOps: service connection, environments and pipelines`, '');
    out.push(
      `1. Create an Azure Resource Manager service connection named \`${plan.answers.delivery.azureDevOpsServiceConnection}\` with workload identity federation (manual), for the client ID, tenant and subscription above.`,
    );
    out.push('2. Copy its issuer and subject identifier and add them to the identity:');
    out.push('');
    out.push(
      ...code([
        `az deployment sub create --name pipeline-identity --location ${plan.location} --template-file ${BOOTSTRAP_TEMPLATE} \\`,
        "  --parameters azureDevOpsIssuer='<issuer>' azureDevOpsSubject='<subject identifier>'",
      ]),
    );
    out.push('');
    out.push(
      `3. Create the environments ${plan.environments.map((e) => `\`${e.name}\``).join(', ')} (Pipelines → Environments)${production.length > 0 ? ` and add an Approvals check to ${production.map((p) => `\`${p}\``).join(', ')}` : ''}.`,
    );
    out.push(
      '4. Create one pipeline per file in `.azure-pipelines/`. With Azure Repos, add `validate.yml` and `infra.yml` as build validation in the branch policy (Azure Repos ignores `pr:` triggers).',
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
    );
  }

  out.push('## Upgrades', '');
  out.push(
    nodeImage
      ? `The node OS upgrade channel is ${plan.answers.upgrades.nodeOsUpgradeChannel}, so the node image upgrade pipeline rolls out new node images weekly${production.length > 0 ? `; its ${production.join(', ')} job waits for the environment approval like a deployment` : ''}.`
      : `The node OS upgrade channel is ${plan.answers.upgrades.nodeOsUpgradeChannel}: AKS rolls out node updates itself in the maintenance window, so there is no node image pipeline.`,
  );
  out.push('');
  out.push(
    'For a Kubernetes upgrade, run the upgrade pipeline for an environment without a version to see the available ones, then again with the version. Upgrade non-production first. Afterwards set `cluster.kubernetesVersion` to the new version and regenerate, so the next infrastructure deployment agrees with the cluster.',
    '',
  );
  return `${out.join('\n')}\n`;
}
