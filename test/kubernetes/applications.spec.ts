/**
 * What docs/add-an-application.md promises an application team, checked on the objects the program
 * creates for every app of every stack (dev's demo, prod's storefront) and on the pure builder for
 * the cases no stack has (one replica, a dedicated certificate).
 */
import * as assert from "assert";
import { at, ofType, STACKS, stackRun } from "../support/runs";
import { apps as appFacts, nginxIngress } from "../../components/facts";
import { appManifests } from "../../components/kubernetes/applications";
import type { AppConfig } from "../../components/config";
import { stackPlatformConfig } from "../../plan/stack-config";
import type { PlanResource } from "../../policy-pack/plan-resource";

type Obj = Record<string, unknown>;

const APP: AppConfig = { name: "shop", image: "registry.example.com/shop:1.2.3", port: 8080, host: "shop.example.com", certificate: "wildcard", replicas: 2, egress: [] };

/** The one object of this type in the app's namespace. */
function inNamespace(resources: readonly PlanResource[], type: string, namespace: string): PlanResource {
    const found = ofType(resources, type).filter((r) => at(r.props, "metadata.namespace") === namespace);
    assert.strictEqual(found.length, 1, `${type} in ${namespace}`);
    return found[0];
}

/** True when every matchLabels pair is among the labels (the selector selects these pods). */
function selects(selector: unknown, labels: unknown): boolean {
    const match = (at(selector, "matchLabels") ?? {}) as Record<string, string>;
    const have = (labels ?? {}) as Record<string, string>;
    return Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => have[k] === v);
}

