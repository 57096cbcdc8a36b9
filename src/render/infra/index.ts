import type { OutputArea } from '../index.js';

export const infraArea: OutputArea = {
  name: 'infra',
  *render() {},
};
