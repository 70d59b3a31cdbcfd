/**
 * Reading preview-time unknowns: `withUnknowns` turns every unknown sentinel of @pulumi/policy's
 * runtime into an UnknownValue naming its path, the same through the proxy's raw target (the fast
 * path) as property by property through the proxy.
 */
import * as assert from "node:assert/strict";
import { toPolicyResources } from "../../policy-pack/engine";
import * as proxyModule from "@pulumi/policy/proxy";
import { isUnknownValue, subjectOf, UNKNOWN_SENTINELS, unknownPaths, withUnknowns, withUnknownsThroughProxy } from "../../policy-pack/rules/lib/k8s";
import { withUnknownOutputs } from "../../policy-pack/rules/lib/rule";
import { resource } from "./helpers";

/** Props behind the runtime's unknown-checking proxy, made by the pack's own @pulumi/policy (as the engine hands them over). */
function unknownCheckingProxy(props: Record<string, unknown>): unknown {
    return toPolicyResources([resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "p", props)])[0].props;
}

// The sentinels as the SDK itself defines them (@pulumi/policy proxy.js; its typings leave them out):
// string, number, boolean, array, asset, archive, object.
const sdk = proxyModule as unknown as Record<string, unknown>;
const SENTINELS = ["unknownStringValue", "unknownNumberValue", "unknownBooleanValue", "unknownArrayValue", "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"]
    .map((k) => String(sdk[k]));

describe("the pack's unknown-value sentinels", () => {
    it("are exactly the SDK's", () => assert.deepEqual([...UNKNOWN_SENTINELS].sort(), [...SENTINELS].sort()));
});

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

describe("policy pack: labels of findings read through the runtime's proxy", () => {
    const ref = (p: Record<string, unknown>) => toPolicyResources([resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "res", p)])[0];

    it("name a known namespace and name, and fall back to the resource name when either is unknown", () => {
        assert.equal(subjectOf(ref({ kind: "NetworkPolicy", metadata: { name: "p", namespace: "apps" } })).label, 'NetworkPolicy apps/p (resource "res")');
        assert.equal(subjectOf(ref({ kind: "NetworkPolicy", metadata: { name: "p", namespace: SENTINELS[0] } })).label, 'NetworkPolicy p (resource "res")', "an unknown namespace is left out, not printed as a sentinel");
        assert.equal(subjectOf(ref({ kind: SENTINELS[0], metadata: { name: SENTINELS[0] } })).label, 'NetworkPolicy "res"');
    });

    it("a resource with no props at all (its provider unknown at preview) reads as all-unknown; one with props is left as it is", () => {
        assert.throws(() => (withUnknownOutputs(ref({})).props as Record<string, unknown>).spec, /all outputs unknown/);
        const known = ref({ spec: {} });
        assert.equal(withUnknownOutputs(known), known);
    });
});
