import { UserError } from '../errors.js';
import { GENERATOR_NAME } from '../versions.js';
import { GENERATED_BRANCH } from '../write/git.js';
import { formatSummaryMarkdown } from './classify.js';
import type { UpgradeResult } from './index.js';
import { upgradeMessages } from './messages.js';
import { Repo } from './repo.js';

// `upgrade --pr`: the merge happens on a new branch, which is pushed with the pristine branch, and a pull request
// into the branch the user was on carries the summary table. Reuses the publish feature's token lookup, client,
// credential handling for git and error explanations (src/github).

export const DEFAULT_API_URL = 'https://api.github.com';

export interface PullRequestTarget {
  remoteUrl: string;
  owner: string;
  repo: string;
  apiUrl: string;
  token: string;
}

/** owner/name from the last two segments of origin's URL: https://host/owner/name(.git), git@host:owner/name.git, or a path. */
export function parseRemote(url: string): { owner: string; repo: string } | undefined {
  const match = /[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

/** Checks everything a pull request needs before the upgrade changes anything. */
export async function pullRequestTarget(
  dir: string,
  apiUrlOption: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<PullRequestTarget> {
  const repo = new Repo(dir);
  const origin = repo.run(['remote', 'get-url', 'origin'], { ok: [0, 1, 2, 128] });
  if (origin.code !== 0) throw new UserError(upgradeMessages.prNoOrigin(dir));
  const remoteUrl = origin.stdout.trim();
  const parsed = parseRemote(remoteUrl);
  if (!parsed) throw new UserError(upgradeMessages.prBadOrigin(remoteUrl));
  const apiUrl = (apiUrlOption ?? env.GITHUB_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) throw new UserError(upgradeMessages.prBadApiUrl(apiUrl));
  const { resolveToken } = await import('../github/token.js');
  const token = resolveToken(env, apiUrl === DEFAULT_API_URL ? undefined : apiUrl);
  if (!token) throw new UserError(upgradeMessages.prNoToken);
  return { remoteUrl, ...parsed, apiUrl, token };
}

export function prBranchName(version: string, pristine: string): string {
  return `aks-platform/upgrade-${version}-${pristine.slice(0, 7)}`;
}

/** Pushes the upgrade branch and the pristine branch, opens the pull request, and returns its URL. */
export async function openPullRequest(
  dir: string,
  target: PullRequestTarget,
  result: UpgradeResult,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
): Promise<string> {
  const [{ createClient }, { authenticatedRemote, pushBranches }, { explainGitHubError }, { redact }] =
    await Promise.all([
      import('../util/octokit.js'),
      import('../github/git-push.js'),
      import('../github/errors.js'),
      import('../github/redact.js'),
    ]);
  const { token } = target;
  const remote = /^https?:\/\//.test(target.remoteUrl)
    ? authenticatedRemote(target.remoteUrl, token, env)
    : { url: target.remoteUrl, env };
  const repo = new Repo(dir);
  const actions = [result.branch, GENERATED_BRANCH].map((branch) => ({
    branch,
    local: repo.resolve(`refs/heads/${branch}`)!,
    action: 'push' as const,
  }));
  say(
    upgradeMessages.prPushing(
      actions.map((a) => a.branch),
      target.remoteUrl,
    ),
  );
  await pushBranches(dir, remote, actions);

  const github = createClient({ token, baseUrl: target.apiUrl, say: (line) => say(redact(line)) });
  try {
    const { data } = await github.rest.pulls.create({
      owner: target.owner,
      repo: target.repo,
      head: result.branch,
      base: result.startBranch,
      title: `Upgrade the AKS platform to ${GENERATOR_NAME} ${result.version}`,
      body: upgradeMessages.prBody(result, formatSummaryMarkdown(result.outcomes)),
      maintainer_can_modify: true,
    });
    return data.html_url;
  } catch (error) {
    throw explainGitHubError(
      error,
      `opening the pull request ${result.branch} -> ${result.startBranch} in ${target.owner}/${target.repo}`,
    );
  }
}
