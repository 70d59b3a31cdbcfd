/**
 * Rule dns-role-scope in detail: what a scope id points at (Azure resource id formats:
 * learn.microsoft.com "Understand scope for Azure RBAC"), which actions a TXT-only role may hold
 * (Microsoft.Network/dnszones/TXT/read, write, delete: the operations cert-manager's Azure DNS
 * solver calls, cert-manager pkg/issuer/acme/dns/azuredns/azuredns.go), and the words of each finding.
 */
import * as assert from "node:assert/strict";
import { scopeKind } from "../../policy-pack/rules/16-dns-role-scope";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { expectClean, expectUndecided, expectViolations, resource, runRule, UNKNOWN, violations } from "./helpers";

describe("dns-role-scope: scopes", () => {
    const cases: [string, ReturnType<typeof scopeKind>][] = [
        ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.com", "zone"],
        ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnsZones/example.com", "zone"],
        ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/corp.internal", "zone"],
        ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.com/TXT/_acme-challenge", "other"],
        ["/subscriptions/00000000-1111-2222-3333-444444444444", "subscription"],
        ["/subscriptions/sub/", "subscription"],
        ["/x/subscriptions/sub", "other"],
        ["/subscriptions/sub/resourceGroups/rg", "resource group"],
        ["/subscriptions/sub/resourcegroups/rg/", "resource group"],
        ["/x/subscriptions/sub/resourceGroups/rg", "other"],
        ["/providers/Microsoft.Management/managementGroups/mg", "subscription"],
        ["/x/providers/Microsoft.Management/managementGroups/mg", "other"],
        ["/", "subscription"],
        ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x", "other"],
    ];
    for (const [scope, kind] of cases) it(`${scope} → ${kind}`, () => assert.equal(scopeKind(scope), kind));
});

