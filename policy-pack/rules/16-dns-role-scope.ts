/**
 * Rule 16: role assignments for cert-manager are scoped to a DNS zone, never a resource group or a
 * subscription. cert-manager's assignments are those of the "DNS Zone Contributor" role and those
 * whose principal is an identity federated with a service account in cert-manager's namespace
 * (found through property dependencies, so it works at preview when ids are still unknown).
 * Advisory; mandatory in prod's policy config.
 */
import type { PolicyResource } from "@pulumi/policy";
import { get, isAzureType, str, subjectOf } from "./lib/k8s";
import { isUnknownError, stackRule } from "./lib/rule";

export const DNS_ZONE_CONTRIBUTOR = "befefa01-2a29-4197-83a8-272ff33ce314";
const ZONE_SCOPE = /\/providers\/Microsoft\.Network\/(dnszones|privateDnsZones)\/[^/]+$/i;

/** What a scope id points at. */
export function scopeKind(scope: string): "zone" | "subscription" | "resource group" | "other" {
    if (ZONE_SCOPE.test(scope)) return "zone";
    if (/^\/subscriptions\/[^/]+\/?$/i.test(scope)) return "subscription";
    if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/?$/i.test(scope)) return "resource group";
    if (/^\/providers\/Microsoft\.Management\/managementGroups\//i.test(scope) || scope === "/") return "subscription";
    return "other";
}

export const dnsRoleScope = stackRule({
    name: "dns-role-scope",
    displayName: "cert-manager roles scoped to the DNS zone",
    description: "Role assignments for cert-manager are scoped to a DNS zone, never a resource group or subscription.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps: "Set the role assignment's scope to the DNS zone's resource id (zone.id), with the DNS Zone Contributor role.",
}, ["certManagerNamespace"], (resources, cfg, rep) => {
    const subjectPrefix = `system:serviceaccount:${cfg.certManagerNamespace}:`;
    const certManagerIdentities = new Set<string>();
    for (const fic of resources.filter((r) => isAzureType(r.type, "managedidentity", "FederatedIdentityCredential"))) {
        rep.guard(subjectOf(fic), () => {
            if (!(str(get(fic.props, "subject")) ?? "").startsWith(subjectPrefix)) return;
            for (const dep of fic.propertyDependencies.resourceName ?? []) certManagerIdentities.add(dep.urn);
        });
    }
    const depsOf = (r: PolicyResource, key: string): PolicyResource[] => r.propertyDependencies[key] ?? [];
    for (const ra of resources.filter((r) => isAzureType(r.type, "authorization", "RoleAssignment"))) {
        const subject = subjectOf(ra);
        rep.guard(subject, () => {
            const principalIsCertManager = depsOf(ra, "principalId").some((d) => certManagerIdentities.has(d.urn));
            let role: string | undefined;
            try {
                role = str(get(ra.props, "roleDefinitionId"));
            } catch (e) {
                if (!isUnknownError(e)) throw e;
            }
            const dnsRole = role !== undefined && role.toLowerCase().endsWith(DNS_ZONE_CONTRIBUTOR);
            if (!principalIsCertManager && !dnsRole) {
                if (role === undefined && certManagerIdentities.size === 0) rep.undecided(subject, "roleDefinitionId is unknown");
                return;
            }
            let scope: string | undefined;
            try {
                scope = str(get(ra.props, "scope"));
            } catch (e) {
                if (!isUnknownError(e)) throw e;
                // Unknown at preview: decide from what the scope is computed from.
                const from = depsOf(ra, "scope");
                if (from.length > 0 && from.every((d) => isAzureType(d.type, "dns", "Zone") || isAzureType(d.type, "network", "PrivateZone"))) return;
                rep.undecided(subject, `scope is unknown and derives from ${from.map((d) => d.type).join(", ") || "nothing in the stack"}`);
                return;
            }
            const kind = scopeKind(scope ?? "");
            if (kind === "zone") return;
            rep.violation(subject, `cert-manager's role assignment is scoped to ${kind === "other" ? `"${scope}"` : `a ${kind} (${scope})`}, not a DNS zone`,
                "set scope to the DNS zone's resource id (zone.id), so cert-manager can change records of that zone only");
        });
    }
});
