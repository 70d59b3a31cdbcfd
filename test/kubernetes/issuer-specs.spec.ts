/**
 * The issuer and certificate specs against cert-manager's own rules: which solver answers for which
 * name, separate ACME accounts, and certificate durations its validation accepts.
 */
import * as assert from "assert";
import { acmeSolvers, internalCaResources, LETS_ENCRYPT_ENDPOINTS, letsEncryptIssuer } from "../../components/kubernetes/certificates";

const DNS = { subscriptionId: "sub", resourceGroupName: "rg", zoneName: "platform.example.com", identityClientId: "client" };

/** Hours of a Go duration written in whole hours, as the platform writes them ("720h"). */
function hours(d: unknown): number {
    const m = /^(\d+)h$/.exec(String(d));
    if (!m) throw new Error(`${JSON.stringify(d)} is not a duration in hours`);
    return Number(m[1]);
}

describe("issuer and certificate specs (cert-manager's rules)", () => {
    it("the zone's solver selects the zone; a CNAME solver exists only for configured CNAME zones, selecting exactly those", () => {
        // An empty selector matches every name (cert-manager pkg/util/solverpicker): the zone's solver must not answer for others.
        const plain = acmeSolvers(DNS, []);
        assert.strictEqual(plain.length, 1);
        assert.deepStrictEqual(plain[0].selector?.dnsZones, [DNS.zoneName]);
        const withCname = acmeSolvers(DNS, ["apps.example.org"]);
        assert.strictEqual(withCname.length, 2);
        assert.deepStrictEqual(withCname[1].selector?.dnsZones, ["apps.example.org"]);
        assert.strictEqual(withCname[1].dns01?.cnameStrategy, "Follow");
    });

    it("each Let's Encrypt issuer is named as certificates and the `issuer` config key refer to it", () => {
        for (const le of LETS_ENCRYPT_ENDPOINTS) assert.strictEqual(letsEncryptIssuer(le, "ops@example.com", []).metadata?.name, le.issuerName);
    });

    it("each Let's Encrypt issuer keeps its ACME account key in a secret of its own", () => {
        const secrets = LETS_ENCRYPT_ENDPOINTS.map((le) => letsEncryptIssuer(le, "ops@example.com", acmeSolvers(DNS, [])).spec.acme?.privateKeySecretRef.name ?? "");
        assert.ok(secrets.every((s) => s.length > 0), JSON.stringify(secrets));
        assert.strictEqual(new Set(secrets).size, secrets.length, "staging and production are different ACME accounts");
    });

    it("the internal CA lasts years and renews before it expires (renewBefore shorter than duration, as cert-manager validates)", () => {
        // cert-manager internal/apis/certmanager/validation/certificate.go: duration at least 1h, renewBefore below duration.
        const spec = internalCaResources().caCertificate.spec;
        assert.ok(spec);
        const duration = hours(spec.duration);
        const renewBefore = hours(spec.renewBefore);
        assert.ok(duration >= 365 * 24, `${duration}h`);
        assert.ok(renewBefore > 0 && renewBefore < duration);
        assert.strictEqual(spec.isCA, true);
        assert.deepStrictEqual(spec.privateKey, { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" });
    });
});