describe("applications: what docs/add-an-application.md promises", () => {
    for (const stack of STACKS) {
        describe(`${stack}: every app of the stack`, () => {
            let resources: PlanResource[];
            let apps: readonly AppConfig[];
            beforeEach(async () => {
                resources = (await stackRun(stack)).resources;
                apps = stackPlatformConfig(stack).apps;
                assert.ok(apps.length > 0, `${stack} declares no app`);
            });

            it("mounts no service account token (apps need no Kubernetes API access)", () => {
                for (const app of apps) {
                    const pod = at(inNamespace(resources, "kubernetes:apps/v1:Deployment", app.name).props, "spec.template.spec") as Obj;
                    assert.strictEqual(pod.automountServiceAccountToken, false, app.name);
                }
            });

            it("spreads its replicas across zones, counting only its own pods", () => {
                for (const app of apps) {
                    const deployment = inNamespace(resources, "kubernetes:apps/v1:Deployment", app.name);
                    const podLabels = at(deployment.props, "spec.template.metadata.labels");
                    const spread = at(deployment.props, "spec.template.spec.topologySpreadConstraints") as Obj[];
                    assert.strictEqual(spread.length, 1, app.name);
                    assert.strictEqual(spread[0].topologyKey, "topology.kubernetes.io/zone", app.name);
                    assert.strictEqual(spread[0].maxSkew, 1, app.name);
                    assert.ok(selects(spread[0].labelSelector, podLabels), `${app.name}: the spread counts the app's own pods`);
                }
            });

            it("has a PodDisruptionBudget with minAvailable 1 over its pods exactly when it runs 2+ replicas", () => {
                for (const app of apps) {
                    const deployment = inNamespace(resources, "kubernetes:apps/v1:Deployment", app.name);
                    assert.strictEqual(at(deployment.props, "spec.replicas"), app.replicas, app.name);
                    const pdbs = ofType(resources, "kubernetes:policy/v1:PodDisruptionBudget").filter((r) => at(r.props, "metadata.namespace") === app.name);
                    if (app.replicas < 2) {
                        assert.strictEqual(pdbs.length, 0, app.name);
                        continue;
                    }
                    assert.strictEqual(pdbs.length, 1, app.name);
                    assert.strictEqual(at(pdbs[0].props, "spec.minAvailable"), 1, app.name);
                    assert.strictEqual(at(pdbs[0].props, "spec.maxUnavailable"), undefined, app.name);
                    assert.ok(selects(at(pdbs[0].props, "spec.selector"), at(deployment.props, "spec.template.metadata.labels")), `${app.name}: the PDB guards the app's pods`);
                    assert.ok(pdbs[0].dependencies.includes(deployment.urn), app.name);
                }
            });

            it("lives in a namespace of its own that enforces, audits and warns Pod Security restricted", () => {
                for (const app of apps) {
                    const ns = ofType(resources, "kubernetes:core/v1:Namespace").find((r) => at(r.props, "metadata.name") === app.name);
                    assert.ok(ns, app.name);
                    const labels = at(ns.props, "metadata.labels") as Record<string, string>;
                    for (const mode of ["enforce", "audit", "warn"]) assert.strictEqual(labels[`pod-security.kubernetes.io/${mode}`], "restricted", `${app.name} ${mode}`);
                    assert.strictEqual(labels["pod-security.kubernetes.io/enforce-version"], "latest", app.name);
                    assert.strictEqual(labels["aks-platform/managed"], "true", app.name);
                    assert.strictEqual(labels["aks-platform/role"], "app", app.name);
                }
            });

            it("exposes port 80 on a ClusterIP Service that targets the container's port, and routes its host there", () => {
                for (const app of apps) {
                    const deployment = inNamespace(resources, "kubernetes:apps/v1:Deployment", app.name);
                    const container = (at(deployment.props, "spec.template.spec.containers") as Obj[])[0];
                    const service = inNamespace(resources, "kubernetes:core/v1:Service", app.name);
                    assert.strictEqual(at(service.props, "spec.type"), "ClusterIP", app.name);
                    assert.ok(selects({ matchLabels: at(service.props, "spec.selector") }, at(deployment.props, "spec.template.metadata.labels")), app.name);
                    const [port] = at(service.props, "spec.ports") as Obj[];
                    assert.strictEqual(port.port, 80, app.name);
                    const named = (container.ports as Obj[]).find((p) => p.name === port.targetPort || p.containerPort === port.targetPort);
                    assert.strictEqual(named?.containerPort, app.port, `${app.name}: the Service reaches the app's port`);
                    assert.strictEqual(named?.protocol, "TCP", app.name);
                    const ingress = inNamespace(resources, "kubernetes:networking.k8s.io/v1:Ingress", app.name);
                    assert.strictEqual(at(ingress.props, "spec.ingressClassName"), nginxIngress.ingressClassName, app.name);
                    const [rule] = at(ingress.props, "spec.rules") as Obj[];
                    assert.strictEqual(rule.host, app.host, app.name);
                    const [path] = at(rule, "http.paths") as Obj[];
                    assert.deepStrictEqual({ path: path.path, pathType: path.pathType }, { path: "/", pathType: "Prefix" }, app.name);
                    assert.deepStrictEqual(at(path, "backend.service"), { name: at(service.props, "metadata.name"), port: { number: 80 } }, app.name);
                }
            });
        });
    }

    describe("the builder (appManifests)", () => {
        it("runs the container as docs/add-an-application.md says: non-root, read-only root with a 64 Mi /tmp, no capabilities, its requests and limits, probes on GET /", () => {
            const { deployment } = appManifests(APP, "letsencrypt-staging");
            const pod = at(deployment, "spec.template.spec") as Obj;
            assert.deepStrictEqual(pod.securityContext, { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            const [container] = pod.containers as Obj[];
            assert.strictEqual(container.image, APP.image);
            assert.deepStrictEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
            assert.deepStrictEqual(container.resources, { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
            assert.deepStrictEqual(container.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
            assert.deepStrictEqual(pod.volumes, [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
            for (const probe of ["readinessProbe", "livenessProbe"]) {
                assert.deepStrictEqual(at(container, `${probe}.httpGet`), { path: "/", port: appFacts.containerPortName }, probe);
            }
            assert.deepStrictEqual(container.ports, [{ name: appFacts.containerPortName, containerPort: APP.port, protocol: "TCP" }]);
        });

        it("gives a single replica no PodDisruptionBudget (one replica under minAvailable 1 would block every node drain)", () => {
            assert.strictEqual(appManifests({ ...APP, replicas: 1 }, "letsencrypt-staging").podDisruptionBudget, undefined);
            assert.ok(appManifests({ ...APP, replicas: 2 }, "letsencrypt-staging").podDisruptionBudget);
        });

        it("serves a wildcard app without a certificate of its own, and gives a dedicated one its own Secret through the stack's issuer", () => {
            const wildcard = appManifests(APP, "letsencrypt-production").ingress;
            assert.deepStrictEqual(at(wildcard, "spec.tls"), [{ hosts: [APP.host] }]);
            assert.strictEqual(at(wildcard, "metadata.annotations"), undefined);
            const dedicated = appManifests({ ...APP, certificate: "dedicated" }, "letsencrypt-production").ingress;
            assert.deepStrictEqual(at(dedicated, "spec.tls"), [{ hosts: [APP.host], secretName: "shop-tls" }]);
            assert.deepStrictEqual(at(dedicated, "metadata.annotations"), { "cert-manager.io/cluster-issuer": "letsencrypt-production" });
        });
    });
});

describe("applications as the API server and the engine see them", () => {
    it("each Deployment selects its own pod template by a non-empty selector (apps/v1 rejects an empty or mismatched one)", () => {
        // k8s pkg/apis/apps/validation ValidateDeploymentSpec: selector required, non-empty, matching the template's labels.
        const d = appManifests(APP, "letsencrypt-staging").deployment;
        const selector = (at(d, "spec.selector.matchLabels") ?? {}) as Record<string, string>;
        assert.ok(Object.keys(selector).length > 0);
        const labels = (at(d, "spec.template.metadata.labels") ?? {}) as Record<string, string>;
        for (const [k, v] of Object.entries(selector)) assert.strictEqual(labels[k], v, k);
    });

    for (const stack of STACKS) {
        it(`${stack}: every app's Ingress waits for its Service, and only apps of two or more replicas get a PodDisruptionBudget`, async () => {
            const run = await stackRun(stack);
            for (const app of stackPlatformConfig(stack).apps) {
                const inNs = (type: string): PlanResource[] => ofType(run.resources, type).filter((r) => at(r.props, "metadata.namespace") === app.name);
                const [service] = inNs("kubernetes:core/v1:Service");
                const [ingress] = inNs("kubernetes:networking.k8s.io/v1:Ingress");
                assert.ok(service && ingress?.dependencies.includes(service.urn), app.name);
                assert.strictEqual(inNs("kubernetes:policy/v1:PodDisruptionBudget").length, app.replicas >= 2 ? 1 : 0, app.name);
            }
            // The charts bring their own PDBs inside their releases: every PDB resource is an app's.
            const expected = stackPlatformConfig(stack).apps.filter((a) => a.replicas >= 2).length;
            assert.strictEqual(ofType(run.resources, "kubernetes:policy/v1:PodDisruptionBudget").length, expected);
        });
    }
});
