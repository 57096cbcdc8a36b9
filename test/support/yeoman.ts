import type { BaseGenerator, GetGeneratorConstructor } from '@yeoman/types';
import helpers, { type RunContextSettings } from 'yeoman-test';

/**
 * yeoman-test's run() typed by the generator class. Our generators take the (args, options) their base class
 * passes; yeoman-test's constructor type declares both optional, so the class is narrowed once here instead of
 * in every test.
 */
export function runGenerator<G extends BaseGenerator>(
  generator: abstract new (args: string[], options: never) => G,
  settings: RunContextSettings,
) {
  return helpers.run<G>(generator as unknown as GetGeneratorConstructor<G>, settings);
}
