/**
 * Peer and port matching, one endpoint at a time: the definition both evaluators follow. Matches are
 * three-valued: a peer the analyzer cannot evaluate (an unknown value, an unmodelled feature, a
 * namespace whose labels are not in the input) "maybe" matches.
 */
import { matchBlock } from "../shared/net";
import { matches, namespaceMatches } from "./selectors";
import type { Dataplane, ModelEndpoint, NamespaceInfo, Peer, Policy, PortSpec, Probe, Tri } from "./types";

/** Which end of the connection the peer is matched against: ingress rules match sources, egress rules destinations. */
export type Role = "source" | "destination";

export interface PeerMatch {
    match: Tri;
    /** Why a peer that looks like it should match does not (for explanations). */
    note?: string;
    /** Why it may match (the warning it cites). */
    reason?: string;
}

const NO: PeerMatch = { match: "no" };
const YES: PeerMatch = { match: "yes" };

export function and3(a: Tri, b: Tri): Tri {
    return a === "no" || b === "no" ? "no" : a === "maybe" || b === "maybe" ? "maybe" : "yes";
}

export function or3(a: Tri, b: Tri): Tri {
    return a === "yes" || b === "yes" ? "yes" : a === "maybe" || b === "maybe" ? "maybe" : "no";
}

/**
 * The identity Cilium gives an endpoint in this role. On AKS the API server's calls into pods are
 * tunnelled through the nodes and arrive from a node's address, so Cilium sees `remote-node`, never
 * `kube-apiserver` (cilium/cilium issue 31711, Hubble output on AKS; Cilium docs, Documentation/
 * security/policy/layer3.rst "Entities based", the note added by PR 32464). As a destination the API
 * server is the `kube-apiserver` entity, which works for egress on AKS (same note).
 */
export function identityOf(ep: ModelEndpoint, role: Role): ModelEndpoint["kind"] {
    return ep.kind === "apiserver" && role === "source" ? "node" : ep.kind;
}

/** Which endpoints an opaque peer may match. */
function opaqueMatches(scope: Extract<Peer, { kind: "opaque" }>["scope"], kind: ModelEndpoint["kind"], ep: ModelEndpoint, dataplane: Dataplane): boolean {
    switch (scope) {
        case "any":
            return true;
        case "external":
            return kind === "external";
        case "pods":
            return kind === "pod";
        case "node":
            return kind === "node";
        case "cidr":
            // CIDR selectors select addresses outside the cluster; on the kubernetes dataplane also pod IPs.
            return kind === "external" || (dataplane === "kubernetes" && kind === "pod" && ep.cidrs.length > 0);
    }
}

