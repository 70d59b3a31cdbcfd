import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { at, ofType, one, STACKS, stackRun } from "../support/runs";
import { caaRecords, delegationRecordName } from "../../components/azure/dns-zone";
import { dnsTxtRoleSpec } from "../../components/azure/cert-manager-identity";
import { nameBasedGuid } from "../../components/azure/roles";
import { azure, certManager } from "../../components/facts";

describe("DnsZone", () => {
    it("CAA allows only Let's Encrypt, wildcards included, and reports to the iodef address", () => {
        const records = caaRecords("sec@example.com");
        const issuers = records.filter((r) => r.tag === "issue" || r.tag === "issuewild").map((r) => r.value);
        assert.deepStrictEqual([...new Set(issuers)], ["letsencrypt.org"]);
        assert.ok(records.some((r) => r.tag === "issuewild"));
        assert.deepStrictEqual(records.filter((r) => r.tag === "iodef").map((r) => r.value), ["mailto:sec@example.com"]);
    });

    it("names the delegation record relative to the parent", () => {
        assert.strictEqual(delegationRecordName("dev.platform.example.com", "platform.example.com"), "dev");
        assert.throws(() => delegationRecordName("dev.example.org", "example.com"), /not inside/);
    });

    for (const stack of STACKS) {
        it(`${stack}: a public zone with an apex CAA record and A records for the apex and * on the ingress IP`, async () => {
            const run = await stackRun(stack);
            const zone = one(run.resources, "azure-native:dns:Zone");
            assert.strictEqual(zone.props.zoneType, "Public");
            const records = ofType(run.resources, "azure-native:dns:RecordSet").filter((r) => r.props.zoneName === zone.props.zoneName);
            const caa = records.find((r) => r.props.recordType === "CAA");
            assert.strictEqual(caa?.props.relativeRecordSetName, "@");
            const a = records.filter((r) => r.props.recordType === "A");
            assert.deepStrictEqual(a.map((r) => r.props.relativeRecordSetName).sort(), ["*", "@"]);
            const ip = one(run.resources, "azure-native:network:PublicIPAddress");
            for (const r of a) assert.ok(r.dependencies.includes(ip.urn), "A records must point at the static ingress IP");
        });
    }

    it("protects the prod zone from deletion, not the dev zone", async () => {
        assert.strictEqual(one((await stackRun("prod")).resources, "azure-native:dns:Zone").protect, true);
        assert.strictEqual(one((await stackRun("dev")).resources, "azure-native:dns:Zone").protect, false);
    });

    it("writes the NS delegation into the parent zone when one is configured (dev), from the zone's name servers", async () => {
        const run = await stackRun("dev");
        const ns = ofType(run.resources, "azure-native:dns:RecordSet").filter((r) => r.props.recordType === "NS");
        assert.strictEqual(ns.length, 1);
        assert.strictEqual(ns[0].props.zoneName, "platform.example.com");
        assert.strictEqual(ns[0].props.relativeRecordSetName, "dev");
        assert.strictEqual((ns[0].props.nsRecords as unknown[]).length, 4);
        assert.strictEqual(run.outputs.nameServers !== undefined, true);
    });

    it("writes no delegation when no parent zone is configured (prod)", async () => {
        const ns = ofType((await stackRun("prod")).resources, "azure-native:dns:RecordSet").filter((r) => r.props.recordType === "NS");
        assert.strictEqual(ns.length, 0);
    });
});

