import * as assert from "assert";
import { parse as parseYaml } from "yaml";
import { at, one, STACKS, stackRun } from "../support/runs";
import { toAzureCliKubeconfig } from "../../components/azure/aks-cluster";
import { mockUserKubeconfig } from "../../plan/mocks";

const CLUSTER = "azure-native:containerservice:ManagedCluster";

describe("AksCluster", () => {
    for (const stack of STACKS) {
        describe(`${stack} stack`, () => {
            let props: Record<string, unknown>;
            before(async () => {
                props = one((await stackRun(stack)).resources, CLUSTER).props;
            });

            it("enforces NetworkPolicies with Cilium on Azure CNI overlay", () => {
                assert.strictEqual(at(props, "networkProfile.networkPolicy"), "cilium");
                assert.strictEqual(at(props, "networkProfile.networkDataplane"), "cilium");
                assert.strictEqual(at(props, "networkProfile.networkPlugin"), "azure");
                assert.strictEqual(at(props, "networkProfile.networkPluginMode"), "overlay");
                assert.strictEqual(at(props, "networkProfile.loadBalancerSku"), "standard");
            });

            it("allows only Entra ID sign-in with Azure RBAC", () => {
                assert.strictEqual(props.disableLocalAccounts, true);
                assert.strictEqual(at(props, "aadProfile.managed"), true);
                assert.strictEqual(at(props, "aadProfile.enableAzureRBAC"), true);
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

            it("keeps the cluster and its nodes upgraded", () => {
                assert.ok(["patch", "stable", "rapid", "node-image"].includes(String(at(props, "autoUpgradeProfile.upgradeChannel"))));
                assert.ok(["NodeImage", "SecurityPatch"].includes(String(at(props, "autoUpgradeProfile.nodeOSUpgradeChannel"))));
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

    it("protects the prod cluster from deletion, not the dev one", async () => {
        assert.strictEqual(one((await stackRun("prod")).resources, CLUSTER).protect, true);
        assert.strictEqual(one((await stackRun("dev")).resources, CLUSTER).protect, false);
    });

    it("grants the control-plane identity Network Contributor on exactly the VNet and the ingress IP, before the cluster", async () => {
        const run = await stackRun("dev");
        const cluster = one(run.resources, CLUSTER);
        const controlPlane = one(run.resources, "azure-native:managedidentity:UserAssignedIdentity", "aks-control-plane");
        assert.deepStrictEqual(cluster.propertyDependencies.identity, [controlPlane.urn], "the cluster runs as that identity");
        const roles = run.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && r.parent?.endsWith("::aks"));
        assert.strictEqual(roles.length, 2);
        const scopes = roles.map((r) => String(r.props.scope)).sort();
        assert.match(scopes[0], /\/publicIPAddresses\/[^/]+$/);
        assert.match(scopes[1], /\/virtualNetworks\/[^/]+$/);
        for (const r of roles) {
            assert.match(String(r.props.roleDefinitionId), /roleDefinitions\/4d97b98b-1d4f-4787-a291-c67834d212e7$/);
            assert.deepStrictEqual(r.propertyDependencies.principalId, [controlPlane.urn], "principal must be the control plane's identity");
            assert.ok(cluster.dependencies.includes(r.urn), "the cluster is created after its network roles");
        }
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
