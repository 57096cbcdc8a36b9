import type { OutputArea } from '../index.js';

export const pipelinesArea: OutputArea = {
  name: 'pipelines',
  *render() {},
};
