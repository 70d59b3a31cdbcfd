/**
 * What Azure itself accepts, checked on what the Azure components send: enum values from the
 * provider's own typed enums (@pulumi/azure-native v3, types/enums), name rules from Azure's docs,
 * and the options that keep a second `pulumi up` from fighting AKS.
 */
import * as assert from "assert";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import * as aksEnums from "@pulumi/azure-native/types/enums/containerservice";
import * as networkEnums from "@pulumi/azure-native/types/enums/network";
import { clusterSettings, clusterSpec, toAzureCliKubeconfig, userKubeconfig } from "../../components/azure/aks-cluster";
import { dnsTxtRoleSpec } from "../../components/azure/cert-manager-identity";
import { at, one, STACKS, stackRun } from "../support/runs";
import { stackConfig } from "../networking/support";
import { ProgramRun, runProgram } from "../../plan/program";
import { mockAuthProviderKubeconfig, mockUserKubeconfig } from "../../plan/answers";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const IDS = { nodeSubnetId: "/sub/nodes", apiServerSubnetId: "/sub/apiserver", controlPlaneIdentityId: "/id/control-plane" };
const values = (e: Record<string, string>): string[] => Object.values(e);

/** Azure name rules used more than once (resource-name-rules): managedClusters 1-63, virtualNetworks 2-64. */
const CLUSTER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
const VNET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])$/;

interface Pool { name: string; mode: string; osType: string; osSKU: string; availabilityZones?: string[]; upgradeSettings?: { maxSurge?: string }; enableAutoScaling?: boolean }