describe("dns-role-scope: findings", () => {
    const idUrn = "urn:pulumi:dev::aks-platform::azure-native:managedidentity:UserAssignedIdentity::cm";
    const roleUrn = "urn:pulumi:dev::aks-platform::azure-native:authorization:RoleDefinition::txt";
    const fic = (subject: string) => resource("azure-native:managedidentity:FederatedIdentityCredential", "fic", { subject }, "dev", { propertyDependencies: { resourceName: [idUrn] } });
    const identity = resource("azure-native:managedidentity:UserAssignedIdentity", "cm", { resourceName: "cm" });
    const role = (permissions: unknown[]) => resource("azure-native:authorization:RoleDefinition", "txt", { roleName: "txt", permissions });
    const ra = (scope: string): PlanResource => resource("azure-native:authorization:RoleAssignment", "ra", { principalId: "p", roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/custom", scope }, "dev",
        { propertyDependencies: { principalId: [idUrn], roleDefinitionId: [roleUrn] } });
    const zone = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.com";
    const txt = ["read", "write", "delete"].map((op) => `Microsoft.Network/dnszones/TXT/${op}`);

    it("only the service account namespace the config names is cert-manager's", async () => {
        const broad = ra("/subscriptions/s");
        expectViolations(await runRule("dns-role-scope", [identity, fic("system:serviceaccount:cert-manager:cert-manager"), role([{ actions: txt }]), broad]), 1,
            `cert-manager's role assignment is scoped to a subscription (/subscriptions/s), not a DNS zone`, "Fix: set scope to the DNS zone's resource id (zone.id)");
        expectClean(await runRule("dns-role-scope", [identity, fic("system:serviceaccount:apps:web"), role([{ actions: txt }]), broad]));
        expectViolations(await runRule("dns-role-scope", [identity, fic("system:serviceaccount:certs:cm"), role([{ actions: txt }]), broad], { certManagerNamespace: "certs" }), 1, "subscription");
    });
    it("a scope that is neither a zone nor a container is quoted", async () => {
        expectViolations(await runRule("dns-role-scope", [identity, fic("system:serviceaccount:cert-manager:cm"), role([{ actions: txt }]), ra(`${zone}/TXT/x`)]), 1,
            `role assignment is scoped to "${zone}/TXT/x", not a DNS zone`);
    });
    it("TXT actions in any case and TXT/* are enough; data actions are extra", async () => {
        const base = [identity, fic("system:serviceaccount:cert-manager:cm")];
        expectClean(await runRule("dns-role-scope", [...base, role([{ actions: ["microsoft.network/dnszones/txt/*"] }]), ra(zone)]));
        expectViolations(await runRule("dns-role-scope", [...base, role([{ actions: txt, dataActions: ["Microsoft.Network/x/read"] }]), ra(zone)]), 1,
            `cert-manager's role RoleDefinition "txt" also grants Microsoft.Network/x/read; its DNS-01 solver needs TXT record sets only`, "Fix: limit the role's actions to Microsoft.Network/dnszones/TXT/read, write and delete");
        expectViolations(await runRule("dns-role-scope", [...base, role([{ actions: ["Microsoft.Network/dnszones/TXT/write"] }, { actions: ["Microsoft.Network/dnszones/read"] }]), ra(zone)]), 1, "also grants Microsoft.Network/dnszones/read");
    });
    it("every extra action is named", async () => {
        expectViolations(await runRule("dns-role-scope", [identity, fic("system:serviceaccount:cert-manager:cm"), role([{ actions: [...txt, "Microsoft.Network/dnszones/A/write", "Microsoft.Network/dnszones/delete"] }]), ra(zone)]), 1,
            "also grants Microsoft.Network/dnszones/A/write, Microsoft.Network/dnszones/delete;");
    });
    it("a wide custom role is not judged while the identity is only maybe cert-manager's (its federated subject unknown), scoped to a zone", async () => {
        const r = await runRule("dns-role-scope", [identity, fic(UNKNOWN), role([{ actions: ["*"] }]), ra(zone)]);
        assert.equal(violations(r).length, 0, r.findings.map((f) => f.message).join("\n"));
    });
    it("another principal's wide custom role is not this rule's concern", async () => {
        const other = resource("azure-native:authorization:RoleAssignment", "other", { principalId: "x", roleDefinitionId: "/r/custom", scope: zone }, "dev", { propertyDependencies: { roleDefinitionId: [roleUrn] } });
        expectClean(await runRule("dns-role-scope", [identity, role([{ actions: ["*"] }]), other]));
    });
    it("an unknown scope names every resource it is computed from", async () => {
        const rgUrn = "urn:pulumi:dev::aks-platform::azure-native:resources:ResourceGroup::rg";
        const zoneUrn = "urn:pulumi:dev::aks-platform::azure-native:dns:Zone::dns";
        const unknownScope = resource("azure-native:authorization:RoleAssignment", "ra", { principalId: "p", roleDefinitionId: "/r/custom", scope: UNKNOWN }, "dev",
            { propertyDependencies: { principalId: [idUrn], scope: [zoneUrn, rgUrn] } });
        expectUndecided(await runRule("dns-role-scope", [identity, fic("system:serviceaccount:cert-manager:cm"), resource("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: "rg" }), resource("azure-native:dns:Zone", "dns", { zoneName: "example.com" }), unknownScope]),
            "scope is unknown until the update (computed from azure-native:dns:Zone, azure-native:resources:ResourceGroup)");
    });
    it("an unknown role and an unknown subject are both named", async () => {
        const unknownFic = resource("azure-native:managedidentity:FederatedIdentityCredential", "fic", { subject: UNKNOWN }, "dev", { propertyDependencies: { resourceName: [idUrn] } });
        const unknownRole = resource("azure-native:authorization:RoleAssignment", "ra", { principalId: "p", roleDefinitionId: UNKNOWN, scope: "/subscriptions/sub" }, "dev", { propertyDependencies: { principalId: [idUrn] } });
        expectUndecided(await runRule("dns-role-scope", [identity, unknownFic, unknownRole]),
            `depends on roleDefinitionId is unknown until the update (it may be DNS Zone Contributor); FederatedIdentityCredential "fic": subject is unknown until the update`);
    });
    it("an unknown subject: the undecided finding says which credential", async () => {
        const unknownFic = resource("azure-native:managedidentity:FederatedIdentityCredential", "fic", { subject: UNKNOWN }, "dev", { propertyDependencies: { resourceName: [idUrn] } });
        expectUndecided(await runRule("dns-role-scope", [identity, unknownFic, ra("/subscriptions/s/resourceGroups/rg")]),
            `a role assignment is scoped to a resource group (/subscriptions/s/resourceGroups/rg), not a DNS zone; whether it is cert-manager's depends on FederatedIdentityCredential "fic": subject is unknown until the update`);
    });
});
