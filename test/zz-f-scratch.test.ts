import { it } from 'vitest';
import { netsim } from './cli/helpers.js';
it('x', async () => {
  for (const args of [['validate', '/tmp/f/nosim.yaml'], ['validate', '/tmp/f/nosim.yaml', '--set', 'Simulation.spec.duration=5s'], ['validate', '/tmp/f/nosim.yaml', '--set', 'Simulation.spec.duration=soon'], ['validate', '/tmp/f/nosim.yaml', '--set', 'Simulation.spec.warmup=1s', '-o', 'json']]) {
    const r = await netsim(args);
    console.log(args.join(' '), r.code, '\n', r.stdout, r.stderr);
  }
});
