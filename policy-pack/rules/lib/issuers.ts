/** Who issues what: Certificates and Ingresses (via ingress-shim) resolved to the stack's issuers. */
import type { PolicyResource } from "@pulumi/policy";
import { annotationsOf, arr, get, labelsOf, metaName, namespaceOf, ResourceLike, str, T } from "./k8s";

export interface CertRequest {
    /** The Certificate or Ingress asking. */
    source: ResourceLike;
    dnsNames: string[];
    issuerKind: "ClusterIssuer" | "Issuer";
    issuerName: string;
    /** The issuer resource when the stack defines it. */
    issuer?: ResourceLike;
    /** Labels cert-manager matches solver selectors against (the Certificate's). */
    labels: Record<string, string>;
}

export interface IssuerIndex {
    cluster: Map<string, ResourceLike>;
    namespaced: Map<string, ResourceLike>;
}

/** Issuers by name; callers guard: an unknown name throws. */
export function indexIssuers(resources: PolicyResource[], guard: <X>(r: ResourceLike, f: () => X) => X | undefined): IssuerIndex {
    const idx: IssuerIndex = { cluster: new Map(), namespaced: new Map() };
    for (const r of resources) {
        if (r.type === T.clusterIssuer) guard(r, () => { const n = metaName(r); if (n) idx.cluster.set(n, r); });
        if (r.type === T.issuer) guard(r, () => { const n = metaName(r); if (n) idx.namespaced.set(`${namespaceOf(r)}/${n}`, r); });
    }
    return idx;
}

/** The issuance a Certificate or an annotated Ingress asks for; undefined for other resources. */
export function certRequestOf(r: ResourceLike, idx: IssuerIndex): CertRequest | undefined {
    if (r.type === T.certificate) {
        const kind = str(get(r.props, "spec", "issuerRef", "kind")) === "ClusterIssuer" ? "ClusterIssuer" : "Issuer";
        const name = str(get(r.props, "spec", "issuerRef", "name")) ?? "";
        const ns = namespaceOf(r);
        return {
            source: r,
            dnsNames: arr(get(r.props, "spec", "dnsNames")).map(String),
            issuerKind: kind,
            issuerName: name,
            issuer: kind === "ClusterIssuer" ? idx.cluster.get(name) : idx.namespaced.get(`${ns}/${name}`),
            labels: labelsOf(r),
        };
    }
    if (r.type === T.ingress) {
        const ann = annotationsOf(r);
        const ci = ann["cert-manager.io/cluster-issuer"];
        const ni = ann["cert-manager.io/issuer"];
        if (ci === undefined && ni === undefined) return undefined;
        const hosts = arr(get(r.props, "spec", "tls")).flatMap((t) => arr(get(t, "hosts")).map(String));
        return ci !== undefined
            ? { source: r, dnsNames: hosts, issuerKind: "ClusterIssuer", issuerName: ci, issuer: idx.cluster.get(ci), labels: {} }
            : { source: r, dnsNames: hosts, issuerKind: "Issuer", issuerName: ni ?? "", issuer: idx.namespaced.get(`${namespaceOf(r)}/${ni}`), labels: {} };
    }
    return undefined;
}
