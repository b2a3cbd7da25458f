#!/usr/bin/env node
// `kubectl netsim ...`: kubectl runs any executable named kubectl-<name> found on PATH as `kubectl <name>`
// (https://kubernetes.io/docs/tasks/extend-kubectl/kubectl-plugins/). The same command as bin/netsim.js.
import './netsim.js';
