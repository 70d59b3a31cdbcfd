/**
 * Rule 16: role assignments for cert-manager are scoped to a DNS zone, never a resource group or a
 * subscription, and grant TXT record sets only. cert-manager's assignments are those of the "DNS
 * Zone Contributor" role and those whose principal is an identity federated with a service account
 * in cert-manager's namespace (found through property dependencies, so it works at preview when ids
 * are still unknown). Its Azure DNS solver, with hostedZoneName set, only reads, writes and deletes
 * TXT record sets (cert-manager v1.21.1 pkg/issuer/acme/dns/azuredns/azuredns.go): DNS Zone
 * Contributor, or a custom role with more actions, lets a compromised controller rewrite the zone.
 * A scope, role or subject that is unknown at preview is undecided, never passed: what it is
 * computed from (a zone's id, say) does not say which id it will be.
 * Advisory; mandatory in prod's policy config.
 */
import type { PolicyResource } from "@pulumi/policy";
import { arr, get, isAzureType, str, subjectOf } from "./lib/k8s";
import { isUnknownError, Reporter, stackRule } from "./lib/rule";

export const DNS_ZONE_CONTRIBUTOR = "befefa01-2a29-4197-83a8-272ff33ce314";
/** Actions cert-manager's DNS-01 needs: TXT record sets of the zone. */
const TXT_ACTION = /^Microsoft\.Network\/dnszones\/TXT\/(read|write|delete|\*)$/i;
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
    remediationSteps: "Set the role assignment's scope to the DNS zone's resource id (zone.id), with a custom role granting Microsoft.Network/dnszones/TXT/read, write and delete only.",
}, ["certManagerNamespace"], (resources, cfg, rep) => {
    const subjectPrefix = `system:serviceaccount:${cfg.certManagerNamespace}:`;
    const certManagerIdentities = new Set<string>();
    /** Identities federated with a subject unknown at preview: cert-manager's, maybe. */
    const maybeCertManager = new Map<string, string>();
    for (const fic of resources.filter((r) => isAzureType(r.type, "managedidentity", "FederatedIdentityCredential"))) {
        const identities = (fic.propertyDependencies.resourceName ?? []).map((d) => d.urn);
        let subject: string | undefined;
        try {
            subject = str(get(fic.props, "subject"));
        } catch (e) {
            if (!isUnknownError(e)) throw e;
            for (const urn of identities) maybeCertManager.set(urn, `${subjectOf(fic).label}: subject is unknown until the update`);
            continue;
        }
        if ((subject ?? "").startsWith(subjectPrefix)) for (const urn of identities) certManagerIdentities.add(urn);
    }
    const depsOf = (r: PolicyResource, key: string): PolicyResource[] => r.propertyDependencies[key] ?? [];
    for (const ra of resources.filter((r) => isAzureType(r.type, "authorization", "RoleAssignment"))) {
        const subject = subjectOf(ra);
        rep.guard(subject, () => {
            const principals = depsOf(ra, "principalId");
            const principalIsCertManager = principals.some((d) => certManagerIdentities.has(d.urn));
            const principalMaybe = principals.map((d) => maybeCertManager.get(d.urn)).filter((x): x is string => x !== undefined);
            let role: string | undefined;
            let roleUnknown = false;
            try {
                role = str(get(ra.props, "roleDefinitionId"));
            } catch (e) {
                if (!isUnknownError(e)) throw e;
                roleUnknown = true;
            }
            const dnsRole = role !== undefined && role.toLowerCase().endsWith(DNS_ZONE_CONTRIBUTOR);
            // Whose assignment it is: certainly cert-manager's, maybe (an unknown role or subject), or not.
            const whyMaybe = [...(roleUnknown ? ["roleDefinitionId is unknown until the update (it may be DNS Zone Contributor)"] : []), ...principalMaybe];
            if (!principalIsCertManager && !dnsRole && whyMaybe.length === 0) return;
            let scope: string | undefined;
            try {
                scope = str(get(ra.props, "scope"));
            } catch (e) {
                if (!isUnknownError(e)) throw e;
                const from = depsOf(ra, "scope").map((d) => d.type);
                rep.undecided(subject, `scope is unknown until the update (computed from ${from.join(", ") || "nothing in the stack"}), so it cannot be checked to be a DNS zone`);
                return;
            }
            if (principalIsCertManager || dnsRole) checkRoleBreadth(ra, dnsRole, rep);
            const kind = scopeKind(scope ?? "");
            if (kind === "zone") return;
            const text = `${principalIsCertManager || dnsRole ? "cert-manager's" : "a"} role assignment is scoped to ${kind === "other" ? `"${scope}"` : `a ${kind} (${scope})`}, not a DNS zone`;
            if (!principalIsCertManager && !dnsRole) {
                rep.undecided(subject, `${text}; whether it is cert-manager's depends on ${whyMaybe.join("; ")}`);
                return;
            }
            rep.violation(subject, text, "set scope to the DNS zone's resource id (zone.id), so cert-manager can change records of that zone only");
        });
    }
});

/** cert-manager's role grants TXT record sets only: not DNS Zone Contributor, not a custom role with more. */
function checkRoleBreadth(ra: PolicyResource, dnsZoneContributor: boolean, rep: Reporter): void {
    const subject = subjectOf(ra);
    if (dnsZoneContributor) {
        rep.violation(subject, "cert-manager holds DNS Zone Contributor, which can change every record set of the zone; its DNS-01 solver writes TXT records only",
            "assign a custom role with Microsoft.Network/dnszones/TXT/read, write and delete on the zone instead");
        return;
    }
    for (const definition of (ra.propertyDependencies.roleDefinitionId ?? []).filter((d) => isAzureType(d.type, "authorization", "RoleDefinition"))) {
        const actions = arr(get(definition.props, "permissions")).flatMap((p) => arr(get(p, "actions")).map(String));
        const dataActions = arr(get(definition.props, "permissions")).flatMap((p) => arr(get(p, "dataActions")).map(String));
        const extra = [...actions.filter((a) => !TXT_ACTION.test(a)), ...dataActions];
        if (extra.length > 0) {
            rep.violation(subject, `cert-manager's role ${subjectOf(definition).label} also grants ${extra.join(", ")}; its DNS-01 solver needs TXT record sets only`,
                "limit the role's actions to Microsoft.Network/dnszones/TXT/read, write and delete");
        }
    }
}