export function peerMatches(peer: Peer, ep: ModelEndpoint, role: Role, namespaces: Map<string, NamespaceInfo>, dataplane: Dataplane): PeerMatch {
    const kind = identityOf(ep, role);
    switch (peer.kind) {
        case "k8s": {
            if (kind !== "pod" || ep.namespace === undefined) return NO;
            let ns: Tri = "yes";
            let reason: string | undefined;
            if (peer.namespaceSelector) {
                const info = namespaces.get(ep.namespace);
                ns = info ? namespaceMatches(peer.namespaceSelector, info) : "no";
                if (ns === "maybe") reason = info?.uncertainty;
            } else if (ep.namespace !== peer.policyNamespace) {
                return NO;
            }
            const pod: Tri = !peer.podSelector || matches(peer.podSelector, ep.labels) ? "yes" : "no";
            const m = and3(ns, pod);
            return m === "maybe" ? { match: m, ...(reason ? { reason } : {}) } : m === "yes" ? YES : NO;
        }
        case "cilium": {
            if (kind !== "pod") return NO;
            if (peer.namespace !== undefined && ep.namespace !== peer.namespace) return NO;
            return matches(peer.selector, ep.ciliumLabels) ? YES : NO;
        }
        case "cidr": {
            if (kind === "external") {
                const m = matchBlock(peer.block, peer.except, ep.cidrs[0]);
                if (m === "partial") return { match: "no", note: `${peer.text} covers only part of ${ep.id} (${ep.cidrs[0].text}); an endpoint matches only when all of its addresses do` };
                return m === "all" ? YES : NO;
            }
            const wouldMatch = ep.cidrs.some((c) => matchBlock(peer.block, peer.except, c) === "all");
            if (dataplane === "cilium") {
                if (wouldMatch || (kind === "pod" && ep.cidrs.length === 0)) {
                    const what = ep.kind === "apiserver" ? "the API server (use a CiliumNetworkPolicy with toEntities: kube-apiserver)" : "pods (select them by labels)";
                    return { match: "no", note: `${peer.text}: Cilium CIDR selectors never select ${what}` };
                }
                return NO;
            }
            if (kind === "pod" && ep.cidrs.length === 0) return { match: "no", note: `${peer.text}: ${ep.id} has no known pod IP, so no ipBlock can match it` };
            return kind === "pod" && wouldMatch ? YES : NO;
        }
        case "entity": {
            switch (peer.entity) {
                case "all":
                    return YES;
                case "cluster":
                    return kind === "pod" || kind === "node" || kind === "apiserver" ? YES : NO;
                case "kube-apiserver":
                    if (kind === "apiserver") return YES;
                    if (ep.kind === "apiserver") {
                        return { match: "no", note: `${peer.text}: the API server's calls into pods arrive from the nodes with the remote-node identity on AKS, so fromEntities kube-apiserver never matches them (cilium/cilium issue 31711; Cilium docs, "Entities based")` };
                    }
                    return NO;
                case "remote-node":
                    return kind === "node" ? YES : NO;
                case "world":
                    return kind === "external" ? YES : NO;
                case "world-ipv4":
                    return kind === "external" && ep.cidrs[0].family === 4 ? YES : NO;
                case "world-ipv6":
                    return kind === "external" && ep.cidrs[0].family === 6 ? YES : NO;
                // The local host, health endpoints, endpoints in bootstrap, Cilium's ingress proxy and
                // unmanaged endpoints are none of the endpoints the model has.
                case "host":
                case "health":
                case "init":
                case "ingress":
                case "unmanaged":
                    return NO;
            }
            return NO;
        }
        case "opaque":
            if (peer.namespace !== undefined && ep.namespace !== peer.namespace) return NO;
            return opaqueMatches(peer.scope, kind, ep, dataplane) ? { match: "maybe", reason: peer.reason } : NO;
    }
}

/** Does a port entry admit the probe to destination `dest`? Named ports resolve against dest's container ports. */
export function portMatches(spec: PortSpec, probe: Probe, dest: ModelEndpoint): Tri {
    if (spec.protocol !== undefined && spec.protocol !== probe.protocol) return "no";
    if (spec.uncertain !== undefined) return "maybe";
    if (spec.name !== undefined) return dest.kind === "pod" && dest.ports.some((p) => p.name === spec.name && p.protocol === probe.protocol && p.port === probe.port) ? "yes" : "no";
    if (spec.port === undefined) return "yes";
    if (spec.endPort !== undefined) return probe.port >= spec.port && probe.port <= spec.endPort ? "yes" : "no";
    return probe.port === spec.port ? "yes" : "no";
}

/** Whether a policy selects a pod: unknown namespaces and selectors may. */
export function policySelects(policy: Policy, ep: ModelEndpoint): Tri {
    if (ep.kind !== "pod") return "no";
    if (policy.namespace !== undefined && ep.namespace !== policy.namespace) return "no";
    if (!policy.podSelector) return "maybe";
    const m = matches(policy.podSelector, policy.kind === "CiliumNetworkPolicy" ? ep.ciliumLabels : ep.labels);
    return !m ? "no" : policy.namespace === undefined ? "maybe" : "yes";
}