describe("CertManagerIdentity", () => {
    for (const stack of STACKS) {
        describe(`${stack} stack`, () => {
            it("federates exactly cert-manager's controller service account with the cluster's OIDC issuer", async () => {
                const run = await stackRun(stack);
                const fic = one(run.resources, "azure-native:managedidentity:FederatedIdentityCredential");
                assert.strictEqual(fic.props.subject, `system:serviceaccount:${certManager.namespace}:${certManager.controllerServiceAccount}`);
                assert.deepStrictEqual(fic.props.audiences, ["api://AzureADTokenExchange"]);
                const cluster = one(run.resources, "azure-native:containerservice:ManagedCluster");
                assert.deepStrictEqual(fic.propertyDependencies.issuer, [cluster.urn]);
                assert.match(String(fic.props.issuer), /^https:\/\/.+\.oic\.prod-aks\.azure\.com\//);
            });

            it("grants a custom role of TXT record sets only, assigned on exactly the zone, never a group or subscription", async () => {
                const run = await stackRun(stack);
                const zone = one(run.resources, "azure-native:dns:Zone");
                const identity = one(run.resources, "azure-native:managedidentity:UserAssignedIdentity", "cert-manager-identity");
                const definition = one(run.resources, "azure-native:authorization:RoleDefinition");
                const permissions = definition.props.permissions as { actions: string[]; notActions?: string[]; dataActions?: string[] }[];
                // cert-manager v1.21.1's Azure DNS solver with hostedZoneName reads, writes and deletes TXT record sets only.
                assert.deepStrictEqual(permissions.flatMap((p) => p.actions).sort(), [
                    "Microsoft.Network/dnszones/TXT/delete", "Microsoft.Network/dnszones/TXT/read", "Microsoft.Network/dnszones/TXT/write",
                ]);
                assert.ok(permissions.every((p) => (p.dataActions ?? []).length === 0));
                assert.deepStrictEqual(definition.props.assignableScopes, [definition.props.scope], "assignable only in the zone's resource group");
                const role = ofType(run.resources, "azure-native:authorization:RoleAssignment").filter((r) => r.parent?.endsWith("::cert-manager-identity"));
                assert.strictEqual(role.length, 1, "one assignment for cert-manager");
                assert.strictEqual(String(role[0].props.roleDefinitionId).split("/").pop(), definition.props.roleDefinitionId);
                assert.ok(role[0].dependencies.includes(definition.urn), "assigned after the role exists");
                assert.deepStrictEqual(role[0].propertyDependencies.scope, [zone.urn]);
                assert.match(String(role[0].props.scope), new RegExp(`/providers/Microsoft\\.Network/dnszones/${String(zone.props.zoneName).replace(/\./g, "\\.")}$`));
                assert.deepStrictEqual(role[0].propertyDependencies.principalId, [identity.urn]);
                assert.strictEqual(role[0].props.principalType, "ServicePrincipal");
                assert.ok(!ofType(run.resources, "azure-native:authorization:RoleAssignment").some((r) => String(r.props.roleDefinitionId).endsWith("befefa01-2a29-4197-83a8-272ff33ce314")), "no DNS Zone Contributor anywhere");
            });
        });
    }
});

describe("Networking and ingress IP", () => {
    for (const stack of STACKS) {
        it(`${stack}: the API server subnet is delegated to AKS and the ingress IP is static Standard`, async () => {
            const run = await stackRun(stack);
            const subnet = one(run.resources, "azure-native:network:Subnet", "network-apiserver");
            assert.deepStrictEqual((subnet.props.delegations as { serviceName: string }[]).map((d) => d.serviceName), ["Microsoft.ContainerService/managedClusters"]);
            const ip = one(run.resources, "azure-native:network:PublicIPAddress");
            assert.strictEqual(ip.props.publicIPAllocationMethod, "Static");
            assert.strictEqual(at(ip.props, "sku.name"), "Standard");
            const ipGroup = one(run.resources, "azure-native:resources:ResourceGroup", "ingress-ip-group");
            assert.deepStrictEqual(ip.propertyDependencies.resourceGroupName, [ipGroup.urn], "the IP lives in its own resource group");
        });
    }
});

describe("docs/ci.md: the deploy identity's role-assignment condition", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "ci.md"), "utf8");
    it("names every built-in role the program assigns, and the custom TXT role's id as the program computes it", () => {
        for (const id of Object.values(azure.roles)) assert.ok(doc.includes(id), `docs/ci.md lacks role ${id}`);
        const group = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/platform-prod-rg";
        assert.strictEqual(dnsTxtRoleSpec(group).roleDefinitionId, nameBasedGuid("dns-txt-role", group), "the documented one-liner computes the role's id");
        assert.ok(doc.includes('nameBasedGuid("dns-txt-role"'));
    });
});
