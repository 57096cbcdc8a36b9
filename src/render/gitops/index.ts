import type { OutputArea } from '../index.js';

export const gitopsArea: OutputArea = {
  name: 'gitops',
  *render() {},
};
