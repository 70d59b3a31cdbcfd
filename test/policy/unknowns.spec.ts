/**
 * Reading preview-time unknowns: `withUnknowns` turns every unknown sentinel of @pulumi/policy's
 * runtime into an UnknownValue naming its path, the same through the proxy's raw target (the fast
 * path) as property by property through the proxy.
 */
import * as assert from "node:assert/strict";
import { toPolicyResources } from "../../policy-pack/engine";
import { isUnknownValue, unknownPaths, withUnknowns, withUnknownsThroughProxy } from "../../policy-pack/rules/lib/k8s";
import { resource } from "./helpers";

/** Props behind the runtime's unknown-checking proxy, made by the pack's own @pulumi/policy (as the engine hands them over). */
function unknownCheckingProxy(props: Record<string, unknown>): unknown {
    return toPolicyResources([resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "p", props)])[0].props;
}

// The sentinels of @pulumi/policy 1.21.0 proxy.js (string, number, boolean, array, asset, archive, object).
const SENTINELS = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

const props = () => ({
    metadata: { name: "p", namespace: SENTINELS[0], labels: { a: "b", c: SENTINELS[2] } },
    spec: { ingress: SENTINELS[3], egress: [{ to: [{ ipBlock: { cidr: SENTINELS[0] } }], ports: [{ port: SENTINELS[1] }] }], other: SENTINELS[6], asset: SENTINELS[4], archive: SENTINELS[5] },
});

describe("policy pack: preview-time unknowns become UnknownValues with their paths", () => {
    it("every sentinel kind, at its path; known values unchanged", () => {
        const copy = withUnknowns(unknownCheckingProxy(props())) as ReturnType<typeof props>;
        assert.deepEqual(unknownPaths(copy).sort(), [".metadata.labels.c", ".metadata.namespace", ".spec.archive", ".spec.asset", ".spec.egress.0.ports.0.port", ".spec.egress.0.to.0.ipBlock.cidr", ".spec.ingress", ".spec.other"]);
        assert.equal(copy.metadata.name, "p");
        assert.equal(copy.metadata.labels.a, "b");
        assert.ok(isUnknownValue(copy.spec.ingress));
    });
    it("the raw-target path and the property-by-property path agree (and reading through the proxy alone does throw)", () => {
        const proxied = unknownCheckingProxy(props());
        assert.deepEqual(JSON.stringify(withUnknowns(proxied)), JSON.stringify(withUnknownsThroughProxy(unknownCheckingProxy(props()))));
        assert.throws(() => (proxied as ReturnType<typeof props>).metadata.namespace, /can't be known during preview/);
        assert.notEqual(withUnknowns(proxied), proxied, "a copy, not the proxy");
    });
    it("plain objects (no proxy) get the same copy", () => {
        assert.deepEqual(JSON.stringify(withUnknowns(props())), JSON.stringify(withUnknowns(unknownCheckingProxy(props()))));
    });
});
