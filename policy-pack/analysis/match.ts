/** Peer and port matching, one endpoint at a time: the definition both evaluators follow. */
import { matchBlock } from "../shared/net";
import { matches } from "./selectors";
import type { Dataplane, ModelEndpoint, NamespaceInfo, Peer, PortSpec, Probe } from "./types";

export interface PeerMatch {
    match: boolean;
    /** Why a peer that looks like it should match does not (for explanations). */
    note?: string;
}

export function peerMatches(peer: Peer, ep: ModelEndpoint, namespaces: Map<string, NamespaceInfo>, dataplane: Dataplane): PeerMatch {
    switch (peer.kind) {
        case "k8s": {
            if (ep.kind !== "pod" || ep.namespace === undefined) return { match: false };
            if (peer.namespaceSelector) {
                const ns = namespaces.get(ep.namespace);
                if (!ns || !matches(peer.namespaceSelector, ns.labels)) return { match: false };
            } else if (ep.namespace !== peer.policyNamespace) {
                return { match: false };
            }
            return { match: peer.podSelector ? matches(peer.podSelector, ep.labels) : true };
        }
        case "cilium": {
            if (ep.kind !== "pod") return { match: false };
            if (peer.namespace !== undefined && ep.namespace !== peer.namespace) return { match: false };
            return { match: matches(peer.selector, ep.ciliumLabels) };
        }
        case "cidr": {
            if (ep.kind === "external") {
                const m = matchBlock(peer.block, peer.except, ep.cidrs[0]);
                if (m === "partial") return { match: false, note: `${peer.text} covers only part of ${ep.id} (${ep.cidrs[0].text}); an endpoint matches only when all of its addresses do` };
                return { match: m === "all" };
            }
            const wouldMatch = ep.cidrs.some((c) => matchBlock(peer.block, peer.except, c) === "all");
            if (dataplane === "cilium") {
                if (wouldMatch || (ep.kind === "pod" && ep.cidrs.length === 0)) {
                    const what = ep.kind === "apiserver" ? "the API server (use a CiliumNetworkPolicy with toEntities/fromEntities: kube-apiserver)" : "pods (select them by labels)";
                    return { match: false, note: `${peer.text}: Cilium CIDR selectors never select ${what}` };
                }
                return { match: false };
            }
            if (ep.kind === "pod" && ep.cidrs.length === 0) return { match: false, note: `${peer.text}: ${ep.id} has no known pod IP, so no ipBlock can match it` };
            return { match: wouldMatch };
        }
        case "entity": {
            switch (peer.entity) {
                case "all":
                    return { match: true };
                case "cluster":
                    return { match: ep.kind === "pod" || ep.kind === "apiserver" };
                case "kube-apiserver":
                    return { match: ep.kind === "apiserver" };
                case "world":
                    return { match: ep.kind === "external" };
                case "world-ipv4":
                    return { match: ep.kind === "external" && ep.cidrs[0].family === 4 };
                case "world-ipv6":
                    return { match: ep.kind === "external" && ep.cidrs[0].family === 6 };
            }
        }
    }
    return { match: false };
}

/** Does a port entry admit the probe to destination `dest`? Named ports resolve against dest's container ports. */
export function portMatches(spec: PortSpec, probe: Probe, dest: ModelEndpoint): boolean {
    if (spec.protocol !== undefined && spec.protocol !== probe.protocol) return false;
    if (spec.name !== undefined) return dest.kind === "pod" && dest.ports.some((p) => p.name === spec.name && p.protocol === probe.protocol && p.port === probe.port);
    if (spec.port === undefined) return true;
    if (spec.endPort !== undefined) return probe.port >= spec.port && probe.port <= spec.endPort;
    return probe.port === spec.port;
}
