/** Resource options the platform sets: `protect` in prod, and `dependsOn` handed from a component to its children. */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../components/config";
import { mergeDependsOn } from "../components/component";
import { PlatformMocks } from "../plan/mocks";
import { one, stackRun } from "./support/runs";

describe("protect: prod's stateful Azure resources cannot be deleted by one `pulumi destroy`", () => {
    const PROTECTED = ["azure-native:resources:ResourceGroup", "azure-native:network:PublicIPAddress", "azure-native:containerservice:ManagedCluster", "azure-native:dns:Zone"];

    it("prod protects its resource groups (the platform's and the ingress IP's), the IP, the cluster and the zone; dev protects none", async () => {
        const prod = (await stackRun("prod")).resources;
        const dev = (await stackRun("dev")).resources;
        for (const type of PROTECTED) {
            const inProd = prod.filter((r) => r.type === type);
            assert.ok(inProd.length > 0 && inProd.every((r) => r.protect), type);
            assert.ok(dev.filter((r) => r.type === type).every((r) => !r.protect), type);
        }
        assert.strictEqual(prod.filter((r) => r.type === "azure-native:resources:ResourceGroup").length, 2);
        assert.strictEqual(one(prod, "azure-native:network:PublicIPAddress").protect, true);
    });
});

describe("mergeDependsOn: a component's dependsOn reaches its children in every form Pulumi accepts", () => {
    let a: pulumi.Resource;
    let b: pulumi.Resource;
    before(async () => {
        await pulumi.runtime.setMocks(new PlatformMocks(), PROJECT, "platform-options", false);
        a = new pulumi.ComponentResource("test:index:Thing", "a");
        b = new pulumi.ComponentResource("test:index:Thing", "b");
    });
    after(async () => { await pulumi.runtime.disconnect(); });

    it("nothing, a list, or one resource: a plain list with the extra ones after", () => {
        assert.deepStrictEqual(mergeDependsOn(undefined, [b]), [b]);
        assert.deepStrictEqual(mergeDependsOn([a], [b]), [a, b]);
        assert.deepStrictEqual(mergeDependsOn(a, [b]), [a, b]);
        assert.deepStrictEqual(mergeDependsOn(a), [a]);
    });

    it("an Output of a resource or of a list: resolved, then the extra ones", async () => {
        const resolved = (v: pulumi.Input<pulumi.Input<pulumi.Resource>[]>): Promise<unknown> =>
            new Promise((resolve) => pulumi.output(v).apply((x) => { resolve(x); return x; }));
        assert.deepStrictEqual(await resolved(mergeDependsOn(pulumi.output(a), [b])), [a, b]);
        assert.deepStrictEqual(await resolved(mergeDependsOn(pulumi.output([a]), [b])), [a, b]);
    });
});
