// Names git and GitHub accept, as patterns (the answers schema, and so the published JSON Schema, carries them) and
// checks (the CLI's options and the catalog's sources). One definition each.

/** A GitHub user or organisation: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen. */
export const GITHUB_OWNER_PATTERN = '^[A-Za-z0-9]([A-Za-z0-9-]{0,37}[A-Za-z0-9])?$';

/**
 * A GitHub repository name: letters, digits, `.`, `_`, `-`, at most 100; `.` and `..` are path segments, not
 * names (in an API URL `/repos/o/..` collapses to `/repos/`).
 */
export const GITHUB_REPO_PATTERN = '^(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}$';

/**
 * A branch name `git check-ref-format --branch` accepts, within the characters safe in YAML and shell: no component
 * starting with `.` or ending with `.lock`, no `..`, `//`, leading `-` or `/`, trailing `/` or `.`, not `HEAD`.
 */
export const BRANCH_PATTERN =
  '^(?![-/.])(?!HEAD$)(?!.*(?:\\.\\.|//|/\\.|\\.lock/|\\.lock$|/$|\\.$))[A-Za-z0-9._/-]{1,100}$';

const OWNER = new RegExp(GITHUB_OWNER_PATTERN);
const REPO = new RegExp(GITHUB_REPO_PATTERN);
const BRANCH = new RegExp(BRANCH_PATTERN);

export const isGitHubOwner = (name: string): boolean => OWNER.test(name);
export const isGitHubRepo = (name: string): boolean => REPO.test(name);
export const isBranchName = (name: string): boolean => BRANCH.test(name);