describe("Azure's rules on what the Azure components send", () => {
    describe("cluster names (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, Microsoft.ContainerService)", () => {
        // managedClusters: 1-63 characters, alphanumerics, underscores and hyphens, starting and ending
        // alphanumeric. dnsPrefix (ManagedClusterProperties.dnsPrefix): 1-54, alphanumerics and hyphens, same ends.
        const DNS_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,52}[A-Za-z0-9])?$/;
        it("every stack's cluster name and DNS prefix are valid and distinct per environment", () => {
            const names = STACKS.map((stack) => clusterSettings(stackConfig(stack)));
            for (const s of names) {
                assert.match(s.name, CLUSTER_NAME);
                assert.match(s.dnsPrefix, DNS_PREFIX);
            }
            assert.strictEqual(new Set(names.map((s) => s.name)).size, STACKS.length);
            assert.strictEqual(new Set(names.map((s) => s.dnsPrefix)).size, STACKS.length);
        });
    });

    describe("Azure names the program chooses (resource-name-rules, per resource provider)", () => {
        // type -> the input holding the Azure name, and the rule for it.
        const RULES: Record<string, { prop: string; rule: RegExp }> = {
            "azure-native:resources:ResourceGroup": { prop: "resourceGroupName", rule: /^[-\w._()]{0,89}[-\w_()]$/ }, // 1-90, no trailing period
            "azure-native:managedidentity:UserAssignedIdentity": { prop: "resourceName", rule: /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/ }, // 3-128
            "azure-native:network:PublicIPAddress": { prop: "publicIpAddressName", rule: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/ }, // 1-80
            "azure-native:network:VirtualNetwork": { prop: "virtualNetworkName", rule: VNET_NAME },
            "azure-native:containerservice:ManagedCluster": { prop: "resourceName", rule: CLUSTER_NAME },
        };
        for (const stack of STACKS) {
            it(`${stack}: each is valid, carries the stack's prefix, and is unique among its type`, async () => {
                const run = await stackRun(stack);
                const config = stackConfig(stack);
                const prefix = `${config.namePrefix}-${config.environment}-`;
                for (const [type, { prop, rule }] of Object.entries(RULES)) {
                    const names = run.resources.filter((r) => r.type === type).map((r) => String(r.props[prop]));
                    assert.ok(names.length > 0, type);
                    for (const n of names) {
                        assert.match(n, rule, `${type} ${n}`);
                        assert.ok(n.startsWith(prefix) && n.length > prefix.length, `${type} ${n}`);
                    }
                    assert.strictEqual(new Set(names).size, names.length, type);
                }
            });
        }
    });

    describe("cluster spec", () => {
        const spec = (stack: string, overrides: Record<string, unknown> = {}) => clusterSpec(clusterSettings(stackConfig(stack, overrides)), IDS);
        const pools = (s: ReturnType<typeof spec>): Pool[] => s.agentPoolProfiles as Pool[];

        it("uses only values of the provider's enums (SKU, pool mode, OS type and SKU, outbound type)", () => {
            for (const stack of STACKS) {
                const s = spec(stack);
                assert.ok(values(aksEnums.ManagedClusterSKUName).includes(String(at(s, "sku.name"))), stack);
                assert.ok(values(aksEnums.ManagedClusterSKUTier).includes(String(at(s, "sku.tier"))), stack);
                assert.ok(values(aksEnums.OutboundType).includes(String(at(s, "networkProfile.outboundType"))), stack);
                for (const p of pools(s)) {
                    assert.ok(values(aksEnums.AgentPoolMode).includes(p.mode), `${stack} ${p.name} mode`);
                    // A system pool must run Linux (the AgentPoolMode.System doc in the provider's enums).
                    assert.strictEqual(p.osType, aksEnums.OSType.Linux, `${stack} ${p.name}`);
                    assert.ok(values(aksEnums.OSSKU).includes(p.osSKU), `${stack} ${p.name} osSKU`);
                }
            }
        });

        it("names pools as AKS allows: lowercase alphanumeric, a letter first, at most 12 characters for Linux, unique", () => {
            // learn.microsoft.com/azure/aks/create-node-pools, "Limitations".
            for (const stack of STACKS) {
                const names = pools(spec(stack)).map((p) => p.name);
                for (const n of names) assert.match(n, /^[a-z][a-z0-9]{0,11}$/, `${stack}: ${n}`);
                assert.strictEqual(new Set(names).size, names.length);
            }
        });

        it("surges a third of each pool on upgrade, the value AKS recommends for production pools", () => {
            // learn.microsoft.com/azure/aks/upgrade-aks-cluster, "Customize node surge upgrade".
            for (const p of pools(spec("prod"))) assert.strictEqual(p.upgradeSettings?.maxSurge, "33%", p.name);
        });

        it("runs Image Cleaner at an interval AKS accepts (24 hours to 3 months)", () => {
            // learn.microsoft.com/azure/aks/image-cleaner: the interval is 24 to 2160 hours.
            const cleaner = at(spec("prod"), "securityProfile.imageCleaner") as { enabled?: boolean; intervalHours?: number };
            assert.strictEqual(cleaner.enabled, true);
            assert.ok(cleaner.intervalHours !== undefined && cleaner.intervalHours >= 24 && cleaner.intervalHours <= 2160);
        });

        it("places both pools in the configured zones, and sets no zone list in a region without zones", () => {
            for (const p of pools(spec("prod"))) assert.deepStrictEqual(p.availabilityZones, stackConfig("prod").cluster.availabilityZones);
            for (const p of pools(spec("dev", { availabilityZones: [] }))) assert.strictEqual(p.availabilityZones, undefined, p.name);
        });

        it("sends authorized IP ranges only when some are configured", () => {
            assert.deepStrictEqual(at(spec("prod"), "apiServerAccessProfile.authorizedIPRanges"), stackConfig("prod").cluster.apiServerAuthorizedIpRanges);
            assert.strictEqual(at(spec("dev", { apiServerAuthorizedIpRanges: [] }), "apiServerAccessProfile.authorizedIPRanges"), undefined);
        });
    });

    describe("options that keep a second `pulumi up` from undoing AKS's own changes", () => {
        it("the cluster ignores node counts (the autoscaler's) and versions (auto-upgrade's), the VNet its subnets", async () => {
            const run = await stackRun("prod");
            const ignored = one(run.resources, CLUSTER).ignoreChanges ?? [];
            assert.ok(pools(run).every((p) => p.enableAutoScaling === true));
            for (const path of ["agentPoolProfiles[*].count", "kubernetesVersion", "agentPoolProfiles[*].orchestratorVersion"]) assert.ok(ignored.includes(path), path);
            // Subnets are separate resources; without this the VNet's next update would delete them.
            assert.deepStrictEqual(one(run.resources, "azure-native:network:VirtualNetwork").ignoreChanges, ["subnets"]);
        });
        const pools = (run: ProgramRun): Pool[] => one(run.resources, CLUSTER).props.agentPoolProfiles as Pool[];

        it("the Kubernetes provider applies server-side and never drops state for an unreachable cluster", async () => {
            // pulumi-kubernetes provider config: deleteUnreachable=true deletes an unreachable cluster's resources from state.
            const provider = one((await stackRun("prod")).resources, "pulumi:providers:kubernetes");
            assert.strictEqual(String(provider.props.enableServerSideApply), "true");
            assert.notStrictEqual(String(provider.props.deleteUnreachable), "true");
        });
    });

    describe("the user kubeconfig", () => {
        const server = "https://c:443";
        const encoded = (text: string): { value: string }[] => [{ value: Buffer.from(text).toString("base64") }];

        it("comes from the first credential AKS lists, or fails with a clear error when there is none", () => {
            const out = parseYaml(userKubeconfig(encoded(mockUserKubeconfig("c", server)))) as { users: { user: { exec: { args: string[] } } }[] };
            assert.ok(out.users[0].user.exec.args.includes("azurecli"));
            assert.throws(() => userKubeconfig([]), /AKS returned no user kubeconfig/);
            assert.throws(() => userKubeconfig([{}]), /AKS returned no user kubeconfig/);
        });

        it("refuses the legacy auth-provider format, which Kubernetes 1.26+ clients cannot use", () => {
            assert.throws(() => toAzureCliKubeconfig(mockAuthProviderKubeconfig("c", server)), /legacy azure auth-provider.*format "exec"/);
        });

        it("finds --server-id wherever it is, and refuses one with no value after it", () => {
            const withArgs = (args: string[]): string => toYaml({ users: [{ name: "u", user: { exec: { command: "kubelogin", args } } }] });
            const first = parseYaml(toAzureCliKubeconfig(withArgs(["--server-id", "S", "get-token"]))) as { users: { user: { exec: { args: string[] } } }[] };
            assert.deepStrictEqual(first.users[0].user.exec.args.slice(-2), ["--server-id", "S"]);
            assert.throws(() => toAzureCliKubeconfig(withArgs(["get-token", "--server-id"])), /user u: exec args have no --server-id/);
        });

        it("the program asks AKS for the exec format: the plan of a stack builds with AKS's real answer", async () => {
            // plan/answers.ts answers the auth-provider format unless format is "exec", as AKS does.
            await assert.doesNotReject(runProgram("dev"));
        });
    });

    describe("the cert-manager identity", () => {
        it("the custom role's name is readable, non-empty, and differs per resource group (role names are tenant-unique)", () => {
            const a = dnsTxtRoleSpec("/subscriptions/s/resourceGroups/platform-a-1");
            const b = dnsTxtRoleSpec("/subscriptions/s/resourceGroups/platform-b-1");
            assert.notStrictEqual(a.roleName, b.roleName);
            assert.ok(a.roleName.includes("platform-a-1") && !a.roleName.includes("/subscriptions"), a.roleName);
            assert.ok(a.description.length > 0);
        });

        for (const stack of STACKS) {
            it(`${stack}: a custom role definition, and a federated credential name Entra ID accepts`, async () => {
                const run = await stackRun(stack);
                assert.strictEqual(one(run.resources, "azure-native:authorization:RoleDefinition").props.roleType, "CustomRole");
                // learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations: 3-120
                // characters, alphanumerics, dashes and underscores, the first alphanumeric.
                const name = String(one(run.resources, "azure-native:managedidentity:FederatedIdentityCredential").props.federatedIdentityCredentialResourceName);
                assert.match(name, /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
            });
        }
    });

    describe("network and ingress IP", () => {
        for (const stack of STACKS) {
            it(`${stack}: the VNet spans the configured space, the API server delegation is named, the IP is a zonal IPv4 Standard`, async () => {
                const run = await stackRun(stack);
                const config = stackConfig(stack);
                const vnet = one(run.resources, "azure-native:network:VirtualNetwork");
                assert.deepStrictEqual(at(vnet.props, "addressSpace.addressPrefixes"), [config.network.vnetAddressSpace]);
                assert.match(String(vnet.props.virtualNetworkName), VNET_NAME);
                const apiServer = run.resources.find((r) => r.type === "azure-native:network:Subnet" && r.props.subnetName === "apiserver");
                const delegations = (apiServer?.props.delegations ?? []) as { name?: string }[];
                assert.strictEqual(delegations.length, 1);
                assert.ok((delegations[0].name ?? "").length > 0, "a delegation needs a name");
                const ip = one(run.resources, "azure-native:network:PublicIPAddress");
                assert.ok(values(networkEnums.PublicIPAddressSkuTier).includes(String(at(ip.props, "sku.tier"))));
                assert.strictEqual(ip.props.publicIPAddressVersion, networkEnums.IPVersion.IPv4);
                assert.deepStrictEqual(ip.props.zones, config.cluster.availabilityZones.length > 0 ? config.cluster.availabilityZones : undefined);
            });
        }

        it("creates the API server subnet after the node subnet (Azure rejects concurrent subnet writes on one VNet)", async () => {
            const subnets = (await stackRun("prod")).resources.filter((r) => r.type === "azure-native:network:Subnet");
            const nodes = subnets.find((r) => r.props.subnetName === "nodes");
            const apiServer = subnets.find((r) => r.props.subnetName === "apiserver");
            assert.ok(nodes && apiServer?.dependencies.includes(nodes.urn));
        });

        it("a region without zones gets an IP without zones", async () => {
            const run = await runProgram("dev", { configOverrides: { "aks-platform:availabilityZones": "[]" } });
            assert.strictEqual(one(run.resources, "azure-native:network:PublicIPAddress").props.zones, undefined);
        });
    });

    describe("the DNS zone", () => {
        it("is a global resource, as every Azure DNS zone is", async () => {
            // learn.microsoft.com/azure/templates/microsoft.network/dnszones: location "global".
            for (const stack of STACKS) assert.strictEqual(one((await stackRun(stack)).resources, "azure-native:dns:Zone").props.location, "global");
        });

        it("the wildcard certificate waits for the zone and, where there is one, its delegation (else DNS-01 cannot be validated)", async () => {
            for (const stack of STACKS) {
                const run = await stackRun(stack);
                const certificates = run.resources.filter((r) => r.type === "kubernetes:cert-manager.io/v1:Certificate");
                const wildcard = certificates.find((c) => ((at(c.props, "spec.dnsNames") ?? []) as string[]).some((n) => n.startsWith("*.")));
                const zone = one(run.resources, "azure-native:dns:Zone");
                assert.ok(wildcard?.dependencies.includes(zone.urn), stack);
                const delegation = run.resources.find((r) => r.type === "azure-native:dns:RecordSet" && r.props.recordType === "NS");
                if (delegation) assert.ok(wildcard?.dependencies.includes(delegation.urn), `${stack}: the delegation`);
            }
        });

        it("its CAA and delegation records carry the configured TTL; the delegation lists each name server", async () => {
            const run = await stackRun("dev");
            const ttl = stackConfig("dev").dns.recordTtl;
            const records = run.resources.filter((r) => r.type === "azure-native:dns:RecordSet");
            const caa = records.find((r) => r.props.recordType === "CAA");
            const ns = records.find((r) => r.props.recordType === "NS");
            assert.strictEqual(caa?.props.ttl, ttl);
            assert.strictEqual(ns?.props.ttl, ttl);
            const nsdnames = ((ns?.props.nsRecords ?? []) as { nsdname?: string }[]).map((r) => r.nsdname);
            assert.ok(nsdnames.length > 0 && nsdnames.every((n) => typeof n === "string" && n.length > 0), JSON.stringify(nsdnames));
        });
    });
});
