#!/usr/bin/env node
// `kubectl netsim ...`: kubectl runs any executable named kubectl-<name> found on PATH as `kubectl <name>`
// (https://kubernetes.io/docs/tasks/extend-kubectl/kubectl-plugins/). The same command as bin/netsim.js.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv);
