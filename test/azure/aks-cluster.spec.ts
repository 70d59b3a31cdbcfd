import * as assert from "assert";
import { parse as parseYaml } from "yaml";
import { at, one, STACKS, stackRun } from "../support/runs";
import { MAINTENANCE_CONFIGURATIONS, toAzureCliKubeconfig } from "../../components/azure/aks-cluster";
import { nameBasedGuid } from "../../components/azure/roles";
import { azure } from "../../components/facts";
import { stackConfig } from "../networking/support";
import { mockUserKubeconfig } from "../../plan/mocks";

const CLUSTER = "azure-native:containerservice:ManagedCluster";

describe("AksCluster", () => {
    for (const stack of STACKS) {
        describe(`${stack} stack`, () => {
            let props: Record<string, unknown>;
            beforeEach(async () => {
                props = one((await stackRun(stack)).resources, CLUSTER).props;
            });

            it("enforces NetworkPolicies with Cilium on Azure CNI overlay", () => {
                assert.strictEqual(at(props, "networkProfile.networkPolicy"), "cilium");
                assert.strictEqual(at(props, "networkProfile.networkDataplane"), "cilium");
                assert.strictEqual(at(props, "networkProfile.networkPlugin"), "azure");
                assert.strictEqual(at(props, "networkProfile.networkPluginMode"), "overlay");
                assert.strictEqual(at(props, "networkProfile.loadBalancerSku"), "standard");
            });

            it("allows only Entra ID sign-in with Azure RBAC (and no admin-group field that would grant nothing)", () => {
                assert.strictEqual(props.disableLocalAccounts, true);
                assert.strictEqual(at(props, "aadProfile.managed"), true);
                assert.strictEqual(at(props, "aadProfile.enableAzureRBAC"), true);
                assert.strictEqual(at(props, "aadProfile.adminGroupObjectIDs"), undefined);
                assert.strictEqual(props.enableRBAC, true);
            });

            it("enables the OIDC issuer and workload identity", () => {
                assert.strictEqual(at(props, "oidcIssuerProfile.enabled"), true);
                assert.strictEqual(at(props, "securityProfile.workloadIdentity.enabled"), true);
            });

            it("runs the control plane as a user-assigned identity (granted before the cluster exists)", () => {
                assert.strictEqual(at(props, "identity.type"), "UserAssigned");
                assert.strictEqual((at(props, "identity.userAssignedIdentities") as string[]).length, 1);
            });

            it("integrates the API server into the delegated subnet and restricts its public endpoint", () => {
                assert.strictEqual(at(props, "apiServerAccessProfile.enableVnetIntegration"), true);
                assert.match(String(at(props, "apiServerAccessProfile.subnetId")), /\/subnets\/apiserver$/);
                const ranges = at(props, "apiServerAccessProfile.authorizedIPRanges") as string[];
                assert.ok(Array.isArray(ranges) && ranges.length > 0 && !ranges.includes("0.0.0.0/0"));
            });

            it("keeps the cluster and its nodes upgraded, never on the legacy node-image cluster channel", () => {
                assert.ok(["patch", "stable", "rapid"].includes(String(at(props, "autoUpgradeProfile.upgradeChannel"))));
                assert.ok(["NodeImage", "SecurityPatch"].includes(String(at(props, "autoUpgradeProfile.nodeOSUpgradeChannel"))));
            });

            it("upgrades only inside the configured weekly windows (AKS's two maintenance configurations)", async () => {
                const run = await stackRun(stack);
                const windows = stackConfig(stack).cluster.upgradeWindows;
                const configs = run.resources.filter((r) => r.type === "azure-native:containerservice:MaintenanceConfiguration");
                assert.deepStrictEqual(configs.map((r) => r.props.configName).sort(), [MAINTENANCE_CONFIGURATIONS.cluster, MAINTENANCE_CONFIGURATIONS.nodeOs].sort());
                for (const [which, name] of Object.entries(MAINTENANCE_CONFIGURATIONS) as ["cluster" | "nodeOs", string][]) {
                    const w = configs.find((r) => r.props.configName === name)?.props.maintenanceWindow;
                    const expected = windows[which];
                    assert.strictEqual(at(w, "schedule.weekly.dayOfWeek"), expected.day, name);
                    assert.strictEqual(at(w, "schedule.weekly.intervalWeeks"), 1, name);
                    assert.strictEqual(at(w, "startTime"), expected.start, name);
                    assert.strictEqual(at(w, "durationHours"), expected.durationHours, name);
                    assert.strictEqual(at(w, "utcOffset"), expected.utcOffset, name);
                }
            });

            it("names every role assignment by a GUID derived from scope, role and principal (re-creation is idempotent)", async () => {
                const roles = (await stackRun(stack)).resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
                assert.ok(roles.length >= 4);
                for (const r of roles) {
                    const p = r.props as { scope: string; roleDefinitionId: string; principalId: string; roleAssignmentName?: string };
                    assert.strictEqual(p.roleAssignmentName, nameBasedGuid(p.scope, p.roleDefinitionId, p.principalId), r.name);
                }
                assert.strictEqual(new Set(roles.map((r) => r.props.roleAssignmentName)).size, roles.length, "no two assignments share a name");
            });

            it("has an autoscaling system pool and user pool on the node subnet", () => {
                const pools = props.agentPoolProfiles as Record<string, unknown>[];
                assert.deepStrictEqual(pools.map((p) => p.mode).sort(), ["System", "User"]);
                for (const p of pools) {
                    assert.strictEqual(p.enableAutoScaling, true);
                    assert.ok(Number(p.minCount) <= Number(p.maxCount));
                    assert.match(String(p.vnetSubnetID), /\/subnets\/nodes$/);
                }
            });
        });
    }

    it("spreads prod pools over three zones and taints the prod system pool", async () => {
        const pools = one((await stackRun("prod")).resources, CLUSTER).props.agentPoolProfiles as Record<string, unknown>[];
        for (const p of pools) assert.deepStrictEqual(p.availabilityZones, ["1", "2", "3"]);
        const system = pools.find((p) => p.mode === "System");
        assert.deepStrictEqual(system?.nodeTaints, ["CriticalAddonsOnly=true:NoSchedule"]);
        const user = pools.find((p) => p.mode === "User");
        assert.strictEqual(user?.nodeTaints, undefined);
    });

    it("does not taint the dev system pool (a one-node dev cluster must schedule apps)", async () => {
        const pools = one((await stackRun("dev")).resources, CLUSTER).props.agentPoolProfiles as Record<string, unknown>[];
        assert.strictEqual(pools.find((p) => p.mode === "System")?.nodeTaints, undefined);
    });

    it("protects the prod cluster and everything in its component from deletion, not the dev one", async () => {
        for (const [stack, expected] of [["prod", true], ["dev", false]] as const) {
            const run = await stackRun(stack);
            assert.strictEqual(one(run.resources, CLUSTER).protect, expected, stack);
            // protect travels in the component's options; children inherit it.
            assert.strictEqual(one(run.resources, "azure-native:managedidentity:UserAssignedIdentity", "aks-control-plane").protect, expected, stack);
        }
    });

    it("runs prod on the Standard tier (API server SLA) and dev on Free", async () => {
        assert.strictEqual(at(one((await stackRun("prod")).resources, CLUSTER).props, "sku.tier"), "Standard");
        assert.strictEqual(at(one((await stackRun("dev")).resources, CLUSTER).props, "sku.tier"), "Free");
    });

    it("grants the control-plane identity Network Contributor on the two subnets and the ingress IP's own group, before the cluster", async () => {
        const run = await stackRun("dev");
        const cluster = one(run.resources, CLUSTER);
        const controlPlane = one(run.resources, "azure-native:managedidentity:UserAssignedIdentity", "aks-control-plane");
        assert.deepStrictEqual(cluster.propertyDependencies.identity, [controlPlane.urn], "the cluster runs as that identity");
        const roles = run.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && r.parent?.endsWith("::aks") && r.props.principalType === "ServicePrincipal");
        const scopes = roles.map((r) => String(r.props.scope)).sort();
        assert.strictEqual(roles.length, 3, scopes.join(", "));
        assert.match(scopes[0], /\/resourceGroups\/platform-dev-ingress-rg$/, "the IP's own group: the cloud provider lists public IPs there");
        assert.match(scopes[1], /\/subnets\/apiserver$/);
        assert.match(scopes[2], /\/subnets\/nodes$/);
        for (const r of roles) {
            assert.match(String(r.props.roleDefinitionId), new RegExp(`roleDefinitions/${azure.roles.networkContributor}$`));
            assert.deepStrictEqual(r.propertyDependencies.principalId, [controlPlane.urn], "principal must be the control plane's identity");
            assert.ok(cluster.dependencies.includes(r.urn), "the cluster is created after its network roles");
        }
        // The ingress IP's group holds the IP only: the role there reaches neither the zone nor the VNet.
        const inIpGroup = run.resources.filter((r) => r.custom && r.type !== "azure-native:resources:ResourceGroup" && String(r.props.resourceGroupName) === "platform-dev-ingress-rg");
        assert.deepStrictEqual(inIpGroup.map((r) => r.type), ["azure-native:network:PublicIPAddress"]);
    });

    it("gives each admin group AKS RBAC Cluster Admin and Cluster User on the cluster (Azure RBAC ignores adminGroupObjectIDs)", async () => {
        const run = await stackRun("prod");
        const cluster = one(run.resources, CLUSTER);
        const groups = stackConfig("prod").cluster.adminGroupObjectIds;
        assert.ok(groups.length > 0);
        const grants = run.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && r.props.principalType === "Group");
        assert.strictEqual(grants.length, 2 * groups.length);
        for (const group of groups) {
            const roles = grants.filter((r) => r.props.principalId === group).map((r) => String(r.props.roleDefinitionId).split("/").pop()).sort();
            assert.deepStrictEqual(roles, [azure.roles.aksClusterUser, azure.roles.aksRbacClusterAdmin].sort(), group);
        }
        for (const g of grants) assert.deepStrictEqual(g.propertyDependencies.scope, [cluster.urn], "scoped to the cluster itself");
        assert.strictEqual((await stackRun("dev")).resources.filter((r) => r.props.principalType === "Group").length, 0, "dev names no admin group");
    });

    it("builds the Kubernetes provider from the user credentials, as a secret", async () => {
        const provider = one((await stackRun("dev")).resources, "pulumi:providers:kubernetes");
        assert.strictEqual(provider.props.kubeconfig, "[secret]");
        const cluster = one((await stackRun("dev")).resources, CLUSTER);
        assert.ok(provider.dependencies.includes(cluster.urn));
    });
});

describe("toAzureCliKubeconfig", () => {
    it("switches kubelogin to the Azure CLI login and keeps the server id", () => {
        const out = parseYaml(toAzureCliKubeconfig(mockUserKubeconfig("c", "https://c:443"))) as { users: { user: { exec: { args: string[]; command: string } } }[] };
        const exec = out.users[0].user.exec;
        assert.strictEqual(exec.command, "kubelogin");
        assert.deepStrictEqual(exec.args, ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]);
    });

    it("refuses a kubeconfig whose exec args lack --server-id", () => {
        const broken = "users:\n  - name: u\n    user:\n      exec:\n        command: kubelogin\n        args: [get-token]\n";
        assert.throws(() => toAzureCliKubeconfig(broken), /no --server-id/);
    });
});
