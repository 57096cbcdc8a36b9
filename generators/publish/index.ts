import Generator, { type BaseOptions } from 'yeoman-generator';
import { publishDirectory, type PublishValues } from '../../src/github/command.js';

// `yo aks-platform:publish`: a thin layer over the core of `aks-platform publish`; every step, check and message
// comes from src/.

type Options = BaseOptions & {
  dir?: string;
  repo?: string;
  visibility?: string;
  apiUrl?: string;
  branch?: string;
  reviewers?: string;
  tenantId?: string;
  subscriptionId?: string;
  clientId?: string;
};

const STRING_OPTIONS = [
  ['repo', 'repo', 'The repository, <owner>/<name> (default: delivery.github in .yo-rc.json)'],
  ['visibility', 'visibility', 'private (default for a new repository), internal or public'],
  ['apiUrl', 'api-url', 'GitHub Enterprise Server API URL'],
  ['branch', 'branch', 'The branch to push and protect (default: delivery.github.branch, else main)'],
  ['reviewers', 'reviewers', 'Required reviewers of production environments: users, or <org>/<team> (comma-separated)'],
  ['tenantId', 'tenant-id', 'Actions variable AZURE_TENANT_ID'],
  ['subscriptionId', 'subscription-id', 'Actions variable AZURE_SUBSCRIPTION_ID'],
  ['clientId', 'client-id', 'Actions variable AZURE_CLIENT_ID'],
] as const;

export default class AksPlatformPublishGenerator extends Generator<Record<string, unknown>, Options> {
  constructor(args: string[], options: Options) {
    super(args, options);
    this.argument('dir', {
      type: String,
      required: false,
      description: 'The generated repository (default: the current directory)',
    });
    for (const [name, , description] of STRING_OPTIONS) this.option(name, { type: String, description });
  }

  async publish(): Promise<void> {
    const values: PublishValues = {};
    for (const [name, flag] of STRING_OPTIONS) {
      const value = this.options[name];
      if (typeof value !== 'string' || value === '') continue;
      if (flag === 'reviewers') values.reviewers = [value];
      else values[flag] = value;
    }
    const errors: string[] = [];
    const code = await publishDirectory([this.options.dir ?? this.destinationRoot()], values, {
      out: (text) => this.log(text),
      err: (text) => errors.push(text),
    });
    // A failure reaches Yeoman as a plain error carrying our (redacted) message; Yeoman prints it and exits non-zero.
    if (code !== 0) throw new Error(errors.join('\n'));
  }
}
