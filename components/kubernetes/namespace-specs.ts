/** The namespaces the platform manages, as plain data (pure): names, roles, Pod Security levels, labels. */
import { certManager, istioCsr, MANAGED_NAMESPACE_LABEL, NAMESPACE_ROLE_LABEL, nginxIngress } from "../facts";
import { PlatformConfig } from "../config";

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";
export type NamespaceRole = "cert-manager" | "ingress" | "istio-csr" | "app";

export interface NamespaceSpec {
    name: string;
    role: NamespaceRole;
    /** Pod Security Admission level enforced (and audited and warned) in the namespace. */
    podSecurity: PodSecurityLevel;
    /** Why this level: it is the strictest level every pod of the namespace passes. */
    reason: string;
}

/** Every namespace the platform manages, with the strictest Pod Security level its pods pass. */
export function managedNamespaces(config: PlatformConfig): NamespaceSpec[] {
    return [
        {
            name: certManager.namespace,
            role: "cert-manager",
            podSecurity: "restricted",
            // The chart runs every pod non-root with RuntimeDefault seccomp, no privilege escalation, all capabilities dropped.
            reason: "cert-manager's chart sets non-root, seccomp RuntimeDefault, no privilege escalation and drops ALL capabilities",
        },
        {
            name: nginxIngress.namespace,
            role: "ingress",
            podSecurity: "restricted",
            // The controller runs as uid 101 and adds only NET_BIND_SERVICE, which restricted allows.
            reason: "the NGINX controller runs non-root with seccomp RuntimeDefault and adds only NET_BIND_SERVICE (allowed by restricted)",
        },
        ...(config.istioCsr.enabled ? [{
            name: istioCsr.namespace,
            role: "istio-csr" as const,
            podSecurity: "restricted" as const,
            reason: "istio-csr's chart runs non-root with a read-only root, seccomp RuntimeDefault and all capabilities dropped",
        }] : []),
        ...config.apps.map((a): NamespaceSpec => ({
            name: a.name,
            role: "app",
            podSecurity: "restricted",
            reason: "the platform's app Deployment is written to pass restricted (non-root, read-only root, no capabilities)",
        })),
    ];
}

/** Labels of a managed namespace: Pod Security Admission, plus the labels policies select it by. */
export function namespaceLabels(spec: NamespaceSpec): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": spec.podSecurity,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": spec.podSecurity,
        "pod-security.kubernetes.io/warn": spec.podSecurity,
        [MANAGED_NAMESPACE_LABEL]: "true",
        [NAMESPACE_ROLE_LABEL]: spec.role,
    };
}

