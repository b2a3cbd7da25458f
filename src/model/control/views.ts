/**
 * What the data path reads of the control plane: the only file of `control/` it imports. The controllers
 * write these arrays; the data path never calls a controller.
 *
 * Endpoint choices do not go through here: each node's kube-proxy view lives in the Service proxies' own
 * `EndpointTopology` (rewritten per node at that node's sync), and each load balancer's healthy targets in
 * the balancer. What is here is what a packet finds when it arrives: is the pod there, does it take new
 * connections, is the node up.
 */

/** What a pod does with a packet that reaches it. */
export const PodState = {
  /** Not created yet, or long gone: nothing answers at its address. */
  Absent: 0,
  /** Running: it takes new connections and requests. */
  Accepting: 1,
  /** SIGTERM received, shutting down gracefully: new connections are refused, established ones served. */
  Draining: 2,
  /** Killed (or exited): its address answers with a reset. */
  Gone: 3,
} as const;
export type PodStateCode = (typeof PodState)[keyof typeof PodState];

/**
 * What the control plane may ask of the data path (DataPath implements it): the few things that act on
 * requests and connections rather than on views. Each scans what it needs once per control-plane event.
 */
export interface DataPathHooks {
  /** A killed pod (or one on a node that died) loses what it holds: those attempts end with `code`. */
  abortAt(pod: number, code: number): void;
  /** An exiting or shutting-down pod closes its connections (requests already sent are still served). */
  closeConnections(pod: number): void;
  /** A load balancer resets the flows through one target (node, or pod for IP targets; −1 for the other). */
  resetLoadBalancerFlows(target: number, node: number, pod: number): void;
}

export class DataPlaneView {
  /** Per pod, a `PodState`. */
  readonly podState: Uint8Array;
  /** Per node, 1 while the node is down (powered off, partitioned): packets to or through it are lost. */
  readonly nodeDown: Uint8Array;
  /** How many nodes are down: the data path looks at `nodeDown` only when this is > 0. */
  downNodes = 0;

  constructor(pods: number, nodes: number, initial: (pod: number) => PodStateCode) {
    this.podState = new Uint8Array(pods);
    for (let p = 0; p < pods; p++) this.podState[p] = initial(p);
    this.nodeDown = new Uint8Array(nodes);
  }

  /** Whether every pod accepts and no node is down (then the data path's checks all pass). */
  get quiet(): boolean {
    return this.downNodes === 0 && this.podState.every((s) => s === PodState.Accepting);
  }
}
