/**
 * Rule 7: an AKS cluster enforces NetworkPolicies (a network policy engine, not `none`/missing), has
 * local accounts disabled, Azure RBAC on, and workload identity and the OIDC issuer on.
 */
import { get, isAzureType, str, subjectOf } from "./lib/k8s";
import { resourceRule } from "./lib/rule";

export const aksHardened = resourceRule({
    name: "aks-hardened",
    displayName: "AKS cluster hardened",
    description: "ManagedCluster has a network policy engine (networkProfile.networkPolicy not none/missing), local accounts disabled, Azure RBAC, workload identity and OIDC issuer enabled.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set networkProfile.networkPolicy (cilium with networkDataplane: cilium), disableLocalAccounts: true, aadProfile: { managed: true, enableAzureRBAC: true }, securityProfile.workloadIdentity.enabled: true, oidcIssuerProfile.enabled: true.",
}, [], (type) => isAzureType(type, "containerservice", "ManagedCluster"), (r, _cfg, rep) => {
    const subject = subjectOf(r);
    // Each check: is it set, the problem when not, the fix.
    const checks: [() => boolean, string, string][] = [
        [() => {
            const p = str(get(r.props, "networkProfile", "networkPolicy"));
            return p !== undefined && p !== "" && p.toLowerCase() !== "none";
        }, "no network policy engine (networkProfile.networkPolicy is missing or none), so every NetworkPolicy is silently ignored",
        "set networkProfile.networkPolicy: cilium (with networkDataplane: cilium and networkPlugin: azure)"],
        [() => get(r.props, "disableLocalAccounts") === true,
            "local accounts are enabled (a static admin credential bypasses Entra ID)", "set disableLocalAccounts: true"],
        [() => get(r.props, "aadProfile", "enableAzureRBAC") === true,
            "Azure RBAC for Kubernetes authorization is off", "set aadProfile: { managed: true, enableAzureRBAC: true }"],
        [() => get(r.props, "securityProfile", "workloadIdentity", "enabled") === true,
            "workload identity is off (pods would need secrets or the node's identity)", "set securityProfile.workloadIdentity.enabled: true"],
        [() => get(r.props, "oidcIssuerProfile", "enabled") === true,
            "the OIDC issuer is off (workload identity federation needs it)", "set oidcIssuerProfile.enabled: true"],
    ];
    for (const [ok, problem, fix] of checks) {
        const passed = rep.guard(subject, ok);
        if (passed === false) rep.violation(subject, problem, fix);
    }
});
